"""Transclusion (``![[note]]``, ``![[标题#小节]]``, Obsidian's syntax), pure.

An embed stands on a line of its own (in a quote, ``> ![[note]]``, too) and names an
article as a wiki link does (:class:`zhiku.listing.links.Index`), and perhaps one of its
headings. :func:`expand` puts that article's body, or the section under that heading
(down to the next heading of the same or a higher level), into the page as Markdown, so
that math, code and callouts in it render as on their own page, in a box that says where
it comes from (来自《标题》, linked).

What an embed may not show becomes a link to it instead: an article already shown on the
page (each shows once), one that embeds the page (no cycles), or one past
:data:`MAX_DEPTH` embeds deep. The embedded text's relative links and images are rewritten
to hold from the page it is shown on, and its wiki links are made links from that page.
Inside code and math nothing is an embed.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

import markupsafe

from zhiku.listing.links import EMBED, Index, as_text, rewrite, section_anchor
from zhiku.text.blockids import block_of
from zhiku.text.headings import fit_headings
from zhiku.text.mathmark import Kind, protected_spans
from zhiku.text.slug import heading_anchor

MAX_DEPTH = 3
"""Embeds within embeds: a page shows an embed of an embed of an embed, no deeper."""

# ATX headings (Python-Markdown reads `#节` as one too), outside code.
_HEADING = re.compile(r"^[ \t]{0,3}(#{1,6})(?!#)[ \t]*(.*?)(?:[ \t]+#+)?[ \t]*$")
_ATTRS = re.compile(r"[ \t]*\{[^{}]*\}[ \t]*$")  # attr_list's `## 节 {#id}`
# Relative targets of Markdown links and images, reference definitions, HTML attributes.
_MD_TARGET = re.compile(r"(\]\(\s*<?)([^)\s>]+)")
_DEFINITION = re.compile(  # [id]: target, not a footnote's [^1]: text
    r"^([ \t]{0,3}\[(?!\^)[^\]]+\]:[ \t]*<?)(\S+?)(?=>?(?:[ \t]|$))", re.MULTILINE
)
_HTML_TARGET = re.compile(r"(\b(?:src|href)=[\"'])([^\"']+)", re.IGNORECASE)
# Footnotes: a reference text[^1], and a definition (its indented lines go with it).
_FOOTNOTE = re.compile(r"\[\^([^\]\s]+)\]")
_FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:.*(?:\n(?:[ \t]{4}|\t).*)*", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Embed:
    """One ``![[…]]`` line of a page."""

    start: int  # offsets of the whole line
    end: int
    line: int  # from 1
    prefix: str  # the quote markers before it ("> "), repeated on every line it becomes
    target: str  # as written: "标题#小节"
    text: str | None  # after |, if given


@dataclass(frozen=True, slots=True)
class Missing:
    """An embed that names no article, or a heading its article does not have."""

    line: int
    target: str
    heading: str  # the heading not found, "" when the article is not


@dataclass(frozen=True, slots=True)
class Expanded:
    markdown: str
    missing: tuple[Missing, ...]
    shown: tuple[str, ...]  # the articles whose text the page now shows, in order


def find_embeds(markdown: str) -> list[Embed]:
    """The embed lines of ``markdown``, outside code and math."""
    if "![[" not in markdown:
        return []
    spans = [s for s in protected_spans(markdown) if s.kind is not Kind.BRACKET]
    found = []
    for m in EMBED.finditer(markdown):
        bang = m.start("target") - 3
        if any(s.start <= bang < s.end for s in spans):
            continue
        found.append(
            Embed(
                m.start(),
                m.end(),
                markdown.count("\n", 0, m.start()) + 1,
                m.group("prefix"),
                m.group("target").strip(),
                m.group("text"),
            )
        )
    return found


def _heading_lines(body: str) -> list[tuple[int, int, str]]:
    """(line index, level, text) of each ATX heading of ``body`` outside fenced code."""
    hidden: set[int] = set()
    for span in protected_spans(body):
        if span.kind is Kind.FENCE or span.is_formula:
            first = body.count("\n", 0, span.start)
            hidden.update(range(first, first + body.count("\n", span.start, span.end) + 1))
    found = []
    for i, line in enumerate(body.split("\n")):
        m = _HEADING.match(line)
        if m and i not in hidden:
            found.append((i, len(m.group(1)), _ATTRS.sub("", m.group(2)).strip()))
    return found


def section_of(body: str, heading: str) -> str | None:
    """The part of ``body`` under ``heading`` (matched as wiki links match headings, by
    anchor), without the heading line itself, down to the next heading of the same or a
    higher level; Obsidian's ``^id`` names one block instead (:func:`block_of`). None
    when ``body`` has no such heading or block."""
    if heading.startswith("^"):
        return block_of(body, heading[1:])
    want = heading_anchor(heading)
    lines = body.split("\n")
    headings = _heading_lines(body)
    for n, (i, level, text) in enumerate(headings):
        if heading_anchor(text) != want:
            continue
        end = next((j for j, lv, _ in headings[n + 1 :] if lv <= level), len(lines))
        return "\n".join(lines[i + 1 : end]).strip("\n")
    return None


def relink(markdown: str, origin: str, page: str) -> str:
    """``markdown`` written in ``origin`` with its relative links and images pointing at
    the same files from ``page`` (another folder); code is left alone."""
    here, there = posixpath.dirname(origin), posixpath.dirname(page)
    if here == there:
        return markdown

    def moved(target: str) -> str:
        if not target or target.startswith(("#", "/")) or re.match(r"[a-zA-Z][\w+.-]*:", target):
            return target
        path, mark, rest = target.partition("#")
        path, qmark, query = path.partition("?")
        full = posixpath.normpath(posixpath.join(here, path))
        new = posixpath.relpath(full, there or ".")
        return new + qmark + query + mark + rest

    def sub(pattern: re.Pattern[str], text: str) -> str:
        return pattern.sub(lambda m: m.group(1) + moved(m.group(2)), text)

    out = []
    last = 0
    for span in protected_spans(markdown):
        if span.kind is Kind.BRACKET:
            continue
        out.append(_prose(markdown[last : span.start], sub))
        out.append(markdown[span.start : span.end])
        last = span.end
    out.append(_prose(markdown[last:], sub))
    return "".join(out)


def with_footnotes(part: str, body: str, origin: str) -> str:
    """``part`` of ``body`` (an article at ``origin``) with the definitions of the
    footnotes it refers to, and every footnote label made the article's own
    (``[^1]`` -> ``[^ml-attention-1]``), so that it neither loses its notes nor takes the
    page's."""
    if "[^" not in part:
        return part
    used = list(dict.fromkeys(_FOOTNOTE.findall(part)))
    defined = {m.group(1) for m in _FOOTNOTE_DEF.finditer(part)}
    notes = {m.group(1): m.group(0) for m in _FOOTNOTE_DEF.finditer(body)}
    missing = [notes[label] for label in used if label not in defined and label in notes]
    if missing:
        part = part.rstrip("\n") + "\n\n" + "\n".join(missing)
    own = re.sub(r"[^\w-]+", "-", origin.removesuffix(".md")).strip("-")
    return _FOOTNOTE.sub(lambda m: f"[^{own}-{m.group(1)}]", part)


