"""The 47 seed articles get titles a reader would accept (reviewed by eye, then pinned).

Each title was read next to its excerpt. When a rule changes one of these, read
the new title the same way before updating this list.
"""

import datetime as dt

from zhiku.ingest.cards import Dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.plan import plan_ingest
from zhiku.ingest.rules import Rules

SEED_TITLES = [
    "生成对抗网络 (Generative Adversarial Network, GAN)",
    "DeepSeek LLM",
    "DeepSeek-V3",
    "自监督学习(Selfsupervised)",
    "梯度检查点(Gradient Checkpointing)",
    "基于lmmsengine中的训练时对数据packing操作以及use_rmpad消除了所有padding计算的逻辑",
    "FlashAttention",
    "KimiVL",
    "大模型 vs. GPU Memory",
    "Chameleon:生成理解统一模型的开山之作",
    "Docker 按照官方文档说明配置即可",
    "Kimi k1.5采用了一种简化而有效的强化学习框架",
    "CLIP算法原理",
    "重参数(Reparameterization)",
    "深度学习偏置的作用?",
    "神经网络处理的东西都是连续的浮点数",
    "如何计算RF",
    "曾经优秀的 ReLUs 怎么了",
    "随机逼近(Stochastic Approximation)",
    "Score based generative model SMLD的关键点",
    "摘掉Softmax",
    "随机微分",
    "Transformer Quality in Linear Time",
    "SSM",
    "基于Attention机制的Transformer类模型",
    "Structured Generation with LLM",
    "MTP(Multitoken Prediction)",
    "幻觉(Hallucination)",
    "SPP (spatial pyramid pooling layer)",
    "精巧的flow",
    "Flowbased Models Normalizing Flow",
    "从MHA、MQA、GQA到MLA的演变历程",
    "直接偏好优化(DPO)",
    "DETR",
    "Stanford Alpaca 结合英文语料通过Self Instruct方式微调LLaMA 7B",
    "LLaMA: Open and Efficient Foundation Language Models",
    "后训练(post-training)",
    "NICE: Nonlinear Independent Components Estimation",
    "ODE扩散模型的直接推导",
    "列表和元组总结",
    "生成器",
    "可变对象与不可变对象的区别在于对象本身是否可变",
    "python采用的是引用计数机制为主",
    "调试神器 pdb",
    "通过继承创建的新类称为“子类”或“派生类”",
    "DDIM 的理论",
    "PrefixTuning",
]


def test_the_47_seed_articles_and_their_titles(
    seed_dumps: list[Dump], rules: Rules, matcher: Matcher
) -> None:
    plan = plan_ingest(
        seed_dumps, rules, matcher, state={}, existing={}, fallback_date=dt.date(2026, 1, 1)
    )
    assert [a["title"] for a in plan.articles] == SEED_TITLES
    assert len(set(SEED_TITLES)) == 47


def test_no_seed_title_is_a_section_name(rules: Rules) -> None:
    for title in SEED_TITLES:
        assert title not in rules.section_names
        assert not any(title.startswith(name + " ") for name in rules.section_names), title
        assert 2 <= len(title) <= rules.max_title_length, title
