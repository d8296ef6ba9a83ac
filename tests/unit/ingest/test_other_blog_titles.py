"""Titles for a dump in other blogs' styles: the title rules are general, not tuned to the seeds.

The dump (``tests/fixtures/titles/other-blogs.txt``) mixes English posts, cards with no
heading, and site names glued to titles ("Example：…", "某某博客 | …", "… - 知乎专栏").
"""

from __future__ import annotations

from pathlib import Path

import pytest

from zhiku.ingest.cards import Dump, parse_text_dump
from zhiku.ingest.rules import Rules
from zhiku.ingest.tex import find_tex
from zhiku.ingest.titles import derive_title

DUMP = Path(__file__).resolve().parents[2] / "fixtures" / "titles" / "other-blogs.txt"

TITLES = [
    "混合专家模型 MoE",
    "旋转位置编码(RoPE)",
    "Transformer 中的位置编码",
    "Understanding LoRA",
    "Large language models are usually aligned",
    "在大规模预训练之后对模型进行指令微调",
    "PagedAttention",
    "装饰器",
    "BatchNorm 与 LayerNorm 的区别",
]


@pytest.fixture(scope="module")
def texts(rules: Rules) -> list[str]:
    dump = parse_text_dump(DUMP.name, DUMP.read_text(encoding="utf-8"), rules.chrome_lines)
    return [card.text for card in dump.cards]


def test_titles_of_a_dump_in_other_blogs_styles(texts: list[str], rules: Rules) -> None:
    assert [derive_title(text, rules).text for text in texts] == TITLES


def test_no_title_names_the_site_it_came_from(texts: list[str], rules: Rules) -> None:
    for text in texts:
        title = derive_title(text, rules).text
        for site in ("Example", "某某博客", "Blog", "知乎", "Vllm"):
            assert site not in title, title


def test_no_sentence_is_cut_in_two_between_title_and_body(texts: list[str], rules: Rules) -> None:
    for text in texts:
        derived = derive_title(text, rules)
        body = text[derived.heading_end :].lstrip()
        # The body starts a sentence: never with a word that goes on from the title.
        assert not body.startswith(("选择", "的先后")), (derived.text, body[:20])


@pytest.mark.parametrize(
    ("excerpt", "title"),
    [
        # A heading that runs on into its sentence is no heading.
        (
            "混合专家模型 MoE 通过门控网络为每个 token 选择少数几个专家,从而节省计算。",
            "混合专家模型 MoE",
        ),
        # An opening sentence too long for a title is cut where its subject ends.
        (
            "众所周知,尽管基于Attention机制的Transformer类模型有着良好的并行性能,但它很慢。",
            "基于Attention机制的Transformer类模型",
        ),
        # ... or at a clause boundary, never past 30 characters for Chinese.
        (
            "概述 python采用的是引用计数机制为主,标记清除和分代收集两种机制为辅的策略。 引用计数",
            "python采用的是引用计数机制为主",
        ),
        # Latin text is cut by words, never inside one.
        (
            "Gradient checkpointing trades compute for memory by recomputing activations "
            "during the backward pass instead of storing them all.",
            "Gradient checkpointing trades compute for memory",
        ),
    ],
)
def test_titles_from_an_opening_sentence_are_cut_at_a_natural_boundary(
    excerpt: str, title: str, rules: Rules
) -> None:
    derived = derive_title(excerpt, rules)
    assert derived.text == title
    assert derived.heading_end == 0  # the body keeps the whole sentence


def test_a_chinese_title_from_a_sentence_has_at_most_30_characters(rules: Rules) -> None:
    text = "在大规模预训练之后对模型进行指令微调已经成为提升大语言模型遵循人类指令能力的主要手段。"
    assert len(derive_title(text, rules).text) <= 30


@pytest.mark.parametrize(
    ("excerpt", "title"),
    [
        ("🔖 https://docs.dify.ai/x Docker 按照官方文档说明配置即可 https://x.org/y", "Dify"),
        ("🔖 https://www.example.com/a Example：旋转位置编码(RoPE) RoPE 通过旋转矩阵…", "Example"),
        ("某某博客 | 梯度检查点 梯度检查点用计算换显存。", "某某博客"),
        ("梯度检查点原理 - 张三的博客 梯度检查点用计算换显存。", "博客"),
    ],
)
def test_the_site_name_is_never_part_of_a_title(excerpt: str, title: str, rules: Rules) -> None:
    assert title not in derive_title(excerpt, rules).text


