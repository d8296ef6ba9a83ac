"""zhiku/feed's paper pages: ``papers/``, ``papers/<arXiv id>/`` and the ``.bib`` exports
(of the whole site, of each category and tag whose notes name a paper), worked out by
:mod:`zhiku.listing.paperpages` from the articles and added to the build's files."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from zhiku.listing import Renderer, Site
from zhiku.listing.pages import CATEGORY, TAG
from zhiku.listing.paperpages import (
    BIB,
    PAPERS_DIR,
    PaperGroup,
    bib_file,
    entry_of,
    group_papers,
    papers_of,
)
from zhiku.listing.paperpages import INDEX as PAPERS_INDEX


class PaperPages:
    """The paper pages of one build: planned with the site, then added as files."""

    def __init__(self) -> None:
        self.groups: tuple[PaperGroup, ...] = ()
        self.pages: dict[str, tuple[str, str]] = {}
        """Paper page src_uri -> (its Markdown source, its HTML)."""

    def plan(self, site: Site) -> Site:
        """``site`` knowing each article's paper page and each category's and tag's .bib."""
        groups = group_papers(e.article for e in site.entries)
        self.groups = groups
        bibs: dict[tuple[str, str], str] = {}
        for kind, named, folder in (
            (CATEGORY, site.categories, "category"),
            (TAG, site.tags, "tags"),
        ):
            for group in named:
                if papers_of(groups, (e.src_uri for e in group.entries)):
                    bibs[(kind, group.name)] = f"{PAPERS_DIR}/{folder}/{group.slug}.bib"
        about = {src: g.src_uri for g in groups for src in g.about}
        return dataclasses.replace(site, papers=about, bibs=bibs)

    def add(
        self,
        files: Files,
        config: MkDocsConfig,
        site: Site,
        renderer: Renderer,
        check_free: Callable[[str], None],
    ) -> None:
        """The paper pages and .bib files (none on a site whose notes name no paper);
        ``check_free(src_uri)`` stops the build if a file of the user's is there."""
        groups = self.groups
        if not groups:
            return
        entries = {e.src_uri: e for e in site.entries}
        articles = {src: e.article for src, e in entries.items()}
        pages = [(PAPERS_INDEX, "论文", renderer.papers_index(site, groups, entries))]
        for g in groups:
            html = renderer.paper_page(site, g, entries, entry_of(g, articles), len(groups))
            pages.append((g.src_uri, f"论文：{g.name}", html))
        for src, title, html in pages:
            check_free(src)
            source = Renderer.page_source(title, html, "paper")
            self.pages[src] = (source, html)
            inclusion = InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, src, content=source, inclusion=inclusion))
        bibs = {BIB: groups}
        for kind, named in ((CATEGORY, site.categories), (TAG, site.tags)):
            for group in named:
                path = site.bibs.get((kind, group.name))
                if path is not None:
                    bibs[path] = tuple(papers_of(groups, (e.src_uri for e in group.entries)))
        for path, listed in bibs.items():
            check_free(path)
            files.append(File.generated(config, path, content=bib_file(listed, articles)))
