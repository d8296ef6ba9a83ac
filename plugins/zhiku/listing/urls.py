"""Where each page of the site lives, as MkDocs lays it out, and links between pages.

MkDocs maps a source path to a URL in two ways: with ``use_directory_urls``
``a/b.md`` is served at ``a/b/`` (``a/index.md`` at ``a/``); without it at
``a/b.html``. Links in generated markup are relative (so the site works under any
sub-path and on any host); links in feeds are absolute (from ``site_url``).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from urllib.parse import quote

MARKDOWN = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")


@dataclass(frozen=True, slots=True)
class Urls:
    """URL rules of one site: ``directory_urls`` as in mkdocs.yml, ``site_url`` ending in /."""

    directory_urls: bool = True
    site_url: str = ""

    def url(self, src_uri: str) -> str:
        """The URL of ``src_uri`` relative to the site root ("" for the home page)."""
        stem, ext = posixpath.splitext(src_uri)
        if ext.lower() not in MARKDOWN:
            return quote(src_uri)
        head, name = posixpath.split(stem)
        if name in ("index", "README"):
            dest = posixpath.join(head, "index.html")
        elif self.directory_urls:
            dest = posixpath.join(stem, "index.html")
        else:
            dest = stem + ".html"
        if self.directory_urls and dest.endswith("index.html"):
            dest = dest[: -len("index.html")]
        return quote(dest)

    def link(self, from_src: str, to: str) -> str:
        """A relative link from page ``from_src`` to the site URL ``to`` (as :meth:`url` gives)."""
        here = self.url(from_src)
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        rel = posixpath.relpath("/" + to, "/" + base)
        if to.endswith("/") or not to:
            return "./" if rel == "." else rel + "/"
        return rel

    def root(self, from_src: str) -> str:
        """The relative path from page ``from_src`` up to the site root ("" at the root)."""
        here = self.url(from_src)
        base = here if here.endswith("/") or not here else posixpath.dirname(here)
        depth = base.count("/") + (1 if base and not base.endswith("/") else 0)
        return "../" * depth

    def absolute(self, to: str) -> str:
        """The absolute URL of site URL ``to``."""
        return self.site_url + to
