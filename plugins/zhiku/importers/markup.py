"""Markdown as import rewrites it: only outside code (fenced blocks and inline spans)."""

from __future__ import annotations

import re
from collections.abc import Callable

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# An inline code span: never across a blank line (a paragraph's end closes nothing).
_INLINE_CODE = re.compile(r"(`+)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.S)


def prose_blocks(body: str) -> list[tuple[bool, str]]:
    """``body`` cut into (is code, text) pieces, line-wise at fenced code blocks."""
    pieces: list[tuple[bool, str]] = []
    lines = body.splitlines(keepends=True)
    buffer: list[str] = []
    fence: str | None = None
    for line in lines:
        match = _FENCE.match(line)
        if fence is None and match:
            if buffer:
                pieces.append((False, "".join(buffer)))
            buffer = [line]
            fence = match.group(1)
        elif (
            fence is not None
            and match
            and match.group(1)[0] == fence[0]
            and len(match.group(1)) >= len(fence)
            and not line.strip().strip(fence[0])
        ):
            buffer.append(line)
            pieces.append((True, "".join(buffer)))
            buffer, fence = [], None
        else:
            buffer.append(line)
    if buffer:
        pieces.append((fence is not None, "".join(buffer)))
    return pieces


def outside_code(body: str, change: Callable[[str], str]) -> str:
    """``body`` with ``change`` applied to every stretch that is not code."""
    out: list[str] = []
    for is_code, text in prose_blocks(body):
        if is_code:
            out.append(text)
            continue
        last = 0
        for match in _INLINE_CODE.finditer(text):
            out.append(change(text[last : match.start()]))
            out.append(match.group(0))
            last = match.end()
        out.append(change(text[last:]))
    return "".join(out)


# [text](target "title") and ![alt](target), target maybe <in angle brackets>.
LINK = re.compile(
    r"(?<!\\)(?P<bang>!?)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
    r"\(\s*(?P<target><[^<>\n]*>|[^\s()]+(?:\([^\s()]*\)[^\s()]*)*)"
    r"(?P<title>\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
)
HTML_SRC = re.compile(
    r"(?P<head><(?:img|video|source|audio)\b[^>]*?\bsrc\s*=\s*)(?P<q>[\"']?)(?P<src>[^\"'\s>]+)(?P=q)",
    re.I,
)
FIRST_HEADING = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$", re.M)


def first_heading(body: str) -> tuple[str | None, str]:
    """The text of the body's first ``# `` heading (outside code) and the body without that
    line; (None, body) when there is none."""
    offset = 0
    for is_code, text in prose_blocks(body):
        if not is_code:
            match = FIRST_HEADING.search(text)
            if match:
                start, end = offset + match.start(), offset + match.end()
                rest = body[:start] + body[end:].removeprefix("\n")
                title = match["title"].strip()
                return (title or None), (rest.lstrip("\n") if not body[:start].strip() else rest)
        offset += len(text)
    return None, body


def top_headings(body: str) -> int:
    """How many ``# `` headings ``body`` has outside code."""
    return sum(
        len(FIRST_HEADING.findall(text)) for is_code, text in prose_blocks(body) if not is_code
    )


_ANY_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)


def heading_texts(body: str) -> frozenset[str]:
    """The texts of ``body``'s headings (any level), outside code."""
    return frozenset(
        m["text"].strip()
        for is_code, text in prose_blocks(body)
        if not is_code
        for m in _ANY_HEADING.finditer(text)
    )
