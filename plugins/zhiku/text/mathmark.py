"""Where a Markdown text holds code and math, and ``$…$`` math made explicit, pure.

Notes written for Hexo, Typora, Obsidian or MkDocs-Material write inline formulas as
``$…$``. Python-Markdown's math extension (``mdx_math``) reads ``\\( \\)``, ``\\[ \\]``,
``$$ $$`` and ``\\begin{env}…\\end{env}``; :func:`normalize` turns every ``$…$`` that is
math by the usual rules (pymdownx.arithmatex's "smart dollar", plus pandoc's "not
followed by a digit") into ``\\(…\\)``, so it is typeset like any other formula:

- the opening ``$`` is not followed by white space, the closing one is not preceded by
  white space nor followed by a digit: ``$5 and $10`` is text, ``$x^2$`` math; notes
  written for MathJax also put spaces inside (``$z_t $``) or a digit after (``$-$1``):
  such a pair is math when it reads as TeX (:func:`_spaced_formula`), never when it
  reads as prose or money;
- ``\\$`` is a dollar, never a delimiter; a formula never spans a blank line;
- nothing inside inline code or a fenced block is math (nor a wiki link).

``\\[NOI2014\\]`` inside a sentence (prose before or after it on its line, no TeX marker
``\\ ^ _ { } =`` inside) is the author escaping a bracket, not display math: it becomes
the bracketed text. Line breaks are never added or removed, so a line number in the
result is the line number in the source.

:func:`protected_spans` says where code and math are, for whoever reads the text for
something else (wiki links, headings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from zhiku.text.chars import HAN

_FENCE_OPEN = re.compile(r"[ \t]*(`{3,}|~{3,})")
_SPECIAL = re.compile(r"[`\\$]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_TEX_MARKERS = frozenset("\\^_{}=")
_BEGIN = re.compile(r"\\begin\{([a-zA-Z]+\*?)\}")


class Kind(Enum):
    FENCE = "fence"  # a fenced code block, fences included
    CODE = "code"  # inline code, backticks included
    MATH = "math"  # a formula, delimiters included
    DOLLAR = "dollar"  # a $…$ formula, delimiters included
    BRACKET = "bracket"  # \[text\] that is an escaped bracket, not math


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Characters ``start``..``end`` of the text are code, math or an escaped bracket."""

    start: int
    end: int
    kind: Kind


def protected_spans(markdown: str) -> list[Span]:
    """The fenced blocks, inline code, formulas and escaped brackets of ``markdown``, in
    order and never overlapping."""
    spans: list[Span] = []
    prose_start = 0
    offset = 0
    fence: tuple[str, int] | None = None  # (character, length) of the open fence
    fence_start = 0
    for line in markdown.splitlines(keepends=True):
        found = _FENCE_OPEN.match(line)
        if fence is None and found:
            run = found.group(1)
            if run[0] == "~" or "`" not in line[found.end() :]:  # ```x` is inline code
                _scan_prose(markdown, prose_start, offset, spans)
                fence, fence_start = (run[0], len(run)), offset
        elif fence is not None and found:
            run = found.group(1)
            if run[0] == fence[0] and len(run) >= fence[1] and not line[found.end() :].strip():
                spans.append(Span(fence_start, offset + len(line.rstrip("\r\n")), Kind.FENCE))
                fence = None
                prose_start = offset + len(line)
        offset += len(line)
    if fence is not None:  # never closed: code to the end, as Markdown reads it
        spans.append(Span(fence_start, len(markdown), Kind.FENCE))
    else:
        _scan_prose(markdown, prose_start, len(markdown), spans)
    return spans


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _scan_prose(text: str, start: int, end: int, spans: list[Span]) -> None:
    # Paragraph by paragraph: neither code nor a formula spans a blank line.
    for blank in _BLANK_LINE.finditer(text, start, end):
        _scan_paragraph(text, start, blank.start(), spans)
        start = blank.end() - 1
    _scan_paragraph(text, start, end, spans)


def _scan_paragraph(text: str, start: int, end: int, spans: list[Span]) -> None:
    i = start
    while True:
        found = _SPECIAL.search(text, i, end)
        if found is None:
            return
        i = found.start()
        char = text[i]
        if char == "`":
            i = _code(text, i, end, spans)
        elif char == "\\":
            i = _backslash(text, i, end, spans)
        elif text.startswith("$$", i):
            i = _display_dollars(text, i, end, spans)
        else:
            i = _dollar(text, i, end, spans)


def _code(text: str, i: int, end: int, spans: list[Span]) -> int:
    run = i
    while run < end and text[run] == "`":
        run += 1
    ticks = run - i
    search = run
    while True:
        close = text.find("`" * ticks, search, end)
        if close < 0:
            return run  # no closing run: the backticks are text
        after = close + ticks
        if after < end and text[after] == "`":  # a longer run closes nothing
            while after < end and text[after] == "`":
                after += 1
            search = after
            continue
        spans.append(Span(i, after, Kind.CODE))
        return after


