"""Markup of the listings and article decorations, by autoescaping Jinja templates.

Titles, categories, tags and excerpts come from scraped text: they are escaped by
construction, never pasted into markup. Generated pages are Markdown sources
whose body is one raw HTML block (Python-Markdown passes it through untouched),
so that MkDocs renders them inside the theme like any other page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import markupsafe

from zhiku.articles.model import Article, Paper
from zhiku.listing.cards import Entry
from zhiku.listing.feeds import feed_paths
from zhiku.listing.pages import (
    CATEGORY,
    CATEGORY_DIR,
    HOME,
    SERIES_DIR,
    SERIES_INDEX,
    TAG,
    TAG_DIR,
    Group,
    ListingPage,
    Site,
    group_feed_folder,
)
from zhiku.listing.paperpages import BIB, PaperGroup
from zhiku.listing.paperpages import INDEX as PAPERS_INDEX
from zhiku.listing.papers import bibtex, unknown_fields
from zhiku.listing.urls import Urls
from zhiku.text.dates import format_date

_ENV = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).with_name("templates")),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=jinja2.StrictUndefined,
    keep_trailing_newline=False,
)


_CARD = _ENV.get_template("card.html")
_ROOT = "\x00"


@dataclass(frozen=True, slots=True)
class Shown:
    """What a card, or an article's header, shows of an article: plain values, so that
    what was rendered can be remembered (and kept between builds) without the article."""

    title: str
    excerpt: str
    category: str
    date: dt.date
    date_estimated: bool
    minutes: int
    tags: tuple[str, ...]

    @classmethod
    def of(cls, entry: Entry) -> Shown:
        a = entry.article
        return cls(
            a.title, entry.excerpt, a.category, a.date, a.date_estimated, entry.minutes, a.tags
        )


@dataclass(slots=True)
class _MadeFrom:
    """What a serve session's listings, headers and footers were last made from, by
    source path: ``(those values, the answer)``. A listing page, header or footer is a
    function of a few values (the page, or the article and its neighbours, and the site's
    labels and slugs), and between two rebuilds those of an unchanged article are the very
    same objects: comparing them costs a few identity checks, where working out what the
    markup shows costs tens of microseconds, thousands of times a rebuild. Not kept
    between builds (the values hold whole articles)."""

    listings: dict[str, tuple[object, str]] = field(default_factory=dict)
    headers: dict[str, tuple[object, str]] = field(default_factory=dict)
    footers: dict[str, tuple[object, str]] = field(default_factory=dict)
    site: Site | None = None  # the site ``context`` was read from
    context: tuple[object, ...] = ()
    version: int = 0  # of ``context``


def _tight(html: str) -> str:
    # A blank line would end Python-Markdown's raw HTML block and let Markdown reinterpret
    # the rest; the markup never needs one.
    return "\n".join(line for line in html.splitlines() if line.strip())


T = TypeVar("T")

# A series box lists every article of a series up to this many; a longer series (a book
# imported chapter by chapter) shows its first and last articles and those around the
# reader's, with the whole list a link away: listing 300 chapters on each of 300 pages
# would weigh more than the chapters themselves.
SERIES_SHOWN = 12
SERIES_AROUND = 3


def series_window(entries: Sequence[T], index: int) -> list[tuple[int, T | None]]:
    """(position, entry) of the articles a series box shows for the one at ``index``, a
    ``None`` entry standing for each run left out."""
    if len(entries) <= SERIES_SHOWN:
        return list(enumerate(entries))
    keep = {0, len(entries) - 1}
    keep.update(range(max(0, index - SERIES_AROUND), min(len(entries), index + SERIES_AROUND + 1)))
    shown: list[tuple[int, T | None]] = []
    for position in sorted(keep):
        if shown and position - shown[-1][0] > 1:
            shown.append((position - 1, None))
        shown.append((position, entries[position]))
    return shown


class Renderer:
    """Renders one site's markup.

    It remembers what it rendered, by everything the markup shows: cards (which appear on
    many pages unchanged), listing pages, article headers and footers. Kept for a
    ``mkdocs serve`` session (and pickled between builds: what it remembers is plain
    values), it renders again only what an edit changed; :attr:`renders` counts the
    templates it ran.
    """

    def __init__(self, urls: Urls) -> None:
        self.urls = urls
        self._links: dict[tuple[str, str, tuple[tuple[str, str, str], ...]], str] = {}
        self._cards: dict[tuple[str, str, bool], tuple[Shown, tuple[str, ...], str]] = {}
        # page or article src_uri -> (what the markup shows, the markup)
        self._listings: dict[str, tuple[object, str]] = {}
        self._headers: dict[str, tuple[object, str]] = {}
        self._footers: dict[str, tuple[object, str]] = {}
        self.renders = 0
        self._made = _MadeFrom()

    def __getstate__(self) -> dict[str, object]:
        """What is worth keeping between builds: article headers and footers (thousands,
        each cheap to keep and dear to render again). Listings and cards are rendered again:
        kept, they would weigh more to load than to render."""
        return {**vars(self), "_cards": {}, "_listings": {}, "_made": _MadeFrom()}

    def keep_only(self, pages: set[str]) -> None:
        """Forget the markup of pages and articles not in ``pages`` (deleted since)."""
        made = self._made
        memories = (self._listings, self._headers, self._footers)
        for memory in (*memories, made.listings, made.headers, made.footers):
            for src in memory.keys() - pages:
                del memory[src]
        for key in [key for key in self._cards if key[0] not in pages]:
            del self._cards[key]

    def _remembered(
        self,
        memory: dict[str, tuple[object, str]],
        src: str,
        shown: object,
        render: Callable[[], str],
    ) -> str:
        found = memory.get(src)
        if found is not None and found[0] == shown:
            return found[1]
        html = render()
        self.renders += 1
        memory[src] = (shown, html)
        return html

    @staticmethod
    def _made_from(
        memory: dict[str, tuple[object, str]], src: str, inputs: object, make: Callable[[], str]
    ) -> str:
        """``make()``, or its last answer for ``src`` when made from equal ``inputs``."""
        found = memory.get(src)
        if found is not None and found[0] == inputs:
            return found[1]
        answer = make()
        memory[src] = (inputs, answer)
        return answer

    def _same_context(self, site: Site) -> int:
        """A number that changes when what pages show of ``site`` beyond their own
        values does (labels, slugs, paper pages, BibTeX files); read once per site."""
        made = self._made
        if site is not made.site:
            context = (
                site.labels,
                site.category_slugs,
                site.tag_slugs,
                site.series_slugs,
                site.papers,
                site.bibs,
            )
            if context != made.context:
                made.context = context
                made.version += 1
            made.site = site
        return made.version

    # -- links -------------------------------------------------------------------------

    def category_url(self, site: Site, name: str) -> str:
        return self.urls.url(f"{CATEGORY_DIR}/{site.category_slugs[name]}/index.md")

    def tag_url(self, site: Site, name: str) -> str:
        return self.urls.url(f"{TAG_DIR}/{site.tag_slugs[name]}/index.md")

    def _meta_links(self, site: Site, entry: Entry, src: str) -> dict[str, object]:
        a = entry.article
        link = self.urls.link
        return {
            "item": Shown.of(entry),
            "date_text": format_date(a.date),
            "label": site.labels.get(entry.src_uri),
            "pinned": False,
            "category_href": link(src, self.category_url(site, a.category)),
            "tags": [(t, link(src, self.tag_url(site, t))) for t in a.tags],
        }

    # -- listings ----------------------------------------------------------------------

    def card(self, site: Site, entry: Entry, src: str, pinned: bool = False) -> str:
        """The card of ``entry`` on page ``src``.

        A card appears on the home, category and tag pages alike; its links are written
        as "up to the site root, then down" so that it is rendered once per page depth
        rather than once per page. ``pinned`` marks it 置顶 (on the listings that put pinned
        articles first).
        """
        _, shown, slugs, root, _ = self._card_key(site, entry, src, pinned)
        key = (entry.src_uri, root, pinned)
        cached = self._cards.get(key)
        if cached is not None and cached[0] == shown and cached[1] == slugs:
            return cached[2]
        # The template runs once per article, with a placeholder where the way up to the
        # root goes; each page depth then costs one string replacement. The placeholder is
        # a control character no title, excerpt or URL can hold (markupsafe keeps it as is)
        # and the roots ("../../") need no escaping.
        shared = self._cards.get((entry.src_uri, _ROOT, pinned))
        if shared is None or shared[0] != shown or shared[1] != slugs:
            shared = (shown, slugs, self._render_card(site, entry, _ROOT, pinned))
            self._cards[(entry.src_uri, _ROOT, pinned)] = shared
        # (Falls back to rendering at this depth if the placeholder shows up anywhere but
        # in the card's links, or for a link that would be "./".)
        links = 2 + len(entry.article.tags)
        if self.urls.url(entry.src_uri) and shared[2].count(_ROOT) == links:
            html = shared[2].replace(_ROOT, root)
        else:
            html = self._render_card(site, entry, root, pinned)
        self._cards[key] = (shown, slugs, html)
        return html

    def _card_key(
        self, site: Site, entry: Entry, src: str, pinned: bool
    ) -> tuple[str, Shown, tuple[str, ...], str, bool]:
        """Everything the card of ``entry`` on page ``src`` shows (with :attr:`urls`)."""
        slugs = (
            site.labels.get(entry.src_uri, ""),
            site.category_slugs[entry.article.category],
            *(site.tag_slugs[t] for t in entry.article.tags),
        )
        return (entry.src_uri, Shown.of(entry), slugs, self.urls.root(src), pinned)

    def _render_card(self, site: Site, entry: Entry, root: str, pinned: bool = False) -> str:
        a = entry.article
        self.renders += 1
        return _tight(
            _CARD.render(
                item=Shown.of(entry),
                date_text=format_date(a.date),
                label=site.labels.get(entry.src_uri),
                pinned=pinned,
                href=root + self.urls.url(entry.src_uri) or "./",
                category_href=root + self.category_url(site, a.category),
                tags=[(t, root + self.tag_url(site, t)) for t in a.tags],
            )
        )

    def _listing_shown(self, site: Site, page: ListingPage) -> dict[str, Any]:
        """Everything a listing page's HTML shows, as plain values (its cards as
        :meth:`_card_key`): the HTML is a function of this and :attr:`urls` alone."""
        src = page.src_uri
        link = self.urls.link
        pagination = None
        if page.count > 1:
            pagination = (
                page.number,
                page.count,
                link(src, self.urls.url(page.prev_src)) if page.prev_src else None,
                link(src, self.urls.url(page.next_src)) if page.next_src else None,
            )
        groups = [(g.name, link(src, self._group_url(site, page, g)), g.size) for g in page.groups]
        years = [
            (
                year,
                [
                    {
                        "month": m.month,
                        "label": m.label,
                        "links": [
                            (
                                e.article.title,
                                link(src, self.urls.url(e.src_uri)),
                                e.article.date.isoformat(),
                                f"{e.article.date.month}月{e.article.date.day}日",
                                e.article.date_estimated,
                            )
                            for e in m.entries
                        ],
                    }
                    for m in months
                ],
            )
            for year, months in itertools.groupby(page.months, key=lambda m: m.year)
        ]
        feeds = []
        if page.group is not None and page.kind in (CATEGORY, TAG):
            paths = feed_paths(group_feed_folder(page.kind, page.group))
            feeds = [
                (label, link(src, path))
                for label, path in zip(("RSS", "Atom", "JSON Feed"), paths, strict=True)
            ]
        bib = None
        if page.group is not None and (page.kind, page.group.name) in site.bibs:
            bib = link(src, self.urls.url(site.bibs[(page.kind, page.group.name)]))
        return {
            "kind": page.kind,
            "bib": bib,
            "feeds": feeds,
            "heading": None if page.kind == HOME and page.number == 1 else page.title,
            "group": page.group.name if page.group else None,
            "cards": [
                self._card_key(site, e, src, e.article.pinned and page.kind in (HOME, CATEGORY))
                for e in page.entries
            ],
            "pagination": pagination,
            "groups": groups,
            "years": years,
        }

    def listing_html(self, site: Site, page: ListingPage) -> str:
        """The HTML body of a listing page."""
        shown = self._listing_shown(site, page)
        return self._remembered(
            self._listings, page.src_uri, shown, lambda: self._render_listing(site, page, shown)
        )

    def _render_listing(self, site: Site, page: ListingPage, shown: dict[str, Any]) -> str:
        pagination = ""
        if shown["pagination"] is not None:
            number, count, prev_href, next_href = shown["pagination"]
            pagination = _ENV.get_template("pagination.html").render(
                number=number, count=count, prev_href=prev_href, next_href=next_href
            )
        cards = [
            markupsafe.Markup(
                self.card(site, e, page.src_uri, e.article.pinned and page.kind in (HOME, CATEGORY))
            )
            for e in page.entries
        ]
        values = {**shown, "cards": cards, "pagination": markupsafe.Markup(pagination)}
        return _tight(_ENV.get_template("listing.html").render(**values))

    def listing_digest(self, site: Site, page: ListingPage) -> str:
        """A digest of what the page's HTML shows: equal digests, equal HTML (for the same
        templates), without rendering it."""
        # What _listing_shown reads: the page (its entries, groups, months, neighbours)
        # and the site's labels and slugs (a new Renderer for other URLs).
        inputs = (page, self._same_context(site))
        return self._made_from(
            self._made.listings, page.src_uri, inputs, lambda: self._listing_digest(site, page)
        )

    def _listing_digest(self, site: Site, page: ListingPage) -> str:
        shown = self._listing_shown(site, page)
        # Listing links are relative: the site URL is not in them (so mkdocs serve and
        # mkdocs build share the page's conversion).
        text = repr((self.urls.directory_urls, shown)).encode("utf-8", "surrogatepass")
        return hashlib.sha1(text, usedforsecurity=False).hexdigest()

    def series_url(self, site: Site, name: str) -> str:
        return self.urls.url(f"{SERIES_DIR}/{site.series_slugs[name]}/index.md")

    def _group_url(self, site: Site, page: ListingPage, group: Group) -> str:
        if page.kind == "category-index":
            return self.category_url(site, group.name)
        if page.kind == SERIES_INDEX:
            return self.series_url(site, group.name)
        return self.tag_url(site, group.name)

    def listing_source(
        self,
        site: Site,
        page: ListingPage,
        intro: str | None = None,
        meta: Mapping[str, object] | None = None,
    ) -> str:
        """The Markdown source of a listing page; the home page's own ``intro`` comes first.

        ``meta`` is added to the front matter of the pages Zhiku writes (what the theme
        reads of a page, such as Material's ``search: exclude``).

        The source carries a marker comment naming :meth:`listing_digest` instead of the
        HTML: MkDocs then converts a few bytes of Markdown instead of parsing the whole
        listing as raw HTML, the source changes exactly when what the listing shows does
        (so a build that keeps its site folder knows, without rendering, which listings
        to build again), and the plugin swaps the marker for :meth:`listing_html` after
        conversion.
        """
        marker = f"<!-- zhiku/feed listing {self.listing_digest(site, page)} -->"
        if intro is not None:
            return intro.rstrip() + "\n\n" + marker + "\n"
        front = {
            # Page titles reach the theme's <title> and <h1> unescaped; escape them here.
            "title": str(markupsafe.escape(page.title)),
            **(meta or {}),
            "zhiku": {"kind": page.kind, "page": page.number, "pages": page.count},
        }
        # JSON is YAML too, and json.dumps is many times faster than yaml.safe_dump.
        head = json.dumps(front, ensure_ascii=False)
        return f"---\n{head}\n---\n\n{marker}\n"

    @staticmethod
    def fill(content: str, source: str, html: str) -> str:
        """Put ``html`` where the marker of ``source`` landed in the converted ``content``."""
        marker = source.rstrip().rpartition("\n")[2]
        return content.replace(marker, html, 1)

    def feed_links(self, src: str, site_name: str, feeds: Sequence[tuple[str, str, str]]) -> str:
        """``<link rel="alternate">`` tags for the ``(file, MIME type, label)`` feeds."""
        root = self.urls.root(src)
        key = (root, site_name, tuple(feeds))
        cached = self._links.get(key)
        if cached is None:
            cached = "".join(
                markupsafe.Markup('<link rel="alternate" type="{}" title="{}" href="{}">').format(
                    mime, f"{site_name} {label}".strip(), self.urls.link(src, name)
                )
                for name, mime, label in feeds
            )
            self._links[key] = cached
        return cached

    # -- article pages -----------------------------------------------------------------

    def article_header(self, site: Site, entry: Entry) -> str:
        src = entry.src_uri
        # What the header reads: the article, its series, paper page and updated date, and
        # the site's labels and slugs.
        inputs = (
            entry,
            site.in_series.get(src),
            site.papers.get(src),
            site.updated.get(src),
            self._same_context(site),
        )
        return self._made_from(
            self._made.headers, src, inputs, lambda: self._article_header(site, entry)
        )

    def _article_header(self, site: Site, entry: Entry) -> str:
        changed = site.updated.get(entry.src_uri)
        if changed is not None and changed <= entry.article.date:
            changed = None
        series = None
        if entry.src_uri in site.in_series:
            group, index = site.in_series[entry.src_uri]
            link = self.urls.link
            series = {
                "name": group.name,
                "href": link(entry.src_uri, self.series_url(site, group.name)),
                "number": index + 1,
                "count": group.size,
                "items": [
                    (
                        i + 1,
                        e.article.title,
                        link(entry.src_uri, self.urls.url(e.src_uri)),
                        i == index,
                    )
                    if e is not None
                    else None
                    for i, e in series_window(group.entries, index)
                ],
            }
        paper = None
        if entry.article.paper is not None:
            paper = paper_card(entry.article.paper, entry.article)
            page = site.papers.get(entry.src_uri)
            if page is not None:
                paper["page"] = self.urls.link(entry.src_uri, self.urls.url(page))
        shown = {
            **self._meta_links(site, entry, entry.src_uri),
            "paper": paper,
            "updated": changed,
            "updated_text": format_date(changed) if changed else "",
            "series": series,
        }
        return self._remembered(
            self._headers,
            entry.src_uri,
            shown,
            lambda: _tight(_ENV.get_template("article_header.html").render(**shown)),
        )

    def article_footer(
        self,
        site: Site,
        entry: Entry,
        related: Sequence[Entry],
        cited_by: Sequence[Entry] = (),
        related_count: int | None = None,
    ) -> str:
        """Previous/next (in time and in the category), 被引用 and related articles.

        Each article shows once, at its first place in that order: a category neighbour
        that is also the neighbour in time, or a related article already linked above, is
        left out, and ``related`` (best first, possibly longer) is cut to ``related_count``.
        Nothing of the link graph is lost: a neighbour that links here is marked so in the
        navigation (引用了本文) instead of being listed again under 被引用.
        """
        src = entry.src_uri
        # What the footer reads: the article, its neighbours, related and citing articles.
        inputs = (
            entry,
            site.neighbours(src),
            site.category_neighbours(src),
            tuple(related),
            tuple(cited_by),
            related_count,
        )
        return self._made_from(
            self._made.footers,
            src,
            inputs,
            lambda: self._article_footer(site, entry, related, cited_by, related_count),
        )

    def _article_footer(
        self,
        site: Site,
        entry: Entry,
        related: Sequence[Entry],
        cited_by: Sequence[Entry],
        related_count: int | None,
    ) -> str:
        src = entry.src_uri
        linked: set[str] = {src}

        def first(others: Iterable[Entry | None]) -> list[Entry | None]:
            kept: list[Entry | None] = []
            for other in others:
                if other is None or other.src_uri in linked:
                    kept.append(None)
                else:
                    linked.add(other.src_uri)
                    kept.append(other)
            return kept

        citing = {c.src_uri for c in cited_by}

        def ref(other: Entry | None) -> tuple[str, str, bool] | None:
            if other is None:
                return None
            href = self.urls.link(src, self.urls.url(other.src_uri))
            return other.article.title, href, other.src_uri in citing

        older, newer = first(site.neighbours(src))
        cat_older, cat_newer = first(site.category_neighbours(src))
        cited = [c for c in first(cited_by) if c is not None]
        picks = [r for r in first(related) if r is not None][:related_count]
        shown = {
            "older": ref(older),
            "newer": ref(newer),
            "category": entry.article.category,
            "cat_older": ref(cat_older),
            "cat_newer": ref(cat_newer),
            "related": [ref(r) for r in picks],
            "cited_by": [ref(c) for c in cited],
        }
        return self._remembered(
            self._footers,
            src,
            shown,
            lambda: _tight(_ENV.get_template("article_footer.html").render(**shown)),
        )

    # -- paper pages -------------------------------------------------------------------

    def paper_page(
        self,
        site: Site,
        group: PaperGroup,
        entries: Mapping[str, Entry],
        bib: str,
        count: int,
    ) -> str:
        """The HTML body of ``group``'s page: its card (with ``bib``, its BibTeX entry),
        the notes about it and those citing it as cards, and the link to all papers'
        BibTeX (``count`` papers)."""
        src = group.src_uri
        first = entries[group.notes[0]].article
        card = {**paper_card(group.paper, first, bib), "open": True}
        values = {
            "heading": group.name,
            "card": card,
            "count": count,
            "all_bib": self.urls.link(src, self.urls.url(BIB)),
            "index": self.urls.link(src, self.urls.url(PAPERS_INDEX)),
            "about": [markupsafe.Markup(self.card(site, entries[s], src)) for s in group.about],
            "citing": [markupsafe.Markup(self.card(site, entries[s], src)) for s in group.citing],
        }
        return _tight(_ENV.get_template("paper.html").render(**values))

    def papers_index(
        self, site: Site, groups: Sequence[PaperGroup], entries: Mapping[str, Entry]
    ) -> str:
        """The HTML body of ``papers/``: every paper, newest first, with its notes."""
        src = PAPERS_INDEX
        link, url = self.urls.link, self.urls.url
        papers = []
        for g in groups:
            p = g.paper
            meta = " · ".join(
                x
                for x in (
                    "、".join(p.authors) if len(p.authors) <= 6 else f"{p.authors[0]} 等",
                    " ".join(str(x) for x in (p.venue, p.year) if x),
                    f"arXiv:{p.arxiv}" if p.arxiv and p.title else "",
                )
                if x
            )
            notes = [
                (entries[s].article.title, link(src, url(s)), s in g.about)
                for s in g.notes
                if s in entries
            ]
            papers.append(
                {
                    "name": g.name,
                    "latin": g.name.isascii(),
                    "href": link(src, url(g.src_uri)),
                    "meta": meta,
                    "notes": notes,
                }
            )
        values = {"heading": "论文", "papers": papers, "all_bib": link(src, url(BIB))}
        return _tight(_ENV.get_template("papers.html").render(**values))

    @staticmethod
    def page_source(title: str, html: str, kind: str) -> str:
        """The Markdown source of a page Zhiku writes whole (a paper page): its title and a
        marker naming a digest of ``html``, which :meth:`fill` swaps for ``html`` after
        conversion. The source changes exactly when the page does."""
        digest = hashlib.sha1(html.encode("utf-8", "surrogatepass"), usedforsecurity=False)
        front = {"title": str(markupsafe.escape(title)), "zhiku": {"kind": kind}}
        head = json.dumps(front, ensure_ascii=False)
        return f"---\n{head}\n---\n\n<!-- zhiku/feed {kind} {digest.hexdigest()} -->\n"


def paper_card(p: Paper, article: Article, bib: str | None = None) -> dict[str, Any]:
    """What a paper card shows (article header, paper page): plain values, escaped by the
    template. ``bib`` stands in for the BibTeX made from ``p`` and ``article``."""
    return {
        "title": p.title,
        "authors": "、".join(p.authors) if len(p.authors) <= 6 else f"{p.authors[0]} 等",
        "where": " ".join(str(x) for x in (p.venue, p.year) if x),
        "arxiv": p.arxiv,
        "code": p.code,
        "bibtex": bib if bib is not None else bibtex(p, article),
        "unknown": "、".join(unknown_fields(p)),
        "page": None,
        "open": False,
    }


def build_error_page(problems: Sequence[str], site_name: str) -> str:
    """The page ``mkdocs serve`` answers with while the last rebuild failed: each problem
    (``path:line: what; fix``) as text, styled like the site, with no request elsewhere."""
    return _ENV.get_template("build_error.html").render(
        problems=list(problems), site_name=site_name
    )
