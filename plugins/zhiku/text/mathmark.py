"""Where a Markdown text holds code and math, and ``$…$`` math made explicit, pure.

The one reading of a body's code and formulas: the page typesets what it finds
(:func:`normalize`, before Markdown), and excerpts, feeds, search text and reading
time show each formula it finds as "[公式]" (:mod:`zhiku.text.plain`), so a page never
typesets a formula whose excerpt shows TeX, nor the reverse.

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
- ``\\$`` is a dollar, never a delimiter (``\\\\$x$`` is a backslash, then math);
- a formula never spans a blank line, except a display block whose
  ``$$`` or ``\\[`` delimiters stand on lines of their own (OI-wiki's lists of
  ``\\def``, an aligned derivation in paragraphs): it ends at its own closing line and
  never runs past a heading or a code fence; :func:`normalize` writes its blank lines
  as TeX comments (``%``) so that Markdown reads it as one block;
- nothing inside a fenced block (also in a blockquote or a list item) or inline code
  is math, and inline code comes first, as Markdown reads it: ``$a `b$` c`` is no
  formula. A fence is closed by the same fence; one never closed is text, as
  pymdownx.superfences leaves it.

``\\[NOI2014\\]`` inside a sentence (prose before or after it on its line, no TeX marker
``\\ ^ _ { } =`` inside) is the author escaping a bracket, not display math: it becomes
the bracketed text.

What :func:`normalize` writes is read by Markdown and mdx_math exactly as found here (a
property test renders generated notes to check it): a ``$…$`` that, written ``\\(…\\)``,
would close a ``\\(`` before it, or leave a ``$$ … $$`` pair with no dollar between, stays
text; a formula's lines are kept one block (blank lines written ``%``, a line starting
with ``#`` indented), a ``|`` in a table cell is written ``\\vert``, and an escaped
backslash right before a formula ``&#92;``. Line breaks are never added or removed, so
a line number in the result is the line number in the source. Delimiters nested in
other delimiters (``\\( $$x$$ \\)``) are read left to right here, but in Markdown's
order (``$$``, ``\\[``, ``\\(``) on the page: such TeX breaks on the page either way.

:func:`protected_spans` says where code and math are, for whoever reads the text for
something else (wiki links, headings, plain text).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from enum import Enum

from zhiku.text.chars import HAN

_QUOTE = r"(?:[ \t]*>)*[ \t]*"
# A fence line: blockquote markers and indentation, the fence, what follows it.
_FENCE_LINE = re.compile(rf"^{_QUOTE}(`{{3,}}|~{{3,}})([^\n]*)$", re.MULTILINE)
_SPECIAL = re.compile(r"[`\\$]")
# What ends a run of prose a formula or inline code stays within: a blank line (in a
# blockquote too).
_BREAK = re.compile(rf"^{_QUOTE}\n", re.MULTILINE)
_BLANK = re.compile(r"^[ \t]*$", re.MULTILINE)
# A line inside a formula that Markdown would read as a heading.
_HASH_LINE = re.compile(r"(?<=\n)(?=#)")
_TEX_MARKERS = frozenset("\\^_{}=")
# As mdx_math reads them: a lower-case environment name.
_BEGIN = re.compile(r"\\begin\{([a-z]+\*?)\}")
# Inline code as Python-Markdown reads it: a backtick run after an even number of
# backslashes, closed by a run of the same length.
_CODE = re.compile(r"(?<!\\)(?:\\\\)*(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)
# The inside of $…$ up to its closing dollar: a backslash takes the next character.
_DOLLAR_INSIDE = re.compile(r"(?:[^\\$]|\\.)*", re.DOTALL)
_NOT_HEADING = r"(?![ \t]{0,3}#{1,6}[ \t\n])"
# A display block on lines of its own, which may hold blank lines but no heading (and,
# as mdx_math reads ``$$``, no dollar; as it reads ``\\[``, no ``\\]`` before its end).
_DOLLAR_BLOCK = re.compile(
    rf"[ \t]*\$\$[ \t]*\n((?:{_NOT_HEADING}[^\n$`]*\n)*?)[ \t]*\$\$[ \t]*(?=\n|\Z)"
)
_BRACKET_BLOCK = re.compile(
    rf"[ \t]*\\\[[ \t]*\n((?:{_NOT_HEADING}(?:[^\n\\`]|\\[^\n\]])*\n)*?)[ \t]*\\\][ \t]*(?=\n|\Z)"
)


class Kind(Enum):
    FENCE = "fence"  # a fenced code block, fences included
    CODE = "code"  # inline code, backticks included
    MATH = "math"  # a formula written \( \), \[ \], $$ $$ or \begin{env}, delimiters included
    DOLLAR = "dollar"  # a $…$ formula, delimiters included
    BRACKET = "bracket"  # \[text\] that is an escaped bracket, not math


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Characters ``start``..``end`` of the text are code, math or an escaped bracket.

    ``inner`` is what the delimiters hold (a formula's TeX, the code, the bracketed
    text; a fenced block's lines between its fences); ``display`` tells a displayed
    formula (``$$``, ``\\[``, ``\\begin``) from an inline one."""

    start: int
    end: int
    kind: Kind = field(compare=False)
    inner: str = field(default="", compare=False)
    display: bool = field(default=False, compare=False)

    @property
    def is_formula(self) -> bool:
        return self.kind in (Kind.MATH, Kind.DOLLAR)


