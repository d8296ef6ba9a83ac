"""Excerpts cut at sentence boundaries, for Chinese and English text alike."""

from __future__ import annotations

import html
import re

# A sentence ends after 。！？；… (optionally followed by closing quotes/brackets),
# or after . ! ? ; followed by a space, as in English.
_SENTENCE_END = re.compile(r"(?:[。！？；!?]|……|…)[”’」』）)]*|[.!?;](?=\s)")
_CLAUSE_END = re.compile(r"[，、,：:]")
_MARKUP = [
    (re.compile(r"```.*?```", re.DOTALL), " "),
    (re.compile(r"^\s*(?:!!!|\?\?\?)\s*\w+(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),
    (re.compile(r"^\s*>\s?", re.MULTILINE), ""),
    # Emphasis markers go, but an underscore inside a Latin word is part of it (batch_size).
    (re.compile(r"[*`]{1,3}|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])"), ""),
]
# A backslash-escaped character is that character, never markup: set it aside
# (as a private-use character) before the markup rules run, restore it after.
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")
_SET_ASIDE = re.compile("[\ue000-\ue07f]")


def plain_text(markdown: str) -> str:
    """A rough plain-text rendering of Markdown, for excerpts, reading time and search."""
    text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), markdown)
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    # Character references are Markdown too: ingest writes "<" in scraped prose as
    # "&lt;" and "[" as "&#91;" (so that they stay text); plain text has the characters.
    text = _SET_ASIDE.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    return html.unescape(re.sub(r"\s+", " ", text).strip())


def excerpt(text: str, limit: int = 120) -> str:
    """The longest run of whole sentences of ``text`` within ``limit`` characters.

    When even the first sentence is longer than ``limit``, it is cut at the last
    clause boundary (，、,:) that fits, or at ``limit``, and ends with "…".
    """
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    end = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() > limit:
            break
        end = match.end()
    if end:
        return text[:end].strip()
    head = text[:limit]
    clauses = list(_CLAUSE_END.finditer(head))
    if clauses and clauses[-1].start() >= limit // 2:
        head = head[: clauses[-1].start()]
    return head.rstrip(" ,，、:：;；") + "…"
