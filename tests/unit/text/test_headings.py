"""The article's title is its page's one h1, whatever the body's headings."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.headings import fit_headings, same_title


def test_a_first_heading_repeating_the_title_goes() -> None:
    body = "# CLIP 算法原理\n\n正文。\n\n## 方法\n"
    assert fit_headings(body, "CLIP算法原理") == "\n\n正文。\n\n## 方法\n"


def test_level_one_sections_move_down_one_level() -> None:
    body = "正文\n\n# 方法\n\n## 细节\n\n###### 最深\n"
    assert fit_headings(body, "标题") == "正文\n\n## 方法\n\n### 细节\n\n###### 最深\n"


def test_both_at_once_and_lines_keep_their_numbers() -> None:
    body = "# 标题\n引言\n# 参考文献\n- a\n"
    fitted = fit_headings(body, "标题")
    assert fitted == "\n引言\n## 参考文献\n- a\n"
    assert fitted.count("\n") == body.count("\n")


def test_without_level_one_headings_nothing_moves() -> None:
    body = "## 一\n\n### 二\n"
    assert fit_headings(body, "标题") == body


def test_code_and_formulas_are_not_headings() -> None:
    body = "```bash\n# 注释\n```\n\n$$\n# x\n$$\n\n## 节\n"
    assert fit_headings(body, "注释") == body


def test_underlined_headings() -> None:
    body = "标题\n===\n\n一节\n===\n"
    assert fit_headings(body, "标题") == "\n\n\n## 一节\n\n"


def test_same_title_ignores_width_case_space_and_punctuation() -> None:
    assert same_title("ＣＬＩＰ：原理", "clip:原理")
    assert same_title("**Hello**, World!", "hello world")
    assert not same_title("CLIP 原理详解", "CLIP 原理")


@given(
    st.lists(
        st.sampled_from(["# 标题", "# 节", "## 小节", "正文", "", "```", "$$", "===", "---"]),
        max_size=30,
    ).map("\n".join)
)
def test_fitting_keeps_the_lines_and_leaves_no_level_one_heading(body: str) -> None:
    fitted = fit_headings(body, "标题")
    assert fitted.count("\n") == body.count("\n")
    # No level-1 heading is left outside code (the title is the only h1): fitting again
    # finds nothing to drop or move.
    assert fit_headings(fitted, "标题") == fitted


def test_a_line_underlined_under_a_paragraph_is_a_rule_not_a_heading() -> None:
    # Python-Markdown underlines only the first line of a block: `---` under a
    # paragraph's second line, or after a blank line, is a horizontal rule.
    body = "引言\n===\n\n第一行\n第二行\n---\n\n段落\n\n---\n"
    assert fit_headings(body, "引言") == "\n\n\n第一行\n第二行\n---\n\n段落\n\n---\n"


def test_an_underlined_title_goes_and_underlined_sections_move_down() -> None:
    body = "我的笔记\n========\n正文\n\n方法\n----\n\n细节\n====\n"
    fitted = fit_headings(body, "我的笔记")
    assert fitted == "\n\n正文\n\n### 方法\n\n\n## 细节\n\n"
    assert fitted.count("\n") == body.count("\n")


def test_hashes_without_a_space_and_in_list_items_are_headings_too() -> None:
    # Python-Markdown renders `#1. 数据集` and `- # 节` as h1; they must not stand
    # beside the title.
    body = "正文\n\n#1. 数据集\n\n- 列表\n    - #2. 混合\n> # 引用\n"
    fitted = fit_headings(body, "标题")
    assert fitted == "正文\n\n##1. 数据集\n\n- 列表\n    - ##2. 混合\n> ## 引用\n"


def test_an_underline_inside_code_or_math_is_not_a_heading() -> None:
    body = "```\n标题\n===\n```\n\n$$\na\n===\n$$\n"
    assert fit_headings(body, "标题") == body
