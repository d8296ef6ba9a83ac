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
# RelatedPicks merges kept lists with the changed articles when at most this many changed.
MERGE_AT_MOST = 32
# ... and computes the others with related_many (NumPy) when at least this many,
MANY_AT_LEAST = 64
# ... scoring as many articles at once as fill about this many (article, other) cells
# (2 MiB of sums: 87 articles at a time at 3,000, 26 at 10,000; larger blocks were slower).
MANY_CELLS = 1 << 18


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
    vectors = {key: _vector(counts, n, df)[0] for key, counts in keywords.items()}
    return RelatedIndex(vectors, _postings(vectors))


class RelatedIndexer:
    """:func:`build_index`, kept between builds: after an edit, only the vectors and the
    posting lists that can differ are computed again (``mkdocs serve`` rebuilds after each
    save, and a body edit changes one article's keyword counts).

    A vector depends on its article's counts, on the number of articles and on the
    document frequency of its terms. So, with the number of articles unchanged, a vector
    is computed again when its article's counts changed, or when the article holds a term
    whose document frequency changed and that term is, or would now be, among its
    strongest; the posting lists of the terms of the vectors that changed are made again.
    Another number of articles changes every IDF: the index is built afresh.

    What :meth:`update` returns equals ``build_index(keywords)``: the same vectors, in the
    mapping's order, the same postings, each in the mapping's order, the same floats (the
    order in which ``postings`` lists its terms may differ; nothing reads it).
    """

    def __init__(self) -> None:
        self._index: RelatedIndex | None = None
        self._keys: tuple[str, ...] = ()
        self._position: dict[str, int] = {}
        # The counts indexed, as given when they are a tuple (an unchanged article's counts
        # are usually the very same object), else as a tuple of them.
        self._counts: dict[str, Sequence[tuple[str, int]]] = {}
        self._df: dict[str, int] = {}
        # term -> {article holding it among its full counts: its count (the largest)};
        # made at the first save that changes a document frequency (a cold build, which
        # updates once, never needs it).
        self._holders: dict[str, dict[str, int]] | None = None
        # article -> the (weight, term) of its weakest kept term, when it has more terms
        # than it keeps: a term weighing less is left out.
        self._cutoffs: dict[str, tuple[float, str] | None] = {}
        self.computed = 0
        """How many vectors the last :meth:`update` computed (the rest were kept)."""

    def update(self, keywords: Mapping[str, Sequence[tuple[str, int]]]) -> RelatedIndex:
        """``build_index(keywords)``, reusing what the previous call worked out."""
        try:
            if self._index is None or len(keywords) != len(self._counts):
                return self._rebuild(keywords)
            return self._refresh(keywords, self._index)
        except BaseException:
            self._index = None  # half updated (a count of 0, say): start afresh next time
            raise

    def _rebuild(self, keywords: Mapping[str, Sequence[tuple[str, int]]]) -> RelatedIndex:
        n = len(keywords)
        self._keys = tuple(keywords)
        self._position = {key: i for i, key in enumerate(self._keys)}
        self._counts = {key: _frozen(counts) for key, counts in keywords.items()}
        df: dict[str, int] = defaultdict(int)
        for counts in self._counts.values():
            for term, _ in counts:
                df[term] += 1
        self._df, self._holders = dict(df), None
        vectors: dict[str, tuple[tuple[str, float], ...]] = {}
        cutoffs: dict[str, tuple[float, str] | None] = {}
        for key, counts in self._counts.items():
            vectors[key], cutoffs[key] = _vector(counts, n, self._df)
        self._cutoffs = cutoffs
        self.computed = n
        self._index = RelatedIndex(vectors, _postings(vectors))
        return self._index

    def _refresh(
        self, keywords: Mapping[str, Sequence[tuple[str, int]]], before: RelatedIndex
    ) -> RelatedIndex:
        n = len(keywords)
        keys = tuple(keywords)
        same_order = keys == self._keys
        old = self._counts
        removed = () if same_order else tuple(old.keys() - keywords.keys())
        changed: dict[str, Sequence[tuple[str, int]]] = {}  # added or other counts
        for key, counts in keywords.items():
            kept = old.get(key)
            if counts is not kept and (kept is None or _frozen(counts) != kept):
                changed[key] = _frozen(counts)
        if same_order and not changed:
            self.computed = 0
            return before
        # Document frequencies and holders, from the counts that went and came.
        delta: dict[str, int] = defaultdict(int)
        holders = self._holders
        for key in (*removed, *changed):
            for term, _ in old.get(key, ()):
                delta[term] -= 1
                if holders is not None:
                    holding = holders[term]
                    holding.pop(key, None)
                    if not holding:
                        del holders[term]
        for key, counts in changed.items():
            for term, count in counts:
                delta[term] += 1
                if holders is not None:
                    _hold(holders.setdefault(term, {}), key, count)
        df = self._df
        reweighed = [term for term, d in delta.items() if d]
        for term in reweighed:
            df[term] = df.get(term, 0) + delta[term]
            if not df[term]:
                del df[term]
        for key in removed:
            del old[key], self._cutoffs[key]
        old.update(changed)
        # Vectors to compute: those of the changed articles, and those of the holders of a
        # reweighed term that is among their kept terms or would now be.
        stale = set(changed)
        if reweighed:
            if holders is None:
                holders = self._holders = _holders_of(old)
            stale.update(self._reweighed(reweighed, holders, n, before.vectors, stale))
        fresh: dict[str, tuple[tuple[str, float], ...]] = {}
        for key in stale:
            vector, self._cutoffs[key] = _vector(old[key], n, df)
            if vector != before.vectors.get(key):
                fresh[key] = vector
        self.computed = len(stale)
        if not same_order:
            vectors = {key: fresh[key] if key in fresh else before.vectors[key] for key in keys}
            self._keys = keys
            self._position = {key: i for i, key in enumerate(keys)}
            self._cutoffs = {key: self._cutoffs[key] for key in keys}
            # Every posting list follows the mapping's order, which changed.
            self._index = RelatedIndex(vectors, _postings(vectors))
            return self._index
        vectors = dict(before.vectors)
        vectors.update(fresh)
        # The posting lists of the terms that entered or left a vector, or got another
        # weight in one: their members in the mapping's order.
        touched: dict[str, set[str]] = {}  # term -> the articles of fresh now keeping it
        for key, vector in fresh.items():
            for term, _ in before.vectors.get(key, ()):
                touched.setdefault(term, set())
            for term, _ in vector:
                touched.setdefault(term, set()).add(key)
        postings = dict(before.postings)
        position = self._position
        for term, gained in touched.items():
            members = set(gained)
            if term in before.postings:
                members.update(k for k in before.postings[term][0] if k not in fresh)
            if not members:
                postings.pop(term, None)
                continue
            pairs = [
                (key, w)
                for key in sorted(members, key=position.__getitem__)
                for kept, w in vectors[key]
                if kept == term
            ]
            postings[term] = (tuple(k for k, _ in pairs), tuple(w for _, w in pairs))
        self._index = RelatedIndex(vectors, postings)
        return self._index

    def _reweighed(
        self,
        terms: Iterable[str],
        holders: Mapping[str, Mapping[str, int]],
        n: int,
        vectors: Mapping[str, tuple[tuple[str, float], ...]],
        stale: set[str],
    ) -> set[str]:
        """The articles not in ``stale`` whose vector a new document frequency of one of
        ``terms`` changes: those keeping the term, and those where it would now be kept."""
        df = self._df
        found: set[str] = set()
        for term in terms:
            if term not in df:
                continue  # no article holds it any more
            idf = math.log(1 + n / df[term])
            for key, count in holders[term].items():
                if key in stale or key in found:
                    continue
                cutoff = self._cutoffs[key]
                if (
                    cutoff is None
                    or ((1 + math.log(count)) * idf, term) >= cutoff
                    or any(kept == term for kept, _ in vectors[key])
                ):
                    found.add(key)
        return found


