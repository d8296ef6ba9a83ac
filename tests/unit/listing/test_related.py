"""Related articles: similar topics first, nothing when nothing is related."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from listing_factories import entry

from zhiku.listing import related as related_module
from zhiku.listing.related import (
    RelatedIndex,
    RelatedIndexer,
    RelatedPicks,
    build_index,
    related,
    related_many,
)


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


# Counts that may name a term twice (a heading and the body, say), as keyword lists can,
# from few terms and counts, so that articles often score alike (ties go by the order).
_LOOSE_COUNTS = st.lists(
    st.tuples(st.sampled_from(["注意力", "扩散", "显存", "向量"]), st.integers(1, 2)), max_size=4
)


@settings(max_examples=300, deadline=None)
@given(
    first=st.dictionaries(
        st.sampled_from([f"p{i}.md" for i in range(12)]), _LOOSE_COUNTS, min_size=2
    ),
    edits=st.lists(
        st.tuples(
            st.sampled_from([f"p{i}.md" for i in range(14)]),
            st.none() | _LOOSE_COUNTS,
            st.booleans(),
        ),
        min_size=1,
        max_size=5,
    ),
    count=st.integers(0, 4),
    min_score=st.sampled_from([0.0, 0.05, 0.2, 0.5, "exact"]),
)
def test_saves_that_keep_the_order_give_the_lists_of_a_fresh_computation(
    first: dict[str, list[tuple[str, int]]],
    edits: list[tuple[str, list[tuple[str, int]] | None, bool]],
    count: int,
    min_score: float | str,
) -> None:
    """One article saved at a time (or added, or removed), the others keeping their order,
    sometimes the saved one moved to the top (a new date): the lists kept and merged with
    the changed article are exactly those of computing every list from scratch, whatever
    the length asked for and the threshold (also one that some pair scores exactly), ties
    to the newer article included."""
    picks = RelatedPicks()
    site = dict(first)
    order = sorted(site)
    if min_score == "exact":
        index = build_index(site)
        scores = [s for key in site for _, s in related(index, key, 12, 0.0)]
        min_score = scores[len(scores) // 2] if scores else 0.0
    assert isinstance(min_score, float)
    for step in range(len(edits) + 1):
        if step:
            key, counts, to_top = edits[step - 1]
            if counts is None:
                site.pop(key, None)
            else:
                site[key] = counts
            order = [k for k in order if k in site]
            if key in site and (to_top or key not in order):
                order = [key, *(k for k in order if k != key)]
            if not site:
                return
        rank = {key: i for i, key in enumerate(order)}
        index = build_index(site)
        kept = picks.update(index, count, min_score, rank)
        assert kept == {key: related(index, key, count, min_score, rank) for key in site}


def test_a_body_edit_scores_the_others_against_the_edited_article_only() -> None:
    """Every article shares a term with the edited one, but only those whose list held it
    are scored against the whole site again."""
    site = {f"n{i}.md": [("注意力", 1 + i % 3), (f"独有{i}", 1), ("显存", 1)] for i in range(40)}
    rank = {key: i for i, key in enumerate(site)}
    picks = RelatedPicks()
    lists = picks.update(build_index(site), 3, 0.0, rank)
    holders = sum("n39.md" in (k for k, _ in picked) for picked in lists.values())
    site["n39.md"] = [("注意力", 2), ("独有39", 2), ("显存", 1)]
    index = build_index(site)
    kept = picks.update(index, 3, 0.0, rank)
    assert kept == {key: related(index, key, 3, 0.0, rank) for key in site}
    assert picks.computed == 1 + holders < 40


# -- the index kept between builds ---------------------------------------------------------

# Articles of up to 14 terms (more than an article keeps), from a small vocabulary so
# that edits change document frequencies, and counts that tie.
_VOCABULARY = [f"词{i}" for i in range(24)]
_ARTICLE_COUNTS = st.lists(
    st.tuples(st.sampled_from(_VOCABULARY), st.integers(1, 6)),
    max_size=14,
    unique_by=lambda tc: tc[0],
).map(lambda counts: sorted(counts, key=lambda tc: -tc[1]))  # most frequent first
_KEYS = [f"笔记/{i}.md" for i in range(10)]
_STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("edit"), st.sampled_from(_KEYS), _ARTICLE_COUNTS),
        st.tuples(st.just("bump"), st.sampled_from(_KEYS), st.integers(0, 13)),
        st.tuples(st.just("remove"), st.sampled_from(_KEYS), st.none()),
        st.tuples(st.just("rename"), st.sampled_from(_KEYS), st.sampled_from(_KEYS)),
        st.tuples(st.just("reorder"), st.none(), st.randoms(use_true_random=False)),
        st.tuples(st.just("same"), st.none(), st.none()),
    ),
    min_size=1,
    max_size=8,
)


def _exactly(index: RelatedIndex) -> tuple[object, ...]:
    """An index as plain values, orders included (a dict compares without its order)."""
    return (
        list(index.vectors.items()),
        sorted(index.postings.items()),
    )


@settings(max_examples=300, deadline=None)
@given(
    first=st.dictionaries(st.sampled_from(_KEYS), _ARTICLE_COUNTS, min_size=1),
    steps=_STEPS,
)
def test_the_kept_index_is_the_index_built_afresh(
    first: dict[str, list[tuple[str, int]]], steps: list[tuple[str, object, object]]
) -> None:
    """Saves (one article's counts edited, a count bumped), articles added, removed or
    renamed, another order, the same map again: after each update the index is the one
    build_index makes of the same map, the same floats, each posting in the same order."""
    indexer = RelatedIndexer()
    site = {key: tuple(counts) for key, counts in first.items()}
    assert _exactly(indexer.update(site)) == _exactly(build_index(site))
    for action, key, value in steps:
        site = dict(site)
        if action == "edit":
            site[key] = tuple(value)  # type: ignore[arg-type]
        elif action == "bump" and key in site and site[key]:
            counts = list(site[key])
            at = value % len(counts)  # type: ignore[operator]
            counts[at] = (counts[at][0], counts[at][1] + 1)
            site[key] = tuple(counts)
        elif action == "remove" and len(site) > 1:
            site.pop(key, None)
        elif action == "rename" and key in site and value not in site:
            site = {value if k == key else k: v for k, v in site.items()}  # type: ignore[misc]
        elif action == "reorder":
            order = list(site)
            value.shuffle(order)  # type: ignore[union-attr]
            site = {k: site[k] for k in order}
        index = indexer.update(site)
        assert _exactly(index) == _exactly(build_index(site))
        assert index == build_index(site)


def test_an_unchanged_map_gives_the_same_index_object() -> None:
    site = {
        "posts/lora.md": (("LoRA", 4), ("低秩", 2), ("微调", 1)),
        "posts/qlora.md": (("LoRA", 3), ("量化", 2)),
    }
    indexer = RelatedIndexer()
    index = indexer.update(site)
    assert indexer.update(dict(site)) is index
    # Equal counts in new objects (read again from the cache, say) are unchanged too.
    copies = {k: (*v,) for k, v in site.items()}
    assert all(copies[k] is not site[k] for k in site)
    assert indexer.update(copies) is index
    assert indexer.update({k: list(v) for k, v in site.items()}) is index
    assert indexer.computed == 0


def test_a_save_that_keeps_the_terms_computes_only_that_article() -> None:
    site = {f"posts/{i}.md": (("注意力", 3), (f"独有{i}", 2), ("梯度", 1)) for i in range(20)}
    indexer = RelatedIndexer()
    indexer.update(site)
    assert indexer.computed == 20
    site = dict(site) | {"posts/7.md": (("注意力", 5), ("独有7", 2), ("梯度", 1))}
    index = indexer.update(site)
    assert indexer.computed == 1
    assert index == build_index(site)


def test_a_term_added_to_one_article_reweighs_it_where_it_counts() -> None:
    """A new common term changes its IDF in every article holding it; those that keep
    it among their strongest terms get a new vector, the others keep theirs."""
    many = tuple((f"词{j}", 5) for j in range(12))  # "常见" falls outside the top ten
    site = {f"long/{i}.md": (*many, ("常见", 1)) for i in range(5)}
    site |= {f"short/{i}.md": (("常见", 2), (f"独有{i}", 1)) for i in range(5)}
    site["new.md"] = (("别的", 1),)
    indexer = RelatedIndexer()
    indexer.update(site)
    site = dict(site) | {"new.md": (("别的", 1), ("常见", 1))}
    index = indexer.update(site)
    assert indexer.computed == 1 + 5  # the edited article and the short ones
    assert index == build_index(site)


def test_a_bad_count_leaves_the_indexer_usable() -> None:
    site = {"a.md": (("注意力", 1),), "b.md": (("注意力", 2),)}
    indexer = RelatedIndexer()
    indexer.update(site)
    broken = {"a.md": (("注意力", 0),), "b.md": (("注意力", 2),)}
    with pytest.raises(ValueError):
        indexer.update(broken)
    assert indexer.update(site) == build_index(site)


def test_an_edited_article_scoring_exactly_the_threshold_joins_the_kept_lists() -> None:
    site = {
        "a.md": [("注意力", 2), ("扩散", 1)],
        "b.md": [("注意力", 2), ("扩散", 1)],
        "c.md": [("注意力", 1), ("扩散", 2)],
        "d.md": [("显存", 1)],
    }
    rank = {key: i for i, key in enumerate(site)}
    index = build_index(site)
    threshold = related(index, "a.md", 3, 0.0, rank)[0][1]  # b's score: the same vector
    picks = RelatedPicks()
    assert [k for k, _ in picks.update(index, 3, threshold, rank)["a.md"]] == ["b.md"]
    site["c.md"] = [("注意力", 2), ("扩散", 1)]  # the same terms: no other vector changes
    index = build_index(site)
    kept = picks.update(index, 3, threshold, rank)
    assert [k for k, _ in kept["a.md"]] == ["b.md", "c.md"]
    assert kept == {key: related(index, key, 3, threshold, rank) for key in site}


@settings(max_examples=300, deadline=None)
@given(
    site=st.dictionaries(
        st.sampled_from([f"p{i}.md" for i in range(16)]), _LOOSE_COUNTS, min_size=1
    ),
    count=st.integers(0, 5),
    min_score=st.sampled_from([0.0, 0.05, 0.3, "exact"]),
    shuffle=st.randoms(use_true_random=False),
    cells=st.sampled_from([1, 20, 1 << 18]),
)
def test_many_lists_at_once_are_the_lists_one_at_a_time(
    site: dict[str, list[tuple[str, int]]],
    count: int,
    min_score: float | str,
    shuffle: random.Random,
    cells: int,
) -> None:
    """related_many (NumPy) gives exactly related's lists: the same articles, order and
    floats, ties by rank, a threshold some pair scores exactly, terms named twice; in
    blocks of one article, of a few, or all at once."""
    index = build_index(site)
    order = list(site)
    shuffle.shuffle(order)
    rank = {key: i for i, key in enumerate(order)}
    if min_score == "exact":
        scores = [s for key in site for _, s in related(index, key, 16, 0.0)]
        min_score = scores[len(scores) // 2] if scores else 0.0
    assert isinstance(min_score, float)
    keys = [*site, "missing.md"]
    saved, related_module.MANY_CELLS = related_module.MANY_CELLS, cells
    try:
        many = related_many(index, keys, count, min_score, rank)
    finally:
        related_module.MANY_CELLS = saved
    assert many == {key: related(index, key, count, min_score, rank) for key in keys}


def test_a_site_wide_pass_uses_the_lists_of_related() -> None:
    """Enough lists at once go through related_many; still the lists of related."""
    site = {
        f"n{i}.md": [("注意力", 1 + i % 3), (f"独有{i % 7}", 1), ("显存", 1)] for i in range(90)
    }
    rank = {key: i for i, key in enumerate(site)}
    index = build_index(site)
    picks = RelatedPicks()
    assert picks.update(index, 5, 0.0, rank) == {k: related(index, k, 5, 0.0, rank) for k in site}
    assert picks.computed == 90
