"""zhiku/feed's embeds (``![[note#小节]]``): what :mod:`zhiku.listing.embeds` makes of a
page's embed lines, the warnings for those that name nothing (``path:line``, as for wiki
links), and the named inputs (``embed: x.md``) that keep a warm build equal to a cold one."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from zhiku.glue import catalogue
from zhiku.listing import Entry
from zhiku.listing.embeds import embedded_sources, expand
from zhiku.listing.links import Index, Refs

log = logging.getLogger("mkdocs.plugins.zhiku.feed")


class Embeds:
    """The embeds of one build, over its published articles and their links."""

    def __init__(
        self,
        articles: Mapping[str, Entry],
        links: Index,
        hidden: Index,
        refs: Mapping[str, Refs],
    ) -> None:
        self._articles, self._links, self._hidden, self._refs = articles, links, hidden, refs
        self._embeddable: dict[str, tuple[str, str]] | None = None

    def expand(self, markdown: str, page: Page, config: MkDocsConfig, offset: int) -> str:
        """``markdown`` with its embed lines replaced by what they name; one warning per
        embed that names nothing (``offset``: the front matter's lines)."""
        if "![[" not in markdown:
            return markdown
        boxed = "md_in_html" in config.markdown_extensions
        done = expand(
            markdown,
            page.file.src_uri,
            self._links,
            self._embeddable_articles(),
            self._hidden,
            boxed=boxed,
        )
        for missing in done.missing:
            where = f"{catalogue.file_shown(page.file)}:{missing.line + offset}"
            if missing.heading:
                log.warning(
                    "%s: ![[%s]] names no heading of that article; write one of its headings "
                    "as it reads, or embed the whole article",
                    where,
                    missing.target,
                )
            else:
                log.warning(
                    "%s: ![[%s]] names no article; write an article's title or its file name "
                    "without .md, like ![[clip-suanfa-yuanli]]",
                    where,
                    missing.target,
                )
        return done.markdown

    def inputs(self, src_uri: str, text: str | None, refs: Refs | None) -> list[tuple[str, str]]:
        """``embed: x.md`` for each article whose text the page (its Markdown ``text``)
        shows by an embed: its title, body and which articles its wiki links name (made
        links on the page)."""
        if refs is None or not refs.wiki:
            return []  # an embed is a wiki link too (references)
        if text is None or "![[" not in text:
            return []
        parts = []
        for other in embedded_sources(text, src_uri, self._links, self._embeddable_articles()):
            article = self._articles[other].article
            links = [
                (self._links.resolve(t), self._hidden.resolve(t))
                for t in (self._refs[other].wiki if other in self._refs else ())
            ]
            parts.append((f"embed: {other}", repr((article.title, article.body, links))))
        return parts

    def _embeddable_articles(self) -> dict[str, tuple[str, str]]:
        """Every article's (title, body), once a build."""
        if self._embeddable is None:
            self._embeddable = {
                src: (e.article.title, e.article.body) for src, e in self._articles.items()
            }
        return self._embeddable
