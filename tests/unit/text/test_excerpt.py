"""Excerpts end at a sentence end, never inside a word; formulas show their place."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.text.excerpt import FORMULA, excerpt, plain_text

PREFIX_TUNING = (
    "Paper: 2021.1 Optimizing Continuous Prompts for GenerationGithub:"
    "https://github.com/XiangLi1999/PrefixTuningPrompt: Continus Prefix PromptTask &amp; "
    "Model:BART(Summarization), GPT2(Table2Text) 最早提出Prompt微调的论文之一,其实是可控文本"
    "生成领域的延伸,因此只针对摘要和Table2Text这两个生成任务进行了评估。"
)


def test_the_prefix_tuning_card_ends_between_words() -> None:
    text = plain_text(PREFIX_TUNING)
    cut = excerpt(text, 120)
    assert cut.endswith("…") and len(cut) <= 120
    head = cut[:-1]
    # The character after the cut starts a new word: the excerpt never ends mid-word.
    following = text[len(head) :]
    assert not (re.search(r"[A-Za-z0-9]\Z", head) and re.match(r"[A-Za-z0-9]", following)), cut
    assert "PrefixTuningPrompt…" not in cut
    assert not re.search(r"https?://\S+…\Z", cut)  # nor on a link


def test_an_excerpt_ends_at_a_sentence_end_when_one_fits() -> None:
    text = "第一句话在这里结束；分号不是句末。第二句话很长" + "很长" * 60 + "。"
    assert excerpt(text, 40) == "第一句话在这里结束；分号不是句末。"


def test_an_english_excerpt_ends_at_a_full_stop_followed_by_a_space() -> None:
    text = "Kimi k1.5 uses RL with long context. It avoids MCTS and value functions entirely."
    assert excerpt(text, 60) == "Kimi k1.5 uses RL with long context."


def test_without_a_sentence_end_the_cut_is_at_a_clause_and_marked() -> None:
    text = "大模型的参数量巨大,即使将batch_size设置为1并使用梯度累积的方式更新,也仍然会OOM"
    assert (
        excerpt(text, 40) == "大模型的参数量巨大,即使将batch_size设置为1并使用梯度累积的方式更新…"
    )


def test_without_a_clause_boundary_the_cut_is_between_words() -> None:
    text = (
        "梯度检查点在上述两种方式之间取了一个平衡"
        "这种方法采用了一种策略选择了计算图上的一部分激活值保存下来"
    )
    cut = excerpt(text, 30)
    assert cut.endswith("…") and len(cut) <= 30
    assert not cut[:-1].endswith(("梯度检", "激活", "计算图上的一部"))


@pytest.mark.parametrize(
    ("markdown", "plain"),
    [
        (
            "其核心公式为 \\[ f(q, m) = R_m q \\] ,其中 m 是位置。",
            f"其核心公式为 {FORMULA},其中 m 是位置。",
        ),
        (
            "其中 \\(f(z)\\) 是奖励，\\(\\nabla_\\theta\\) 略去。",
            f"其中 f(z) 是奖励， {FORMULA} 略去。",
        ),
        ("给定 \\(x_i\\) 与 \\(m\\)。", f"给定 {FORMULA} 与 m。"),
        ("$$ a+b $$ 与 \\begin{align} x \\end{align} 之后", f"{FORMULA} 与 {FORMULA} 之后"),
        (
            '数据集 <span class="zk-lost">&#91;公式在抓取中丢失&#93;</span> '
            '<span class="zk-tex-source">D = \\\\\\{(x\\_i, y^\\_i)\\\\\\}</span> ,其中',
            f"数据集 {FORMULA},其中",
        ),
    ],
)
def test_a_formula_shows_its_place_never_a_gap_or_tex(markdown: str, plain: str) -> None:
    assert plain_text(markdown) == plain


# Runs an excerpt must not split (jieba decides for Han words).
_UNITS = re.compile(r"https?://\S+|\[公式\]|[A-Za-z0-9_'.\-]+")


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["梯度", "检查点", "FlashAttention", " ", "，", ",", "。", ". ", FORMULA, "x_i", "很长"]
        ),
        max_size=60,
    ).map("".join),
    st.integers(min_value=10, max_value=80),
)
def test_excerpts_fit_and_never_split_a_word_or_formula_mark(text: str, limit: int) -> None:
    cut = excerpt(text, limit)
    assert len(cut) <= limit
    normalised = re.sub(r"\s+", " ", text).strip()
    if not cut.endswith("…") or len(normalised) <= limit:
        return
    head = cut.removesuffix("…")
    for unit in _UNITS.finditer(normalised):
        inside = unit.start() < len(head) < unit.end()
        # Only a unit that opens the text and is longer than the budget may be cut.
        assert not inside or unit.start() == 0, (cut, unit.group(0))


@pytest.mark.parametrize(
    ("text", "cut"),
    [
        ("激活函数很重要!然后我们看看它的导数" + "很长" * 30, "激活函数很重要!"),
        ("大模型 vs. GPU Memory 是老问题。后面" + "很长" * 30, "大模型 vs. GPU Memory 是老问题。"),
        ("见 https://a.org/x?q=1 的说明。后面" + "很长" * 30, "见 https://a.org/x?q=1 的说明。"),
        ("当 a != b 时成立。后面" + "很长" * 30, "当 a != b 时成立。"),
        # The full-width full stop of Chinese mathematical writing.
        ("设 G 为一张图．后面" + "很长" * 30, "设 G 为一张图．"),
    ],
)
def test_what_ends_a_sentence(text: str, cut: str) -> None:
    assert excerpt(text, 40) == cut
