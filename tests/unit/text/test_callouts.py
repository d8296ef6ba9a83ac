"""Obsidian/GitHub callouts and VuePress/VitePress/Docusaurus containers become
admonitions, line for line."""

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


LINES = [
    "> [!NOTE]",
    "> [!tip]- 题",
    "> 文",
    ">",
    "",
    "```",
    "文",
    "  > [!X]",
    "> > [!Y]",
    "::: tip",
    "::: details 题 {open}",
    ":::",
    "::::",
    "::: code-group",
    "```js [a.js]",
    "  ::: warning",
    "  :::",
]


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


def test_vuepress_container_is_a_box_titled_in_chinese_or_by_its_writer() -> None:
    assert convert_callouts("::: tip\n先读论文。\n:::\n后文").split("\n") == [
        '!!! tip "提示"',
        "    先读论文。",
        "",
        "后文",
    ]
    assert convert_callouts("::: warning 学习建议\n正文\n:::").splitlines()[0] == (
        '!!! warning "学习建议"'
    )
    assert convert_callouts(":::danger\n正文\n:::").splitlines()[0] == '!!! danger "危险"'


def test_docusaurus_bracketed_title_and_outer_box_with_more_colons() -> None:
    text = "::::info[外层]\n:::tip 内层\n内文\n:::\n外文\n::::\n"
    assert convert_callouts(text).split("\n") == [
        '!!! info "外层"',
        '    !!! tip "内层"',
        "        内文",
        "",
        "    外文",
        "",
        "",
    ]


def test_details_is_folded_and_open_when_asked() -> None:
    assert convert_callouts("::: details\n答案\n:::").splitlines()[0] == '??? note "详细信息"'
    assert convert_callouts("::: details 看答案 {open}\n答案\n:::").splitlines()[0] == (
        '???+ note "看答案"'
    )


def test_same_colons_nest_and_a_closer_in_code_is_code() -> None:
    text = "::: tip 外\n```md\n:::\n```\n::: warning 内\n内文\n:::\n外文\n:::\n"
    assert convert_callouts(text).split("\n") == [
        '!!! tip "外"',
        "    ```md",
        "    :::",
        "    ```",
        '    !!! warning "内"',
        "        内文",
        "",
        "    外文",
        "",
        "",
    ]


def test_container_in_a_list_item_keeps_its_indent() -> None:
    text = "- 第一步\n\n    ::: tip\n    小心\n    :::\n"
    assert convert_callouts(text).split("\n") == [
        "- 第一步",
        "",
        '    !!! tip "提示"',
        "        小心",
        "",
        "",
    ]


def test_code_group_labels_become_titles_and_other_kinds_keep_their_content() -> None:
    text = "::: code-group\n```js [config.js]\na = 1\n```\n:::\n::: center\n居中\n:::\n"
    assert convert_callouts(text).split("\n") == [
        "",
        '```js title="config.js"',
        "a = 1",
        "```",
        "",
        "",
        "居中",
        "",
        "",
    ]


def test_an_unclosed_container_or_colons_in_prose_stay_text() -> None:
    text = "::: tip 没有结束\n正文\n\n比例 3:::4 不是容器\n"
    assert convert_callouts(text) is text


def test_a_note_opening_with_a_container_is_excerpted_without_its_fences() -> None:
    from zhiku.text.excerpt import plain_text

    text = "::: tip 学习建议\n先读原论文，再看代码。\n:::\n\n正文开始。"
    assert plain_text(text) == "先读原论文，再看代码。 正文开始。"


def test_yuque_tips_container_is_a_tip() -> None:
    assert convert_callouts(":::tips\n先读论文。\n:::\n").splitlines()[0] == '!!! tip "提示"'
