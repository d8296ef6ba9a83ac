"""Reading time counted the way a technical note is read.

- Prose: CJK characters at :data:`HAN_PER_MINUTE` (400 a minute) and Latin words at
  :data:`WORDS_PER_MINUTE` (200 a minute), typical silent-reading speeds for
  technical prose in each script. Links, images and URLs count as their text only.
- Formulas: :data:`INLINE_FORMULA_SECONDS` (1 s) for an inline formula, most often a
  symbol or two read like a word in the sentence, and :data:`DISPLAY_FORMULA_SECONDS`
  (5 s) for a displayed one, which a reader stops to look at; whatever their TeX
  (``\\boldsymbol{\\Sigma}`` is one symbol to a reader, not three words). A short
  inline formula that reads as text (``$m$``) counts as its words. So a chapter of
  notes with 300 formulas reads about 7 minutes longer than its prose, where counting
  their 5,000 characters of TeX as words doubled it.
- Code blocks: :data:`CODE_LINE_SECONDS` (2 s) per non-blank line; a reader
  skims code, so its tokens are not words. Inline code counts as its words.
"""

from __future__ import annotations

import math
import re

from zhiku.text.chars import HAN
from zhiku.text.plain import reading_body

HAN_PER_MINUTE = 400
WORDS_PER_MINUTE = 200
INLINE_FORMULA_SECONDS = 1
DISPLAY_FORMULA_SECONDS = 5
CODE_LINE_SECONDS = 2

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


def reading_seconds(markdown: str) -> float:
    """Seconds to read the Markdown body ``markdown``; see the module docstring."""
    body = reading_body(markdown)
    han, latin = count_units(" ".join(block.text for block in body.blocks))
    return (
        60 * (han / HAN_PER_MINUTE + latin / WORDS_PER_MINUTE)
        + INLINE_FORMULA_SECONDS * body.inline_formulas
        + DISPLAY_FORMULA_SECONDS * body.display_formulas
        + CODE_LINE_SECONDS * body.code_lines
    )


def reading_minutes(markdown: str) -> int:
    """Minutes to read the Markdown body ``markdown``, at least 1."""
    # Rounded up from a hair over a whole minute ("深" * 400 is 1 minute, not 2).
    return max(1, math.ceil(reading_seconds(markdown) / 60 - 1e-9))