def _frozen(counts: Sequence[tuple[str, int]]) -> Sequence[tuple[str, int]]:
    return counts if type(counts) is tuple else tuple(counts)


def _holders_of(
    counts: Mapping[str, Sequence[tuple[str, int]]],
) -> dict[str, dict[str, int]]:
    holders: dict[str, dict[str, int]] = defaultdict(dict)
    for key, pairs in counts.items():
        for term, count in pairs:
            _hold(holders[term], key, count)
    return dict(holders)


def _hold(holding: dict[str, int], key: str, count: int) -> None:
    # An article naming a term twice holds it with its larger count (the heavier weight).
    if key not in holding or count > holding[key]:
        holding[key] = count


def _vector(
    counts: Sequence[tuple[str, int]], n: int, df: Mapping[str, int]
) -> tuple[tuple[tuple[str, float], ...], tuple[float, str] | None]:
    """One article's vector as :func:`build_index` computes it, and the (weight, term) of
    its weakest kept term when some of its terms are left out (else None)."""
    # Smoothed IDF: a term in every article weighs little but not nothing, so that a
    # small site whose articles all share a topic still finds them related.
    weights = [(term, (1 + math.log(count)) * math.log(1 + n / df[term])) for term, count in counts]
    top = heapq.nlargest(TERMS_PER_ARTICLE, weights, key=lambda tw: (tw[1], tw[0]))
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    cutoff = (top[-1][1], top[-1][0]) if len(weights) > len(top) else None
    return tuple((term, w / norm) for term, w in top), cutoff


