"""Reading time counted the Chinese way: characters for CJK, words for Latin text."""

from __future__ import annotations

import math
import re

from zhiku.text.chars import HAN

# Typical silent-reading speeds for technical prose.
HAN_PER_MINUTE = 400
WORDS_PER_MINUTE = 200

_HAN_RUN = re.compile(f"[{HAN}]+")
_LATIN_WORD = re.compile(r"[A-Za-z0-9]+(?:['’\-.][A-Za-z0-9]+)*")
_NOISE = re.compile(r"```.*?```|<[^>]+>|https?://\S+", re.DOTALL)


def count_units(text: str) -> tuple[int, int]:
    """(CJK characters, Latin words) in ``text``, ignoring URLs, tags and fenced code."""
    text = _NOISE.sub(" ", text)
    # Han runs are matched whole (a few matches per paragraph, not one per character), and
    # the Latin count needs no blanking: no Han character can be part of a Latin word.
    han = sum(map(len, _HAN_RUN.findall(text)))
    return han, len(_LATIN_WORD.findall(text))


def reading_minutes(text: str) -> int:
    """Minutes to read ``text``, at least 1."""
    han, latin = count_units(text)
    return max(1, math.ceil(han / HAN_PER_MINUTE + latin / WORDS_PER_MINUTE))
