"""Wiki links (``[[标题]]``, ``[[slug]]``, ``[[slug|text]]``) and backlinks, pure.

A wiki link names an article by its slug (the file name without ``.md``, folders
included) or by its exact title, and may name one of its headings (``[[note#heading]]``,
``[[#heading]]`` on the same page); ``|`` gives the link its own text. :func:`rewrite`
turns each into an ordinary Markdown link to the article's source file (so MkDocs checks
and resolves it like any other) and reports those that name no article, with their
line. Inside code (fenced blocks, inline code) and math nothing is a wiki link.

Backlinks: :func:`references` lists what an article links to (wiki links and ordinary
Markdown links to ``.md`` files); :func:`backlinks` inverts that over the site.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import markupsafe

from zhiku.text.blockids import block_anchor
from zhiku.text.mathmark import Kind, protected_spans
from zhiku.text.slug import heading_anchor

# [[toc]] is no link: VuePress's and VitePress's mark for a table of contents.
WIKI = re.compile(r"\[\[(?![ \t]*[Tt][Oo][Cc][ \t]*\]\])([^\[\]|\n]+?)(?:\|([^\[\]\n]+?))?\]\]")
_TOC = re.compile(r"^([ \t]*)\[\[[ \t]*toc[ \t]*\]\][ \t]*$", re.IGNORECASE | re.MULTILINE)
_BANG_WIKI = re.compile(r"(!?)" + WIKI.pattern)
EMBED = re.compile(
    r"^(?P<prefix>(?:[ \t]{0,3}>[ \t]?)*)[ \t]{0,3}"
    r"!\[\[(?P<target>[^\[\]|\n]+?)(?:\|(?P<text>[^\[\]\n]*))?\]\][ \t]*$",
    re.MULTILINE,
)
"""An embed (``![[note#小节]]``) on a line of its own, perhaps in a quote
(:mod:`zhiku.listing.embeds`)."""
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+?\.md)(?:#[^)\s>]*)?>?(?:\s+\"[^\"]*\")?\s*\)")


@dataclass(frozen=True, slots=True)
class Refs:
    """What one article links to: wiki link targets and Markdown links to ``.md`` files."""

    wiki: tuple[str, ...]
    files: tuple[str, ...]  # resolved against the article's folder: "a/b.md"


@dataclass(frozen=True, slots=True)
class Index:
    """How wiki link targets name articles: by slug and by title."""

    by_slug: Mapping[str, str]
    by_title: Mapping[str, str]

    def resolve(self, target: str) -> str | None:
        """The source path ``target`` names (``note#heading``: the note's), or None."""
        return self._named(target) or self._named(target.partition("#")[0])

    def section(self, target: str) -> str:
        """The heading ``target`` names after its ``#`` (none when the whole target is an
        article's name, like a title ``C# 入门``)."""
        return "" if self._named(target) else target.partition("#")[2].strip()

    def _named(self, name: str) -> str | None:
        name = name.strip()
        if not name:
            return None
        return self.by_slug.get(name.removesuffix(".md")) or self.by_title.get(name)


def make_index(articles: Iterable[tuple[str, str]]) -> Index:
    """An :class:`Index` of ``(src_uri, title)`` pairs (a title two articles share names
    the first given)."""
    by_slug: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for src, title in articles:
        by_slug[src.removesuffix(".md")] = src
        by_title.setdefault(title.strip(), src)
    return Index(by_slug, by_title)


def _prose_parts(markdown: str) -> Iterable[tuple[int, str, bool]]:
    """(line number from 1 where the part starts, part, is prose) covering ``markdown``:
    code and math are not prose."""
    last = 0
    line = 1
    for span in protected_spans(markdown):
        if span.kind is Kind.BRACKET:
            continue
        if span.start > last:
            yield line, markdown[last : span.start], True
            line += markdown.count("\n", last, span.start)
        yield line, markdown[span.start : span.end], False
        line += markdown.count("\n", span.start, span.end)
        last = span.end
    if last < len(markdown):
        yield line, markdown[last:], True


# Markdown syntax a backslash makes text (Python-Markdown's ESCAPED_CHARS, but # and >,
# which are entities below, and | for tables).
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_{}+\-.!|])")
# Characters shown through an entity: HTML's, a heading's #, math's $, and brackets and
# parentheses (a backslash before them, \( or \[, would open a formula).
_ENTITIES = str.maketrans(
    {
        "<": "&lt;",
        ">": "&gt;",
        "#": "&#35;",
        "$": "&#36;",
        "(": "&#40;",
        ")": "&#41;",
        "[": "&#91;",
        "]": "&#93;",
    }
)


def as_text(text: str) -> str:
    """``text`` as Markdown that shows exactly it: no HTML, no Markdown syntax, no math.
    Every wiki link's text goes through here, whether it resolves, names a draft or
    names nothing, so a title is text wherever it is linked."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text.replace("&", "&amp;").translate(_ENTITIES))


def rewrite(
    markdown: str, src: str, index: Index, hidden: Index | None = None
) -> tuple[str, list[tuple[int, str]]]:
    """``markdown`` of page ``src`` with its wiki links made Markdown links, and the
    (line, target) of each that names no article (shown marked, not linked).

    A link to an article of ``hidden`` (a draft or scheduled article the build leaves out)
    is its text as written, unlinked: not an error. Inside code and math nothing is a
    wiki link (``$R[[x]]$`` is a formula). ``[[toc]]`` on a line of its own becomes
    ``[TOC]``, where Python-Markdown's toc puts the page's table of contents.
    """
    if "[[" not in markdown:
        return markdown, []
    missing: list[tuple[int, str]] = []
    here = posixpath.dirname(src)
    # Embed lines are left for zhiku.listing.embeds; any other ![[x]] is a link to x.
    embeds = {m.start("target") - 2 for m in EMBED.finditer(markdown)}
    out = []
    at = 0
    for first_line, part, prose in _prose_parts(markdown):
        offset = at
        at += len(part)
        if not prose or "[[" not in part:
            out.append(part)
            continue

        def one(
            match: re.Match[str],
            part: str = part,
            first_line: int = first_line,
            offset: int = offset,
        ) -> str:
            if offset + match.start(2) - 2 in embeds:
                return match.group(0)
            target, text = match.group(2), match.group(3)
            section = index.section(target)
            name = target.partition("#")[0].strip() if section else target.strip()
            # Obsidian's [[note#heading]]: the heading's anchor, as toc makes it
            # ([[note#^id]]: the block's).
            anchor = "#" + section_anchor(section) if section else ""
            shown_section = "" if section.startswith("^") else section  # a block: its note
            written = f"{name} > {shown_section}" if name and shown_section else name or section
            shown = (text or written).strip()
            label = as_text(shown)
            if not name and section:  # [[#heading]]: this page
                return f"[{label}]({anchor})"
            found = index.resolve(target)
            if found is None and hidden is not None and hidden.resolve(target) is not None:
                return label
            if found is None:
                missing.append((first_line + part.count("\n", 0, match.start()), target.strip()))
                return str(
                    markupsafe.Markup(
                        '<span class="zk-wikilink zk-wikilink--missing" title="{}">{}</span>'
                    ).format(f"找不到文章：{target.strip()}", markupsafe.Markup(label))
                )
            # The anchor as it is: MkDocs compares it with the page's ids unquoted.
            path = quote(posixpath.relpath(found, here or "."))
            return f"[{label}]({path}{anchor})"

        out.append(_TOC.sub(r"\1[TOC]", _BANG_WIKI.sub(one, part)))
    return "".join(out), missing


def section_anchor(section: str) -> str:
    """The anchor of what ``[[note#section]]`` names: a heading's (``失配指针``), or an
    Obsidian block's (``^grad-vanish`` -> ``grad-vanish``)."""
    return block_anchor(section) if section.startswith("^") else heading_anchor(section)


def references(body: str, src: str) -> Refs:
    """The wiki link targets and ``.md`` link targets of ``body`` (page ``src``), outside
    code and math."""
    wiki: list[str] = []
    files: list[str] = []
    here = posixpath.dirname(src)
    if "[[" not in body and ".md" not in body:
        return Refs((), ())
    for _, part, prose in _prose_parts(body):
        if not prose:
            continue
        wiki += [m.group(1).strip() for m in WIKI.finditer(part)]
        for m in _MD_LINK.finditer(part):
            target = m.group(1)
            if "://" in target or target.startswith("/"):
                continue
            files.append(posixpath.normpath(posixpath.join(here, target)))
    return Refs(tuple(dict.fromkeys(wiki)), tuple(dict.fromkeys(files)))


def backlinks(refs: Mapping[str, Refs], index: Index) -> dict[str, tuple[str, ...]]:
    """src_uri -> the articles linking to it (in ``refs`` order), never itself."""
    incoming: dict[str, list[str]] = defaultdict(list)
    known = set(index.by_slug.values())
    for src, ref in refs.items():
        targets = [index.resolve(t) for t in ref.wiki] + [f for f in ref.files if f in known]
        for target in dict.fromkeys(t for t in targets if t is not None and t != src):
            incoming[target].append(src)
    return {target: tuple(sources) for target, sources in incoming.items()}


def link_line(source: str, link: str) -> int | None:
    """The line (from 1) of ``source`` where a link to ``link`` is written, as a Markdown
    link ``](link)``, a reference ``]: link``, an HTML ``href`` or a wiki link to a heading
    with that anchor; None if none is."""
    for pattern in (
        r"\]\(\s*<?" + re.escape(link) + r"[>\s)]",
        r"^[ \t]{0,3}\[[^\]]+\]:[ \t]*<?" + re.escape(link) + r"(?:[>\s]|$)",
        r"href=[\"']" + re.escape(link) + r"[\"']",
    ):
        found = re.search(pattern, source, re.MULTILINE)
        if found is not None:
            return source.count("\n", 0, found.start()) + 1
    anchor = link.partition("#")[2]
    if anchor and "[[" in source:  # a [[note#heading]] became this link
        for wiki in WIKI.finditer(source):
            section = wiki.group(1).partition("#")[2].strip()
            if section and section_anchor(section) == anchor:
                return source.count("\n", 0, wiki.start()) + 1
    return None