def protected_spans(markdown: str) -> list[Span]:
    """The fenced blocks, inline code, formulas and escaped brackets of ``markdown``, in
    order and never overlapping."""
    spans: list[Span] = []
    prose_start = 0
    fence: tuple[str, int] | None = None  # the open fence, where it starts
    for line in _FENCE_LINE.finditer(markdown):
        run, rest = line.group(1), line.group(2)
        if fence is None:
            if run[0] == "~" or "`" not in rest:  # ```x` is inline code
                fence = (run, line.start())
        elif run == fence[0] and not rest.strip():  # closed by the same fence, as
            # pymdownx.superfences reads it ("````" does not close "```")
            _scan_prose(markdown, prose_start, fence[1], spans)
            opening = markdown.find("\n", fence[1]) + 1
            inner = markdown[opening : max(opening, line.start() - 1)]
            spans.append(Span(fence[1], line.end(), Kind.FENCE, inner))
            fence = None
            prose_start = line.end()
    # A fence never closed is no code block (superfences leaves it, and all after it,
    # to be read as paragraphs): it is prose like the rest.
    _scan_prose(markdown, prose_start, len(markdown), spans)
    return spans


def _scan_prose(text: str, start: int, end: int, spans: list[Span]) -> None:
    # Paragraph by paragraph: neither code nor a formula spans a blank line, but a
    # display block on lines of its own may (the paragraph says where to resume).
    i = start
    while i < end:
        found = _BREAK.search(text, i, end)
        stop = end if found is None else found.start()
        resume = _scan_paragraph(text, i, stop, end, spans)
        if resume > stop:
            i = resume
        elif found is None:
            return
        else:
            i = found.end()


def _escaped(text: str, at: int) -> bool:
    """Whether the character at ``at`` follows an odd number of backslashes."""
    count = 0
    while at - count - 1 >= 0 and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1


