"""What notes written with $…$ math render to (mkdocs build --strict), and that a page
typesets exactly the formulas its plain text (excerpt, feed, search) shows as [公式]."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import markdown
import pytest
from feed_sites import article, built
from hypothesis import given, settings
from hypothesis import strategies as st
from pymdownx.slugs import slugify
from render_sites import project_extensions, write_render_site

from zhiku.text.mathmark import formulas, normalize
from zhiku.text.plain import FORMULA, parse

BODY = r"""一篇 Hexo 风格的笔记，公式写在美元符号之间。

设 $f(x) = x^2$，则 $f'(x)=2x$；行内 \(a+b\) 也照旧。

价格从 $5 涨到 $10，转义的 \$3 也是钱。

代码里的 `$HOME` 与 `$x$` 不是公式：

```bash
echo "$PATH costs $5"
```

[NOI2014] 之外，原文也写 \[NOI2014\] 动物园 这样转义的方括号。

$$
\sum_{i=1}^{n} i = \frac{n(n+1)}{2}
$$

\[
E = mc^2
\]
"""


def test_dollar_math_typesets_and_prices_code_and_brackets_do_not(tmp_path: Path) -> None:
    note = article("笔记", "2024-03-01", "数学", [], BODY)
    config = write_render_site(tmp_path, {"note.md": note})
    built(config, tmp_path / "site")
    html = (tmp_path / "site" / "note" / "index.html").read_text(encoding="utf-8")
    inline = re.findall(r'<script type="math/tex">(.*?)</script>', html, re.DOTALL)
    display = re.findall(r'<script type="math/tex; mode=display">(.*?)</script>', html, re.DOTALL)
    assert inline == ["f(x) = x^2", "f'(x)=2x", "a+b"]
    assert len(display) == 2 and "\\sum" in display[0] and "E = mc^2" in display[1]
    assert "价格从 $5 涨到 $10，转义的 $3 也是钱。" in html
    assert "<code>$HOME</code>" in html and "<code>$x$</code>" in html
    assert "$PATH costs $5" in re.sub(r"<[^>]+>", "", html)  # highlighted, not typeset
    assert "&#91;NOI2014&#93; 动物园" in html


def _page_markdown() -> markdown.Markdown:
    """Python-Markdown with the extensions a page gets: MkDocs' own (toc, tables,
    fenced_code), then those of the project's mkdocs.yml."""
    names: list[str] = ["toc", "tables", "fenced_code"]
    configs: dict[str, Any] = {}
    for entry in project_extensions():
        if isinstance(entry, str):
            names.append(entry)
            continue
        ((name, config),) = entry.items()
        names.append(name)  # a name twice is one extension, the last config winning
        if name == "toc":
            config = {**config, "slugify": slugify(case="lower")}
        configs[name] = config or {}
    return markdown.Markdown(extensions=names, extension_configs=configs)


_SCRIPT = re.compile(r'<script type="math/tex(; mode=display)?">(.*?)</script>', re.DOTALL)


def _squash(tex: str) -> str:
    # The page's TeX has its blank lines written as % and a # line indented, a "|" in a
    # table cell as \vert; inline code inside a formula is the page's <code> (Markdown
    # reads code first).
    tex = re.sub(r"</?code>|`", "", tex).replace("\\vert ", "|")
    return " ".join(tex.replace("%", " ").split())


def typeset(md: markdown.Markdown, source: str) -> list[tuple[bool, str]]:
    """(displayed?, TeX) of each formula the page typesets, in order."""
    md.reset()
    page = md.convert(source)
    return [(bool(m.group(1)), _squash(html.unescape(m.group(2)))) for m in _SCRIPT.finditer(page)]


