"""Redirect pages: from an article's old URLs (front matter ``aliases:``) to the article,
and from the listings of retired names (a tag, category or series renamed, merged or
deleted; see :mod:`zhiku.listing.slugbook`) to where their articles went.

A moved blog keeps its inbound links: for ``aliases: [/2021/06/29/old-post/]`` the
site gets ``2021/06/29/old-post/index.html``, a small page that sends the reader on
(meta refresh), names the article as canonical and shows a link for readers whose
browser does not follow the refresh. The links are relative, so the site works under
any sub-path and with ``use_directory_urls: false``; the canonical link is absolute.
Markup is built by markupsafe, so a title like ``Q&A <研究>`` stays text.
"""

from __future__ import annotations

import dataclasses
import posixpath
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import unquote

import markupsafe

from zhiku.listing.pages import CATEGORY, CATEGORY_DIR, SERIES_DIR, TAG, TAG_DIR, Group, Site
from zhiku.listing.slugbook import Move, Slugbook, recorded, retirements
from zhiku.listing.urls import Urls

# A kind of the slug record -> its listings' folder and its word.
_LISTINGS = {
    "category": (CATEGORY_DIR, "分类"),
    "tags": (TAG_DIR, "标签"),
    "series": (SERIES_DIR, "系列"),
}

_PAGE = markupsafe.Markup(
    "<!doctype html>\n"
    '<html lang="zh">\n'
    "<head>\n"
    '<meta charset="utf-8">\n'
    "<title>{title}</title>\n"
    '<meta http-equiv="refresh" content="0; url={link}">\n'
    '<link rel="canonical" href="{canonical}">\n'
    '<meta name="robots" content="noindex">\n'
    "</head>\n"
    "<body>\n"
    '<p>{said} <a href="{link}">{title}</a>。</p>\n'
    "</body>\n"
    "</html>\n"
)


@dataclass(frozen=True, slots=True)
class Redirect:
    """One redirect page: the site file it is written to and the article it sends to."""

    path: str  # "2021/06/29/old-post/index.html", relative to the site root
    alias: str  # as the article's front matter wrote it
    src_uri: str  # the article
    html: str


@dataclass(frozen=True, slots=True)
class Refused:
    """An alias that gets no redirect page, and why (``reason`` ends with what to do)."""

    alias: str
    src_uri: str
    reason: str


def redirect_path(alias: str) -> str | None:
    """The site file an old URL is served from: a folder URL (``/a/b/``) or one without
    an extension (``/a/b``) is ``a/b/index.html``, ``posts/x.html`` is itself. None when
    it names no page of its own (the site root, ``..``, a query or fragment)."""
    path = unquote(alias.strip().split("#", 1)[0].split("?", 1)[0])
    if "://" in path or path.startswith("//"):
        return None
    path = path.lstrip("/")
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    joined = "/".join(parts)
    if path.endswith("/") or not posixpath.splitext(parts[-1])[1]:
        return joined + "/index.html"
    return joined


def redirect_page(
    path: str, target: str, canonical: str, title: str, said: str = "这篇文章已移到"
) -> str:
    """The HTML of the redirect page at ``path`` to the site URL ``target``; the page
    reads ``said`` and a link with ``title``."""
    up = "../" * path.count("/")
    link = up + target or "./"
    return str(_PAGE.format(said=said, title=title, link=link, canonical=canonical))


def plan_redirects(
    articles: Iterable[tuple[str, str, Iterable[str]]], urls: Urls, taken: Collection[str]
) -> tuple[list[Redirect], list[Refused]]:
    """Redirect pages for ``articles`` (src_uri, title, aliases), and the aliases refused:
    one that would replace a page of the site (``taken``: site file paths), one that
    names no page, or one another article claimed first (articles in the order given)."""
    made: dict[str, Redirect] = {}
    refused: list[Refused] = []
    for src_uri, title, aliases in articles:
        own = urls.url(src_uri)
        for alias in aliases:
            path = redirect_path(alias)
            if path is None:
                refused.append(
                    Refused(alias, src_uri, "names no page of its own; write a path like /a/b/")
                )
                continue
            if path in taken:
                refused.append(
                    Refused(
                        alias,
                        src_uri,
                        f"is where the site has a page ({path}); remove the alias "
                        "or move that page",
                    )
                )
                continue
            if path in made:
                if made[path].src_uri != src_uri:
                    other = made[path].src_uri
                    refused.append(
                        Refused(alias, src_uri, f"is also an alias of {other}; keep it in one")
                    )
                continue
            if path.removesuffix("index.html") == own or path == own:
                continue  # the article is served there already
            html = redirect_page(path, own, urls.absolute(own), title)
            made[path] = Redirect(path, alias, src_uri, html)
    return list(made.values()), refused


