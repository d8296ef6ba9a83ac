"""Obsidian/GitHub callouts become admonitions, line for line."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.callouts import convert_callouts


def test_github_note_becomes_a_titled_admonition_with_indented_body() -> None:
    text = "> [!NOTE]\n> 模型权重在 **Hugging Face** 上。\n>\n> - 第一条\n"
    assert convert_callouts(text) == (
        '!!! note "备注"\n    模型权重在 **Hugging Face** 上。\n\n    - 第一条\n'
    )


def test_own_title_and_folding_marks() -> None:
    assert convert_callouts("> [!TIP] 小技巧\n> 正文").splitlines()[0] == '!!! tip "小技巧"'
    assert convert_callouts("> [!warning]- 先别看\n> 答案").splitlines()[0] == (
        '??? warning "先别看"'
    )
    assert convert_callouts("> [!Info]+\n> 展开").splitlines()[0] == '???+ info "信息"'


def test_obsidian_metadata_after_a_bar_is_ignored() -> None:
    assert convert_callouts("> [!tip|wide] 宽\n> 正文").splitlines()[0] == '!!! tip "宽"'


def test_unknown_type_is_a_note_titled_with_its_name() -> None:
    assert convert_callouts("> [!Recipe]\n> 做法").splitlines()[0] == '!!! note "Recipe"'
    assert convert_callouts("> [!recipe] 菜谱\n> 做法").splitlines()[0] == '!!! note "菜谱"'


def test_plain_quote_and_code_are_left_alone() -> None:
    text = "> 只是引用\n> [!NOTE] 不在第一行\n\n```md\n> [!NOTE]\n> 示例\n```\n"
    assert convert_callouts(text) is text


def test_nested_callout_nests_and_fences_inside_keep_their_text() -> None:
    text = "> [!NOTE] 外\n> ```py\n> x = '> [!TIP]'\n> ```\n> > [!TIP] 内\n> > 内文\n"
    assert convert_callouts(text).split("\n") == [
        '!!! note "外"',
        "    ```py",
        "    x = '> [!TIP]'",
        "    ```",
        '    !!! tip "内"',
        "        内文",
        "",
    ]


def test_quote_ends_at_a_blank_line_or_a_heading() -> None:
    text = "> [!NOTE]\n> 甲\n懒惰续行\n# 标题\n\n> 另一段引用\n"
    assert convert_callouts(text).split("\n") == [
        '!!! note "备注"',
        "    甲",
        "    懒惰续行",
        "# 标题",
        "",
        "> 另一段引用",
        "",
    ]


LINES = ["> [!NOTE]", "> [!tip]- 题", "> 文", ">", "", "```", "文", "  > [!X]", "> > [!Y]"]


@given(st.lists(st.sampled_from(LINES)))
def test_lines_are_kept(lines: list[str]) -> None:
    text = "\n".join(lines)
    out = convert_callouts(text)
    assert out.count("\n") == text.count("\n")
    # Once converted, nothing is left to convert.
    assert convert_callouts(out) == out


def test_a_note_opening_with_a_callout_is_excerpted_without_its_marker() -> None:
    from zhiku.text.excerpt import plain_text

    text = "> [!abstract] 摘要\n> 本文介绍扩散模型的训练方法。\n\n正文开始。"
    assert plain_text(text) == "本文介绍扩散模型的训练方法。 正文开始。"
