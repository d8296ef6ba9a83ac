"""Excerpts, for Chinese and English text alike, cut from the plain text of a body.

The plain text itself (formulas as :data:`FORMULA`, no Markdown or HTML source) is
:mod:`zhiku.text.plain`; :func:`plain_text` and :func:`excerpt_source` are re-exported
here for the modules that cut excerpts and snippets from it.
"""

from __future__ import annotations

import re

from zhiku.text.plain import FORMULA, excerpt_source, plain_text
from zhiku.text.segment import default_tokenizer

__all__ = ["FORMULA", "excerpt", "excerpt_source", "plain_text", "word_starts"]

# A sentence ends after 。！？ or the full-width full stop ． that Chinese mathematical
# writing uses (optionally followed by closing quotes/brackets), or after . ! ? followed
# by a space, as in English.
# ("好!然后" ends a sentence; "a != b" and "?q=1" in a link do not; nor do "vs." or "e.g.")
_SENTENCE_END = re.compile(
    r"[。！？．][”’」』）)]*"
    r"|[!?](?![=A-Za-z0-9/&%_\-])[”’)]*"
    r"|(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bcf)(?<!\bal)(?<!\bFig)(?<!\bEq)\.[”’)]*(?=\s|$)"
)
# Where a sentence too long for the excerpt may be cut (then marked with "…").
_CLAUSE_END = re.compile(r"[，；,;]")
# Runs an excerpt is never cut inside: a URL, a formula's place, a Latin word or a price.
_UNCUTTABLE = re.compile(r"https?://\S+|\[公式[^\]]*\]|\[代码[^\]]*\]|[$¥€£]?[A-Za-z0-9_'’\-.]+")

_URL = re.compile(r"https?://\S+")
_ENDS_WITH_URL = re.compile(r"https?://\S+\s*\Z")


def word_starts(text: str) -> set[int]:
    """Offsets in ``text`` where a jieba word starts, and its end: cuts there split no word."""
    starts: set[int] = set()
    position = 0
    for piece in default_tokenizer().cut(text, HMM=False):
        starts.add(position)
        position += len(piece)
    starts.add(position)
    return starts


def _word_cut(text: str, limit: int) -> int:
    """The last offset ≤ ``limit`` that splits no word, URL or formula mark (0: none)."""
    inside: set[int] = set()
    for match in _UNCUTTABLE.finditer(text, 0, limit + 200):
        inside.update(range(match.start() + 1, match.end()))
    # jieba reads a little past the limit, so that it sees the word the limit falls in.
    cuts = [c for c in word_starts(text[: limit + 16]) if 0 < c <= limit and c not in inside]
    # Nor does it end on a link, which tells a reader nothing.
    cuts = [c for c in cuts if not _ENDS_WITH_URL.search(text, 0, c)]
    return max(cuts, default=0)


def excerpt(text: str, limit: int = 120) -> str:
    """The longest run of whole sentences of ``text`` within ``limit`` characters.

    A sentence ends at 。！？．!? or at "." followed by a space. When even the first
    sentence is longer than ``limit``, it is cut at the last clause boundary (，；,;)
    that fits, else between two words (never inside a word, a URL or a formula's
    place), and ends with "…".
    """
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    end = 0
    links = [m.span() for m in _URL.finditer(text, 0, limit + 1)]
    for match in _SENTENCE_END.finditer(text):
        if match.end() > limit:
            break
        if not any(start < match.start() < stop for start, stop in links):
            end = match.end()
    if end:
        return text[:end].strip()
    clauses = [m.start() for m in _CLAUSE_END.finditer(text, 0, limit)]
    cut = clauses[-1] if clauses and clauses[-1] >= limit // 2 else _word_cut(text, limit - 1)
    if cut <= 0:
        cut = limit - 1
    return text[:cut].rstrip(" ,，、:：;；") + "…"
