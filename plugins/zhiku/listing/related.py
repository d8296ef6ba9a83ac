"""Related articles: TF-IDF cosine similarity over jieba keywords, through an inverted index."""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Each article is represented by its strongest terms only: that is what "about the same
# thing" means for a reader, and it keeps the inverted index's posting lists short.
TERMS_PER_ARTICLE = 10


@dataclass(frozen=True, slots=True)
class RelatedIndex:
    """Normalised TF-IDF vectors of every article and the inverted index over them."""

    vectors: Mapping[str, tuple[tuple[str, float], ...]]
    postings: Mapping[str, tuple[tuple[str, float], ...]]


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
    return RelatedIndex(vectors, {t: tuple(p) for t, p in postings.items()})


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
    scores: dict[str, float] = {}
    get = scores.get
    for term, weight in index.vectors.get(key, ()):
        for other, other_weight in index.postings[term]:
            scores[other] = get(other, 0.0) + weight * other_weight
    scores.pop(key, None)
    order = rank or {}
    best = heapq.nsmallest(
        count,
        ((-s, order.get(k, 0), k) for k, s in scores.items() if s >= min_score),
    )
    return [(k, -s) for s, _, k in best]
