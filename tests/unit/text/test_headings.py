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