# Notes in the shape of a Hexo or Obsidian note on maths: Chinese prose, prices,
# escaped dollars, inline code, formulas of every delimiter, bracketed names.
_PROSE = st.sampled_from(["注意力机制", "的", "，", "。", "模型", "LoRA", "x", "5"])
_PIECE = st.sampled_from(
    [
        "$5",
        "$10 ",
        "$5 and $10",
        "\\$3",
        "`$x$`",
        "`a $ b`",
        "``$`y`$``",
        "`\\(`",
        "$x^2$",
        "$\\alpha_i$",
        "$z_t $",
        "$-$1",
        "\\(\\beta\\)",
        "$$\\sum_i x_i$$",
        "\\[ c^2 \\]",
        "\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}",
        "\\[NOI2014\\]",
        "[NOI2014]",
        "[[笔记]]",
        "\\\\",
        "$$",
        "\\]",
    ]
)
_SEPARATOR = st.sampled_from(["", " ", "，"])
_LINE = st.lists(st.tuples(_SEPARATOR, st.one_of(_PROSE, _PIECE)), min_size=1, max_size=8).map(
    lambda parts: "".join(separator + part for separator, part in parts)
)
_BLOCK = st.one_of(
    _LINE,
    st.lists(_LINE, min_size=2, max_size=3).map("\n".join),
    st.sampled_from(
        [
            "```python\nprice = '$x$' + \"\\\\(y\\\\)\"\n```",
            "> ```\n> $a$\n> ```",
            "$$\n\\sum_{i=1}^{n} i\n$$",
            "$$\n\\def\\a{1}\n\n\\def\\b{2}\n$$",
            "\\[\nE = mc^2\n\\]",
            "$$\nx\n# y\n$$",
            "## 小节 $\\lambda$",
            "| 量 | 公式 |\n| --- | :-: |\n| 范数 | $|x|$ 与 $\\|v\\|$ |\n| 条件 | $P(A|B)$ |",
        ]
    ),
)
_NOTE = st.lists(_BLOCK, min_size=1, max_size=5).map("\n\n".join)
_READS_AS_TEXT = re.compile(r"[A-Za-z0-9 ()+\-=,.'|]{1,20}")  # "$m$" reads as m


@settings(max_examples=150, deadline=None)
@given(_NOTE)
def test_the_page_typesets_exactly_the_formulas_plain_text_marks(note: str) -> None:
    md = _page_markdown()
    found = formulas(note)
    assert typeset(md, note) == [(span.display, _squash(span.inner)) for span in found]
    body = parse(note)
    marks = sum(block.text.count(FORMULA) for block in body.blocks)
    as_text = [s for s in found if not s.display and _READS_AS_TEXT.fullmatch(s.inner.strip())]
    assert marks == body.inline_formulas + body.display_formulas == len(found) - len(as_text)
    assert normalize(note).count("\n") == note.count("\n")


@pytest.mark.parametrize(
    ("note", "shown", "formulas_typeset"),
    [
        # OI-wiki's macro lists: a display block on lines of its own, blank lines inside.
        ("$$\n\\def\\a{1}\n\n\\def\\b{2}\n$$\n\n正文", "正文", [(True, "\\def\\a{1} \\def\\b{2}")]),
        # A fence in a blockquote is code: its dollars are shown as written.
        ("> ```\n> cost = $a$\n> ```", "cost = $a$", []),
        # Inline code comes first, as Markdown reads it.
        ("价格 $a `b$ c` 元", "价格 $a b$ c 元", []),
        # An escaped backslash, then a formula.
        ("路径 \\\\$x$ 处", "路径 \\ 处", [(False, "x")]),
        # In a table cell, a formula's "|" does not split the row.
        ("| 量 | 值 |\n| --- | --- |\n| 绝对值 | $|x|$ |", "绝对值", [(False, "|x|")]),
        # A dollar formula never pairs a "$$" before it with one after it.
        ("US$$ 与 $x$ 与 $$ 元", "US$$ 与 $x$ 与 $$ 元", []),
    ],
)
def test_what_a_page_shows_is_what_plain_text_reads(
    note: str, shown: str, formulas_typeset: list[tuple[bool, str]]
) -> None:
    md = _page_markdown()
    assert typeset(md, note) == formulas_typeset
    md.reset()
    text = html.unescape(re.sub(r"<script.*?</script>|<[^>]+>", "", md.convert(note), flags=re.S))
    assert shown in " ".join(text.split())
    assert len(formulas(note)) == len(formulas_typeset)


def test_a_headings_formula_is_a_formula_in_the_table_of_contents(tmp_path: Path) -> None:
    """The sidebar and the phone's 目录 name a heading by its text and its formulas as
    the page's math scripts (typeset by math.js with the rest), never as raw TeX."""
    body = "开头。\n\n## $\\Theta(n)$ 建树\n\n正文 $x$。\n\n## 允许 $k$ 次 `<失配>`\n\n正文。\n"
    config = write_render_site(
        tmp_path, {"note.md": article("笔记", "2024-03-01", "数学", [], body)}
    )
    built(config, tmp_path / "site")
    page = (tmp_path / "site" / "note" / "index.html").read_text(encoding="utf-8")
    nav = page[page.index('class="md-nav md-nav--secondary"') :]
    nav = nav[: nav.index("</nav>")]
    assert '<script type="math/tex">\\Theta(n)</script> 建树' in nav
    assert '允许 <script type="math/tex">k</script> 次 &lt;失配&gt;' in nav
    assert "\\Theta(n) 建树" not in re.sub(r"<script.*?</script>", "", nav)
