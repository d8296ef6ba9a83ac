"""Markdown as import rewrites it: only outside code (fenced blocks and inline spans)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

from zhiku.text.mathmark import Kind, protected_spans

_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
# An inline code span: never across a blank line (a paragraph's end closes nothing).
_INLINE_CODE = re.compile(r"(`+)(?:(?!\n[ \t]*\n).)*?(?<!`)\1(?!`)", re.S)


# Where a fenced block stood while a rewrite reads the text around it (private-use
# characters, which no note holds), and the line that brings it back.
_SET_ASIDE = "\ue0f0"
_SET_ASIDE_AT = re.compile(
    r"^(?P<indent>[ \t]*)" + _SET_ASIDE + r"(?P<n>\d+)" + _SET_ASIDE + r"\n", re.MULTILINE
)
# What a tag or shortcode naming a video links to: a page here embeds no other site.
VIDEO_URLS = {
    "youtube": "https://www.youtube.com/watch?v={}",
    "bilibili": "https://www.bilibili.com/video/{}",
    "vimeo": "https://vimeo.com/{}",
}


def around_code(body: str, change: Callable[[str], str]) -> str:
    """``body`` with ``change`` applied to its text with each fenced code block set
    aside as one line; a block the change moved into an indented block (a tab, an
    admonition) comes back indented as that line is. For block tags and shortcodes
    that hold code: the code moves with them and nothing inside it is read."""
    code: list[str] = []
    parts: list[str] = []
    for is_code, text in prose_blocks(body):
        if is_code:
            code.append(text)
            parts.append(f"{_SET_ASIDE}{len(code) - 1}{_SET_ASIDE}\n")
        else:
            parts.append(text)
    changed = change("".join(parts))

    def restore(match: re.Match[str]) -> str:
        block = code[int(match["n"])]
        indent = match["indent"]
        if not indent:
            return block
        return "".join(indent + x if x.strip() else x for x in block.splitlines(True))

    return _SET_ASIDE_AT.sub(restore, changed)


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
    r"(?P<head><(?P<tag>img|image|video|source|audio|a)\b[^>]*?\b(?:src|href)\s*=\s*)"
    r"(?P<q>[\"']?)(?P<src>[^\"'\s>]+)(?P=q)",
    re.I,
)
# A whole <img> (or the <image> browsers read as one) tag, to read its attributes.
IMG_TAG = re.compile(r"<(?:img|image)\b(?P<attrs>[^<>]*?)/?>", re.I)
HTML_ATTR = re.compile(
    r"(?P<name>[a-zA-Z_:][-\w:.]*)"
    r"(?:\s*=\s*(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"'=<>`]+)))?"
)
# An HTML block as Python-Markdown reads it: a line opening with a block-level tag; its
# contents are never Markdown, so a Markdown image inside would show as text.
_HTML_BLOCK = re.compile(
    r"[ ]{0,3}<(?P<tag>address|article|aside|blockquote|center|details|dialog|div|dl|"
    r"fieldset|figure|footer|form|h[1-6]|header|iframe|nav|ol|p|pre|section|table|ul|"
    r"video|audio|picture|math|canvas|noscript|script|style)\b",
    re.I,
)
_PROTECTED = (Kind.FENCE, Kind.CODE, Kind.MATH, Kind.DOLLAR)
_BLANK = "\ue000"


def masked(text: str) -> str:
    """``text`` with its code and formulas blanked out (same length, same line breaks),
    so that a pattern run over it finds links, tags and wiki links in prose only."""
    out: list[str] = []
    last = 0
    for span in protected_spans(text):
        if span.kind not in _PROTECTED:
            continue
        out.append(text[last : span.start])
        out.append(re.sub(r"[^\n]", _BLANK, text[span.start : span.end]))
        last = span.end
    out.append(text[last:])
    return "".join(out)


class Found:
    """A match found in the masked text, read from the original one."""

    __slots__ = ("_match", "_text")

    def __init__(self, match: re.Match[str], text: str) -> None:
        self._match = match
        self._text = text

    def __getitem__(self, name: str | int) -> str | None:
        start, end = self._match.span(name)
        return None if start < 0 else self._text[start:end]

    def group(self, name: str | int = 0) -> str:
        return self[name] or ""

    def start(self, name: str | int = 0) -> int:
        return self._match.start(name)


def sub_prose(pattern: re.Pattern[str], text: str, change: Callable[[Found], str]) -> str:
    """``pattern.sub(change, text)`` that never matches inside code or a formula."""
    out: list[str] = []
    last = 0
    for match in pattern.finditer(masked(text)):
        out.append(text[last : match.start()])
        out.append(change(Found(match, text)))
        last = match.end()
    out.append(text[last:])
    return "".join(out)


def html_blocks(text: str) -> list[tuple[int, int]]:
    """Where ``text`` has raw HTML blocks (character ranges), as Python-Markdown finds
    them: from a block-level opening tag at a line's start to the line closing it."""
    found: list[tuple[int, int]] = []
    lines = text.splitlines(keepends=True)
    at = 0
    i = 0
    while i < len(lines):
        line = lines[i]
        opening = _HTML_BLOCK.match(line)
        if opening:
            tag = opening["tag"].lower()
            start, depth, j = at, 0, i
            while j < len(lines):
                depth += len(re.findall(rf"<{tag}\b", lines[j], re.I))
                depth -= len(re.findall(rf"</{tag}\s*>", lines[j], re.I))
                at += len(lines[j])
                j += 1
                if depth <= 0:
                    break
            found.append((start, at))
            i = j
            continue
        at += len(line)
        i += 1
    return found


