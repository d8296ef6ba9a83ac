"""An article's title is its page's one level-1 heading, pure.

Notes moved from other tools often start with ``# 标题`` (Typora, Obsidian, a plain
Markdown folder) or use ``#`` for their sections (Hexo themes print the title above the
body, so ``#`` is the first level a post writes). The article page prints the front
matter's title as its ``<h1>``, so :func:`fit_headings` drops a first heading that
repeats the title and, when level-1 headings remain, moves every heading one level down.
Code blocks and formulas are left alone, and no line is added or removed (a dropped
heading leaves an empty line), so line numbers still point at the source.

Headings are what Python-Markdown (which renders the page) reads as headings, not what
CommonMark would: ``#`` needs no space after it (``#1. 数据集`` is an h1) and may open a
list item or a quote (``- # 节``); an underlined line (setext, ``标题`` over ``===`` or
``---``) is a heading only when it is the first line of its block, so ``---`` under the
second line of a paragraph, or after a blank line, is a rule.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from zhiku.text.mathmark import Kind, protected_spans

# The container markers before a heading (``- ``, ``1. ``, ``> ``), then the hashes.
_ATX = re.compile(r"((?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+|[ \t]*>[ \t]?)*)(#{1,6})(?!#)(.*)")
_CLOSING = re.compile(r"(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r" {0,3}(=+|-+)[ \t]*$")
_LEVEL_ONE = re.compile(
    r"^(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+|[ \t]*>[ \t]?)*(?:#(?!#)|=+[ \t]*$)", re.MULTILINE
)
_NOT_TEXT = re.compile(r"^(?: {0,3}(?:[>*+-]|\d+[.)])(?:[ \t]|$)| {4}|\t|\s*$|\s*<)")


@dataclass(frozen=True, slots=True)
class _Heading:
    line: int  # index of the heading's (first) line
    level: int
    text: str
    setext: bool  # underlined: the text line and the underline below it


def _heading_text(text: str) -> str:
    return _CLOSING.sub("", text).strip()


def _headings(lines: list[str], hidden: set[int]) -> list[_Heading]:
    found: list[_Heading] = []
    for i, line in enumerate(lines):
        if i in hidden:
            continue
        atx = _ATX.match(line)
        if atx:
            found.append(_Heading(i, len(atx.group(2)), _heading_text(atx.group(3)), False))
            continue
        under = _SETEXT.match(line)
        if (
            under
            and i > 0
            and i - 1 not in hidden
            and not _NOT_TEXT.match(lines[i - 1])
            and not _ATX.match(lines[i - 1])
            and not (found and found[-1].line == i - 1)
            and (
                _block_start(lines, i - 1)
                or (found and found[-1].setext and found[-1].line == i - 3)
            )
        ):
            level = 1 if under.group(1)[0] == "=" else 2
            found.append(_Heading(i - 1, level, lines[i - 1].strip(), True))
    return found


def _block_start(lines: list[str], i: int) -> bool:
    """Whether line ``i`` opens a block (Python-Markdown underlines only such a line), or
    follows a heading (which ends the block it is in)."""
    return i == 0 or not lines[i - 1].strip() or bool(_ATX.match(lines[i - 1]))


def _hidden_lines(markdown: str, lines: list[str]) -> set[int]:
    """Lines that are inside a fenced block or a multi-line formula."""
    starts = []
    at = 0
    for line in lines:
        starts.append(at)
        at += len(line) + 1
    hidden: set[int] = set()
    line_no = 0
    for span in protected_spans(markdown):
        multiline = "\n" in markdown[span.start : span.end]
        if not (span.kind is Kind.FENCE or span.is_formula) or not multiline:
            continue
        while line_no + 1 < len(starts) and starts[line_no + 1] <= span.start:
            line_no += 1
        i = line_no
        while i < len(starts) and starts[i] < span.end:
            hidden.add(i)
            i += 1
    return hidden


def same_title(heading: str, title: str) -> bool:
    """Whether a heading says the title: compared ignoring case, white space,
    punctuation, Markdown emphasis and full- or half-width forms."""
    return _key(heading) == _key(title) and _key(title) != ""


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        ch for ch in text if unicodedata.category(ch)[0] not in "PZ" and ch not in "*_`~ \t"
    )


def fit_headings(markdown: str, title: str) -> str:
    """``markdown`` (an article's body) without a first heading that repeats ``title``,
    its headings one level down when level-1 headings remain; same number of lines."""
    if not _LEVEL_ONE.search(markdown):
        return markdown  # nothing to drop or move (most notes): no scan for code
    lines = markdown.split("\n")
    headings = _headings(lines, _hidden_lines(markdown, lines))
    if not headings:
        return markdown
    first = headings[0]
    if first.level == 1 and same_title(first.text, title):
        lines[first.line] = ""
        if first.setext:
            lines[first.line + 1] = ""
        headings = headings[1:]
    if any(h.level == 1 for h in headings):
        for h in headings:
            level = min(h.level + 1, 6)
            if h.setext:
                lines[h.line] = "#" * level + " " + h.text
                lines[h.line + 1] = ""
            else:
                atx = _ATX.match(lines[h.line])
                assert atx is not None
                lines[h.line] = atx.group(1) + "#" * level + lines[h.line][atx.end(2) :]
    return "\n".join(lines)
