"""Sphinx and Jupyter Book books in MyST Markdown: the toctree fences (or ``_toc.yml``)
give the reading order, the series and the chapters; MyST's directives and roles become
the Markdown the site reads, and what import cannot convert is named in the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from zhiku.articles import parse_article
from zhiku.importers.myst import Book, Context, book_config, conf_values, convert, toctrees
from zhiku.importers.run import detect, import_notes
from zhiku.importers.source import split_source

CONF = """\
# -- Project information -----------------------------------------------------
project = 'thorough-notes'
copyright = '2022, 作者'
html_title = "深入浅出笔记"
exclude_patterns = ['_build', 'drafts/**']
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def articles(content: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """Title -> (front matter, body) of every article import wrote."""
    found = {}
    for path in content.glob("*.md"):
        text = path.read_text(encoding="utf-8")
        parse_article(path.name, text)  # a valid article
        meta, body, _ = split_source(text)
        found[str(meta["title"])] = (meta, body)
    return found


def test_conf_py_is_read_without_running_it() -> None:
    assert conf_values(CONF) == {
        "project": "thorough-notes",
        "html_title": "深入浅出笔记",
        "exclude_patterns": ["_build", "drafts/**"],
    }


def test_toctree_entries_with_titles_captions_and_options() -> None:
    text = (
        "# 目录页\n\n```{toctree}\n:maxdepth: 2\n:caption: 基础\n:hidden:\n"
        "第一章/index\n自定义标题 <第二章/2.1 线性回归.md>\nself\n```\n"
        "```python\n```{toctree}\nnot a toctree: inside code\n```\n"
    )
    (tree,) = toctrees(text)
    assert tree.caption == "基础" and tree.hidden and not tree.glob
    assert tree.entries == (
        (None, "第一章/index"),
        ("自定义标题", "第二章/2.1 线性回归.md"),
        (None, "self"),
    )


BOOK = {
    "index.md": "# 笔记\n\n```{toctree}\n:caption: 目录\n第一章/index\n附录 <appendix>\n```\n",
    "第一章/index.md": "# 第一章：张量\n\n```{toctree}\n:glob:\n*\n```\n",
    "第一章/1.2 求导.md": "# 1.2 求导\n",
    "第一章/1.1 张量.md": "# 1.1 张量\n",
    "appendix.md": "# 附录\n",
    "orphan.md": "# 孤页\n",
}


def test_the_toctrees_give_a_depth_first_order_and_chapters_as_categories() -> None:
    book = book_config(BOOK, sorted(BOOK), CONF)
    assert book.title == "深入浅出笔记"
    got = [(c.path, c.category, c.order) for c in book.chapters.values()]
    assert got == [
        ("index.md", (), 1),
        ("第一章/index.md", ("第一章：张量",), 2),  # with its sections; "目录" names no part
        ("第一章/1.1 张量.md", ("第一章：张量",), 3),
        ("第一章/1.2 求导.md", ("第一章：张量",), 4),
        ("appendix.md", (), 5),
    ]
    assert "orphan.md" not in book.chapters


def test_a_caption_that_names_a_part_is_the_category() -> None:
    texts = {
        "index.md": "# 书\n\n```{toctree}\n:caption: 基础篇\na\n```\n\n"
        ":::{toctree}\n:caption: 进阶篇\nb\n:::\n",
        "a.md": "# A\n",
        "b.md": "# B\n",
    }
    book = book_config(texts, sorted(texts))
    assert book.chapters["a.md"].category == ("基础篇",)
    assert book.chapters["b.md"].category == ("进阶篇",)


def test_a_toctree_entry_that_is_not_there_is_reported() -> None:
    texts = {"index.md": "# 书\n\n```{toctree}\nmissing\n```\n"}
    book = book_config(texts, ["index.md"])
    assert book.problems == ["index.md: the toctree names missing, not in the book; left out"]


TOC = """\
format: jb-book
root: intro
parts:
  - caption: 基础
    chapters:
      - file: basics/index
        sections:
          - file: basics/tensor
          - file: basics/autograd.md
            title: 自动求导（目录里的名字）
  - caption: 实战
    chapters:
      - file: practice/mnist
      - url: https://example.org
"""


def test_a_jupyter_books_toc_gives_order_parts_and_sections() -> None:
    texts = {
        "intro.md": "# 欢迎\n\n```{tableofcontents}\n```\n",
        "basics/index.md": "# 基础知识\n",
        "basics/tensor.md": "# 张量\n",
        "basics/autograd.md": "# 自动求导\n",
        "practice/mnist.md": "# 手写数字\n",
    }
    book = book_config(texts, sorted(texts), toc=TOC, config="title: 动手学\n")
    assert book.title == "动手学"
    got = [(c.path, c.category, c.order) for c in book.chapters.values()]
    assert got == [
        ("intro.md", (), 1),
        ("basics/index.md", ("基础", "基础知识"), 2),
        ("basics/tensor.md", ("基础", "基础知识"), 3),
        ("basics/autograd.md", ("基础", "基础知识"), 4),
        ("practice/mnist.md", ("实战",), 5),
    ]
    shown = convert(texts["intro.md"].split("\n", 1)[1], Context("intro.md", book, "python"))
    assert "- [基础知识](basics/index.md)" in shown
    assert "- [手写数字](practice/mnist.md)" in shown


def one(body: str, book: Book | None = None, path: str = "a.md") -> tuple[str, list[str]]:
    book = book or book_config({path: body}, [path])
    ctx = Context(path, book, "python")
    return convert(body, ctx), ctx.problems


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("```{note}\n正文。\n```", "!!! note\n\n    正文。"),
        ("```{warning}\n小心。\n```", "!!! warning\n\n    小心。"),
        ("```{tip}\n窍门。\n```", "!!! tip\n\n    窍门。"),
        (
            "```{admonition} 自定义标题\n:class: warning\n内容。\n```",
            '!!! warning "自定义标题"\n\n    内容。',
        ),
        (":::{note}\n冒号围栏。\n:::", "!!! note\n\n    冒号围栏。"),
        (
            "````{note}\n外层\n```{warning}\n内层\n```\n````",
            "!!! note\n\n    外层\n    !!! warning\n\n        内层",
        ),
        ("```{dropdown} 展开看\n答案。\n```", '??? note "展开看"\n\n    答案。'),
    ],
)
def test_admonitions_become_the_themes(written: str, shown: str) -> None:
    got, problems = one(written + "\n")
    assert got.strip() == shown
    assert problems == []