def _postings(
    vectors: Mapping[str, tuple[tuple[str, float], ...]],
) -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for key, vector in vectors.items():
        for term, w in vector:
            postings[term].append((key, w))
    return {t: (tuple(k for k, _ in p), tuple(w for _, w in p)) for t, p in postings.items()}


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


def related_many(
    index: RelatedIndex,
    keys: Iterable[str],
    count: int,
    min_score: float,
    rank: Mapping[str, int] | None = None,
) -> dict[str, list[tuple[str, float]]]:
    """``{key: related(index, key, count, min_score, rank)}`` for each of ``keys``: the same
    lists and the same floats, with NumPy doing the arithmetic for a few hundred articles
    at a time: 3,000 lists in 0.15 s instead of 0.68 s (``scripts/bench_related.py``).
    Every list of a site is computed on a first build, and again after an edit that
    changes a common term's document frequency.

    The same floats because the same operations run in the same order: each product is
    one IEEE multiplication, and ``bincount`` adds the products of one (article, other)
    pair one after another, from 0.0, in the order given, which is :func:`related`'s
    order (this article's terms, then each posting's keys).
    """
    import numpy as np

    names = tuple(index.vectors)
    n = len(names)
    position = {key: i for i, key in enumerate(names)}
    # Every posting list end to end (other article, weight), and where each term's starts.
    term_of = {term: t for t, term in enumerate(index.postings)}
    lengths = np.fromiter(
        (len(holders) for holders, _ in index.postings.values()), dtype=np.intp, count=len(term_of)
    )
    starts = np.zeros(len(term_of) + 1, dtype=np.intp)
    np.cumsum(lengths, out=starts[1:])
    size = int(starts[-1])
    others = np.fromiter(
        (position[k] for holders, _ in index.postings.values() for k in holders),
        dtype=np.intp,
        count=size,
    )
    weights = np.fromiter(
        (w for _, column in index.postings.values() for w in column), dtype=np.float64, count=size
    )
    order = rank or {}
    found: dict[str, list[tuple[str, float]]] = {}
    wanted = list(keys)
    rows_at_once = max(1, MANY_CELLS // max(n, 1))
    for first in range(0, len(wanted), rows_at_once):
        block = wanted[first : first + rows_at_once]
        # One (row, term, weight) per term of each article of the block, in order.
        row_of: list[int] = []
        term_ids: list[int] = []
        own: list[float] = []
        for row, key in enumerate(block):
            for term, weight in index.vectors.get(key, ()):
                row_of.append(row)
                term_ids.append(term_of[term])
                own.append(weight)
        if not term_ids:
            found.update((key, []) for key in block)
            continue
        picked = np.array(term_ids, dtype=np.intp)
        spans = lengths[picked]
        ends = np.cumsum(spans)
        # Each term's posting list, gathered after the one before: positions in the columns.
        gather = np.arange(int(ends[-1]), dtype=np.intp) + np.repeat(
            starts[picked] - (ends - spans), spans
        )
        cells = others[gather] + np.repeat(np.array(row_of, dtype=np.intp) * n, spans)
        products = np.repeat(np.array(own, dtype=np.float64), spans) * weights[gather]
        sums = np.bincount(cells, weights=products, minlength=len(block) * n)
        shared = np.bincount(cells, minlength=len(block) * n) > 0
        for row, key in enumerate(block):
            if key in position:
                shared[row * n + position[key]] = False
        # Only articles scoring at least min_score can make a list; of those, with more
        # than ``count``, only the count-th best score and better.
        passing = np.flatnonzero(shared & (sums >= float(min_score)))
        scores = sums[passing]
        columns = passing % n
        bounds = np.searchsorted(passing, np.arange(len(block) + 1) * n).tolist()
        for row, key in enumerate(block):
            row_scores = scores[bounds[row] : bounds[row + 1]]
            row_columns = columns[bounds[row] : bounds[row + 1]]
            if count < len(row_scores):
                if not count:
                    found[key] = []
                    continue
                nth = len(row_scores) - count
                best_ones = row_scores >= np.partition(row_scores, nth)[nth]
                row_scores, row_columns = row_scores[best_ones], row_columns[best_ones]
            best = heapq.nsmallest(
                count,
                (
                    (-score, order.get(names[i], 0), names[i])
                    for i, score in zip(row_columns.tolist(), row_scores.tolist(), strict=True)
                ),
            )
            found[key] = [(k, -s) for s, _, k in best]
    return found


class RelatedPicks:
    """Every article's :func:`related` list, kept between builds: after an edit, only the
    lists that can differ are computed again (``mkdocs serve`` rebuilds after each save).

    An article's list depends on its own vector, on the vectors of the articles that share
    a term with it, and on how those articles are ordered by ``rank`` (ties). So a list can
    differ only when its article, or an article sharing a term with it (before or after the
    edit), was added, removed, got another vector, or moved in the order relative to the
    others; the rest are the lists of the previous build, unchanged.

    Of the lists that can differ, most need not be computed again: when neither the
    article nor any article of its list changed, the articles that did not change still
    score what they scored, in the same order, so its previous list holds the best of them
    and the new list is the best of that list and the changed articles (scored as
    :func:`related` scores them). Only an article that changed, or one whose list held a
    changed article, is scored against every other.
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
        changed: set[str] | None = None  # None: every list is computed afresh
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
        # Merging scores each list against every changed article: worth it for a few (a
        # body edit), not for the hundreds a new document frequency reweighs (a title edit).
        merge = changed is not None and len(changed) <= MERGE_AT_MOST
        scorers = (
            {k: _scorer(index.vectors[k]) for k in changed or () if k in index.vectors}
            if merge
            else {}
        )
        afresh: list[str] = []
        for key in stale:
            if key not in index.vectors:
                continue
            kept = picks.get(key)
            if (
                changed is None
                or not merge
                or kept is None
                or key in changed
                or any(k in changed for k, _ in kept)
            ):
                afresh.append(key)
            else:
                picks[key] = _merged(index.vectors[key], key, kept, scorers, count, min_score, rank)
        if len(afresh) >= MANY_AT_LEAST:
            picks.update(related_many(index, afresh, count, min_score, rank))
        else:
            for key in afresh:
                picks[key] = related(index, key, count, min_score, rank)
        self.computed = len(afresh)
        self._index, self._order, self._params, self._picks = index, order, params, picks
        return picks


def _scorer(vector: tuple[tuple[str, float], ...]) -> dict[str, tuple[float, ...]]:
    """A vector as term -> its weights (one, unless the article kept a term twice), in the
    vector's order."""
    weights: dict[str, tuple[float, ...]] = {}
    for term, weight in vector:
        weights[term] = (*weights.get(term, ()), weight)
    return weights


def _merged(
    vector: tuple[tuple[str, float], ...],
    key: str,
    kept: Sequence[tuple[str, float]],
    changed: Mapping[str, Mapping[str, tuple[float, ...]]],
    count: int,
    min_score: float,
    rank: Mapping[str, int],
) -> list[tuple[str, float]]:
    """:func:`related` for the article ``key`` of ``vector`` when only the articles of
    ``changed`` (their :func:`_scorer`; neither ``key`` nor in its previous list ``kept``)
    score differently: the best of ``kept`` and them."""
    candidates = [(-s, rank.get(k, 0), k) for k, s in kept]
    for other, theirs in changed.items():
        if other == key:
            continue
        # Summed as related() sums: this article's terms in order, each weight the other
        # gives the term in its order, from 0.0.
        score, shared = 0.0, False
        for term, weight in vector:
            for their_weight in theirs.get(term, ()):
                score = score + weight * their_weight
                shared = True
        if shared and score >= min_score:
            candidates.append((-score, rank.get(other, 0), other))
    best = heapq.nsmallest(count, candidates)
    return [(k, -s) for s, _, k in best]


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
