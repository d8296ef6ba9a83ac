import pytest

from zhiku.ingest.rules import Rules
from zhiku.ingest.titles import derive_title, safe_label, tokens


@pytest.mark.parametrize(
    ("excerpt", "title", "rule"),
    [
        (
            "梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,即使…",
            "梯度检查点(Gradient Checkpointing)",
            "heading",
        ),
        ("简介 CLIP算法原理 CLIP 不预先定义图像和文本标签类别,直接…", "CLIP算法原理", "heading"),
        (
            "背景:大模型 vs. GPU Memory 大模型最大的特点是模型参数多,训练时…",
            "大模型 vs. GPU Memory",
            "heading",
        ),
        ("概述 KimiVL 是一个高效的开源混合专家视觉语言模型(VLM),它…", "KimiVL", "definition"),
        (
            "论文名称:LLaMA: Open and Efficient Foundation Language Models "
            "论文地址: https://a.org/x 背景",
            "LLaMA: Open and Efficient Foundation Language Models",
            "title-label",
        ),
        (
            "背景 本文主要是《NICE: Nonlinear Independent Components Estimation》一文的介绍。",
            "NICE: Nonlinear Independent Components Estimation",
            "book-title",
        ),
        (
            "RLHF 通常包括三个阶段: 有监督微调(SFT) 直接偏好优化(DPO) "
            "DPO发现了捷径, DPO将两步合一。",
            "直接偏好优化(DPO)",
            "dominant-term",
        ),
        ("概述 引言", "引言", "first-clause"),
        (
            "Pycharm 的图形化界面虽然好用,但是在某些场景中,是无法使用的。",
            "Pycharm 的图形化界面虽然好用",
            "first-clause",
        ),
    ],
)
def test_titles_read_like_titles(excerpt: str, title: str, rule: str, rules: Rules) -> None:
    derived = derive_title(excerpt, rules)
    assert (derived.text, derived.rule) == (title, rule)


def test_a_heading_that_opens_the_text_is_cut_from_the_body(rules: Rules) -> None:
    text = "CLIP算法原理 CLIP 不预先定义图像和文本标签类别,直接利用…"
    derived = derive_title(text, rules)
    assert text[derived.heading_end :].strip().startswith("CLIP 不预先定义")


def test_tokens_keep_bracketed_spaces_together() -> None:
    text = "SPP (spatial pyramid pooling layer) SPP applies"
    assert [text[a:b] for a, b in tokens(text)] == [
        "SPP",
        "(spatial pyramid pooling layer)",
        "SPP",
        "applies",
    ]


def test_labels_never_carry_markup() -> None:
    assert (
        safe_label('<script>alert("x")</script> & `y`')
        == "＜script＞alert(＂x＂)＜/script＞ ＆ ｀y｀"
    )
