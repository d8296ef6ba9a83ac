"""The related-articles index: built afresh against kept and updated after one save.

    PYTHONPATH=$PWD/plugins .venv/bin/python scripts/bench_related.py [--articles 3000]
        [--terms 80] [--vocabulary 20000] [--runs 7] [--seed 1]

Makes N articles of about ``--terms`` (term, count) pairs, terms drawn from a Zipf-like
vocabulary (the k-th term has weight 1/k, so a few terms are in most articles and most
terms in few), counts most frequent first as the cards give them. Then times, as the
median of ``--runs``:

- ``build_index`` of the whole map (what every rebuild did before);
- ``RelatedIndexer.update`` with nothing changed;
- ``update`` after one save that changes one article's counts a little, three kinds:
  one count bumped (same terms), a rare term added, a common term added (its document
  frequency changes, so every article holding it is looked at);
- ``update`` after an article is added (another number of articles: a full rebuild);
- once, the first save that changes a document frequency, which makes the term ->
  articles map that later saves keep up to date;
- every article's related list at once: ``related`` one by one against ``related_many``
  (NumPy), checked equal;
- ``RelatedPicks.update`` (every article's related list) after the same saves: lists
  that did not hold the saved article merged with its new scores, against every list
  that shares a term with it computed again (what every save did before; forced here by
  setting ``MERGE_AT_MOST`` to -1).

Each update is checked equal to ``build_index`` of the same map, each set of lists to
``related`` of every article (outside the timing).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from zhiku.listing import related as related_module
from zhiku.listing.related import (
    RelatedIndexer,
    RelatedPicks,
    build_index,
    related,
    related_many,
)

Counts = tuple[tuple[str, int], ...]


def corpus(articles: int, terms: int, vocabulary: int, seed: int) -> dict[str, Counts]:
    rng = random.Random(seed)
    words = [f"词{i}" for i in range(vocabulary)]
    weights = [1 / (k + 1) for k in range(vocabulary)]
    site: dict[str, Counts] = {}
    for i in range(articles):
        chosen = dict.fromkeys(rng.choices(words, weights, k=terms * 2))
        picked = list(chosen)[: rng.randint(terms * 3 // 4, terms * 5 // 4)]
        counts = sorted(
            ((t, 1 + int(rng.paretovariate(1.5))) for t in picked), key=lambda tc: -tc[1]
        )
        site[f"posts/{i:05d}.md"] = tuple(counts)
    return site


def median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--terms", type=int, default=80)
    parser.add_argument("--vocabulary", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    site = corpus(args.articles, args.terms, args.vocabulary, args.seed)
    key = next(iter(site))
    common = next(t for t in (f"词{i}" for i in range(50)) if t not in dict(site[key]))
    holders = sum(common in dict(c) for c in site.values())
    first = site[key]
    edits: dict[str, Counts] = {
        "one count bumped": ((first[0][0], first[0][1] + 1), *first[1:]),
        "a rare term added": (*first, ("新词", 1)),
        f"a common term added ({holders} holders)": (*first, (common, 1)),
    }
    print(
        f"{len(site)} articles, {sum(map(len, site.values())) / len(site):.0f} terms each, "
        f"vocabulary {args.vocabulary}; median of {args.runs} runs"
    )
    print(f"  build_index{'':31} {median(lambda: build_index(site), args.runs) * 1000:8.1f} ms")
    indexer = RelatedIndexer()
    indexer.update(site)
    took = median(lambda: indexer.update(site), args.runs)
    print(f"  update, nothing changed{'':19} {took * 1000:8.3f} ms")
    # The first save that changes a document frequency makes the term -> articles map.
    first_save = RelatedIndexer()
    first_save.update(site)
    start = time.perf_counter()
    first_save.update(dict(site) | {key: edits["a rare term added"]})
    took = time.perf_counter() - start
    print(f"  update, first save adding a term{'':9} {took * 1000:8.1f} ms  (once per process)")
    for name, counts in edits.items():
        edited = dict(site) | {key: counts}
        took, computed = saves(indexer, site, edited, args.runs)
        assert indexer.update(edited) == build_index(edited)
        print(f"  update, {name:34} {took * 1000:8.3f} ms  ({computed} vectors)")
    took, _ = saves(indexer, site, dict(site) | {"posts/new.md": first}, args.runs)
    print(f"  update, an article added{'':17} {took * 1000:8.1f} ms")
    rank = {k: i for i, k in enumerate(site)}
    index = build_index(site)
    one_by_one = median(lambda: [related(index, k, 8, 0.05, rank) for k in site], 1)
    at_once = median(lambda: related_many(index, site, 8, 0.05, rank), args.runs)
    assert related_many(index, site, 8, 0.05, rank) == {
        k: related(index, k, 8, 0.05, rank) for k in site
    }
    print(
        f"  every related list of the site: related one by one {one_by_one * 1000:7.1f} ms, "
        f"related_many {at_once * 1000:7.1f} ms"
    )
    print("  related lists (8 a list, as zhiku/feed asks), after a save:")
    for name, counts in edits.items():
        edited = dict(site) | {key: counts}
        figures = []
        for merge_at_most in (related_module.MERGE_AT_MOST, -1):
            took, computed = picks_after(site, edited, rank, merge_at_most, args.runs)
            figures.append(f"{took * 1000:7.1f} ms ({computed} lists)")
        print(f"    {name:34} {figures[0]}  every list again: {figures[1]}")


def picks_after(
    site: dict[str, Counts],
    edited: dict[str, Counts],
    rank: dict[str, int],
    merge_at_most: int,
    runs: int,
) -> tuple[float, int]:
    """Median time of ``RelatedPicks.update`` for one save, and how many lists it computed
    against every article; the lists checked equal to a fresh computation."""
    before, after = build_index(site), build_index(edited)
    saved = related_module.MERGE_AT_MOST
    related_module.MERGE_AT_MOST = merge_at_most
    try:
        times, computed = [], 0
        for _ in range(runs):
            picks = RelatedPicks()
            picks.update(before, 8, 0.05, rank)
            start = time.perf_counter()
            lists = picks.update(after, 8, 0.05, rank)
            times.append(time.perf_counter() - start)
            computed = picks.computed
        assert lists == {k: related(after, k, 8, 0.05, rank) for k in edited}
        return statistics.median(times), computed
    finally:
        related_module.MERGE_AT_MOST = saved


def saves(
    indexer: RelatedIndexer, site: dict[str, Counts], edited: dict[str, Counts], runs: int
) -> tuple[float, int]:
    """Median time of an update going from one map to the other and back (every timed
    update is one save), and the most vectors one of them computed."""
    maps = [edited, site]
    computed = []

    def save() -> None:
        indexer.update(maps[0])
        computed.append(indexer.computed)
        maps.reverse()

    indexer.update(site)
    return median(save, runs * 2 - 1), max(computed)  # odd: ends on the edited map


if __name__ == "__main__":
    main()
