"""The render cache (``zhiku/cache``): pages whose inputs did not change are not built again.

MkDocs 1.6 converts every page's Markdown with a new ``Markdown`` instance and renders
every page through the theme on every build, ``mkdocs serve`` rebuilds included. With
this plugin, a build

- renders only the pages whose inputs changed, and keeps the rest of the site folder:
  under ``mkdocs serve`` after its first build, and under ``mkdocs build`` when the
  folder is what the last build left (:mod:`zhiku.glue.cache.site`). Each page's named
  inputs are recorded in a ledger (:mod:`zhiku.build.ledger`); what other plugins put
  on a page they declare in the build session (:mod:`zhiku.glue.session`); ``mkdocs
  build -v`` says why each page was rebuilt or removed;
- takes a page's conversion and the theme's output from the build's store when their
  keys are there (:mod:`zhiku.glue.cache.pages`, :mod:`zhiku.glue.cache.stored`), and on
  cold builds converts ahead in worker processes (:mod:`zhiku.glue.cache.workers`).

What each depends on is in :mod:`zhiku.glue.cache.inputs`; the bends of MkDocs itself
are in :mod:`zhiku.glue.engine`. This class only wires MkDocs' events to them.
"""

from __future__ import annotations

import json
from pathlib import Path

import jinja2
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from zhiku.build import store as stores
from zhiku.build.keys import code_version, digest
from zhiku.files import FileProblem
from zhiku.glue import catalogue, engine, session
from zhiku.glue.cache import inputs
from zhiku.glue.cache.inputs import conversion_digest
from zhiku.glue.cache.pages import CacheReport, Keys, PageCache
from zhiku.glue.cache.site import SiteKeeper
from zhiku.glue.cache.stored import PageStore
from zhiku.glue.cache.workers import AheadPool

__all__ = ["CacheConfig", "CachePlugin", "CacheReport", "conversion_digest"]


class CacheConfig(Config):
    enabled = c.Type(bool, default=True)
    """Reuse converted pages and rendered outputs whose inputs did not change, and under
    ``mkdocs serve`` rebuild only the pages a save changes; false turns both off."""
    cache_dir = c.Type(str, default=".cache/zhiku")
    """The folder of the build's store (``build.sqlite``, shared with the other Zhiku
    plugins) and compiled templates, relative to mkdocs.yml; delete it to start cold."""
    workers = c.Type(int, default=0)
    """Processes converting Markdown ahead on cold builds; 0 means one per core, 1 none.
    A script that calls MkDocs' build itself needs an ``if __name__ == "__main__":`` guard,
    as any program starting worker processes does (or ``workers: 1``)."""
    workers_min_pages = c.Type(int, default=200)
    """Fewest pages to convert before worker processes are worth starting."""


