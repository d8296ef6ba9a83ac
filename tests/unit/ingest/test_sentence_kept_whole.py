"""No sentence is split between a card's title and its body (README promise 7).

A writer who puts a space around Latin words and numbers in Chinese
("装饰器是 Python 中一种…") does not end a heading at every such space: the
sentence runs on, so the title comes from it and the body keeps it whole. A writer who
glues Latin words to Han text ("摘掉Softmax 制约Attention…") spaces only where a
heading ends, and that heading stays one.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.ingest.rules import Rules
from zhiku.ingest.titles import derive_title, first_sentence


@pytest.mark.parametrize(
    ("excerpt", "title"),
    [
        (
            "装饰器是 Python 中一种用来修改函数行为的语法,它本质上是一个接收函数并返回新函数的"
            "高阶函数。在不修改原函数代码的前提下,装饰器可以为函数添加日志、计时等功能...",
            "装饰器",
        ),
        (
            "生成对抗网络 (Generative Adversarial Network, GAN) 是由 Goodfellow 于 2014 年"
            "提出的一种对抗网络。这个网络框架包含两个部分,一个生成模型和一个判别模型。",
            "生成对抗网络 (Generative Adversarial Network, GAN)",
        ),
        (
            "权重衰减在损失函数上加入参数的 L2 范数惩罚,使权重趋向更小的值,从而减少过拟合,"
            "与 Dropout 常常一起使用...",
            "权重衰减在损失函数上加入参数的 L2 范数惩罚",
        ),
        (
            "Python 装饰器指的是 Python 里把一个函数包进另一个函数的写法,调用时先经过外层。",
            "Python 装饰器",
        ),
        (
            "协程在 Python 3.5 之后 有了 async 和 await 两个关键字,写异步代码从此像写同步代码"
            "一样自然。事件循环负责调度它们...",
            None,
        ),
    ],
)
def test_a_sentence_with_spaced_latin_words_is_kept_whole(
    excerpt: str, title: str | None, rules: Rules
) -> None:
    derived = derive_title(excerpt, rules)
    assert derived.heading_end == 0, derived  # the body keeps the whole sentence
    assert derived.text in first_sentence(excerpt)
    if title is not None:
        assert derived.text == title


@pytest.mark.parametrize(
    ("excerpt", "title", "body"),
    [
        ("摘掉Softmax 制约Attention性能的关键因素,其实是定义里边的Softmax!", "摘掉Softmax", "制约"),
        (
            "梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,即使将batch_size设置为1"
            "也仍然会OOM。",
            "梯度检查点(Gradient Checkpointing)",
            "大模型",
        ),
        (
            "CLIP算法原理 CLIP 不预先定义图像和文本标签类别,直接利用图文对训练。",
            "CLIP算法原理",
            "CLIP 不",
        ),
    ],
)
def test_a_real_heading_is_still_a_separate_line(
    excerpt: str, title: str, body: str, rules: Rules
) -> None:
    derived = derive_title(excerpt, rules)
    assert derived.text == title
    assert excerpt[derived.heading_end :].lstrip().startswith(body)


_HAN_WORDS = [
    *("模型", "训练", "数据", "一种", "用来", "方法", "函数", "参数", "中的", "可以"),
    *("通过", "显存", "梯度", "推理", "注意力", "向量", "矩阵", "样本", "损失", "结构"),
]
_LATIN_WORDS = ["Python", "GPU", "Transformer", "batch", "LoRA", "2024", "7B", "token", "Adam"]
_LATIN_WORDS += ["CUDA"]


@st.composite
def spaced_prose(draw: st.DrawFn) -> str:
    """Prose of a writer who spaces Latin words and numbers, each word used once (a
    repeated subject is how a heading shows itself): no heading anywhere."""
    han = iter(draw(st.permutations(_HAN_WORDS)))
    latin = iter(draw(st.permutations(_LATIN_WORDS)))
    clauses = []
    for _ in range(2):
        clause = ""
        for is_latin in draw(st.lists(st.booleans(), min_size=2, max_size=5)):
            # A Latin word has a space on each side; Han words join.
            part = next(latin) if is_latin else next(han)
            if clause and (is_latin or clause[-1].isascii()):
                clause += " "
            clause += part
        clauses.append(clause)
    text = ",".join(clauses) + "。"
    return draw(st.sampled_from(["", "简介 "])) + text + draw(st.sampled_from(["", "..."]))


@settings(max_examples=200, deadline=None)
@given(text=spaced_prose())
def test_no_sentence_of_spaced_prose_is_cut_between_title_and_body(text: str, rules: Rules) -> None:
    derived = derive_title(text, rules)
    body = text[derived.heading_end :]
    # The body holds the card's whole text from its first sentence on, in order.
    opening = text.removeprefix("简介 ")
    assert opening.rstrip(".") in body


_HEADINGS = [
    "梯度检查点(Gradient Checkpointing)",
    "CLIP算法原理",
    "摘掉Softmax",
    "精巧的flow",
    "生成器",
    "Normalizing Flow",
]


@settings(max_examples=200, deadline=None)
@given(heading=st.sampled_from(["", *_HEADINGS]), prose=spaced_prose())
def test_a_title_is_the_heading_or_leaves_the_text_whole(
    heading: str, prose: str, rules: Rules
) -> None:
    text = f"{heading} {prose.removeprefix('简介 ')}" if heading else prose
    derived = derive_title(text, rules)
    # Either the heading the card opened with is the title (a line of its own), or the
    # body keeps the whole text: never a cut anywhere else.
    assert derived.heading_end in (0, len(heading)), (derived, text)