def alias_line(text: str, alias: str) -> int:
    """The line of the front matter in ``text`` that names ``alias`` (else ``aliases:``'s)."""
    lines = text.splitlines()
    key = next((n for n, line in enumerate(lines, 1) if line.startswith("aliases")), 1)
    for number, line in enumerate(lines[key - 1 :], key):
        if alias in line:
            return number
        if number > key and line.strip() == "---":
            break
    return key


def aliases_of(extra: Iterable[tuple[str, object]]) -> list[str]:
    """The ``aliases:`` of an article's extra front matter (a list of paths)."""
    value = dict(extra).get("aliases")
    return [a for a in value if isinstance(a, str)] if isinstance(value, list) else []


# -- listings of retired names ---------------------------------------------------------


def _groups(site: Site) -> dict[str, tuple[Group, ...]]:
    return {"category": site.categories, "tags": site.tags, "series": site.series}


def listing_moves(book: Slugbook, site: Site) -> list[Move]:
    """Where each recorded category, tag and series no article of ``site`` uses leads."""
    live = {
        kind: {g.name: frozenset(e.src_uri for e in g.entries) for g in groups}
        for kind, groups in _groups(site).items()
    }
    return retirements(book, live, site.rank)


def recorded_after(book: Slugbook, site: Site) -> Slugbook:
    """The slug record once ``site`` is published: its names with a few of their
    articles each, and the names it no longer uses with where they lead."""
    live = {
        kind: {g.name: (g.slug, frozenset(e.src_uri for e in g.entries)) for g in groups}
        for kind, groups in _groups(site).items()
    }
    return recorded(book, live, listing_moves(book, site))


def _site_file(url: str) -> str:
    path = unquote(url)
    return path + "index.html" if not path or path.endswith("/") else path


def listing_redirects(
    moves: Iterable[Move], site: Site, urls: Urls, taken: Collection[str]
) -> list[Redirect]:
    """Redirect pages from the listing of each retired name: page 1, and page N for each
    page the name it leads to has, to that page; or page 1 to the kind's index. Paths in
    ``taken`` (site files) are left alone."""
    groups = {kind: {g.name: g for g in gs} for kind, gs in _groups(site).items()}
    made: list[Redirect] = []
    for move in moves:
        folder, word = _LISTINGS[move.kind]
        old = f"{folder}/{move.slug}/"
        if move.to is None:
            pages = [
                (f"{old}index.md", f"{folder}/index.md", f"全部{word}", f"这个{word}已不再使用，见")
            ]
        else:
            group = groups[move.kind][move.to]
            new = f"{folder}/{group.slug}/"
            pages = [
                (old + page.src_uri.removeprefix(new), page.src_uri, page.title, "此页已移到")
                for page in site.pages
                if page.group is group
            ]
        for old_src, new_src, title, said in pages:
            path = _site_file(urls.url(old_src))
            if path in taken:
                continue
            target = urls.url(new_src)
            html = redirect_page(path, target, urls.absolute(target), title, said)
            made.append(Redirect(path, "/" + urls.url(old_src), new_src, html))
    return made


def moved_groups(moves: Iterable[Move], site: Site) -> dict[str, list[Group]]:
    """For the feeds of retired categories and tags that lead to a name in use: that
    name's group under the retired slug, by listing kind (``CATEGORY``, ``TAG``), so its
    feeds are written in the folder feed readers know."""
    groups = {kind: {g.name: g for g in gs} for kind, gs in _groups(site).items()}
    moved: dict[str, list[Group]] = {CATEGORY: [], TAG: []}
    for move in moves:
        if move.to is not None and move.kind in ("category", "tags"):
            group = groups[move.kind][move.to]
            moved[CATEGORY if move.kind == "category" else TAG].append(
                dataclasses.replace(group, slug=move.slug)
            )
    return moved