def _prose(text: str, sub: Callable[[re.Pattern[str], str], str]) -> str:
    for pattern in (_MD_TARGET, _DEFINITION, _HTML_TARGET):
        text = sub(pattern, text)
    return text


def _link(found: str, anchor: str, page: str) -> str:
    return quote(posixpath.relpath(found, posixpath.dirname(page) or ".")) + anchor


@dataclass
class _Page:
    """What one page's expansion shares across its depths."""

    src: str
    index: Index
    articles: Mapping[str, tuple[str, str]]  # src -> (title, body)
    hidden: Index | None
    boxed: bool
    seen: set[tuple[str, str]]
    missing: list[Missing]
    shown: list[str]


def expand(
    markdown: str,
    src: str,
    index: Index,
    articles: Mapping[str, tuple[str, str]],
    hidden: Index | None = None,
    *,
    boxed: bool = True,
) -> Expanded:
    """``markdown`` of page ``src`` with each embed line replaced by what it names.

    ``articles`` gives each article's (title, body); ``hidden`` the drafts a build leaves
    out (an embed of one is its text, unlinked). ``boxed`` wraps each embed in a
    ``<div class="zk-embed" markdown="1">`` (needs ``md_in_html``), else in a quote.
    :attr:`Expanded.missing` lists the embeds of ``markdown`` itself that name nothing,
    by their line (those of embedded text are said on their own page).
    """
    page = _Page(src, index, articles, hidden, boxed, set(), [], [])
    if "![[" not in markdown:
        return Expanded(markdown, (), ())
    return Expanded(_expand(markdown, page, (src,)), tuple(page.missing), tuple(page.shown))


