"""The Latest Updates plugin (``zhiku/feed``): home feed, category and tag pages, archive,
feeds and article decorations, computed by :mod:`zhiku.listing` from front matter alone.

How it stays right under ``mkdocs serve``: every article comes from the build's catalogue
in ``on_files`` (page events do not run for pages a rebuild skips), which remembers parsed
articles and their cards by content hash across rebuilds. Every listing, and every
article's header and footer, is worked out in ``on_files``, before any page is read;
:meth:`FeedPlugin.page_inputs` declares them, as named inputs, in the build session
(:mod:`zhiku.glue.session`), where ``zhiku/cache`` reads them to rebuild exactly the pages
whose listing, decorations or own source changed, and to say which.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import logging
import pickle
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import markupsafe
from jinja2 import Environment
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from zhiku.articles.catalogue import Document
from zhiku.build import store as stores
from zhiku.build.keys import code_version
from zhiku.glue import anchors, catalogue, material, serve_errors, session, slugs
from zhiku.glue.embeds import Embeds
from zhiku.glue.math import check_site_macros
from zhiku.glue.options import Count, Flag, Fraction, Names, Text
from zhiku.glue.papers import PaperPages
from zhiku.glue.reading import check_reading_settings
from zhiku.listing import (
    ATOM,
    JSON,
    RSS,
    Entry,
    FeedInfo,
    RelatedIndex,
    RelatedPicks,
    Renderer,
    Site,
    Urls,
    atom,
    json_feed,
    make_entry,
    plan_site,
    rss,
)
from zhiku.listing.feeds import feed_paths
from zhiku.listing.links import Index, Refs, backlinks, make_index, references, rewrite
from zhiku.listing.pages import CATEGORY, HOME, TAG, ListingPage, group_feed_folder
from zhiku.listing.redirects import (
    alias_line,
    aliases_of,
    listing_moves,
    listing_redirects,
    moved_groups,
    plan_redirects,
)
from zhiku.listing.related import RelatedIndexer
from zhiku.listing.slugbook import Slugbook
from zhiku.text.headings import fit_headings

log = logging.getLogger("mkdocs.plugins.zhiku.feed")
FEED_TYPES: tuple[tuple[str, str, str], ...] = (
    (RSS, "application/rss+xml", "RSS"),
    (ATOM, "application/atom+xml", "Atom"),
    (JSON, "application/feed+json", "JSON Feed"),
)
HOME_PAGE = "index.md"
MEMORY = "listing"
"""What zhiku/feed worked out and rendered (related lists, article headers and footers):
its namespace in the build's store (:mod:`zhiku.build.store`), kept between builds."""


@functools.lru_cache(maxsize=1 << 16)
def _served_at(src_uri: str, use_directory_urls: bool) -> tuple[str, str]:
    """The output path and URL MkDocs gives a page at ``src_uri`` (thousands a rebuild)."""
    probe = File(src_uri, None, "", use_directory_urls)
    return probe.dest_uri, probe.url


def _short_digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


class FeedConfig(Config):
    """Options of ``zhiku/feed``; a wrong or empty value stops MkDocs with one line."""

    enabled = Flag(default=True)
    """Build listings, feeds and article decorations; false leaves the site as MkDocs builds it."""
    home_page = Text(default=HOME_PAGE, suffix=".md", relative=True)
    """Source path (in docs_dir) of the page the Latest Updates feed is appended to (its
    intro stays on top); another name than index.md must exist, without index.md the
    home page is the feed alone."""
    pagination_per_page = Count(default=10, least=1)
    """Articles per page on the home, category and tag pages."""
    excerpt_length = Count(default=120, least=20)
    """Longest card excerpt in characters; cut at a sentence boundary."""
    feed_size = Count(default=20, least=1)
    """Newest articles in the RSS, Atom and JSON feeds."""
    related_count = Count(default=5, least=0)
    """Related articles listed under each article; 0 turns the section off."""
    related_min_score = Fraction(default=0.1)
    """Least keyword similarity (cosine, 0 to 1) for an article to count as related."""
    extra_front_matter = Names()
    """Front-matter keys the site uses for itself (its templates read them): accepted
    without the unknown-key warning, like `[cover, lang]`."""


