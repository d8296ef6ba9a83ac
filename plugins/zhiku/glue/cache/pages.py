"""One build's pages through the render cache: a page's conversion and its output come
from the store when their keys are there, and go into it when they are made.

MkDocs converts each page with a new ``Markdown`` instance and renders it through the
theme on every build. Here, per page:

1. just before conversion (:meth:`PageCache.before_conversion`), a stored conversion of
   the same Markdown, settings and link lookups is put in place of ``Page.render``
   (or a worker's, see :mod:`zhiku.glue.cache.workers`); otherwise MkDocs converts it,
   and the files it looks up are watched;
2. after conversion (:meth:`PageCache.after_conversion`) a fresh conversion is stored,
   unless it logged anything (its warnings must be said again on the next build);
3. with the page's final HTML (:meth:`PageCache.choose_output`), a stored output of the
   same inputs is printed by a one-line template instead of the theme's.
"""

from __future__ import annotations

import functools
import json
import shutil
from dataclasses import dataclass

import jinja2
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from zhiku.build.keys import digest
from zhiku.files import FileProblem, make_folder
from zhiku.glue import engine
from zhiku.glue.cache.site import SiteKeeper
from zhiku.glue.cache.stored import (
    CheckedBytecode,
    Lookups,
    PageStore,
    conversion_of,
    restore,
    same_answers,
    same_images,
    toc_rows,
)
from zhiku.glue.cache.workers import WATCHED, AheadPool, Logged

TEMPLATE = "zhiku-render-cache.html"
_OUTPUT_VAR = "zhiku_cached_output"


class CacheReport:
    """What the last build took from the cache (read by tests and the benchmark)."""

    def __init__(self) -> None:
        self.converted: set[str] = set()
        """Pages whose Markdown was converted in this build (by MkDocs or a worker)."""
        self.reused: set[str] = set()
        """Pages whose conversion came from the cache."""
        self.rendered: set[str] = set()
        """Pages rendered through the theme's templates."""
        self.replayed: set[str] = set()
        """Pages whose whole output came from the cache."""
        self.by_workers = 0
        """Conversions done ahead by worker processes."""
        self.rebuilt: set[str] = set()
        """Pages the build renders because their inputs changed (all on a full build)."""


@dataclass
class Keys:
    """One build's keys: what every page's conversion and output depend on."""

    config: str = ""
    """The configuration, Zhiku's code and the software (outputs)."""
    conversion: str = ""
    """The settings a conversion reads (narrower: `mkdocs serve` and `build` share it)."""
    theme: str = ""
    nav: str | None = None
    """The navigation; None when it cannot be told (outputs are then never stored)."""

    def conversion_of(self, file: File, source: str) -> str:
        return digest(self.conversion, file.src_uri, file.url, file.inclusion.is_excluded(), source)