FIRST_HEADING = re.compile(r"^#[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*$", re.M)
# A heading's own anchor or classes after it: {#server-options}, { .lead }, {: #id }.
_HEADING_ATTRS = re.compile(r"[ \t]*\{:?[ \t]*[#.][^{}\n]*\}[ \t]*$")
_HEADING_LINE = re.compile(r"^(?P<marks>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)
_CUSTOM_ID = re.compile(r"\{:?[^{}\n]*#(?P<id>[\w\-.:\u0080-\uffff]+)[^{}\n]*\}[ \t]*$")


def first_heading(body: str) -> tuple[str | None, str]:
    """The text of the body's first ``# `` heading (outside code) and the body without that
    line; (None, body) when there is none. A body with no such heading may open with an
    HTML ``<h1>`` (a README's centred banner): its text, and the body without it."""
    offset = 0
    for is_code, text in prose_blocks(body):
        if not is_code:
            match = FIRST_HEADING.search(text)
            if match:
                start, end = offset + match.start(), offset + match.end()
                rest = body[:start] + body[end:].removeprefix("\n")
                title = _HEADING_ATTRS.sub("", match["title"]).strip()
                return (title or None), (rest.lstrip("\n") if not body[:start].strip() else rest)
        offset += len(text)
    html = _HTML_H1.search(masked(body))
    if html and not html_text(body[: html.start()]):
        title = html_text(body[html.start("text") : html.end("text")])
        if title:
            return title, body[: html.start()] + body[html.end() :]
    return None, body


def html_text(markup: str) -> str:
    """The words of an HTML fragment: tags dropped, entities read, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^<>]*>", "", markup)).split())


def top_headings(body: str) -> int:
    """How many ``# `` headings (or HTML ``<h1>``) ``body`` has outside code."""
    hashes = sum(
        len(FIRST_HEADING.findall(text)) for is_code, text in prose_blocks(body) if not is_code
    )
    return hashes or len(_HTML_H1.findall(masked(body)))


def demote_html_h1(body: str) -> str:
    """``body`` with its HTML ``<h1>`` made ``<h2>``: on the page the title is the h1."""
    return sub_prose(_H1_TAG, body, lambda m: f"<{m['close'] or ''}h2")


_HTML_H1 = re.compile(r"<h1\b[^>]*>(?P<text>.*?)</h1\s*>", re.I | re.S)
_H1_TAG = re.compile(r"<(?P<close>/?)h1(?=[\s>])", re.I)
# `#1. 数据集` or `- #2. 混合`: a hash without a space after it, which CommonMark (Hexo's
# marked, Hugo's goldmark, Obsidian, Typora) reads as text and Python-Markdown as a heading.
_HASH_TEXT = re.compile(
    r"^(?P<lead>(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+|[ \t]*>[ \t]?)*)(?P<hashes>#{1,6})(?=[^#\s\\])",
    re.M,
)


def hashes_as_text(body: str) -> str:
    """``body`` (CommonMark) with a line-opening ``#word`` escaped, so that it stays text
    (not in code, formulas or raw HTML: a ``<style>`` block's ``#id`` stays)."""
    blocks = html_blocks(body)

    def escape(match: Found) -> str:
        if any(start <= match.start() < end for start, end in blocks):
            return match.group(0)
        return f"{match['lead']}\\{match['hashes']}"

    return sub_prose(_HASH_TEXT, body, escape)


_ANY_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)


def heading_texts(body: str) -> frozenset[str]:
    """The texts of ``body``'s headings (any level), outside code."""
    return frozenset(
        m["text"].strip()
        for is_code, text in prose_blocks(body)
        if not is_code
        for m in _ANY_HEADING.finditer(text)
    )


def headings(body: str) -> list[tuple[int, str, str | None]]:
    """The ``#`` headings of ``body`` outside code, in order: (their level, their text as
    a reader sees it, without inline code marks or a trailing attribute list; the anchor
    they name themselves with ``{#id}``, else None)."""
    found: list[tuple[int, str, str | None]] = []
    for is_code, text in prose_blocks(body):
        if is_code:
            continue
        for match in _HEADING_LINE.finditer(text):
            line = match["text"]
            custom = _CUSTOM_ID.search(line)
            words = _HEADING_ATTRS.sub("", line)
            words = re.sub(r"`([^`]*)`", r"\1", words)
            words = re.sub(r"(\*\*|__)(.+?)\1", r"\2", words)
            found.append((len(match["marks"]), words.strip(), custom["id"] if custom else None))
    return found
