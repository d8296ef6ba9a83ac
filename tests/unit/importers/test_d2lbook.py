"""d2lbook books (动手学深度学习 and books made like it): the ```toc trees give order and
chapters, d2lbook's roles become anchors, links and citations, framework cells tabs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from zhiku.articles import parse_article
from zhiku.importers.d2lbook import (
    Label,
    glob_match,
    mark_labels,
    parse_bib,
    parse_config,
    places,
    prepared,
    refs,
    short,
    slide_marks,
    tabbed,
    title_of,
    toc_entries,
)
from zhiku.importers.run import detect, import_notes

BOOK = Path(__file__).resolve().parents[2] / "fixtures" / "notes" / "d2lbook" / "dl-notes"


def _imported(tmp_path: Path) -> tuple[Path, dict[str, object]]:
    book = tmp_path / "dl-notes"
    shutil.copytree(BOOK, book)
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    assert outcome.errors == []
    return content, outcome.report()


def _article(content: Path, name: str) -> str:
    return (content / name).read_text(encoding="utf-8")


def test_a_book_is_found_by_config_ini_and_its_toc(tmp_path: Path) -> None:
    assert detect(BOOK)[0] == "d2lbook"
    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "index.md").write_text("# 书\n\n```toc\n:maxdepth: 2\n\nch1/index\n```\n", "utf-8")
    assert detect(bare)[0] == "markdown"  # no config.ini: a folder of Markdown
    assert detect(bare, "d2lbook")[0] == "d2lbook"  # unless told
    (bare / "config.ini").write_text("[build]\ntabs = mxnet\n", encoding="utf-8")
    assert detect(bare)[0] == "markdown"  # a config.ini of something else


def test_config_ini_is_read_where_configparser_gives_up() -> None:
    ini = (BOOK / "config.ini").read_text(encoding="utf-8")
    parsed = parse_config(ini)
    assert parsed["project"]["title"] == "深度学习笔记"
    assert parsed["build"]["tabs"] == "pytorch, tensorflow"
    assert parsed["build"]["exclusions"] == "*/*_origin.md README.md STYLE_GUIDE.md"


def test_toc_blocks_give_entries_and_whether_they_are_numbered() -> None:
    index = (BOOK / "index.md").read_text(encoding="utf-8")
    assert toc_entries(index) == [
        [("chapter_preface/index", False)],
        [("chapter_basics/index", True), ("chapter_optim/index", True)],
        [("chapter_references/zreferences", False)],
    ]


def test_the_toc_trees_give_order_chapters_and_the_series(tmp_path: Path) -> None:
    content, report = _imported(tmp_path)
    articles = {
        p.name: parse_article(p.name, p.read_text(encoding="utf-8")) for p in content.glob("*.md")
    }
    got = sorted((a.series_order or 0, a.title, a.category, a.series) for a in articles.values())
    assert got == [
        (1, "前言", "前言", "深度学习笔记"),
        (2, "基础", "基础", "深度学习笔记"),
        (3, "梯度下降", "基础", "深度学习笔记"),
        (4, "张量", "基础", "深度学习笔记"),
        (5, "优化算法", "优化算法", "深度学习笔记"),
        (6, "Adam算法", "优化算法", "深度学习笔记"),
        (7, "参考文献", "参考文献", "深度学习笔记"),
    ]
    # The chapter page's toc is a list of its sections, by their titles.
    assert "- [梯度下降](tidu-xiajiang.md)\n- [张量](zhangliang.md)" in _article(
        content, "jichu.md"
    )
    reasons = {
        r["source"].split("dl-notes/", 1)[1]: r.get("reason", "")
        for r in report["files"]  # type: ignore[attr-defined]
    }
    assert "exclusions (README.md)" in reasons["README.md"]
    assert "exclusions (*/*_origin.md)" in reasons["chapter_basics/gradient-descent_origin.md"]
    assert "front page" in reasons["index.md"]
    assert (
        reasons["refs.bib"] == "the book's bibliography, read for its references page; not a note"
    )


def test_labels_become_anchors_and_references_links(tmp_path: Path) -> None:
    content, _ = _imported(tmp_path)
    page = _article(content, "tidu-xiajiang.md")
    assert ":label:" not in page and ":eqlabel:" not in page and ":width:" not in page
    assert "## 一维梯度下降 {#subsec_gd_1d}" in page
    assert "O(\\epsilon^2). \\tag{1.1.1}$$\n{: #eq_gd_taylor }" in page
    assert "由 [(1.1.1)](#eq_gd_taylor) 可得" in page
    assert (
        "![学习率过大时的梯度下降。](assets/tidu-xiajiang/descent.png "
        '"图1.1.1 学习率过大时的梯度下降。"){ #fig_gd_lr width="300px" }'
    ) in page
    # Numbered as the book numbers them (config.ini's numfig_format), caption and reference.
    assert "如 [图1.1.1](#fig_gd_lr) 所示" in page
    assert "*表1.1.1 学习率与收敛*\n{: #tab_gd_lr }\n\n| 学习率 |" in page
    tensors = _article(content, "zhangliang.md")
    # Across pages: a chapter's label names its page, a section's its heading.
    assert "张量是 [基础](jichu.md) 里" in tensors
    assert "[一维梯度下降](tidu-xiajiang.md#subsec_gd_1d)" in tensors
    assert "[(1.1.2)](tidu-xiajiang.md#eq_gd_update)" in tensors
    assert "`sec_missing` 这一节" in tensors  # a label the book lacks stays its name
    # The title's label names the page itself.
    assert "见 [Adam算法](adam-suanfa.md)。" in page


def test_citations_link_to_the_references_page_built_from_the_bib(tmp_path: Path) -> None:
    content, report = _imported(tmp_path)
    page = _article(content, "tidu-xiajiang.md")
    assert "([Kingma and Ba, 2014](cankaowenxian.md#Kingma.Ba.2014); Nobody.2099)" in page
    listing = _article(content, "cankaowenxian.md")
    assert "title: 参考文献" in listing and ":bibliography:" not in listing
    assert (
        "Diederik P Kingma, Jimmy Ba (2014). Adam: A method for stochastic optimization. "
        "*arXiv preprint arXiv:1412.6980*.\n{: #Kingma.Ba.2014 }"
    ) in listing
    assert "He.Zhang.Ren.ea.2016" not in listing  # only what the book cites
    notes = [n for r in report["files"] for n in r.get("notes", [])]  # type: ignore[attr-defined]
    assert "citation Nobody.2099: not in the book's .bib; kept as text" in notes


def test_framework_cells_become_content_tabs(tmp_path: Path) -> None:
    content, _ = _imported(tmp_path)
    page = _article(content, "tidu-xiajiang.md")
    assert "#@tab" not in page and "{.python" not in page
    pytorch = page.index('=== "pytorch"')
    tensorflow = page.index('=== "tensorflow"')
    assert pytorch < page.index("import torch") < tensorflow < page.index("import tensorflow")
    # The `all` cell shows under every tab; #@save stays.
    assert page.count("def gd(eta, f_grad):") == 2 and "#@save" in page
    # :begin_tab: texts are tabs too, and the slide marks (**…**) are gone.
    assert '=== "pytorch"\n\n    [讨论](https://example.org/discuss/1)' in page
    assert "本节介绍梯度下降的基本思想。" in page


def test_a_cell_without_tab_is_the_first_framework_and_all_cells_need_no_tabs() -> None:
    text = (
        "```{.python .input}\nfrom mxnet import np\n```\n\n"
        "```{.python .input  n=2}\n#@tab pytorch, tensorflow\nimport numpy as np\n```\n\n"
        "正文。\n\n```{.python .input}\n#@tab all\nx = 1\n```\n"
    )
    out, problems = tabbed(text, ["mxnet", "pytorch", "tensorflow"])
    assert problems == []
    assert out.startswith('=== "mxnet"\n\n    ```python\n    from mxnet import np\n    ```\n\n')
    assert '=== "tensorflow"\n\n    ```python\n    import numpy as np\n' in out
    assert out.endswith("正文。\n\n```python\nx = 1\n```\n\n")
    plain, _ = tabbed("```{.python .input}\n#@tab all\nx = 1\n```\n", [])
    assert plain == "```python\nx = 1\n```\n"


def test_eval_rst_is_converted_where_simple_and_reported_otherwise() -> None:
    text = (
        "```eval_rst\n.. only:: html\n\n   参考文献\n   ========\n```\n\n"
        "```eval_rst\n.. autoclass:: Trainer\n   :members:\n```\n"
    )
    out, problems = tabbed(text, [])
    assert out.strip() == "# 参考文献"
    assert problems == [
        "an eval_rst block (.. autoclass:: Trainer) is Sphinx, which only d2lbook's build "
        "runs; left out"
    ]


def test_a_label_after_a_blank_line_still_names_its_heading() -> None:
    marked = mark_labels("a.md", "# 线性代数\n\n## 降维\n\n:label:`subsec_reduction`\n\n正文。")
    assert marked.text == "# 线性代数\n\n## 降维 {#subsec_reduction}\n\n\n正文。"
    (label,) = marked.labels
    assert (label.anchor, label.text, label.kind) == ("subsec_reduction", "降维", "section")


def test_outside_the_numbered_parts_a_figure_is_named_by_its_caption() -> None:
    text = "# 前言\n\n![一张图。](img/a.png)\n:label:`fig_a`\n\n$$x$$\n:eqlabel:`eq_a`\n"
    marked = mark_labels("preface.md", text)
    assert [(x.name, x.text) for x in marked.labels] == [("fig_a", "一张图"), ("eq_a", "(1)")]
    assert '![一张图。](img/a.png "一张图。"){ #fig_a }' in marked.text
    numbered = mark_labels("ch.md", text, "2.3", {"figure": "Fig. %s", "table": "Table %s"})
    assert [x.text for x in numbered.labels] == ["Fig. 2.3.1", "(2.3.1)"]


def test_an_eqlabel_without_a_formula_is_reported() -> None:
    marked = mark_labels("a.md", "文字。\n:eqlabel:`eq_x`\n")
    assert marked.problems == [":eqlabel:`eq_x` follows no $$ formula; left out"]


def test_references_inside_code_stay_as_written() -> None:
    text = '```python\n"""Defined in :numref:`sec_x`"""\n```\n'
    assert refs("a.md", text, {}, {}, {}, None) == (text, [])


def test_slide_marks_leave_their_words_and_links_stay() -> None:
    text = "需要(**矢量化**)，[**计时器**]：见[**文档**](https://example.org)。"
    assert slide_marks(text) == "需要矢量化，计时器：见[**文档**](https://example.org)。"


def test_bib_entries_read_with_braces_and_line_breaks() -> None:
    bib = parse_bib((BOOK / "refs.bib").read_text(encoding="utf-8"))
    he = bib["He.Zhang.Ren.ea.2016"]
    assert he.authors == ("He", "Zhang", "Ren", "Sun")
    assert (
        he.venue == "Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition"
    )
    assert short(he) == "He et al., 2016"
    assert short(bib["Robbins.Monro.1951"]) == "Robbins and Monro, 1951"


def test_importing_again_changes_nothing(tmp_path: Path) -> None:
    content, _ = _imported(tmp_path)
    before = {p: p.read_bytes() for p in content.rglob("*") if p.is_file()}
    outcome = import_notes([str(tmp_path / "dl-notes")], content)
    assert {r.status for r in outcome.plan.records} <= {"unchanged", "skipped"}
    assert {p: p.read_bytes() for p in content.rglob("*") if p.is_file()} == before


def test_toc_entries_may_be_titled_globbed_or_web_addresses() -> None:
    texts = {
        "index.md": "# 书\n\n```toc\n:numbered:\n\n附录 <appendix/index>\nhttps://example.org\n```\n",
        "appendix/index.md": "# 附录\n\n```toc\n*\n```\n",
        "appendix/b.md": "# 乙\n",
        "appendix/a.md": "# 甲\n",
    }
    titles = {p: title_of(t) or "" for p, t in texts.items()}
    got = {p: (x.order, x.category, x.number) for p, x in places(texts, titles).items()}
    assert got == {
        "appendix/index.md": (1, ("附录",), "1"),
        "appendix/a.md": (2, ("附录",), "1.1"),
        "appendix/b.md": (3, ("附录",), "1.2"),
    }


def test_a_python_cell_marked_with_a_spaced_tab_is_a_tab_cell() -> None:
    out, _ = tabbed("```python\n# @tab pytorch\nimport torch\n```\n", ["mxnet", "pytorch"])
    assert out.startswith('=== "pytorch"\n\n    ```python\n    import torch\n')


def test_cells_d2lbook_drops_at_build_and_its_newer_marks() -> None:
    text = (
        "```{.python .input}\n%load_ext d2lbook.tab\n"
        "tab.interact_select(['pytorch', 'jax'])\n```\n\n"
        "```{.python .input}\n%%tab jax\nimport jax\n```\n\n"
        "```{.json .output n=1}\n"
        '[{"name": "stdout", "output_type": "stream", "text": "42\\n"}]\n```\n'
    )
    out, _ = tabbed(text, ["pytorch", "jax"])
    assert "interact_select" not in out and "%%tab" not in out
    assert out.lstrip("\n").startswith('=== "jax"\n\n    ```python\n    import jax\n    ```\n')
    assert "```text\n42\n```" in out  # the saved output's text, not its JSON


def test_textual_citations_and_python_roles() -> None:
    bib = parse_bib((BOOK / "refs.bib").read_text(encoding="utf-8"))
    text = ":citet:`Kingma.Ba.2014` 提出了 Adam，见 :class:`Trainer`。"
    out, problems = refs("a/b.md", text, {}, {}, bib, "refs/index.md")
    assert (
        out == "[Kingma and Ba (2014)](../refs/index.md#Kingma.Ba.2014) 提出了 Adam，见 `Trainer`。"
    )
    assert problems == []


def test_globs_match_as_d2lbook_lists_files() -> None:
    assert glob_match("chapter_x/a_origin.md", "*/*_origin.md")
    assert not glob_match("contrib/chapter_x/a.md", "contrib/*md")  # * stays in its folder
    assert glob_match("static/vol1/root-index.md", "**/*.md")
    assert glob_match("index.md", "**/*.md")


def test_a_book_kept_in_its_source_dir_and_files_outside_its_notebooks(tmp_path: Path) -> None:
    book = tmp_path / "book"
    files = {
        "config.ini": "[project]\ntitle = 小书\nlang = zh\n\n[build]\nsource_dir = src\n"
        "notebooks = *.md */*.md\nindex = home\n",
        "src/home.md": "小书\n====\n\n```toc\n:numbered:\n\nch/index\n```\n",
        "src/ch/index.md": "# 第一章\n\n```toc\nsec\n```\n",
        "src/ch/sec.md": "# 一节\n\n![一张图，说明写得\n很长的那种。](../img/a.png)\n"
        ":label:`fig_a`\n\n见 :numref:`fig_a`。\n",
        "src/img/a.png": "",
        "src/static/deep/page.md": "# 模板\n",
    }
    for name, text in files.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / name).write_text(text, encoding="utf-8")
    assert detect(book)[:2] == ("d2lbook", "src")
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    assert outcome.errors == []
    section = (content / "yijie.md").read_text(encoding="utf-8")
    assert "series: 小书" in section and "category: 第一章" in section
    assert "aliases: [/ch/sec.html]" in section
    assert '"图1.1.1 一张图，说明写得 很长的那种。"){ #fig_a }' in section
    assert "见 [图1.1.1](#fig_a)。" in section
    reasons = {r["source"]: r.get("reason", "") for r in outcome.report()["files"]}
    assert "not in config.ini's notebooks" in reasons[f"{book}/src/static/deep/page.md"]
    assert "front page" in reasons[f"{book}/src/home.md"]


def test_a_label_given_twice_and_a_page_no_toc_names(tmp_path: Path) -> None:
    book = tmp_path / "book"
    files = {
        "config.ini": "[project]\nname = notes\n",  # no title: the front page's names the series
        "index.md": "# 笔记本\n\n```toc\nch/index\n```\n",
        "ch/index.md": "# 第一章\n\n```toc\na\n```\n",
        "ch/a.md": "# 甲\n\n## 小节\n:label:`sec_x`\n",
        "ch/draft.md": "# 草稿\n\n## 另一节\n:label:`sec_x`\n\n"
        "1. 列表项：\n\n    $$x$$\n    :eqlabel:`eq_y`\n",
    }
    for name, text in files.items():
        (book / name).parent.mkdir(parents=True, exist_ok=True)
        (book / name).write_text(text, encoding="utf-8")
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    articles = {
        p.name: parse_article(p.name, p.read_text(encoding="utf-8")) for p in content.glob("*.md")
    }
    assert articles["jia.md"].series == "笔记本"
    draft = articles["caogao.md"]
    assert (draft.category, draft.series) == ("第一章", None)  # its folder's chapter
    notes = next(r for r in outcome.report()["files"] if r["source"].endswith("draft.md"))
    assert ":label:`sec_x` is also given in ch/a.md; references lead there" in notes["notes"]
    # A formula inside a list item keeps its id inside the item.
    assert "    $$x \\tag{1}$$\n    {: #eq_y }" in (content / "caogao.md").read_text("utf-8")


def test_a_caption_like_line_in_code_stays_code() -> None:
    text = "```text\n:not a caption\n\n| a | b |\n```\n"
    assert mark_labels("a.md", text, "1.2").text == text


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_label_given_twice_names_the_page_read_first(tmp_path: Path, newline: str) -> None:
    book = tmp_path / "book"
    files = {
        "config.ini": "[project]\ntitle = 书\n",
        "index.md": "# 书\n\n```toc\nzeta\nalpha\n```\n",
        "zeta.md": "# 先读\n\n$$x$$\n:eqlabel:`eq_x`\n",
        "alpha.md": "# 后读\n\n$$y$$\n:eqlabel:`eq_x`\n\n见 :eqref:`eq_x`。\n",
    }
    book.mkdir()
    for name, text in files.items():  # Windows line ends read the same
        (book / name).write_bytes(text.replace("\n", newline).encode("utf-8"))
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    assert "见 [(1)](xiandu.md#eq_x)。" in (content / "hou-du.md").read_text(encoding="utf-8")
    notes = next(r for r in outcome.report()["files"] if r["source"].endswith("alpha.md"))
    assert ":label:`eq_x` is also given in zeta.md; references lead there" in notes["notes"]


def test_a_label_at_the_end_of_its_formula_line() -> None:
    text = prepared("任何函数\n\n$$f(x) = w^\\top x,$$ :eqlabel:`eq_f`\n\n见 :eqref:`eq_f`。\n")
    marked = mark_labels("gp.md", text, "18.1")
    assert "$$f(x) = w^\\top x, \\tag{18.1.1}$$\n{: #eq_f }" in marked.text
    assert [x.text for x in marked.labels] == ["(18.1.1)"]


def test_a_reference_written_with_double_backticks_still_links() -> None:
    labels = {"sec_data": Label("sec_data", "ch/data.md", "", "合成数据", "section")}
    out, problems = refs("ch/a.md", "见 :numref:``sec_data`` 一节。", labels, {}, {}, None)
    assert (out, problems) == ("见 [合成数据](data.md) 一节。", [])