class PageCache:
    """The pages of one build, through the store."""

    def __init__(
        self, store: PageStore, keys: Keys, keeper: SiteKeeper, pool: AheadPool, report: CacheReport
    ) -> None:
        self.store, self.keys, self.keeper, self.pool, self.report = (
            store,
            keys,
            keeper,
            pool,
            report,
        )
        # src_uri -> (key, markdown, what its conversion looks up)
        self._misses: dict[str, tuple[str, str, Lookups]] = {}
        self._outputs: dict[str, str] = {}  # src_uri -> output key, hit
        self._to_store: dict[str, str] = {}  # src_uri -> output key, miss
        self._logged = Logged()

    def before_conversion(self, page: Page, markdown: str, files: Files) -> None:
        """``markdown`` is what MkDocs is about to convert (every plugin's changes made)."""
        src = page.file.src_uri
        try:
            key = self.keys.conversion_of(page.file, page.file.content_string)
        except (OSError, ValueError):
            return
        found = self.pool.result(key)
        if found is not None:
            self.report.by_workers += 1
            self.report.converted.add(src)
            self.store.put("conversions", key, found)
        else:
            found = self.store.get("conversions", key)
            if found is not None:
                self.report.reused.add(src)
        if (
            found is not None
            and found["markdown"] == digest(markdown)
            and same_answers(found["lookups"], files)
            and same_images(found["images"], files)
            and all(files.get_file_from_path(target) for target in found["links"])
        ):
            self.keeper.lookups[src] = found["lookups"]
            self.keeper.images[src] = found["images"]
            self.keeper.anchor_targets[src] = tuple(found["links"])
            # Converted already: this page's render puts the stored result in place (a new
            # Markdown instance costs about a millisecond even with nothing to convert).
            engine.skip_render(page, functools.partial(restore, found=found))
            return
        self.report.reused.discard(src)
        lookups = Lookups()
        engine.render_with(page, lookups.watch)
        self._misses[src] = (key, markdown, lookups)
        self._logged.seen = False
        for logger in WATCHED:
            logger.addHandler(self._logged)

    def after_conversion(self, page: Page, files: Files) -> None:
        """``page`` is converted (or restored): keep a fresh conversion that logged nothing."""
        src = page.file.src_uri
        missed = self._misses.pop(src, None)
        if missed is None:
            return
        key, markdown, lookups = missed
        self.keeper.lookups[src] = lookups.seen
        anchors = page.links_to_anchors or {}
        self.keeper.anchor_targets[src] = tuple(target.src_uri for target in anchors)
        self.stop_listening()
        self.report.converted.add(src)
        conversion = conversion_of(page, lookups.seen, markdown, files)
        self.keeper.images[src] = conversion["images"]
        if not self._logged.seen:
            self.store.put("conversions", key, conversion)

    def stop_listening(self) -> None:
        for logger in WATCHED:
            logger.removeHandler(self._logged)

    def choose_output(self, page: Page, html: str) -> None:
        """``html`` is the page's final HTML: replay a stored output of the same inputs."""
        if self.keys.nav is None:
            return
        key = self._output_key(page, html)
        src = page.file.src_uri
        if self.store.has("outputs", key):
            self._outputs[src] = key
            page.meta["template"] = TEMPLATE
        else:
            self._to_store[src] = key

    def _output_key(self, page: Page, html: str) -> str:
        file = page.file
        return digest(
            self.keys.config,
            self.keys.theme,
            self.keys.nav,
            file.src_uri,
            file.url,
            file.inclusion.is_excluded(),
            page.canonical_url,
            page.edit_url,
            page.is_homepage,
            page.title,
            json.dumps(page.meta, sort_keys=True, default=repr, ensure_ascii=False),
            json.dumps(toc_rows(page.toc), ensure_ascii=False),
            html,
        )

    def environment(self, env: jinja2.Environment) -> jinja2.Environment:
        """Templates compile once, not on every build (the cache checks their source), and
        stored outputs have their template."""
        # One folder per configuration: compiled code depends on the environment.
        folder = self.store.path.parent / "jinja" / self.keys.config[:16]
        for other in folder.parent.glob("*"):
            if other != folder:
                shutil.rmtree(other, ignore_errors=True)
        try:
            make_folder(folder)
        except FileProblem as err:
            raise PluginError(f"{err}, or set zhiku/cache's cache_dir elsewhere") from err
        env.bytecode_cache = CheckedBytecode(folder)
        if self._outputs:
            env.loader = engine.replay_loader(env.loader, TEMPLATE, _OUTPUT_VAR)
        return env

    def context(self, page: Page, context: TemplateContext) -> TemplateContext:
        key = self._outputs.pop(page.file.src_uri, None)
        if key is not None:
            output = self.store.get("outputs", key)
            if output is None:
                raise RuntimeError(f"zhiku/cache: output {key} vanished from {self.store.path}")
            context[_OUTPUT_VAR] = output  # type: ignore[literal-required]
            self.report.replayed.add(page.file.src_uri)
        return context

    def rendered(self, page: Page, output: str) -> None:
        """The theme's own output for ``page``, before ``on_post_page`` hooks add to it."""
        key = self._to_store.pop(page.file.src_uri, None)
        if key is not None:
            self.report.rendered.add(page.file.src_uri)
            self.store.put("outputs", key, output)
