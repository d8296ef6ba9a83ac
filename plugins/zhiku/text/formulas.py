"""Where the formulas, the code and the literal dollars of a Markdown body are.

One left-to-right scan finds, in the order a reader meets them:

- fenced code (```` ``` ```` or ``~~~``, closed by the same fence or the end of the
  text; also inside a blockquote) and inline code (a run of backticks closed by the
  same run): nothing inside is math;
- ``\\\\`` and ``\\$``: a literal backslash and a literal dollar, which never open or
  close a formula;
- display math: ``$$ … $$``, ``\\[ … \\]``, ``\\begin{env} … \\end{env}``;
- inline math: ``\\( … \\)`` and ``$ … $`` by pymdownx.arithmatex's "smart dollar"
  rules: the opening ``$`` is not followed by a space, the closing one is not
  preceded by a space nor followed by a digit, so ``$5 and $10`` is a price and
  ``$x^2$`` a formula.

No formula spans a blank line, except a display block whose ``$$`` or ``\\[``
delimiters stand on lines of their own. ``\\[NOI2014\\]`` inside a sentence (the pair on one
line with prose before or after it, and no TeX marker ``\\ ^ _ { } =`` inside) is a
bracketed text, not display math.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["fence", "code", "literal", "display", "inline", "bracket"]

# A character of a formula: anything but a blank line (a newline followed by only
# whitespace and another newline); a backslash takes the next character with it.
_IN = r"(?:[^\\\n{stop}]|\\[^\n]|\n(?![ \t]*(?:>[ \t]*)*\n))"
_QUOTE = r"(?:[ \t]*>)*[ \t]*"
_BLOCK_LINE = r"(?:[^\n]|\n(?![ \t]*(?:#{1,6}[ \t]|```|~~~)))"
_SCAN = re.compile(
    # Fenced code: from an opening fence line to the same fence or the end of the text.
    rf"(?P<fence>^{_QUOTE}(?P<mark>`{{3,}}|~{{3,}})[^\n]*"
    rf"(?:.*?\n{_QUOTE}(?P=mark)[`~]*[ \t]*(?=\n|\Z)|.*\Z))"
    # Inline code: a run of backticks closed by a run of the same length, within a block.
    r"|(?P<code>(?P<ticks>`+)(?!`)(?:[^\n]|\n(?![ \t]*\n))+?(?<!`)(?P=ticks)(?!`))"
    r"|(?P<literal>\\\\|\\\$)"
    # A display block whose delimiters stand on lines of their own may hold blank lines
    # (a list of \def macros, an aligned derivation in paragraphs): it ends at its own
    # closing line, and never runs past a heading or a code fence (a stray "$$" line).
    rf"|^[ \t]*\$\$[ \t]*\n(?P<ddblock>{_BLOCK_LINE}*?)\n[ \t]*\$\$[ \t]*$"
    rf"|^[ \t]*\\\[[ \t]*\n(?P<bblock>{_BLOCK_LINE}*?)\n[ \t]*\\\][ \t]*$"
    rf"|\$\$(?P<dd>{_IN.format(stop='$')}+?)\$\$"
    rf"|\\\[(?P<bracket>{_IN.format(stop='')}+?)\\\]"
    rf"|\\\((?P<paren>{_IN.format(stop='')}+?)\\\)"
    r"|(?P<env>\\begin\{(?P<name>[A-Za-z]+\*?)\}.+?\\end\{(?P=name)\})"
    rf"|\$(?![\s$])(?P<dollar>{_IN.format(stop='$')}+?)(?<!\s)\$(?!\d)",
    re.DOTALL | re.MULTILINE,
)
# What only TeX writes: a bracket holding none of these is text ("\[NOI2014\]").
_TEX_MARKERS = re.compile(r"[\\^_{}=]")


@dataclass(frozen=True, slots=True)
class Span:
    """One thing the scan found: ``text[start:end]``, what it is, and its inside (the
    TeX of a formula, the code of inline code, the text of a bracket)."""

    start: int
    end: int
    kind: Kind
    inner: str


def _bracket_is_text(text: str, start: int, end: int, inner: str) -> bool:
    """True when ``\\[inner\\]`` at ``text[start:end]`` is bracketed text in a sentence."""
    if "\n" in inner or _TEX_MARKERS.search(inner):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    before = text[line_start:start].strip(" \t>")
    after = text[end : len(text) if line_end < 0 else line_end].strip()
    return bool(before or after)


def scan(text: str) -> Iterator[Span]:
    """The code, literal characters and formulas of ``text``, in order, never overlapping."""
    for match in _SCAN.finditer(text):
        start, end = match.span()
        if match.group("fence") is not None:
            yield Span(start, end, "fence", match.group("fence"))
        elif match.group("code") is not None:
            ticks = len(match.group("ticks"))
            yield Span(start, end, "code", match.group("code")[ticks:-ticks])
        elif match.group("literal") is not None:
            yield Span(start, end, "literal", match.group("literal")[1])
        elif match.group("bracket") is not None:
            inner = match.group("bracket")
            if _bracket_is_text(text, start, end, inner):
                yield Span(start, end, "bracket", inner)
            else:
                yield Span(start, end, "display", inner)
        elif match.group("dd") is not None:
            yield Span(start, end, "display", match.group("dd"))
        elif match.group("ddblock") is not None:
            yield Span(start, end, "display", match.group("ddblock"))
        elif match.group("bblock") is not None:
            yield Span(start, end, "display", match.group("bblock"))
        elif match.group("env") is not None:
            yield Span(start, end, "display", match.group("env"))
        else:
            inner = match.group("paren")
            yield Span(start, end, "inline", match.group("dollar") if inner is None else inner)


def formulas(text: str) -> list[Span]:
    """The formulas of ``text`` (display and inline), outside code."""
    return [span for span in scan(text) if span.kind in ("display", "inline")]