class CachePlugin(BasePlugin[CacheConfig]):
    def __init__(self) -> None:
        self._dirty = self._serving = self._building = self._started = False
        self._session: session.BuildSession | None = None
        self._store: PageStore | None = None
        # Kept across serve rebuilds (MkDocs keeps a plugin that has on_startup).
        self._keeper = SiteKeeper()
        self.report = CacheReport()
        self._reset()

    def _reset(self) -> None:
        self._keys = Keys()
        self._shared: dict[str, str] = {}  # the options' and theme's named inputs
        self._files_key = ""
        self._pool = AheadPool(1, 1)
        self._pages: PageCache | None = None

    # -- lifecycle ---------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._dirty, self._started = dirty, True
        self._serving = command == "serve"
        self._building = command in ("build", "gh-deploy")
        if self._serving and self.config.enabled:
            engine.install()
        if self._building and self.config.enabled:
            engine.install_build(self._resume, self._finish)

    def on_shutdown(self) -> None:
        if self._serving:
            engine.uninstall()
        if self._building:
            engine.uninstall_build()
        self._pool.stop()
        if self._store is not None:
            self._store.close()
            self._store = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._pool.stop()
        self._keeper.stop_watching()  # a build that ended without an event
        self._reset()
        self.report = CacheReport()
        current = self._session = session.of(config)
        if self._started:  # a new serve or build: nothing in the site folder is known yet
            current.ready, self._started = False, False
        if not self.config.enabled:
            return config
        # The process's one store for this folder (opened again if it was deleted since).
        try:
            self._store = PageStore.open(self._store_path(config))
        except FileProblem as err:
            raise PluginError(f"{err}, or set zhiku/cache's cache_dir elsewhere") from err
        self._pool = AheadPool(self.config.workers, self.config.workers_min_pages)
        self._pages = PageCache(self._store, self._keys, self._keeper, self._pool, self.report)
        return config

    def _store_path(self, config: MkDocsConfig) -> Path:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return base / self.config.cache_dir / stores.FILE_NAME

    def _dirty_build(self) -> bool:
        """Whether the build under way keeps the previous build's site folder."""
        return self._dirty or (self._session is not None and self._session.dirty)

    def _incremental(self) -> bool:
        return (self._serving or self._building) and self._pages is not None

    def _resume(self, config: MkDocsConfig) -> bool:
        return self._keeper.resume(config, self._store_path(config))

    def _finish(self, config: MkDocsConfig) -> None:
        self._keeper.finish(config, self._store_path(config))

    def on_build_error(self, *, error: Exception) -> None:
        self._keeper.forget()
        self._pool.stop()
        if self._pages is not None:
            self._pages.stop_listening()  # a conversion that failed half way
        if self._store is not None:
            self._store.abandon()
        if self._session is not None:
            self._session.ready = False

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._pool.stop()
        dirty = self._dirty_build()
        if self._store is not None:
            # A dirty build sees few pages: keep what the others left.
            self._store.finish(prune=not dirty)
        if self._incremental():
            self._keeper.commit(dirty)
            if self._session is not None:
                self._session.ready = True

    # -- files: keys, converting ahead -------------------------------------------------

    # First, so that the user's pages convert while other plugins work on the files.
    @event_priority(1000)
    def _on_files_first(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self._pages is None:
            return files
        # Plugins have seen the configuration by now (on_config ran before on_pre_build).
        options, theme = inputs.option_inputs(config), inputs.theme_inputs(config)
        self._shared = {**options, **theme}
        self._keys.config = digest(json.dumps(options, sort_keys=True))
        self._keys.conversion = digest(conversion_digest(config), code_version())
        self._keys.theme = digest(json.dumps(theme, sort_keys=True))
        self._pages.store.variant = self._keys.config
        self._convert_ahead(files, config)
        return files

    # Last, so that the pages other plugins generate (listings) are in the set.
    @event_priority(-1000)
    def _on_files_last(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self._pages is None:
            return files
        self._files_key = inputs.files_digest(files)
        self._convert_ahead(files, config)
        return files

    on_files = CombinedEvent(_on_files_first, _on_files_last)

    def _convert_ahead(self, files: Files, config: MkDocsConfig) -> None:
        # A dirty build converts the few pages it rebuilds as it goes.
        if self._pages is not None and not self._dirty_build():
            stored = self._pages.store
            self._pool.convert(
                files,
                config,
                self._keys.conversion_of,
                lambda key: stored.has("conversions", key),
            )

    # -- pages -------------------------------------------------------------------------

    @event_priority(-1000)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self._pages is None:
            return nav
        source_of = inputs.source_reader(files, catalogue.page_digests(files, config))
        # Another plugin's on_page_context or on_env could add anything to a page's
        # output; only Zhiku's own hooks are known not to.
        if inputs.only_zhiku_hooks(config, ("page_context", "env")):
            self._keys.nav = inputs.nav_digest(nav, source_of)
        if self._incremental():
            # Another plugin's page hook adds what depends on inputs nobody can tell.
            known = self._keys.nav is not None
            known = known and inputs.only_zhiku_hooks(config, inputs.PAGE_EVENTS)
            shared = {**self._shared, "navigation": self._keys.nav or ""}
            self._keeper.mark(
                files,
                config,
                shared=shared if known else None,
                declared=self._session.page_inputs if self._session else lambda src: {},
                source_of=source_of,
                files_key=self._files_key,
                serving=self._serving,
            )
            self.report.rebuilt = self._keeper.outputs.rebuilt
        return nav

    # Last: the Markdown MkDocs is about to convert, after every other plugin's changes.
    @event_priority(-1000)
    def _on_markdown_last(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self._pages is not None:
            self._pages.before_conversion(page, markdown, files)
        return markdown

    # First: store a fresh conversion before other plugins change the HTML.
    @event_priority(1000)
    def _on_content_first(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if self._pages is not None:
            self._pages.after_conversion(page, files)
        return html

    # Last: the page's final HTML, with every plugin's additions; decide on the output.
    @event_priority(-1000)
    def _on_content_last(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self._pages is not None:
            self._pages.choose_output(page, html)
        return html

    on_page_markdown = CombinedEvent(_on_markdown_last)
    on_page_content = CombinedEvent(_on_content_first, _on_content_last)

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        self._pool.stop()  # every page is converted by now
        return self._pages.environment(env) if self._pages is not None else env

    @event_priority(-1000)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        return self._pages.context(page, context) if self._pages is not None else context

    # First: the theme's own output, before on_post_page hooks add to it.
    @event_priority(1000)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self._pages is not None:
            self._pages.rendered(page, output)
        return output