def test_math_directives_roles_and_labelled_display_math() -> None:
    body = (
        "记 {math}`x^2` 为平方。\n\n```{math}\n:label: eq-sq\ny = x^2\n```\n\n"
        "$$\na + b\n$$ (eq-sum)\n\n见 {eq}`eq-sq` 和 {eq}`eq-sum`。\n"
    )
    got, problems = one(body)
    assert "记 $x^2$ 为平方。" in got
    assert '<span id="eq-sq"></span>\n\n$$\ny = x^2\n$$' in got
    assert '<span id="eq-sum"></span>\n\n$$\na + b\n$$' in got
    assert "[(eq-sq)](a.md#eq-sq)" in got and "[(eq-sum)](a.md#eq-sum)" in got
    assert problems == []


def test_labels_and_references_across_documents() -> None:
    texts = {
        "index.md": "# 书\n\n```{toctree}\n第一章/张量\n第一章/求导\n```\n",
        "第一章/张量.md": "(tensor)=\n# 张量入门\n\n(bc)=\n## 广播\n\n```{figure} img/b.png\n"
        ":name: fig-b\n:width: 50%\n\n广播示意\n```\n",
        "第一章/求导.md": "# 求导\n\n{ref}`tensor`、{ref}`形状对齐 <bc>`、{numref}`图 %s <fig-b>`、"
        "{doc}`张量`、{doc}`/index`、[这里](bc)、{ref}`nowhere`\n",
    }
    book = book_config(texts, sorted(texts))
    got, problems = one(texts["第一章/求导.md"], book, "第一章/求导.md")
    assert "[张量入门](张量.md)" in got  # a label on the title: the page itself
    assert "[形状对齐](张量.md#bc)" in got
    assert "[图 广播示意](张量.md#fig-b)" in got
    assert "[张量入门](张量.md)、[书](../index.md)" in got
    assert "[这里](张量.md#bc)" in got
    assert "nowhere" in got and problems == [
        "{ref}`nowhere`: no such label in the book; kept its words"
    ]
    page, _ = one(texts["第一章/张量.md"], book, "第一章/张量.md")
    assert "## 广播 {#bc}" in page
    assert '<span id="fig-b"></span>\n\n![广播示意](img/b.png "广播示意"){ width="50%" }' in page
    assert "(tensor)=" not in page and "(bc)=" not in page