def _expand(markdown: str, page: _Page, chain: tuple[str, ...]) -> str:
    out = []
    last = 0
    for embed in find_embeds(markdown):
        out.append(markdown[last : embed.start])
        last = embed.end
        out.append(_one(embed, page, chain))
    out.append(markdown[last:])
    return "".join(out)


def _quoted(prefix: str, lines: Iterable[str]) -> str:
    return "\n".join((prefix + line).rstrip() if line or prefix else "" for line in lines)


def _one(embed: Embed, page: _Page, chain: tuple[str, ...]) -> str:
    index = page.index
    target = embed.target
    section = index.section(target)
    found = index.resolve(target)
    name = target.partition("#")[0].strip() if section else target
    written = f"{name} > {section}" if name and section else name or section
    label = as_text((embed.text or written).strip())
    top = len(chain) == 1
    if found is None and not name and section:
        found = chain[-1]  # ![[#小节]]: a section of the page it is written in
    if found is None or found not in page.articles:
        if page.hidden is not None and page.hidden.resolve(target) is not None:
            return embed.prefix + label
        if top:
            page.missing.append(Missing(embed.line, target, ""))
        return embed.prefix + _missing(f"找不到文章：{target}", label)
    title, body = page.articles[found]
    anchor = "#" + section_anchor(section) if section else ""
    href = _link(found, anchor, page.src)
    named = section and not section.startswith("^")  # a block is shown as its article
    shown_title = as_text(title) + (" › " + as_text(section) if named else "")
    key = (found, anchor)
    if found in chain or len(chain) > MAX_DEPTH or key in page.seen:
        # Shown already, a cycle, or too deep: a link to it.
        return embed.prefix + f"见[《{shown_title}》]({href})"
    if section:
        part = section_of(body, section)
        if part is None:
            if top:
                page.missing.append(Missing(embed.line, target, section))
            return embed.prefix + _missing(f"《{title}》里没有小节：{section}", label)
    else:
        part = fit_headings(body, title).strip("\n")
    page.seen.add(key)
    page.shown.append(found)
    part = with_footnotes(part, body, found)
    part = relink(part, found, page.src)
    part, _ = rewrite(part, page.src, index, page.hidden)
    part = _expand(part, page, (*chain, found))
    source = f"来自[《{shown_title}》]({href})"
    if page.boxed:
        lines = [
            '<div class="zk-embed" markdown="1">',
            "",
            f'<p class="zk-embed__source" markdown="span">{source}</p>',
            "",
            *part.split("\n"),
            "",
            "</div>",
        ]
    else:
        lines = [source, "", *part.split("\n")]
        return _quoted(embed.prefix + "> ", lines)
    return _quoted(embed.prefix, lines)


def _missing(title: str, label: str) -> str:
    return str(
        markupsafe.Markup(
            '<span class="zk-wikilink zk-wikilink--missing" title="{}">{}</span>'
        ).format(title, markupsafe.Markup(label))
    )


def embedded_sources(
    markdown: str, src: str, index: Index, articles: Mapping[str, tuple[str, str]]
) -> tuple[str, ...]:
    """Every article whose text page ``src`` may show through its embeds (and theirs, as
    deep as :func:`expand` goes, and one deeper, linked by its title): what the page must
    be rebuilt after. ``articles`` as for :func:`expand`."""
    found: list[str] = []
    level = [(markdown, src)]
    for _ in range(MAX_DEPTH + 1):
        below = []
        for text, origin in level:
            for embed in find_embeds(text):
                named = index.resolve(embed.target) or (
                    origin if embed.target.startswith("#") else None
                )
                if named is None or named == src or named in found or named not in articles:
                    continue
                found.append(named)
                below.append((articles[named][1], named))
        level = below
    return tuple(found)
