"""Where each page of the site lives, as MkDocs lays it out, and links between pages.

MkDocs maps a source path to a URL in two ways: with ``use_directory_urls``
``a/b.md`` is served at ``a/b/`` (``a/index.md`` at ``a/``); without it at
``a/b.html``. Links in generated markup are relative (so the site works under any
sub-path and on any host); links in feeds are absolute (from ``site_url``).
"""

from __future__ import annotations

import functools
import posixpath
from dataclasses import dataclass
from urllib.parse import quote

MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


# Every card and link asks for the same few thousand URLs over and over.
@functools.lru_cache(maxsize=1 << 16)
def _url(src_uri: str, directory_urls: bool) -> str:
    stem, ext = posixpath.splitext(src_uri)
    if ext.lower() not in MARKDOWN:
        return quote(src_uri)
    head, name = posixpath.split(stem)
    if name in ("index", "README"):
        dest = posixpath.join(head, "index.html")
    elif directory_urls:
        dest = posixpath.join(stem, "index.html")
    else:
        dest = stem + ".html"
    if directory_urls and dest.endswith("index.html"):
        dest = dest[: -len("index.html")]
    return quote(dest)


@functools.lru_cache(maxsize=1 << 16)
def _root(src_uri: str, directory_urls: bool) -> str:
    here = _url(src_uri, directory_urls)
    base = here if here.endswith("/") or not here else posixpath.dirname(here)
    depth = base.count("/") + (1 if base and not base.endswith("/") else 0)
    return "../" * depth


@dataclass(frozen=True, slots=True)
class Urls:
    """URL rules of one site: ``directory_urls`` as in mkdocs.yml, ``site_url`` ending in /."""

    directory_urls: bool = True
    site_url: str = ""

    def url(self, src_uri: str) -> str:
        """The URL of ``src_uri`` relative to the site root ("" for the home page)."""
        return _url(src_uri, self.directory_urls)

    def link(self, from_src: str, to: str) -> str:
        """A relative link from page ``from_src`` to the site URL ``to`` (as :meth:`url` gives).

        Written as "up to the site root, then down": correct from any page, and the same
        string for every page at the same depth, which lets markup be reused.
        """
        return self.root(from_src) + to or "./"

    def root(self, from_src: str) -> str:
        """The relative path from page ``from_src`` up to the site root ("" at the root)."""
        return _root(from_src, self.directory_urls)

    def absolute(self, to: str) -> str:
        """The absolute URL of site URL ``to``."""
        return self.site_url + to