def test_a_term_and_its_colon_stay_when_the_text_is_about_the_term(rules: Rules) -> None:
    text = (
        "🔖 https://arxiv.org/pdf/2405.09818 Chameleon:生成理解统一模型的开山之作 "
        "🔖 https://x.org Chameleon 是一个模型。"
    )
    assert derive_title(text, rules).text == "Chameleon:生成理解统一模型的开山之作"


def test_a_title_from_prose_stops_before_a_formula(rules: Rules) -> None:
    for text in (
        "给定训练数据集 D = \\{(x_i, y_i)\\}_{i=1}^n 时,目标是训练一个策略模型。",
        "给定训练数据集 \\(D\\) 时,目标是训练一个策略模型。",
        "给定训练数据集 [公式] 时,目标是训练一个策略模型。",
    ):
        assert derive_title(text, rules).text == "给定训练数据集", text


@pytest.mark.parametrize(
    ("excerpt", "title", "body"),
    [
        # A site's name that says so is dropped from title and body.
        (
            "CSDN博客：第3号笔记 扩散模型的推导。 损失函数写作交叉熵。",
            "第3号笔记 扩散模型的推导",
            "第3号笔记",
        ),
        (
            "知乎专栏：概述 第4号笔记 位置编码在实践中的坑。",
            "第4号笔记 位置编码在实践中的坑",
            "概述 第4号笔记",
        ),
        (
            "某某博客 | 梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,即使…",
            "梯度检查点(Gradient Checkpointing)",
            "大模型的参数量巨大",
        ),
        # A Latin name the text never mentions again leaves the title; the body keeps it.
        (
            "Example：简介 第12号笔记 注意力机制原理与实现。 其核心…",
            "第12号笔记 注意力机制原理与实现",
            "Example",
        ),
        # A heading and the few words after it that end a sentence are one sentence.
        (
            "第5号笔记 混合专家模型的工程细节。 训练集记为…",
            "第5号笔记 混合专家模型的工程细节",
            "第5号笔记",
        ),
    ],
)
def test_site_prefixes_and_short_opening_sentences(
    excerpt: str, title: str, body: str, rules: Rules
) -> None:
    derived = derive_title(excerpt, rules)
    assert derived.text == title
    assert excerpt[derived.heading_end :].lstrip().startswith(body)


@pytest.mark.parametrize(
    ("excerpt", "title"),
    [
        (
            "In this post, we walk through how speculative decoding speeds up inference of "
            "large language models without changing their outputs.",
            "How speculative decoding speeds up inference",
        ),
        # The author speaking is no heading: "7B" and "模型" stay together.
        (
            "本文介绍如何在单卡上微调 7B 模型,包括 QLoRA、梯度检查点和 FlashAttention。",
            "如何在单卡上微调 7B 模型",
        ),
        ("什么是 RLHF? RLHF 是基于人类反馈的强化学习。", "什么是 RLHF?"),
        ("生成器 什么是生成器? 通过列表生成式,我们可以直接创建一个列表。", "生成器"),
        ("Transformer 模型的核心是自注意力机制,它允许模型关注所有位置。", "Transformer 模型"),
    ],
)
def test_more_styles_of_opening(excerpt: str, title: str, rules: Rules) -> None:
    assert derive_title(excerpt, rules).text == title


def test_an_english_heading_ends_where_its_first_sentence_begins(rules: Rules) -> None:
    text = (
        "🔖 https://lilianweng.github.io/posts/2023-06-23-agent/ LLM Powered Autonomous Agents "
        "Building agents with LLM as its core controller is a cool concept."
    )
    assert derive_title(text, rules).text == "LLM Powered Autonomous Agents"


def test_no_title_shows_tex(texts: list[str], rules: Rules, seed_dumps: list[Dump]) -> None:
    openings = [
        "给定训练数据集 D = \\{(x_i, y^_i)\\}_{i=1}^n ,其中包含问题。",
        "隐变量序列 z = (z_1, z_2, ..., z_m) 的长度与输入一致。",
        "损失函数写作 \\(L = -\\sum_i y_i \\log p_i\\) ,即交叉熵。",
        "缩放因子取 \\frac{1}{\\sqrt{d_k}} ,避免点积过大。",
    ]
    seeds = [card.text for dump in seed_dumps for card in dump.cards]
    for text in [*texts, *seeds, *openings]:
        title = derive_title(text, rules).text
        assert not find_tex(title) and "\\(" not in title and "\\[" not in title, title