def test_code_cells_and_code_blocks_become_fences() -> None:
    body = (
        "```{code-cell} ipython3\n---\ntags: [hide-input]\n---\nprint(1)\n```\n\n"
        "```{code-cell}\n:tags: [remove-output]\nx = 2\n```\n\n"
        "```{code-block} bash\n:caption: 安装\npip install torch\n```\n"
    )
    got, _ = one(body)
    assert "```python\nprint(1)\n```" in got
    assert "```python\nx = 2\n```" in got
    assert '```bash title="安装"\npip install torch\n```' in got
    assert "tags" not in got


def test_what_import_cannot_convert_is_kept_and_named() -> None:
    body = (
        "```{eval-rst}\n.. note:: 旧写法\n```\n\n```{graphviz}\ndigraph { a -> b }\n```\n\n"
        "{cite}`lecun1998`，{term}`张量`，{foo}`bar`\n\n% 注释\n+++\n"
        "```{index} single: 张量\n```\n"
    )
    got, problems = one(body)
    assert "```rst\n.. note:: 旧写法\n```" in got
    assert "```text\ndigraph { a -> b }\n```" in got
    assert "\\[lecun1998\\]，张量，`bar`" in got
    assert "注释" not in got and "+++" not in got and "single" not in got
    assert problems == [
        "```{eval-rst} is not something import converts; kept its text as a code block",
        "```{graphviz} is not something import converts; kept its text as a code block",
        "the role {foo} is not something import converts; kept its text",
    ]


def test_code_is_never_converted() -> None:
    body = "````markdown\n```{note}\n示例\n```\n{math}`x`\n````\n\n行内 `{ref}` 不变。\n"
    got, _ = one(body)
    assert "```{note}\n示例\n```\n{math}`x`" in got


def test_a_sphinx_project_is_detected_in_source_beside_markdown(tmp_path: Path) -> None:
    write(tmp_path, {"source/conf.py": CONF, "source/index.md": "# 书\n", "README.md": "# 仓库\n"})
    kind, base, config = detect(tmp_path)
    assert (kind, base) == ("sphinx", "source")
    assert "conf.py" in config["sphinx"]
    only_rst = tmp_path / "rst"
    write(only_rst, {"docs/conf.py": CONF, "docs/index.rst": "书\n==\n"})
    assert detect(only_rst)[0] == "markdown"  # no Markdown: nothing for this reader


def test_a_jupyter_book_is_detected_by_its_toc(tmp_path: Path) -> None:
    write(tmp_path, {"book/_toc.yml": "root: intro\n", "book/intro.md": "# 书\n"})
    assert detect(tmp_path)[:2] == ("sphinx", "book")


