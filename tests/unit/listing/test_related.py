"""Related articles: similar topics first, nothing when nothing is related."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from listing_factories import entry

from zhiku.listing import RelatedPicks, build_index, related


def _index(*entries):
    return build_index({e.src_uri: e.keywords for e in entries})


LORA = "LoRA 通过低秩分解冻结原始权重，只训练适配器矩阵，显存占用大大降低。"
DIFFUSION = "扩散模型通过逐步去噪生成图像，前向过程不断加入高斯噪声。"
PYTHON = "Python 的生成器用 yield 惰性地产生数据，协程则基于生成器实现。"


def test_articles_on_the_same_topic_are_related() -> None:
    entries = [
        entry("lora.md", title="LoRA 原理", tags=("LoRA", "微调"), body=LORA),
        entry("qlora.md", title="QLoRA 与 LoRA 微调", tags=("LoRA", "量化"), body=LORA),
        entry("diffusion.md", title="扩散模型入门", tags=("扩散模型",), body=DIFFUSION),
        entry("ddpm.md", title="DDPM 扩散模型推导", tags=("扩散模型",), body=DIFFUSION),
        entry("gen.md", title="Python 生成器", tags=("Python",), body=PYTHON),
    ]
    index = _index(*entries)
    assert [k for k, _ in related(index, "lora.md", 5, 0.1)] == ["qlora.md"]
    assert [k for k, _ in related(index, "ddpm.md", 5, 0.1)] == ["diffusion.md"]


def test_nothing_related_gives_nothing() -> None:
    entries = [
        entry("lora.md", title="LoRA 原理", tags=("LoRA",), body=LORA),
        entry("diffusion.md", title="扩散模型入门", tags=("扩散模型",), body=DIFFUSION),
        entry("gen.md", title="Python 生成器", tags=("Python",), body=PYTHON),
    ]
    assert related(_index(*entries), "gen.md", 5, 0.1) == []


def test_count_limits_and_order_is_by_score_then_rank() -> None:
    entries = [entry(f"{i}.md", title="LoRA 微调", tags=("LoRA",), body=LORA) for i in range(8)]
    picks = related(_index(*entries), "0.md", 5, 0.1, rank={f"{i}.md": i for i in range(8)})
    assert [k for k, _ in picks] == ["1.md", "2.md", "3.md", "4.md", "5.md"]
    assert all(abs(score - 1) < 1e-9 for _, score in picks)


def test_threshold_filters_weak_links() -> None:
    entries = [
        entry("a.md", title="LoRA 原理", tags=("LoRA",), body=LORA),
        entry("b.md", title="扩散模型与 LoRA", tags=("扩散模型",), body=DIFFUSION),
        entry("c.md", title="DDPM", tags=("扩散模型",), body=DIFFUSION),
    ]
    index = _index(*entries)
    weak = related(index, "a.md", 5, 0.0)
    assert [k for k, _ in weak] == ["b.md"]
    assert related(index, "a.md", 5, weak[0][1] + 0.01) == []


# -- kept between builds -------------------------------------------------------------------

_TERMS = st.sampled_from(["注意力", "扩散", "显存", "向量", "梯度", "采样", "损失", "张量"])
_COUNTS = st.lists(st.tuples(_TERMS, st.integers(1, 5)), max_size=5, unique_by=lambda tc: tc[0])
_SITES = st.dictionaries(st.sampled_from([f"p{i}.md" for i in range(12)]), _COUNTS, min_size=1)


@settings(max_examples=200, deadline=None)
@given(
    first=_SITES,
    edits=st.lists(
        st.tuples(st.sampled_from([f"p{i}.md" for i in range(14)]), st.none() | _COUNTS),
        min_size=1,
        max_size=4,
    ),
    shuffle=st.randoms(use_true_random=False),
)
def test_picks_kept_between_builds_are_those_of_a_fresh_computation(
    first: dict[str, list[tuple[str, int]]],
    edits: list[tuple[str, list[tuple[str, int]] | None]],
    shuffle: random.Random,
) -> None:
    """Edits (new terms, removed or added articles, another order): what the kept lists
    give is exactly what computing every list from scratch gives."""
    picks = RelatedPicks()
    site = dict(first)
    for step in range(len(edits) + 1):
        if step:
            key, counts = edits[step - 1]
            if counts is None:
                site.pop(key, None)
            else:
                site[key] = counts
            if not site:
                continue
        order = list(site)
        shuffle.shuffle(order)
        rank = {key: i for i, key in enumerate(order)}
        index = build_index(site)
        kept = picks.update(index, 3, 0.0, rank)
        assert kept == {key: related(index, key, 3, 0.0, rank) for key in site}


def test_an_edit_recomputes_only_the_lists_that_share_its_terms() -> None:
    site = {f"a{i}.md": [("注意力", 2), (f"独有{i}", 1)] for i in range(5)}
    site |= {f"b{i}.md": [("扩散", 2), (f"另有{i}", 1)] for i in range(5)}
    rank = {key: i for i, key in enumerate(site)}
    picks = RelatedPicks()
    picks.update(build_index(site), 3, 0.0, rank)
    assert picks.computed == 10
    site["a0.md"] = [("注意力", 3), ("独有0", 1)]  # a new count: the "a" articles only
    picks.update(build_index(site), 3, 0.0, rank)
    assert picks.computed == 5
