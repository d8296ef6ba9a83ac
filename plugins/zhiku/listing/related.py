"""Related articles: TF-IDF cosine similarity over jieba keywords, through an inverted index."""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Each article is represented by its strongest terms only: that is what "about the same
# thing" means for a reader, and it keeps the inverted index's posting lists short.
TERMS_PER_ARTICLE = 10


@dataclass(frozen=True, slots=True)
class RelatedIndex:
    """Normalised TF-IDF vectors of every article and the inverted index over them."""

    vectors: Mapping[str, tuple[tuple[str, float], ...]]
    # term -> (article keys, their weights), as two columns that scoring zips in C.
    postings: Mapping[str, tuple[tuple[str, ...], tuple[float, ...]]]


def build_index(keywords: Mapping[str, Sequence[tuple[str, int]]]) -> RelatedIndex:
    """Index ``{article key: [(term, count), ...]}``."""
    n = len(keywords)
    df: dict[str, int] = defaultdict(int)
    for counts in keywords.values():
        for term, _ in counts:
            df[term] += 1
    vectors: dict[str, tuple[tuple[str, float], ...]] = {}
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for key, counts in keywords.items():
        # Smoothed IDF: a term in every article weighs little but not nothing, so that a
        # small site whose articles all share a topic still finds them related.
        weights = [
            (term, (1 + math.log(count)) * math.log(1 + n / df[term])) for term, count in counts
        ]
        top = heapq.nlargest(TERMS_PER_ARTICLE, weights, key=lambda tw: (tw[1], tw[0]))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vector = tuple((term, w / norm) for term, w in top)
        vectors[key] = vector
        for term, w in vector:
            postings[term].append((key, w))
    columns = {t: (tuple(k for k, _ in p), tuple(w for _, w in p)) for t, p in postings.items()}
    return RelatedIndex(vectors, columns)


def related(
    index: RelatedIndex,
    key: str,
    count: int,
    min_score: float,
    rank: Mapping[str, int] | None = None,
) -> list[tuple[str, float]]:
    """The ``count`` articles most similar to ``key`` with cosine >= ``min_score``.

    Ties go to the article earlier in ``rank`` (newest first), then to the key.
    """
    # Cosine = sum over shared terms of weight * other weight, added in the order of this
    # article's terms; the products are computed in C (map over a posting's weight column).
    scores: dict[str, float] = {}
    get = scores.get
    for term, weight in index.vectors.get(key, ()):
        keys, weights = index.postings[term]
        for other, product in zip(keys, map(weight.__mul__, weights), strict=True):
            scores[other] = get(other, 0.0) + product
    scores.pop(key, None)
    order = rank or {}
    # Only articles scoring at least min_score and at least the count-th best score can
    # make the list: both floors are found in C (a sort of the scores, then compress over
    # float comparisons), so ranking tuples are built for a handful of articles, not for
    # every article that shares a term.
    floor = float(min_score)
    if count < len(scores):
        floor = max(floor, sorted(scores.values(), reverse=True)[count - 1] if count else math.inf)
    passing = itertools.compress(scores.items(), map(floor.__le__, scores.values()))
    best = heapq.nsmallest(count, ((-s, order.get(k, 0), k) for k, s in passing))
    return [(k, -s) for s, _, k in best]


class RelatedPicks:
    """Every article's :func:`related` list, kept between builds: after an edit, only the
    lists that can differ are computed again (``mkdocs serve`` rebuilds after each save).

    An article's list depends on its own vector, on the vectors of the articles that share
    a term with it, and on how those articles are ordered by ``rank`` (ties). So a list is
    computed again when its article, or an article sharing a term with it (before or after
    the edit), was added, removed, got another vector, or moved in the order relative to
    the others; the rest are the lists of the previous build, unchanged.
    """

    def __init__(self) -> None:
        self._index: RelatedIndex | None = None
        self._order: tuple[str, ...] = ()
        self._params: tuple[int, float] | None = None
        self._picks: dict[str, list[tuple[str, float]]] = {}
        self.computed = 0
        """How many lists the last :meth:`update` computed (the rest were kept)."""

    def update(
        self, index: RelatedIndex, count: int, min_score: float, rank: Mapping[str, int]
    ) -> dict[str, list[tuple[str, float]]]:
        """``{key: related(index, key, count, min_score, rank)}`` for every key of ``index``."""
        order = tuple(sorted(index.vectors, key=lambda k: (rank.get(k, 0), k)))
        before = self._index
        params = (count, float(min_score))
        if before is None or params != self._params:
            stale: Iterable[str] = index.vectors
        else:
            changed = {k for k, v in index.vectors.items() if before.vectors.get(k) != v}
            changed |= before.vectors.keys() - index.vectors.keys()
            changed |= _moved(self._order, order)
            stale = set(changed)
            for key in changed:
                for vectors, postings in (
                    (before.vectors, before.postings),
                    (index.vectors, index.postings),
                ):
                    for term, _ in vectors.get(key, ()):
                        stale.update(postings[term][0])
        picks = {k: v for k, v in self._picks.items() if k in index.vectors}
        self.computed = 0
        for key in stale:
            if key in index.vectors:
                picks[key] = related(index, key, count, min_score, rank)
                self.computed += 1
        self._index, self._order, self._params, self._picks = index, order, params, picks
        return picks


def _moved(before: Sequence[str], after: Sequence[str]) -> set[str]:
    """Keys whose order relative to the other keys changed between two orderings: all but
    a longest run of the common keys that keeps its order (added and removed keys aside)."""
    position = {k: i for i, k in enumerate(before)}
    common = [k for k in after if k in position]
    # Longest increasing subsequence of the old positions, with back links (patience sort).
    tails: list[int] = []
    tail_keys: list[int] = []
    back: list[int] = [-1] * len(common)
    for i, key in enumerate(common):
        at = bisect.bisect_left(tails, position[key])
        if at == len(tails):
            tails.append(position[key])
            tail_keys.append(i)
        else:
            tails[at] = position[key]
            tail_keys[at] = i
        back[i] = tail_keys[at - 1] if at else -1
    kept: set[str] = set()
    i = tail_keys[-1] if tail_keys else -1
    while i >= 0:
        kept.add(common[i])
        i = back[i]
    return set(common) - kept
