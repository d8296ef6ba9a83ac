"""Redirect pages from an article's old URLs (front matter ``aliases:``) to the article.

A moved blog keeps its inbound links: for ``aliases: [/2021/06/29/old-post/]`` the
site gets ``2021/06/29/old-post/index.html``, a small page that sends the reader on
(meta refresh), names the article as canonical and shows a link for readers whose
browser does not follow the refresh. The links are relative, so the site works under
any sub-path and with ``use_directory_urls: false``; the canonical link is absolute.
Markup is built by markupsafe, so a title like ``Q&A <研究>`` stays text.
"""

from __future__ import annotations

import posixpath
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from urllib.parse import unquote

import markupsafe

from zhiku.listing.urls import Urls

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
    '<p>这篇文章已移到 <a href="{link}">{title}</a>。</p>\n'
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


def redirect_page(path: str, target: str, canonical: str, title: str) -> str:
    """The HTML of the redirect page at ``path`` to the site URL ``target``."""
    up = "../" * path.count("/")
    link = up + target or "./"
    return str(_PAGE.format(title=title, link=link, canonical=canonical))


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