def test_a_book_imports_in_order_with_its_series_and_report(tmp_path: Path) -> None:
    source = tmp_path / "notes"
    write(
        source,
        {
            "README.md": "# 仓库说明\n",
            "docs/conf.py": CONF,
            "docs/index.md": BOOK["index.md"],
            "docs/第一章/index.md": BOOK["第一章/index.md"],
            "docs/第一章/1.1 张量.md": "# 1.1 张量\n\n```{note}\n提示\n```\n",
            "docs/第一章/1.2 求导.md": BOOK["第一章/1.2 求导.md"],
            "docs/appendix.md": BOOK["appendix.md"],
            "docs/orphan.md": BOOK["orphan.md"],
            "docs/old.rst": "旧\n==\n",
            "docs/drafts/wip.md": "# 草稿\n",
            "docs/_templates/page.md": "# 模板\n",
            "docs/_build/html/index.html": "<p>built</p>",
        },
    )
    content = tmp_path / "content"
    outcome = import_notes([str(source)], content)
    assert not outcome.errors
    got = articles(content)
    assert set(got) == {"1.1 张量", "1.2 求导", "孤页", "第一章：张量", "笔记", "附录"}
    tensor, body = got["1.1 张量"]
    assert tensor["series"] == "深入浅出笔记" and tensor["series_order"] == 3
    assert tensor["category"] == "第一章：张量"
    assert "!!! note" in body and "{note}" not in body
    assert got["第一章：张量"][0]["series_order"] == 2
    assert got["第一章：张量"][0]["category"] == "第一章：张量"  # the chapter, with its sections
    assert "series" not in got["孤页"][0]
    records = {r.source.split("/notes/", 1)[1]: r for r in outcome.plan.records}
    assert "not in any toctree" in " ".join(records["docs/orphan.md"].notes)
    assert records["docs/old.rst"].reason.startswith("reStructuredText")
    assert "exclude_patterns" in (records["docs/drafts/wip.md"].reason or "")
    assert "_…" in (records["docs/_templates/page.md"].reason or "")
    assert not any("_build" in key for key in records)
    again = import_notes([str(source)], content)
    assert {r.status for r in again.plan.records} <= {"unchanged", "skipped"}


def test_a_root_index_rst_gives_the_order_of_myst_chapters() -> None:
    rst = {
        "index.rst": "深度学习\n========\n\n.. toctree::\n   :maxdepth: 2\n   :caption: 基础篇\n\n"
        "   chapter1/index\n   附录 <appendix>\n\n说明文字。\n",
        "chapter1/index.rst": "第一章 张量\n-----------\n\n.. toctree::\n\n   tensor\n",
    }
    texts = {"chapter1/tensor.md": "# 张量\n", "appendix.md": "# 附录\n"}
    book = book_config(texts, sorted([*texts, *rst]), rst=rst)
    got = [(c.path, c.category, c.order) for c in book.chapters.values()]
    assert got == [
        ("index.rst", (), 1),
        ("chapter1/index.rst", ("基础篇", "第一章 张量"), 2),
        ("chapter1/tensor.md", ("基础篇", "第一章 张量"), 3),
        ("appendix.md", ("基础篇",), 4),
    ]


def test_an_include_is_filled_in_and_a_missing_one_reported() -> None:
    body = "# 页\n\n```{include} _snippets/gpu.md\n```\n\n```{include} nowhere.md\n```\n"
    book = book_config(
        {"a.md": body}, ["a.md"], includes={"_snippets/gpu.md": "```{note}\n需要 GPU。\n```\n"}
    )
    got, problems = one(body, book)
    assert "!!! note\n\n    需要 GPU。" in got
    assert problems == ["```{include} nowhere.md: not found in the book; left out"]


def test_tabs_become_content_tabs_and_removed_cells_go() -> None:
    body = (
        "::::{tab-set}\n:::{tab-item} pip\n```bash\npip install torch\n```\n:::\n"
        ":::{tab-item} conda\nconda install pytorch\n:::\n::::\n\n"
        "```{code-cell} ipython3\n:tags: [remove-cell]\nimport secret_setup\n```\n"
    )
    got, _ = one(body)
    assert '=== "pip"\n\n    ```bash\n    pip install torch\n    ```' in got
    assert '=== "conda"\n\n    conda install pytorch' in got
    assert "secret_setup" not in got and "tab-set" not in got


