"""A line break inside a hand-wrapped Chinese paragraph is no space on the page."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import markdown
from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.linebreaks import is_wide, join_wide_lines, join_wide_text

_EXTENSIONS = ["zhiku.glue.linebreaks", "mdx_math", "zhiku.glue.math", "attr_list"]


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=_EXTENSIONS)


def test_hand_wrapped_chinese_paragraph_reads_as_one_line() -> None:
    html = _html("大多数任务都与预测有关。\n当我们想预测一个数值时，\n就会涉及到回归问题。")
    assert html == "<p>大多数任务都与预测有关。当我们想预测一个数值时，就会涉及到回归问题。</p>"


def test_a_break_is_judged_across_emphasis_and_links() -> None:
    html = _html("任务都与*预测*\n有关。见[上一节](a.md)\n的例子，\n**训练集**很重要。")
    assert "<em>预测</em>有关。" in html
    assert "</a>的例子，<strong>训练集</strong>" in html


def test_a_break_next_to_latin_words_math_or_code_stays_a_space() -> None:
    html = _html("称为权重\nweight，English\n行尾。自变量 $x$\n和因变量，\n`code`\n之后")
    assert "权重\nweight" in html
    assert "English\n行尾" in html
    assert "</script>\n和因变量" in html
    assert "</code>\n之后" in html
    assert "，\n<code>" in html


def test_hard_breaks_code_blocks_and_hangul_keep_their_lines() -> None:
    html = _html(
        "一句话，  \n硬换行。\n\n    缩进代码\n    第二行\n\n```\n代码\n换行\n```\n\n한국어\n문장"
    )
    assert "一句话，<br />\n硬换行。" in html
    assert "缩进代码\n第二行" in html
    assert "代码\n换行" in html
    assert "한국어\n문장" in html


def test_list_items_and_headings_join_their_own_lines_but_not_across_blocks() -> None:
    html = _html("- 列表项\n  继续写\n- 第二项\n\n段落一。\n\n段落二。")
    assert "<li>列表项继续写</li>" in html
    assert "</p>\n<p>段落二。</p>" in html


def test_fullwidth_punctuation_and_kana_are_wide_quotes_are_not() -> None:
    assert is_wide("。") and is_wide("，") and is_wide("（") and is_wide("か")
    assert not is_wide("a") and not is_wide("“"), "“ is ambiguous width: its break stays"
    assert not is_wide("한")
    assert join_wide_text("中\n文") == "中文"
    assert join_wide_text("中  \n  文") == "中文", "the spaces around the break go too"
    assert join_wide_text("中\n\n文") == "中\n\n文", "a blank line is not a wrapped line"


_piece = st.sampled_from(["中文", "。", "，", "abc", " ", "\n", "$x$", "`c`", "*强调*", "(", "한"])


@given(st.lists(_piece, min_size=1, max_size=30).map("".join))
def test_only_breaks_between_wide_characters_go(text: str) -> None:
    plain = _without_extension(text)
    root = ET.fromstring(f"<div>{plain}</div>")
    join_wide_lines(root)
    after = ET.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")]
    assert after == _html(text), "the extension does what join_wide_lines does"
    # Block by block, the text a reader sees is the text with its wide breaks joined
    # (code spans and formulas here are Latin: the not-wide characters they hold).
    blocks = list(ET.fromstring(f"<div>{plain}</div>"))
    assert len(blocks) == len(root)
    for block, joined in zip(blocks, root, strict=True):
        if block.tag != "pre":
            assert _reading(joined) == join_wide_text(_reading(block))
        else:
            assert ET.tostring(joined) == ET.tostring(block), "code blocks keep their lines"
    join_wide_lines(root)
    assert ET.tostring(root, encoding="unicode")[len("<div>") : -len("</div>")] == after


def _reading(block: ET.Element) -> str:
    """The block's text, a hard break (<br>) read as a character no break joins to."""
    for br in block.iter("br"):
        br.text = "\x00"
    text = "".join(block.itertext())
    for br in block.iter("br"):
        br.text = None
    return text


def _without_extension(text: str) -> str:
    return markdown.markdown(text, extensions=_EXTENSIONS[1:])