class _Paragraph:
    """A paragraph's inline code, found first: Markdown reads it before any math."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.text, self.end = text, end
        self.codes: list[tuple[int, int, int]] = []  # start, end, backtick count
        if text.find("`", start, end) >= 0:
            for code in _CODE.finditer(text, start, end):
                self.codes.append((code.start(1), code.end(), len(code.group(1))))
        self.starts = [code[0] for code in self.codes]
        self.stray = False  # a "$$" that opens no formula was met
        self.open_paren = False  # a "\\(" that opens no formula was met

    def code_at(self, at: int) -> tuple[int, int, int] | None:
        k = bisect.bisect_right(self.starts, at) - 1
        if k >= 0 and self.codes[k][0] <= at < self.codes[k][1]:
            return self.codes[k]
        return None

    def code_between(self, start: int, end: int) -> bool:
        if not self.starts:
            return False
        k = bisect.bisect_left(self.starts, start)
        return k < len(self.starts) and self.starts[k] < end

    def find(self, needle: str, start: int) -> int:
        """Where ``needle`` next stands outside inline code, or -1."""
        if not self.starts:
            return self.text.find(needle, start, self.end)
        while True:
            at = self.text.find(needle, start, self.end)
            code = None if at < 0 else self.code_at(at)
            if code is None:
                return at
            start = code[1]


def _scan_paragraph(text: str, start: int, end: int, limit: int, spans: list[Span]) -> int:
    """Scan ``text[start:end]``; return where scanning resumes (past ``end`` when a
    display block on lines of its own runs on, at most to ``limit``)."""
    para = _Paragraph(text, start, end)
    i = start
    while True:
        found = _SPECIAL.search(text, i, end)
        if found is None:
            return end
        i = found.start()
        char = text[i]
        if char == "`":
            code = para.code_at(i)
            if code is None or code[0] != i:
                i += 1
                continue
            spans.append(Span(i, code[1], Kind.CODE, text[i + code[2] : code[1] - code[2]]))
            i = code[1]
            continue
        pair = text[i : i + 2]
        if pair == "$$" or pair == "\\[":
            block = _display_block(text, i, limit, spans)
            if block > end:
                return block
            if block >= 0:
                i = block
                continue
        if char == "\\":
            i = _backslash(text, i, para, spans)
        elif pair == "$$":
            i = _display_dollars(text, i, para, spans)
        else:
            i = _dollar(text, i, para, spans)


def _line_of(text: str, at: int) -> tuple[int, int]:
    """Where the line holding ``at`` starts and ends."""
    right = text.find("\n", at)
    return text.rfind("\n", 0, at) + 1, (len(text) if right < 0 else right)


def _display_block(text: str, i: int, limit: int, spans: list[Span]) -> int:
    """Where a display block on lines of its own opening at ``i`` ends, or -1."""
    if text.startswith("$$", i):
        pattern = _DOLLAR_BLOCK
    elif text.startswith("\\[", i) and not _escaped(text, i):
        pattern = _BRACKET_BLOCK
    else:
        return -1
    left = text.rfind("\n", 0, i) + 1
    if text[left:i].strip(" \t") or (pattern is _DOLLAR_BLOCK and _escaped(text, i)):
        return -1
    block = pattern.match(text, left, limit)
    if block is None:
        return -1
    opening = text.find("\n", i) + 1
    inner = text[opening : max(opening, block.start(1) + len(block.group(1)) - 1)]
    spans.append(Span(i, block.end(), Kind.MATH, inner, display=True))
    return block.end()


def _backslash(text: str, i: int, para: _Paragraph, spans: list[Span]) -> int:
    nxt = text[i + 1 : i + 2]
    if nxt == "(":
        close = para.find("\\)", i + 3)  # never empty, as mdx_math reads it
        if close < 0:
            para.open_paren = True
            return i + 2
        spans.append(Span(i, close + 2, Kind.MATH, text[i + 2 : close]))
        return close + 2
    if nxt == "[":
        close = para.find("\\]", i + 3)  # never empty, as mdx_math reads it
        if close < 0:
            return i + 2
        inside = text[i + 2 : close]
        left, right = _line_of(text, i)
        on_one_line = "\n" not in inside
        prose_around = text[left:i].strip(" \t>") or text[close + 2 : right].strip()
        if on_one_line and prose_around and not _TEX_MARKERS & set(inside):
            spans.append(Span(i, close + 2, Kind.BRACKET, inside))
        else:
            spans.append(Span(i, close + 2, Kind.MATH, inside, display=True))
        return close + 2
    if nxt == "b":
        begin = _BEGIN.match(text, i, para.end)
        if begin is not None:
            closing = "\\end{" + begin.group(1) + "}"
            close = para.find(closing, begin.end() + 1)
            if close >= 0:
                end = close + len(closing)
                spans.append(Span(i, end, Kind.MATH, text[i:end], display=True))
                return end
    return i + 2  # an escaped character (\$, \\, \`) or a TeX command in prose


def _display_dollars(text: str, i: int, para: _Paragraph, spans: list[Span]) -> int:
    if _escaped(text, i):
        return i + 1
    # As mdx_math reads $$…$$: no dollar inside, within one paragraph.
    close = para.find("$", i + 2)
    if close == i + 2:
        return i + 1  # "$$$": the "$$" mdx_math may read starts at the next dollar
    if close < 0 or not text.startswith("$$", close):
        para.stray = True
        return i + 2
    spans.append(Span(i, close + 2, Kind.MATH, text[i + 2 : close], display=True))
    return close + 2


def _dollar(text: str, i: int, para: _Paragraph, spans: list[Span]) -> int:
    end = para.end
    if _escaped(text, i) or i + 1 >= end:
        return i + 1
    j = _DOLLAR_INSIDE.match(text, i + 1, end).end()  # type: ignore[union-attr]  # always
    if j >= end or text[j] != "$" or (para.starts and para.code_between(i, j + 1)):
        return i + 1  # no closing dollar, or code in between: code comes first
    inside = text[i + 1 : j]
    digit_after = j + 1 < end and text[j + 1].isdigit()
    strict = inside[:1].strip() and inside[-1:].strip() and not digit_after
    if not (strict or _spaced_formula(inside, digit_after)) or "\\)" in inside:
        return i + 1  # not math, or a \) inside would end it early as \(…\)
    if para.open_paren or (para.stray and text.find("$$", j + 1, end) >= 0):
        # Written \(…\), this formula would close a "\\(" before it, or leave "$$ … $$"
        # with no dollar between, which Markdown reads as one formula: it stays text.
        return i + 1
    clash = _DISPLAY_OPENING.search(inside)
    if clash is not None and para.find("\\]", i + 1 + clash.end() + 1) >= 0:
        return i + 1  # Markdown reads \[…\] before \(…\)
    spans.append(Span(i, j + 1, Kind.DOLLAR, inside))
    return j + 1


_DISPLAY_OPENING = re.compile(r"(?<!\\)\\\[")  # as mdx_math reads it
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


def formulas(markdown: str) -> list[Span]:
    """The formulas of ``markdown`` (``$…$`` and the rest), outside code."""
    return [span for span in protected_spans(markdown) if span.is_formula]


_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*")
_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")  # a "|" no backslash escapes


def _in_table(text: str, at: int) -> bool:
    """Whether ``at`` is in a Markdown table: a block (after a blank line) whose second
    line is the rule under its header row."""
    blank = text.rfind("\n\n", 0, at)
    lines = text[blank + 2 if blank >= 0 else 0 :].split("\n", 2)[:2]
    return (
        len(lines) == 2
        and "|" in lines[0] + lines[1]
        and "-" in lines[1]
        and _TABLE_RULE.fullmatch(lines[1]) is not None
    )


def normalize(markdown: str) -> str:
    """``markdown`` with each ``$…$`` formula written ``\\(…\\)``, each escaped bracket
    ``\\[text\\]`` in a sentence written as the bracketed text, and a multi-line formula
    kept one block (its blank lines written ``%``, a line starting with ``#`` indented);
    the same lines, nothing else changes."""
    if "$" not in markdown and "\\" not in markdown:
        return markdown
    out: list[str] = []
    last = 0
    for span in protected_spans(markdown):
        start, end = span.start, span.end
        if span.kind is Kind.BRACKET:
            out.append(markdown[last:start])
            # Entities: Markdown shows them as brackets and never reads a link in them,
            # and a dollar inside pairs with no dollar outside.
            out.append("&#91;" + span.inner.replace("$", "&#36;") + "&#93;")
            last = end
            continue
        if not span.is_formula:
            continue
        before = markdown[last:start]
        if before.endswith("\\"):
            # An escaped backslash right before a formula: mdx_math would read the
            # formula's opening as escaped, so the backslash is written as an entity.
            before = before[:-2] + "&#92;"
        out.append(before)
        formula = markdown[start:end]
        if span.kind is Kind.DOLLAR:
            formula = "\\(" + span.inner + "\\)"
        if "|" in formula and _in_table(markdown, start):
            # A table splits its rows at "|" (not at "\\|"): in a cell, "|" is \vert.
            formula = _PIPE.sub(r"\1\\vert ", formula)
        if "\n" in formula:
            # So that Markdown reads the formula as one block: its blank lines become TeX
            # comments, and a line starting with # is not a heading (TeX ignores spaces).
            formula = _HASH_LINE.sub(" ", _BLANK.sub("%", formula))
        out.append(formula)
        last = end
    out.append(markdown[last:])
    return "".join(out)