MYST_YML = """\
version: 1
project:
  title: 机器学习讲义
  toc:
    - file: index.md
    - title: 第一部分
      children:
        - file: part1/intro.md
          children:
            - file: part1/linear.md
    - pattern: extra/*.md
"""


def test_a_jupyter_book_2_myst_yml_gives_the_order(tmp_path: Path) -> None:
    texts = {
        "index.md": "# 首页\n",
        "part1/intro.md": "# 导论\n",
        "part1/linear.md": "# 线性模型\n",
        "extra/a.md": "# 补充\n",
    }
    book = book_config(texts, sorted(texts), myst_yml=MYST_YML)
    assert book.title == "机器学习讲义"
    got = [(c.path, c.category, c.order) for c in book.chapters.values()]
    assert got == [
        ("index.md", (), 1),
        ("part1/intro.md", ("第一部分", "导论"), 2),
        ("part1/linear.md", ("第一部分", "导论"), 3),
        ("extra/a.md", (), 4),
    ]
    write(tmp_path, {"myst.yml": MYST_YML, **texts})
    assert detect(tmp_path)[:2] == ("sphinx", "")


def test_a_sphinx_source_in_docs_source_is_found(tmp_path: Path) -> None:
    write(tmp_path, {"docs/source/conf.py": CONF, "docs/source/index.md": "# 书\n", "setup.py": ""})
    assert detect(tmp_path)[:2] == ("sphinx", "docs/source")


def test_sphinx_proof_directives_are_headed_in_chinese() -> None:
    body = (
        "```{prf:theorem} 大数定律\n:label: lln\n样本均值收敛到期望。\n```\n\n"
        "```{prf:proof}\n由切比雪夫不等式。\n```\n\n见 {prf:ref}`lln`。\n\n```{bibliography}\n```\n"
    )
    book = book_config({"a.md": body}, ["a.md"])
    got, problems = one(body, book)
    assert (
        '<span id="lln"></span>\n\n!!! abstract "定理（大数定律）"\n\n    样本均值收敛到期望。'
        in got
    )
    assert '!!! success "证明"\n\n    由切比雪夫不等式。' in got
    assert "[定理（大数定律）](a.md#lln)" in got
    assert "bibliography" not in got and problems == []


def test_literalinclude_shows_the_lines_asked_for() -> None:
    body = "```{literalinclude} code/train.py\n:lines: 2-3\n:caption: 训练\n```\n"
    code = "import torch\nmodel = Net()\nmodel.train()\nprint('done')\n"
    book = book_config({"a.md": body}, ["a.md"], includes={"code/train.py": code})
    got, problems = one(body, book)
    assert got.strip() == '```python title="训练"\nmodel = Net()\nmodel.train()\n```'
    assert problems == []


def test_myst_fences_in_notes_outside_a_book_are_converted_too(tmp_path: Path) -> None:
    """A docsify or plain folder of notes written by Jupyter Book users keeps MyST's
    directive fences; they render as in the book, not as code named {note}."""
    from zhiku.importers.run import import_notes

    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "a.md").write_text(
        "# 线性回归\n\n```{note}\n先看数据。\n```\n\n```{code-cell} python\nprint(1)\n```\n\n"
        "普通代码：\n\n```python\nprint(2)\n```\n",
        encoding="utf-8",
    )
    import_notes([str(notes)], tmp_path / "content")
    text = (tmp_path / "content" / "xianxing-huigui.md").read_text(encoding="utf-8")
    assert "!!! note" in text and "    先看数据。" in text
    assert "```python\nprint(1)\n```" in text and "```python\nprint(2)\n```" in text
    assert "{note}" not in text and "{code-cell}" not in text


def test_r_markdown_and_quarto_chunks_are_not_taken_for_myst() -> None:
    from zhiku.importers.myst import convert_directives

    chunk = "```{r}\nsummary(cars)\n```\n\n```{python}\nprint(1)\n```\n"
    assert convert_directives(chunk, "a.md") == (chunk, [])