def _line_of(text: str, at: int) -> tuple[int, int]:
    """Where the line holding ``at`` starts and ends."""
    right = text.find("\n", at)
    return text.rfind("\n", 0, at) + 1, (len(text) if right < 0 else right)


def _backslash(text: str, i: int, end: int, spans: list[Span]) -> int:
    nxt = text[i + 1 : i + 2]
    if nxt == "(":
        close = text.find("\\)", i + 2, end)
        if close < 0:
            return i + 2
        spans.append(Span(i, close + 2, Kind.MATH))
        return close + 2
    if nxt == "[":
        close = text.find("\\]", i + 2, end)
        if close < 0:
            return i + 2
        inside = text[i + 2 : close]
        left, right = _line_of(text, i)
        on_one_line = "\n" not in inside
        prose_around = text[left:i].strip() or text[close + 2 : right].strip()
        if on_one_line and prose_around and not _TEX_MARKERS & set(inside):
            spans.append(Span(i, close + 2, Kind.BRACKET))
        else:
            spans.append(Span(i, close + 2, Kind.MATH))
        return close + 2
    if nxt == "b":
        begin = _BEGIN.match(text, i, end)
        if begin is not None:
            closing = "\\end{" + begin.group(1) + "}"
            close = text.find(closing, begin.end(), end)
            if close >= 0:
                spans.append(Span(i, close + len(closing), Kind.MATH))
                return close + len(closing)
    return i + 2  # an escaped character (\$, \\, \`) or a TeX command in prose


def _display_dollars(text: str, i: int, end: int, spans: list[Span]) -> int:
    if _escaped(text, i):
        return i + 1
    # As mdx_math reads $$…$$: no dollar inside, within one paragraph.
    close = text.find("$", i + 2, end)
    if close <= i + 2 or not text.startswith("$$", close):
        return i + 2
    spans.append(Span(i, close + 2, Kind.MATH))
    return close + 2


def _dollar(text: str, i: int, end: int, spans: list[Span]) -> int:
    if _escaped(text, i) or i + 1 >= end:
        return i + 1
    j = i + 1
    while j < end and text[j] != "$":
        if text[j] == "`":
            return i + 1  # code takes precedence over math, as Markdown reads it
        j += 2 if text[j] == "\\" else 1
    if j >= end:
        return i + 1
    inside = text[i + 1 : j]
    digit_after = j + 1 < end and text[j + 1].isdigit()
    strict = inside[:1].strip() and inside[-1:].strip() and not digit_after
    if "\\)" in inside or not (strict or _spaced_formula(inside, digit_after)):
        return i + 1
    spans.append(Span(i, j + 1, Kind.DOLLAR))
    return j + 1


_CJK = re.compile(f"[{HAN}\u3000-\u30ff\uff00-\uffef]")  # Han, kana, CJK punctuation
_TEX_LOOK = re.compile(r"\\[A-Za-z]|[\^_{}]")
_PROSE_WORDS = re.compile(r"(?<![\\A-Za-z])[A-Za-z]{2,}\s+[A-Za-z]{2,}")
_OPERATOR = re.compile(r"[-+=<>*/|]|\\(?:pm|mp|times|cdot|div)|[A-Za-z]")


def _spaced_formula(inside: str, digit_after: bool) -> bool:
    """Whether ``$ … $`` with a space inside its dollars, or a digit after them, is a
    formula all the same: notes written for MathJax or KaTeX's auto-render (Hexo,
    docsify, Typora) write ``$z_t $``, ``$ \\left[x\\right] $`` and ``$-$1``. It is when
    what it holds reads as TeX (a command, ``^ _ { }``, or one letter or operator), has
    no Chinese, no run of plain words and does not start with a digit (``$ 5 and $``);
    before a digit, only a lone operator or letter (``$-$1``)."""
    held = inside.strip()
    if not held or held[0].isdigit() or _CJK.search(held) or _PROSE_WORDS.search(held):
        return False
    if digit_after:
        return _OPERATOR.fullmatch(held) is not None and held.isascii() and not held.isalpha()
    return _TEX_LOOK.search(held) is not None or _OPERATOR.fullmatch(held) is not None


def normalize(markdown: str) -> str:
    """``markdown`` with each ``$…$`` formula written ``\\(…\\)`` and each escaped bracket
    ``\\[text\\]`` in a sentence written as the bracketed text; nothing else changes."""
    if "$" not in markdown and "\\[" not in markdown:
        return markdown
    out: list[str] = []
    last = 0
    for span in protected_spans(markdown):
        if span.kind is Kind.DOLLAR:
            out.append(markdown[last : span.start])
            out.append("\\(" + markdown[span.start + 1 : span.end - 1] + "\\)")
            last = span.end
        elif span.kind is Kind.BRACKET:
            out.append(markdown[last : span.start])
            # Entities: Markdown shows them as brackets and never reads a link in them.
            out.append("&#91;" + markdown[span.start + 2 : span.end - 2] + "&#93;")
            last = span.end
    out.append(markdown[last:])
    return "".join(out)