class FeedPlugin(BasePlugin[FeedConfig]):
    def __init__(self) -> None:
        # Kept across rebuilds (articles and their cards are remembered by the catalogue).
        self._renderer: Renderer | None = None
        self._related_picks = RelatedPicks()  # a rebuild computes only what an edit changed
        self._related_indexer = RelatedIndexer()  # likewise for the vectors and postings
        # page_inputs, remembered: src_uri -> (named parts, their digests)
        self._inputs: dict[str, tuple[list[tuple[str, str]], dict[str, str]]] = {}
        self._feeds: dict[str, tuple[object, bytes]] = {}  # feed path -> (what it shows, text)
        # Where what the last build kept is (read once: memory is newer after that). MkDocs
        # keeps a plugin with on_startup across configurations loaded in one process.
        self._memory: Path | None = None
        self._unsaved: Path | None = None  # where what is not saved yet goes
        self._saved_renders = 0
        self._serving = False
        self._anchor_lines: anchors.AnchorLines | None = None
        self._reset()

    def _reset(self) -> None:
        self._site: Site | None = None
        self._index: RelatedIndex | None = None
        self._articles: dict[str, Entry] = {}
        self._listings: dict[str, tuple[str, ListingPage]] = {}  # src_uri -> (source, page)
        # Listing page src_uri -> its category's or tag's feeds (path, MIME type, title).
        self._group_feeds: dict[str, tuple[tuple[str, str, str], ...]] = {}
        self._related: dict[str, list[str]] = {}  # src_uri -> related articles' src_uri
        self._link_index: Index = make_index(())
        self._hidden_index: Index = make_index(())  # drafts and scheduled, left out
        self._incoming: dict[str, tuple[str, ...]] = {}  # src_uri -> backlinks' src_uri
        self._decorations: dict[str, tuple[str, str]] = {}  # src_uri -> (header, footer)
        self._refs: dict[str, Refs] = {}  # src_uri -> what the article links to
        self._asked: set[str] = set()  # pages whose inputs zhiku/cache asked for
        self._slugbook = Slugbook()  # the slugs published before this build
        self._papers = PaperPages()
        self._embeds = Embeds({}, self._link_index, self._hidden_index, {})

    # -- lifecycle ---------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup at all makes `mkdocs serve` keep this instance, and so its
        # caches, across rebuilds.
        log.debug("zhiku/feed started for %s (dirty=%s)", command, dirty)
        self._serving = command == "serve"

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Callable[..., Any]) -> Any:
        # A failed rebuild is answered in the browser, never by a page that hangs.
        serve_errors.install(server, config.site_name)
        return server

    def on_shutdown(self) -> None:
        catalogue.save_all()
        if self._unsaved is not None:
            self._save_memory(self._unsaved)

    # -- what was worked out, kept between builds --------------------------------------

    def _load_memory(self, path: Path) -> None:
        """Go on from what the last build worked out and rendered: a fresh ``mkdocs build``
        then computes the related lists an edit can change and renders the markup whose
        content changed, nothing else. ``path``: the build's store."""
        try:
            kept = stores.shared(path)
            data = kept.get(MEMORY, code_version())
            self._say(kept)
            memory = pickle.loads(data) if data is not None else None
        except (
            OSError,
            pickle.UnpicklingError,
            EOFError,
            AttributeError,
            ImportError,
            ValueError,
            TypeError,
        ):
            return  # none yet, cut or foreign: working it all out again only costs time
        if not isinstance(memory, dict):
            return
        picks, renderer = memory.get("picks"), memory.get("renderer")
        if isinstance(picks, RelatedPicks):
            self._related_picks = picks
        if isinstance(renderer, Renderer):
            self._renderer = renderer
            self._saved_renders = renderer.renders

    def _remember(self) -> None:
        """Note that this build worked out something new; a build saves it at its end,
        a serve session when the server stops (memory is the cache meanwhile)."""
        renders = self._renderer.renders if self._renderer is not None else 0
        if self._related_picks.computed or renders != self._saved_renders:
            self._unsaved = self._memory
            # Pages gone since are forgotten (a long serve session, years of builds).
            pages = self._listings.keys() | self._articles.keys()
            if self._renderer is not None:
                self._renderer.keep_only(pages)
            for src in self._inputs.keys() - self._asked:
                del self._inputs[src]
        if self._unsaved is not None and not self._serving:
            self._save_memory(self._unsaved)

    def _save_memory(self, path: Path) -> None:
        self._unsaved = None
        memory = {"picks": self._related_picks, "renderer": self._renderer}
        self._saved_renders = self._renderer.renders if self._renderer is not None else 0
        data = pickle.dumps(memory, pickle.HIGHEST_PROTOCOL)
        try:
            kept = stores.shared(path)
            kept.put_only(MEMORY, code_version(), data)
            kept.commit()
        except OSError as err:
            log.info("zhiku/feed: could not keep what it worked out (%s)", err)
            return
        self._say(kept)

    @staticmethod
    def _say(kept: stores.Store) -> None:
        for note in kept.take_notes():
            log.info("zhiku/feed: %s", note)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._reset()
        # MkDocs' warnings of links to missing headings, with the file and line.
        self._anchor_lines = anchors.watch(config.docs_dir, self._anchor_lines)
        check_site_macros(config.extra)
        check_reading_settings(config.extra)
        current = session.of(config)
        if not self.config.enabled:
            current.withdraw("zhiku/feed")
            return config
        # What this plugin puts on pages: the render cache rebuilds a page when it changed.
        current.declare_page_inputs("zhiku/feed", self.page_inputs)
        catalogue.declare(config, tuple(self.config.extra_front_matter))
        home = Path(config.docs_dir, self.config.home_page)
        # Without the default index.md the home page is the feed alone, titled with the
        # site's name (notes just imported, say); a page named on purpose must be there.
        if not home.is_file() and self.config.home_page != HOME_PAGE:
            raise PluginError(
                f"mkdocs.yml: zhiku/feed option home_page: {self.config.home_page} is not a "
                f"file in {catalogue.shown_path(config.docs_dir)}/; "
                "name the page the feed goes on, like index.md"
            )
        if not config.site_url:
            raise PluginError(
                "mkdocs.yml: site_url is not set, and the feeds need absolute links; "
                "add a line like `site_url: https://user.github.io/repo/`"
            )
        site_url = config.site_url if config.site_url.endswith("/") else config.site_url + "/"
        urls = Urls(directory_urls=config.use_directory_urls, site_url=site_url)
        memory = catalogue.cache_dir(config) / stores.FILE_NAME
        if memory != self._memory:
            self._memory = memory
            self._saved_renders = -1  # not in that file yet (unless it has it all)
            self._load_memory(memory)
        if self._renderer is None or self._renderer.urls != urls:
            self._renderer = Renderer(urls)
        return config

    # -- reading articles and generating pages -----------------------------------------

    # Late, so that pages other plugins add or remove are already in the set we read.
    @event_priority(-100)
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        files = self._on_files(files, config)
        # Every article's related articles, header and footer, in one pass now: while the
        # heap is small (later, with every page's HTML in memory, the same work costs
        # several times more in garbage collection), and before zhiku/cache decides which
        # pages a `mkdocs serve` rebuild must render (page_inputs).
        self._find_related()
        self._decorate_all()
        return files

    def _find_related(self) -> None:
        assert self._site is not None and self._index is not None
        if not self.config.related_count:
            return
        found = self._related_picks.update(
            self._index,
            # Up to four more: the footer leaves out those already linked as a neighbour.
            self.config.related_count + 4,
            float(self.config.related_min_score),
            self._site.rank,
        )
        self._related = {src: [key for key, _ in found[src]] for src in self._articles}

    def _decorate_all(self) -> None:
        for entry in self._articles.values():
            self._decorations[entry.src_uri] = self._decorations_of(entry)

    def _on_files(self, files: Files, config: MkDocsConfig) -> Files:
        home = self.config.home_page
        shelf = catalogue.read(files, config, serving=self._serving)
        length = self.config.excerpt_length
        made_entries = catalogue.derive(
            config, "listing.entry", (length,), lambda article: make_entry(article, length)
        )
        entries = [entry for src, entry in made_entries.items() if src != home]
        labels = catalogue.labels(config) if self._serving else {}
        changed = catalogue.updated(config)
        self._slugbook = slugs.read(config)
        site = plan_site(
            entries,
            self.config.pagination_per_page,
            labels=labels,
            updated=changed,
            slugbook=self._slugbook,
        )
        site = self._papers.plan(site)
        self._site = site
        self._articles = {e.src_uri: e for e in entries}
        self._index = self._related_indexer.update({e.src_uri: e.keywords for e in entries})
        self._find_backlinks(config, entries)
        assert self._renderer is not None
        renderer = self._renderer
        by_dest = {f.dest_uri: f for f in files}
        home_file = files.get_file_from_path(home)
        for page in site.pages:
            intro = None
            if page.kind == HOME and page.number == 1:
                intro = self._intro(shelf.get(home), home_file, config)
            else:
                self._check_free(by_dest, page.src_uri, config)
            source = renderer.listing_source(site, page, intro, material.LISTING_META)
            self._listings[page.src_uri] = (source, page)
            inclusion = InclusionLevel.NOT_IN_NAV
            if intro is not None and home_file is not None:
                inclusion = home_file.inclusion
                files.remove(home_file)
            files.append(File.generated(config, page.src_uri, content=source, inclusion=inclusion))
        self._papers.add(
            files, config, site, renderer, lambda src: self._check_free(by_dest, src, config)
        )
        info = FeedInfo(
            title=config.site_name,
            description=config.site_description or "",
            language=config.theme.get("language") or "zh",
            author=config.site_author or "",
        )
        newest = site.entries[: self.config.feed_size]
        for name, make in ((RSS, rss), (ATOM, atom), (JSON, json_feed)):
            self._check_free(by_dest, name, config)
            content = self._feed(name, make, info, newest, site)
            files.append(File.generated(config, name, content=content))
        sitemap, empty = material.alternate_sitemap((RSS, ATOM, JSON))
        self._check_free(by_dest, sitemap, config)
        files.append(File.generated(config, sitemap, content=empty))
        self._add_group_feeds(files, config, site, info)
        self._add_redirects(files, config, site)
        return files

    def _add_redirects(self, files: Files, config: MkDocsConfig, site: Site) -> None:
        """A redirect page for each old URL (``aliases:``) of a published article, then
        for each listing of a category, tag or series no longer used (slugs.yml)."""
        assert self._renderer is not None
        articles = [
            (e.src_uri, e.article.title, aliases)
            for e in site.entries
            if not e.article.draft and (aliases := aliases_of(e.article.extra))
        ]
        taken = {f.dest_uri for f in files}
        made, refused = plan_redirects(articles, self._renderer.urls, taken)
        for redirect in made:
            files.append(File.generated(config, redirect.path, content=redirect.html))
        taken.update(redirect.path for redirect in made)
        moves = listing_moves(self._slugbook, site)
        for redirect in listing_redirects(moves, site, self._renderer.urls, taken):
            files.append(File.generated(config, redirect.path, content=redirect.html))
        record = slugs.shown_path(config)
        for move in moves:
            if move.problem:  # the index stands in meanwhile
                log.warning("%s: %s", record, move.problem)
        for problem in refused:
            file = files.get_file_from_path(problem.src_uri)
            text = file.content_string if file is not None else ""
            shown = catalogue.file_shown(file) if file is not None else problem.src_uri
            log.warning(
                "%s:%d: alias %s %s",
                shown,
                alias_line(text, problem.alias),
                problem.alias,
                problem.reason,
            )

    def _add_group_feeds(
        self, files: Files, config: MkDocsConfig, site: Site, info: FeedInfo
    ) -> None:
        """RSS, Atom and JSON Feed for every category and tag, beside the site's own; and
        for each one no longer used, the feeds of the one it leads to, where they were."""
        assert self._renderer is not None
        renderer = self._renderer
        moved = moved_groups(listing_moves(self._slugbook, site), site)
        for kind, groups, url_of, word in (
            (CATEGORY, (*site.categories, *moved[CATEGORY]), renderer.category_url, "分类"),
            (TAG, (*site.tags, *moved[TAG]), renderer.tag_url, "标签"),
        ):
            for group in groups:
                folder = group_feed_folder(kind, group)
                group_info = dataclasses.replace(
                    info,
                    title=f"{info.title} · {word}：{group.name}",
                    folder=folder,
                    home=url_of(site, group.name),
                )
                newest = group.entries[: self.config.feed_size]
                paths = feed_paths(folder)
                for path, make in zip(paths, (rss, atom, json_feed), strict=True):
                    content = self._feed(path, make, group_info, newest, site)
                    files.append(File.generated(config, path, content=content))
                sitemap, empty = material.alternate_sitemap(paths)
                files.append(File.generated(config, sitemap, content=empty))
                label = f"{info.title} {word}：{group.name}"
                feeds = tuple(
                    (path, mime, f"{label} {name}")
                    for path, (_, mime, name) in zip(paths, FEED_TYPES, strict=True)
                )
                for page in site.pages:
                    if page.group is group and page.kind == kind:
                        self._group_feeds[page.src_uri] = feeds

    def _feed(
        self,
        path: str,
        make: Callable[[FeedInfo, Sequence[Entry], Urls, Mapping[str, dt.date] | None], bytes],
        info: FeedInfo,
        newest: Sequence[Entry],
        site: Site,
    ) -> bytes:
        """A feed's text, made again only when what it shows changed (serve rebuilds)."""
        assert self._renderer is not None
        urls = self._renderer.urls
        updated = {e.src_uri: site.updated[e.src_uri] for e in newest if e.src_uri in site.updated}
        shown = (make, info, tuple(newest), updated, urls)
        known = self._feeds.get(path)
        if known is None or known[0] != shown:
            known = (shown, make(info, newest, urls, updated))
            self._feeds[path] = known
        return known[1]

    def _find_backlinks(self, config: MkDocsConfig, entries: list[Entry]) -> None:
        refs = catalogue.derive(config, "links.refs", (), lambda a: references(a.body, a.path))
        titles = [(e.src_uri, e.article.title) for e in entries]
        self._link_index = make_index(titles)
        hidden = [(a.path, a.title) for a in catalogue.withheld_articles(config)]
        self._hidden_index = make_index(hidden)
        self._refs = {e.src_uri: refs[e.src_uri] for e in entries}
        self._incoming = backlinks(self._refs, self._link_index)
        self._embeds = Embeds(self._articles, self._link_index, self._hidden_index, self._refs)

    @staticmethod
    def _intro(doc: Document | None, file: File | None, config: MkDocsConfig) -> str:
        """The home page's own text, from the catalogue when the user wrote it."""
        if doc is not None and doc.text is not None:
            return doc.text
        if file is not None:  # another plugin's page, or dated as if it were an article
            return file.content_string
        return f"# {config.site_name}\n"

    def _check_free(self, by_dest: dict[str, File], src_uri: str, config: MkDocsConfig) -> None:
        dest, url = _served_at(src_uri, config.use_directory_urls)
        clash = by_dest.get(dest)
        if clash is not None and not clash.generated_by:
            where = catalogue.file_shown(clash)
            raise PluginError(
                f"{where}:1: this file would be served at /{url}, where zhiku/feed "
                "puts a generated page; rename or move the file"
            )

    def page_inputs(self, src_uri: str) -> dict[str, str]:
        """What this plugin puts on the page at ``src_uri`` besides the page's own source,
        as named inputs (see :mod:`zhiku.build.ledger`): its listing; an article's header,
        the neighbours its footer links to (previous/next, related, cited by) and the
        footer itself; its feed links; which article each of its ``[[links]]`` names. The
        build session hands them to ``zhiku/cache``, which rebuilds a page when one of
        them, or anything else it reads, changed, and says which."""
        if not self.config.enabled:
            return {}
        self._asked.add(src_uri)
        parts: list[tuple[str, str]] = []
        # A listing's source names a digest of everything it shows (Renderer.listing_source).
        listing = self._listings.get(src_uri)
        if listing is not None:
            parts.append(("listing", listing[0]))
        paper = self._papers.pages.get(src_uri)
        if paper is not None:
            parts.append(("listing", paper[0]))  # a paper page is a listing of notes
        decorations = self._decorations.get(src_uri)
        if decorations is not None and self._site is not None:
            header, footer = decorations
            parts.append(("header", header))
            for other in self._neighbours(src_uri):
                title = self._articles[other].article.title if other in self._articles else ""
                parts.append((f"neighbour: {other}", title))
            parts.append(("footer", footer))
        group = self._group_feeds.get(src_uri)
        if group is not None:
            parts.append(("feed links", repr(group)))
        refs = self._refs.get(src_uri)
        if refs is None and src_uri == self.config.home_page and src_uri in self._listings:
            refs = references(self._listings[src_uri][0], src_uri)  # the intro's links
        if refs is not None and refs.wiki:
            # What on_page_markdown makes of its [[links]]: which article each names.
            links, hidden = self._link_index, self._hidden_index
            for target in refs.wiki:
                found = (links.resolve(target), hidden.resolve(target))
                parts.append((f"wiki link: {target}", repr(found)))
        text = self._articles[src_uri].article.body if src_uri in self._articles else None
        if text is None and src_uri in self._listings:
            text = self._listings[src_uri][0]
        parts += self._embeds.inputs(src_uri, text, refs)
        # Digests, remembered while the parts stay the same (the renderer hands back the
        # very same strings for what did not change): a listing is tens of kilobytes.
        known = self._inputs.get(src_uri)
        if known is None or known[0] != parts:
            named = {name: _short_digest(value) for name, value in parts}
            known = (parts, named)
            self._inputs[src_uri] = known
        return known[1]

    def _neighbours(self, src_uri: str) -> list[str]:
        """The articles an article's footer may link to, by source path."""
        assert self._site is not None
        site = self._site
        around = [*site.neighbours(src_uri), *site.category_neighbours(src_uri)]
        found = [e.src_uri for e in around if e is not None]
        found += self._incoming.get(src_uri, ())
        found += self._related.get(src_uri, ())
        return list(dict.fromkeys(found))

    # -- article pages -----------------------------------------------------------------

    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        if self._anchor_lines is not None:
            self._anchor_lines.files = files  # which headings a page has, for its warnings
        if self._site is None:
            return env
        for entry in self._articles.values():
            file = files.get_file_from_path(entry.src_uri)
            if file is not None and file.page is not None:
                # The sitemap's <lastmod>: when the text last changed, else its date.
                changed = self._site.updated.get(entry.src_uri) or entry.article.date
                file.page.update_date = max(changed, entry.article.date).isoformat()
        return env

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        src = page.file.src_uri
        if src in self._articles:
            # The title is the page's one <h1> (Material prints it when the body has none):
            # a first `# <title>` goes, other `#` headings move down; lines keep their numbers.
            markdown = fit_headings(markdown, self._articles[src].article.title)
        if src in self._articles or src == self.config.home_page:
            markdown, missing = rewrite(markdown, src, self._link_index, self._hidden_index)
            entry = self._articles.get(src)
            offset = entry.article.front_lines if entry is not None else 0
            for line, target in missing:
                # A warning: `mkdocs build --strict` fails on it, `mkdocs serve` shows it.
                log.warning(
                    "%s:%d: [[%s]] names no article; write an article's title or its file "
                    "name without .md, like [[clip-suanfa-yuanli]]",
                    catalogue.file_shown(page.file),
                    line + offset,
                    target,
                )
            markdown = self._embeds.expand(markdown, page, config, offset)
        if page.file.src_uri in self._articles:
            # Material prints page.meta.title unescaped (<title>, header, h1); an article's
            # title is scraped text, so it is handed over as escaped HTML. The title as
            # written, not as MkDocs' YAML reads it (`title: 1.10` is not 1.1).
            title = self._articles[page.file.src_uri].article.title
            page.meta["title"] = str(markupsafe.escape(title))
            # Plain text (not HTML) for the theme's description and link-preview tags.
            page.meta["excerpt"] = self._articles[page.file.src_uri].excerpt
        return markdown

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        src = page.file.src_uri
        if src in self._listings and self._site is not None and self._renderer is not None:
            source, listing = self._listings[src]
            return Renderer.fill(html, source, self._renderer.listing_html(self._site, listing))
        if src in self._papers.pages:
            source, shown = self._papers.pages[src]
            return Renderer.fill(html, source, shown)
        entry = self._articles.get(src)
        if entry is None or self._site is None:
            return html
        header, footer = self._decorations.get(src) or self._decorations_of(entry)
        return f"{header}\n{html}\n{footer}"

    def _decorations_of(self, entry: Entry) -> tuple[str, str]:
        """The header and footer markup of an article page."""
        assert self._site is not None and self._renderer is not None
        site = self._site
        picks = self._related.get(entry.src_uri, [])
        header = self._renderer.article_header(site, entry)
        cited = [self._articles[key] for key in self._incoming.get(entry.src_uri, ())]
        cited.sort(key=lambda e: site.rank[e.src_uri])
        footer = self._renderer.article_footer(
            site, entry, [self._articles[key] for key in picks], cited, self.config.related_count
        )
        return header, footer

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if not self.config.enabled or self._renderer is None:
            return output
        src = page.file.src_uri
        links = self._renderer.feed_links(src, config.site_name, FEED_TYPES)
        group = self._group_feeds.get(src)
        if group is not None:
            links += self._renderer.feed_links(src, "", group)
        head_end = output.find("</head>")
        if head_end < 0:
            return output
        return output[:head_end] + links + output[head_end:]

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        anchors.unwatch(self._anchor_lines)
        self._anchor_lines = None
        if not self.config.enabled:
            return
        catalogue.save(config, serving=self._serving)
        if self._site is not None and not self._serving:
            self._slugbook = slugs.record(config, self._slugbook, self._site)
        self._remember()
