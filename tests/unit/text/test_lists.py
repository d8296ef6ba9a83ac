"""Lists nest as their editor (any CommonMark renderer) draws them, and a list right
under a paragraph line is a list."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from zhiku.text.lists import interrupting_list, reindent_lists

_EXTENSIONS = ["zhiku.glue.lists", "pymdownx.superfences"]


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=_EXTENSIONS)


def _shape(html: str) -> list[object]:
    """The lists of ``html`` as nested Python lists of their items' words (paragraph
    wrappers and whitespace ignored), and every other block as its words."""

    def words(element: ET.Element) -> str:
        own = [element.text or ""]
        for child in element:
            if child.tag not in ("ul", "ol"):
                own.append("".join(child.itertext()))
            own.append(child.tail or "")
        return " ".join("".join(own).split())

    def shape(element: ET.Element) -> list[object]:
        out: list[object] = []
        for child in element:
            if child.tag in ("ul", "ol"):
                start = child.get("start", "1")
                out.append(
                    (child.tag, start, [(words(li), shape_of_li(li)) for li in child.findall("li")])
                )
            else:
                out.append(" ".join("".join(child.itertext()).split()))
        return out

    def shape_of_li(li: ET.Element) -> list[object]:
        return [part for part in shape(li) if isinstance(part, tuple)]

    return shape(ET.fromstring(f"<div>{html}</div>"))


def _commonmark(text: str) -> str:
    return MarkdownIt("commonmark").render(text)


def test_two_space_nesting_nests() -> None:
    html = _html("- 一级\n  - 二级\n  - 二级b\n- 一级b")
    assert _shape(html) == [
        ("ul", "1", [("一级", [("ul", "1", [("二级", []), ("二级b", [])])]), ("一级b", [])])
    ]


def test_three_space_nesting_under_a_number_and_code_inside_an_item() -> None:
    html = _html("1. 安装\n\n   ```bash\n   pip install torch\n   ```\n\n2. 运行\n   1. 打开终端")
    assert '<li>\n<p>安装</p>\n<div class="highlight"><pre>' in html
    assert _shape(html)[0] == (
        "ol",
        "1",
        [("安装 pip install torch", []), ("运行", [("ol", "1", [("打开终端", [])])])],
    )


def test_a_list_right_under_a_paragraph_is_a_list() -> None:
    html = _html("步骤如下：\n1. 第一步\n2. 第二步\n\n注意：\n- 甲\n- 乙")
    assert _shape(html) == [
        "步骤如下：",
        ("ol", "1", [("第一步", []), ("第二步", [])]),
        "注意：",
        ("ul", "1", [("甲", []), ("乙", [])]),
    ]


def test_a_number_other_than_one_does_not_start_a_list_under_a_paragraph() -> None:
    assert _shape(_html("发布于\n2024. 年底")) == ["发布于 2024. 年底"]
    assert interrupting_list(["发布于", "2024. 年底"]) is None
    assert interrupting_list(["正文", "-"]) is None, "an empty item does not interrupt"


def test_a_numbered_list_after_a_bulleted_one_is_its_own_list_and_keeps_its_start() -> None:
    assert _shape(_html("- 甲\n- 乙\n\n3. 丙\n4. 丁")) == [
        ("ul", "1", [("甲", []), ("乙", [])]),
        ("ol", "3", [("丙", []), ("丁", [])]),
    ]


def test_text_without_lists_and_four_space_lists_are_left_as_they_are() -> None:
    plain = "# 标题\n\n一段话。\n\n    缩进代码 - 不是列表\n\n```\n- 代码里\n  - 也不是\n```\n"
    assert reindent_lists(plain) is plain
    python_markdown = "- 一级\n    - 二级\n\n        继续二级\n- 一级b\n"
    assert reindent_lists(python_markdown) == python_markdown


_word = st.sampled_from(["甲", "乙", "丙", "丁", "模型", "梯度"])


@st.composite
def _lists(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """Lines of a list as a CommonMark editor writes it: each child indented by its
    parent's marker width (or a little more), sometimes a paragraph under an item."""
    bullet = draw(st.booleans())
    lines: list[str] = []
    for index in range(draw(st.integers(1, 3))):
        marker = draw(st.sampled_from(["-", "*", "+"])) if bullet else f"{index + 1}."
        if bullet and lines:
            marker = lines[0].lstrip()[0]  # one list keeps its bullet character
        width = len(marker) + 1
        lines.append(f"{marker} {draw(_word)}{index}")
        extra = draw(st.integers(0, 2))
        pad = " " * (width + extra)
        if draw(st.integers(0, 4)) == 0:  # a wrapped line of the item's paragraph
            lines.append(pad + f"续{draw(_word)}")
        if depth < 2 and draw(st.booleans()):
            child = draw(_lists(depth + 1))
            lines.extend(pad + line if line else "" for line in child)
        part = draw(st.integers(0, 5))
        if part == 0:
            lines.extend(["", pad + f"段落{draw(_word)}"])
        elif part == 1:
            lines.extend(["", pad + "```python", pad + "x = 1", pad + "    y = 2", pad + "```"])
    return lines


@given(_lists(), st.booleans())
def test_lists_render_as_commonmark_renders_them(lines: list[str], introduced: bool) -> None:
    text = "\n".join((["说明如下："] if introduced else []) + lines) + "\n"
    assert len(reindent_lists(text).split("\n")) == len(text.split("\n")), "lines stay put"
    assert _shape(_html(text)) == _shape(_commonmark(text)), text
    once = reindent_lists(text)
    assert reindent_lists(once) == once


def test_lists_nest_inside_quotes_callouts_admonitions_and_tabs() -> None:
    extensions = [*_EXTENSIONS, "zhiku.glue.callouts", "admonition", "pymdownx.details"]
    for text in (
        "> - 一级\n>   - 二级",
        "> [!NOTE] 笔记\n> - 一级\n>   - 二级",
        '!!! tip "提示"\n    - 一级\n      - 二级',
    ):
        html = markdown.markdown(text, extensions=extensions)
        assert "<li>一级<ul>\n<li>二级</li>" in html, text


@given(_lists())
def test_lists_in_a_blockquote_render_as_commonmark_renders_them(lines: list[str]) -> None:
    text = "\n".join("> " + line if line else ">" for line in lines) + "\n"
    assert _shape(_html(text)) == _shape(_commonmark(text)), text
