"""The render cache (``zhiku/cache``): pages whose inputs did not change are not built again.

MkDocs 1.6 converts every page's Markdown with a new ``Markdown`` instance and renders
every page through the theme on every build, ``mkdocs serve`` rebuilds included. This
plugin keeps two things in the build's store (``.cache/zhiku/build.sqlite``, next to mkdocs.yml):

- **conversions**: a page's HTML, table of contents, title, anchors and anchor links,
  keyed by its source text, its place in the site (source path, URL, draft or not) and
  everything else conversion depends on (the Markdown extensions and their settings, link
  validation, directory URLs; the versions of MkDocs, Markdown, its extensions and Zhiku,
  Zhiku's own code; not the site URL, so ``mkdocs serve`` and ``mkdocs build`` share
  them). A page whose HTML has a relative
  link also depends on the set of files (links are resolved against it), and is reused
  only while that set is the same. A page whose conversion logged anything is never
  cached, so warnings (and ``--strict``) behave as on a cold build.
- **outputs**: the theme's output for a page, keyed by everything the theme reads: the
  page's final HTML (after every plugin's ``on_page_content``: related articles and
  previous/next links are in it), its title, front matter, table of contents, URLs, the
  navigation, the configuration and the theme's own files. On a hit the page is rendered
  through a one-line template that prints the stored output, and ``on_post_page`` hooks
  (feed links) still run.

Cold builds convert ahead: in ``on_files`` the pages not in the cache are handed to a
pool of worker processes (one per core) that run MkDocs' own ``Page.render``; in
``on_page_markdown`` a page whose Markdown is exactly what a worker converted takes the
worker's result, otherwise MkDocs converts it as usual.

Under ``mkdocs serve`` (with or without ``--dirtyreload``), and ``mkdocs build`` when the
site folder is what the last build left, a build renders only the pages whose inputs
changed, and leaves the rest of the site folder as it is: each page's named inputs are
recorded in a ledger (:mod:`zhiku.build.ledger`, kept by :mod:`zhiku.glue.incremental`),
what other plugins put on a page is declared in the build session
(:mod:`zhiku.glue.session`), and ``mkdocs build -v`` says why each page was rebuilt or
removed. The pages a build renders still come from the cache when they can. The bends of
MkDocs this needs are in :mod:`zhiku.glue.engine`.
"""

from __future__ import annotations

import concurrent.futures
import functools
import hashlib
import io
import json
import logging
import multiprocessing
import os
import pickle
import shutil
import site
import types
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2
import jinja2.bccache
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils.templates import TemplateContext

from zhiku.build import store as stores
from zhiku.build.keys import code_version, versions
from zhiku.build.keys import digest as _digest
from zhiku.files import FileProblem, make_folder, write_atomic
from zhiku.glue import catalogue, engine, incremental, session
from zhiku.glue.incremental import explain

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
SCHEMA = 4
"""Bumped whenever what is stored changes shape; part of every key."""
TEMPLATE = "zhiku-render-cache.html"
_OUTPUT_VAR = "zhiku_cached_output"
_RECORD = "record"
"""The site record's key in the store's ``site`` namespace (one record per cache folder)."""
# Settings that say where or how MkDocs runs, not what it builds.
_NOT_CONTENT = frozenset({"site_dir", "dev_addr", "watch", "strict", "config_file_path"})
_PAGES_LOG = logging.getLogger("mkdocs.structure.pages")
# MkDocs' loggers may not propagate to the root: watch both.
_WATCHED = (logging.getLogger(), logging.getLogger("mkdocs"))


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


# -- keys and stored values ----------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A JSON-able picture of a configuration value (objects by their public state)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, BasePlugin):
        return [type(value).__module__, type(value).__qualname__, _plain(dict(value.config))]
    if isinstance(value, Config):
        return _plain(dict(value))
    if isinstance(value, functools.partial):
        # toc's slugify (pymdownx.slugs): by what it calls and with what, not its address.
        return ["partial", _plain(value.func), _plain(value.args), _plain(value.keywords)]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
        return [value.__module__, value.__qualname__]
    if hasattr(value, "dirs") and hasattr(value, "name") and hasattr(value, "__iter__"):
        # mkdocs.theme.Theme: its name, folders and options.
        return [value.name, list(value.dirs), {k: _plain(value[k]) for k in value}]
    return [type(value).__module__, type(value).__qualname__, repr(value)]


# What Page.render reads from the configuration (besides the files, keyed apart).
_CONVERSION_SETTINGS = ("markdown_extensions", "mdx_configs", "validation", "use_directory_urls")


def conversion_digest(config: MkDocsConfig) -> str:
    """The settings and software a page's Markdown conversion depends on."""
    plain = {k: _plain(config[k]) for k in _CONVERSION_SETTINGS}
    return _digest(SCHEMA, json.dumps(plain, sort_keys=True, default=repr), versions())


def option_inputs(config: MkDocsConfig) -> dict[str, str]:
    """Every setting a page's output can read, one named input each (``option: extra``),
    and the software that builds it."""
    found = {
        f"option: {key}": _digest(json.dumps(_plain(value), sort_keys=True, default=repr))
        for key, value in config.items()
        if key not in _NOT_CONTENT
    }
    found["software"] = _digest(SCHEMA, versions())
    return found


def theme_inputs(config: MkDocsConfig) -> dict[str, str]:
    """The theme's templates, one named input each: installed themes by folder (their
    versions are in ``software``), the user's overrides and other folders file by file
    (``theme file: main.html``)."""
    installed = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]}
    found: dict[str, str] = {}
    for folder in config.theme.dirs:
        path = Path(folder).resolve()
        if any(path.is_relative_to(root) for root in installed):
            found[f"theme: {folder}"] = folder
            continue
        for file in sorted(path.rglob("*")):
            if file.is_file():
                name = f"theme file: {file.relative_to(path).as_posix()}"
                if name not in found:  # the first folder's file is the one the theme uses
                    found[name] = _digest(file.read_bytes())
    return found


def _files_digest(files: Files) -> str:
    rows = sorted((f.src_uri, f.url, f.inclusion.is_excluded()) for f in files)
    return _digest(json.dumps(rows))


def _nav_digest(nav: Navigation, source_of: Callable[[str], str | None]) -> str | None:
    """The navigation as the theme shows it. A title known only after rendering is
    represented by its page's source (``source_of``); None when that cannot be read."""

    def walk(items: list[Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, Section):
                yield ["section", item.title, list(walk(item.children))]
            elif isinstance(item, Link):
                yield ["link", item.title, item.url]
            elif isinstance(item, Page):
                src = item.file.src_uri
                if "title" in vars(item):
                    yield ["page", item.title, item.url, src]
                elif (source := source_of(src)) is not None:
                    yield ["page from source", source, item.url, src]
                else:
                    raise LookupError(src)

    try:
        return _digest(json.dumps(list(walk(nav.items))))
    except LookupError:
        return None


def _toc_rows(items: Any) -> list[Any]:
    return [[a.title, a.id, a.level, _toc_rows(a.children)] for a in items]


def _toc_from(rows: list[Any]) -> list[AnchorLink]:
    made = []
    for title, id_, level, children in rows:
        anchor = AnchorLink(title, id_, level)
        anchor.children = _toc_from(children)
        made.append(anchor)
    return made


def _toc(rows: list[Any]) -> TableOfContents:
    items = _toc_from(rows)
    if items:
        # As mkdocs.structure.toc.get_toc does.
        items[0].active = True  # type: ignore[attr-defined]
    return TableOfContents(items)


def _pack(value: Any) -> bytes:
    return zlib.compress(json.dumps(value, ensure_ascii=False).encode("utf-8"), 1)


def _unpack(data: bytes) -> Any:
    return json.loads(zlib.decompress(data).decode("utf-8"))


def _pack_text(text: str) -> bytes:
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def _unpack_text(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


class _Lookups:
    """The files a page's conversion looked up (MkDocs resolves each relative link with
    ``Files.get_file_from_path``), with what each answered: the target's URL, or None.
    The conversion is the same while every lookup answers the same; nothing else about
    the set of files matters to it. Stands in for the build's files during ``render``."""

    def __init__(self, files: Any = None) -> None:
        self._files = files
        self.seen: dict[str, str | None] = {}

    def watch(self, files: Any) -> _Lookups:
        self._files = files
        return self

    def get_file_from_path(self, path: str) -> File | None:
        found = self._files.get_file_from_path(path) if self._files is not None else None
        self.seen[path] = _answer(found)
        return found

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files, name)


def _answer(file: File | None) -> str | None:
    """What a lookup of a link target tells a page's conversion: where the target is."""
    return None if file is None else file.url


def _same_answers(lookups: dict[str, str | None], files: Files) -> bool:
    return all(_answer(files.get_file_from_path(path)) == url for path, url in lookups.items())


def _conversion_of(page: Page, lookups: dict[str, str | None], markdown: str) -> dict[str, Any]:
    """What ``Page.render`` left on ``page``, as a stored value."""
    meta, page.meta = page.meta, {}
    try:
        # The title render found (or MkDocs' fallback), read with the front matter aside.
        title = page.title
    finally:
        page.meta = meta
    html = page.content or ""
    links = {target.src_uri: anchors for target, anchors in (page.links_to_anchors or {}).items()}
    return {
        "markdown": _digest(markdown),
        "html": html,
        "toc": _toc_rows(page.toc),
        "title": title,
        # MkDocs reads `<x's ID>` (even in code) as an id without a value: None.
        "anchors": sorted(a for a in page.present_anchor_ids or () if isinstance(a, str)),
        "links": links,
        "lookups": lookups,
    }


def _restore(page: Page, config: MkDocsConfig, files: Files, *, found: dict[str, Any]) -> None:
    """``Page.render`` for a page converted before: what it would leave, from the cache."""
    page.content = found["html"]
    page.toc = _toc(found["toc"])
    if "title" not in page.meta and "title" not in vars(page):
        page.title = found["title"]
    page.present_anchor_ids = set(found["anchors"])
    if _PAGES_LOG.getEffectiveLevel() > logging.DEBUG:
        targets = {uri: files.get_file_from_path(uri) for uri in found["links"]}
        page.links_to_anchors = {
            target: found["links"][uri] for uri, target in targets.items() if target
        }


def _only_zhiku_hooks(config: MkDocsConfig, events: Sequence[str]) -> bool:
    """Whether every plugin hooked into ``events`` is one of Zhiku's own."""
    return all(
        type(getattr(method, "__self__", None)).__module__.startswith("zhiku.")
        for event in events
        for method in config.plugins.events[event]
    )


# -- the worker pool (cold builds) ---------------------------------------------------------


class _Logged(logging.Handler):
    """Notes that something was logged (a page that logs is never cached)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


class _PageWarnings(logging.Handler):
    """The pages that logged a warning while MkDocs read or built them (MkDocs names the
    page it is on in ``config._current_page``)."""

    def __init__(self, config: MkDocsConfig) -> None:
        super().__init__(logging.WARNING)
        self.config = config
        self.pages: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        page = getattr(self.config, "_current_page", None)
        if page is not None:
            self.pages.add(page.file.src_uri)


class _NoFiles:
    """Files for a worker: none, so a relative link logs and the page is left to MkDocs."""

    def get_file_from_path(self, path: str) -> None:
        return None


class _RenderConfig(SimpleNamespace):
    """The settings ``Page`` and ``Page.render`` read, for a worker process."""

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


_worker_config: _RenderConfig | None = None


def _start_worker(settings: dict[str, Any]) -> None:
    global _worker_config
    settings = dict(settings)
    links = SimpleNamespace(**settings.pop("links"))
    _worker_config = _RenderConfig(**settings, validation=SimpleNamespace(links=links))


def _convert(jobs: list[tuple[str, str, str, bool, str]]) -> list[tuple[str, Any]]:
    """Run MkDocs' own conversion on ``(key, src_uri, dest_uri, excluded, source)`` jobs."""
    from mkdocs.utils import meta

    config = _worker_config
    assert config is not None
    done: list[tuple[str, Any]] = []
    handler = _Logged()
    for logger in _WATCHED:
        logger.addHandler(handler)
    try:
        for key, src_uri, dest_uri, excluded, source in jobs:
            handler.seen = False
            inclusion = InclusionLevel.EXCLUDED if excluded else InclusionLevel.INCLUDED
            file = File(
                src_uri,
                None,
                "",
                config.use_directory_urls,
                dest_uri=dest_uri,
                inclusion=inclusion,
            )
            page = Page(None, file, config)  # type: ignore[arg-type]
            page.markdown, page.meta = meta.get_data(source)
            lookups = _Lookups(_NoFiles())
            page.render(config, lookups)  # type: ignore[arg-type]
            result = _conversion_of(page, lookups.seen, page.markdown)
            if handler.seen or lookups.seen:
                done.append((key, None))  # MkDocs converts it, with its warnings
            else:
                done.append((key, result))
    finally:
        for logger in _WATCHED:
            logger.removeHandler(handler)
    return done


def _worker_settings(config: MkDocsConfig) -> dict[str, Any]:
    links = config.validation.links
    return {
        "markdown_extensions": config.markdown_extensions,
        "mdx_configs": config.mdx_configs,
        "use_directory_urls": config.use_directory_urls,
        "site_url": config.site_url,
        "repo_url": config.repo_url,
        "edit_uri": config.edit_uri,
        "edit_uri_template": config.edit_uri_template,
        "links": {
            "absolute_links": links.absolute_links,
            "unrecognized_links": links.unrecognized_links,
            "not_found": links.not_found,
            "anchors": links.anchors,
        },
    }


# -- the store ------------------------------------------------------------------------------


class _Store:
    """Conversions and outputs by key, in the build's store (:mod:`zhiku.build.store`).

    Entries belong to a *variant* (the configuration's key: ``mkdocs serve`` and ``mkdocs
    build`` differ in their site URL). A full build drops its variant's entries it did
    not use, and the entries of all but the most recently built variants.
    """

    TABLES = ("conversions", "outputs")

    def __init__(self, kept: stores.Store) -> None:
        self.kept = kept
        self.path = kept.path
        self.variant = ""

    @classmethod
    def open(cls, path: Path) -> _Store:
        """The store at ``path``; one found damaged (a cut copy, a full disk) is replaced."""
        found = cls(stores.shared(path))
        found.say()
        return found

    def say(self) -> None:
        for note in self.kept.take_notes():
            log.info("zhiku/cache: %s", note)

    def get(self, table: str, key: str) -> Any:
        data = self.kept.get(table, key)
        if data is None:
            return None
        return _unpack(data) if table == "conversions" else _unpack_text(data)

    def has(self, table: str, key: str) -> bool:
        return self.kept.has(table, key)

    def put(self, table: str, key: str, value: Any) -> None:
        data = _pack(value) if table == "conversions" else _pack_text(value)
        self.kept.put(table, key, data, variant=self.variant)

    def finish(self, prune: bool) -> None:
        if prune:
            self.kept.prune(self.TABLES, self.variant)
        else:
            self.kept.forget_used(self.TABLES)
        try:
            self.kept.commit()
        except FileProblem as err:
            raise PluginError(str(err)) from err
        finally:
            self.say()

    def abandon(self) -> None:
        self.kept.abandon()
        self.say()

    def close(self) -> None:
        self.kept.close()
        self.say()


# -- the plugin -----------------------------------------------------------------------------


class _CheckedBytecode(jinja2.BytecodeCache):
    """Compiled templates on disk, each file led by the SHA-256 of the code it holds.

    Jinja's own file cache hands Python whatever marshalled code it finds: a damaged file
    stopped the build (an unknown opcode, a name that cannot be imported) or crashed the
    interpreter. Here a file whose code does not match its digest is not loaded (the
    template compiles again), so damage costs time, never the build."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, bucket: jinja2.bccache.Bucket) -> Path:
        return self.folder / f"{bucket.key}.cache"

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            data = self._path(bucket).read_bytes()
        except OSError:
            return
        check, code = data[:32], data[32:]
        if hashlib.sha256(code).digest() == check:
            bucket.load_bytecode(io.BytesIO(code))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        code = out.getvalue()
        try:
            write_atomic(self._path(bucket), hashlib.sha256(code).digest() + code, durable=False)
        except OSError as err:
            log.info("zhiku/cache: could not keep a compiled template (%s)", err)


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


class CachePlugin(BasePlugin[CacheConfig]):
    def __init__(self) -> None:
        self._store: _Store | None = None
        self._dirty = False
        self._serving = False
        self._building = False
        self._committed = False
        self._code: str | None = None
        self.report = CacheReport()
        # Kept across serve rebuilds: what the site folder holds, and per page what its
        # output depends on besides its source (learnt when it was last converted).
        self._on_disk = incremental.Outputs()
        self._lookups: dict[str, dict[str, str | None]] = {}
        self._anchor_targets: dict[str, tuple[str, ...]] = {}
        # The site folder as the last build recorded it (see incremental.site_manifest).
        self._site_known: dict[str, incremental.Entry] = {}
        self._session: session.BuildSession | None = None
        self._started = False
        self._reset()

    def _reset(self) -> None:
        self._config_key = ""
        self._conversion_key_base = ""
        self._theme_key = ""
        self._options: dict[str, str] = {}
        self._theme: dict[str, str] = {}
        self._files_key = ""
        self._nav_key: str | None = None
        self._warnings: _PageWarnings | None = None
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._ahead: dict[str, concurrent.futures.Future[list[tuple[str, Any]]]] = {}
        self._results: dict[str, Any] = {}
        # src_uri -> (key, markdown, what its conversion looks up)
        self._misses: dict[str, tuple[str, str, _Lookups]] = {}
        self._outputs: dict[str, str] = {}  # src_uri -> output key, hit
        self._to_store: dict[str, str] = {}  # src_uri -> output key, miss
        self._logged = _Logged()

    # -- lifecycle ---------------------------------------------------------------------

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Having on_startup keeps this instance (and its open cache) across serve rebuilds.
        self._dirty = dirty
        self._serving = command == "serve"
        self._building = command in ("build", "gh-deploy")
        self._started = True
        if self._serving and self.config.enabled:
            engine.install()
        if self._building and self.config.enabled:
            engine.install_build(self._resume, self._finish)

    def on_shutdown(self) -> None:
        if self._serving:
            engine.uninstall()
        if self._building:
            engine.uninstall_build()
        self._stop_pool()
        if self._store is not None:
            self._store.close()
            self._store = None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._stop_pool()
        self._stop_watching()  # a build that ended without an event
        self._reset()
        self._committed = False
        self.report = CacheReport()
        current = self._session = session.of(config)
        if self._started:  # a new serve or build: nothing in the site folder is known yet
            current.ready, self._started = False, False
        if not self.config.enabled:
            return config
        # The process's one store for this folder (opened again if it was deleted since).
        try:
            self._store = _Store.open(self._store_path(config))
        except FileProblem as err:
            raise PluginError(f"{err}, or set zhiku/cache's cache_dir elsewhere") from err
        if self._code is None:
            self._code = code_version()
        return config

    def _stop_watching(self) -> set[str]:
        """The pages that warned in this build (see ``_PageWarnings``)."""
        if self._warnings is None:
            return set()
        for logger in _WATCHED:
            logger.removeHandler(self._warnings)
        warned, self._warnings = self._warnings.pages, None
        return warned

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_watching()
        self._stop_pool()
        for logger in _WATCHED:  # a conversion that failed half way
            logger.removeHandler(self._logged)
        if self._store is not None:
            self._store.abandon()
        self._on_disk.forget()
        if self._session is not None:
            self._session.ready = False

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._stop_pool()
        dirty = self._dirty_build()
        if self._store is not None:
            # A dirty build sees few pages: keep what the others left.
            self._store.finish(prune=not dirty)
        if self._incremental():
            if dirty:
                log.info(
                    "zhiku/cache: rebuilt %d of %d pages (the rest did not change)",
                    len(self._on_disk.rebuilt),
                    self._on_disk.pages,
                )
            self._on_disk.commit(dirty, self._stop_watching())
            self._committed = True
            if self._session is not None:
                self._session.ready = True
            if log.isEnabledFor(logging.DEBUG):
                for line in explain(self._on_disk.why(), self._on_disk.removed):
                    log.debug("zhiku/cache: %s", line)

    def _dirty_build(self) -> bool:
        """Whether the build under way keeps the previous build's site folder."""
        return self._dirty or (self._session is not None and self._session.dirty)

    def _incremental(self) -> bool:
        building = self._serving or self._building
        return building and self.config.enabled and self._store is not None

    # -- mkdocs build: going on from the site folder the last build left ---------------

    # Hooks of other plugins here could write to the site folder, or change pages, in ways
    # no digest of Zhiku's sees: a build then starts from an empty folder.
    _SITE_EVENTS = (
        "pre_build",
        "files",
        "nav",
        "post_build",
        "pre_template",
        "template_context",
        "post_template",
    )

    def _store_path(self, config: MkDocsConfig) -> Path:
        base = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        return base / self.config.cache_dir / stores.FILE_NAME

    def _record_key(self, config: MkDocsConfig) -> str:
        if self._code is None:
            self._code = code_version()
        return _digest(SCHEMA, self._code, versions(), str(Path(config.site_dir).resolve()))

    def _resume(self, config: MkDocsConfig) -> bool:
        """Before ``mkdocs build``: whether the site folder is exactly what the previous
        build left; if so, what it was built from is loaded and the build keeps it."""
        self._on_disk.forget()
        self._site_known = {}
        path = self._store_path(config)
        try:
            kept = _Store.open(path)
            # Taken out: a build that does not finish leaves no record.
            data = kept.kept.take("site", _RECORD)
            kept.say()
            if data is None:
                return False
            record = pickle.loads(zlib.decompress(data))
        except FileProblem:
            return False  # on_config says it, with the setting to change
        except (
            pickle.UnpicklingError,
            zlib.error,
            EOFError,
            ValueError,
            AttributeError,
            ImportError,
            TypeError,
            IndexError,
            KeyError,
        ) as err:  # anything a cut or foreign file can raise: it only costs a full build
            log.info("zhiku/cache: %s: site record unreadable (%s); building every page", path, err)
            return False
        if not isinstance(record, dict) or record.get("key") != self._record_key(config):
            return False
        if not _only_zhiku_hooks(config, (*self._SITE_EVENTS, *self._PAGE_EVENTS)):
            return False
        site = Path(config.site_dir)
        self._site_known = record["site"]  # what need not be hashed again in _finish
        found = incremental.site_manifest(site, record["site"])
        if not incremental.same_site(record["site"], found):
            if site.exists():
                log.info("zhiku/cache: %s changed since the last build; building it whole", site)
            return False
        self._on_disk.restore(record["outputs"])
        self._lookups = dict(record["lookups"])
        self._anchor_targets = dict(record["anchor_targets"])
        return True

    def _finish(self, config: MkDocsConfig) -> None:
        """After a successful ``mkdocs build``: record the site folder and its inputs."""
        if not self._committed:
            return
        record = {
            "key": self._record_key(config),
            "outputs": self._on_disk.state(),
            "lookups": self._lookups,
            "anchor_targets": self._anchor_targets,
            "site": incremental.site_manifest(Path(config.site_dir), self._site_known),
        }
        self._site_known = {}
        data = zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), 1)
        try:
            kept = _Store.open(self._store_path(config))
            kept.kept.put_only("site", _RECORD, data)
            kept.kept.commit()
            kept.say()
        except FileProblem as err:
            log.info("zhiku/cache: could not record the site folder (%s)", err)

    # -- files: keys, dirty reloads, converting ahead ----------------------------------

    # First, so that the user's pages convert while other plugins work on the files.
    @event_priority(1000)
    def _on_files_first(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        # Plugins have seen the configuration by now (on_config ran before on_pre_build).
        self._options = option_inputs(config)
        self._theme = theme_inputs(config)
        self._config_key = _digest(json.dumps(self._options, sort_keys=True), self._code)
        # Narrower: `mkdocs serve` (another site URL) and `build` share conversions.
        self._conversion_key_base = _digest(conversion_digest(config), self._code)
        self._theme_key = _digest(json.dumps(self._theme, sort_keys=True))
        if self._store is not None:
            self._store.variant = self._config_key
        if not self._dirty_build():
            self._convert_ahead(files.documentation_pages(), config)
        return files

    # Last, so that the pages other plugins generate (listings) are in the set.
    @event_priority(-1000)
    def _on_files_last(self, files: Files, *, config: MkDocsConfig) -> Files:
        if not self.config.enabled:
            return files
        self._files_key = _files_digest(files)
        if not self._dirty_build():
            # A dirty build converts the few pages it rebuilds as it goes.
            self._convert_ahead(files.documentation_pages(), config)
        return files

    on_files = CombinedEvent(_on_files_first, _on_files_last)

    def _conversion_key(self, file: File, source: str) -> str:
        return _digest(
            self._conversion_key_base,
            file.src_uri,
            file.url,
            file.inclusion.is_excluded(),
            source,
        )

    def _convert_ahead(self, pages: Sequence[File], config: MkDocsConfig) -> None:
        assert self._store is not None
        workers = self.config.workers or os.cpu_count() or 1
        if workers < 2:
            return
        jobs = []
        for file in pages:
            try:
                source = file.content_string
            except (OSError, ValueError):
                continue  # MkDocs reports it when it reads the page
            key = self._conversion_key(file, source)
            if key not in self._ahead and not self._store.has("conversions", key):
                excluded = file.inclusion.is_excluded()
                jobs.append((key, file.src_uri, file.dest_uri, excluded, source))
        if self._pool is None:
            if len(jobs) < max(1, self.config.workers_min_pages):
                return
            settings = _worker_settings(config)
            try:
                pickle.dumps(settings)
            except (pickle.PicklingError, TypeError, AttributeError) as err:
                log.info("zhiku/cache: converting in one process (%s cannot go to workers)", err)
                return
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(settings,),
            )
        # Batches small enough to keep both cores busy, in the order MkDocs reads pages.
        size = max(4, min(64, len(jobs) // (workers * 8) or 1))
        for start in range(0, len(jobs), size):
            batch = jobs[start : start + size]
            try:
                future = self._pool.submit(_convert, batch)
            except concurrent.futures.process.BrokenProcessPool as err:
                self._pool_broke(err)
                return
            for job in batch:
                self._ahead[job[0]] = future

    def _pool_broke(self, err: Exception) -> None:
        # E.g. a script that builds without an `if __name__ == "__main__":` guard, which
        # every spawned worker runs again: MkDocs converts the pages itself.
        log.info("zhiku/cache: the conversion workers stopped (%s); converting here", err)
        self._stop_pool()

    def _stop_pool(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._ahead.clear()
        self._results.clear()

    def _ahead_result(self, key: str) -> Any:
        future = self._ahead.pop(key, None)
        if future is None:
            return None
        if key not in self._results:
            try:
                done = future.result()
            except concurrent.futures.process.BrokenProcessPool as err:
                self._pool_broke(err)
                return None
            for done_key, result in done:
                self._results[done_key] = result
        return self._results.pop(key, None)

    # -- pages -------------------------------------------------------------------------

    @event_priority(-1000)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if not self.config.enabled:
            return nav
        read = catalogue.page_digests(files, config)
        sources: dict[str, str | None] = {}

        def source_of(src_uri: str) -> str | None:
            """The hash of a page's source, read once a build."""
            if src_uri not in sources:
                found = read.get(src_uri)
                if found is None:
                    file = files.get_file_from_path(src_uri)
                    try:
                        found = _digest(file.content_bytes) if file is not None else None
                    except (OSError, ValueError):
                        found = None
                sources[src_uri] = found
            return sources[src_uri]

        # Another plugin's on_page_context or on_env could add anything to a page's
        # output; only Zhiku's own hooks are known not to.
        if _only_zhiku_hooks(config, ("page_context", "env")):
            self._nav_key = _nav_digest(nav, source_of)
        if self._incremental():
            self._mark_rebuilt(files, config, source_of)
            self._warnings = _PageWarnings(config)
            for logger in _WATCHED:
                logger.addHandler(self._warnings)
        return nav

    # Hooks that change what a page shows; only Zhiku's say what their changes depend on.
    _PAGE_EVENTS = (
        "pre_page",
        "page_read_source",
        "page_markdown",
        "page_content",
        "page_context",
        "post_page",
        "env",
    )

    def _mark_rebuilt(
        self, files: Files, config: MkDocsConfig, source_of: Callable[[str], str | None]
    ) -> None:
        """Tell MkDocs which pages this build renders: under ``mkdocs serve``, those whose
        inputs differ from what their output in the site folder was built from."""
        # Another plugin's page hook: what it adds depends on inputs nobody can tell.
        known = self._nav_key is not None and _only_zhiku_hooks(config, self._PAGE_EVENTS)
        shared = None
        if known:
            shared = {
                **self._options,
                "Zhiku's code": self._code or "",
                **self._theme,
                "navigation": self._nav_key or "",
            }
        declared = self._session.page_inputs if self._session is not None else None

        def inputs_of(file: File) -> dict[str, str] | None:
            src = file.src_uri
            own = source_of(src)
            if not known or own is None:
                return None
            added = declared(src) if declared is not None else {}
            # A listing's source is the listing a plugin declares: named once, as that.
            made = file.generated_by is not None and "listing" in added
            found = {} if made else {"source": own}
            found["place"] = _digest(file.url, file.dest_uri, file.inclusion.name)
            # Its links, as the files resolve them now (all of them when not known).
            lookups = self._lookups.get(src)
            if lookups is None:
                found["set of files"] = self._files_key
            for path in lookups or ():
                found[f"link: {path}"] = _answer(files.get_file_from_path(path)) or "-"
            # Anchors it links to are checked against the target pages' headings.
            for target in self._anchor_targets.get(src, ()):
                found[f"headings of: {target}"] = source_of(target) or ""
            found.update(added)
            return found

        shown = InclusionLevel.is_in_serve if self._serving else InclusionLevel.is_included
        pages = list(files.documentation_pages(inclusion=shown))
        self._on_disk.mark(files, pages, shared, inputs_of, config.site_dir, shown)

    # Last: the Markdown MkDocs is about to convert, after every other plugin's changes.
    @event_priority(-1000)
    def _on_markdown_last(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        if not self.config.enabled or self._store is None:
            return markdown
        src = page.file.src_uri
        try:
            key = self._conversion_key(page.file, page.file.content_string)
        except (OSError, ValueError):
            return markdown
        found = self._ahead_result(key)
        if found is not None:
            self.report.by_workers += 1
            self.report.converted.add(src)
            self._store.put("conversions", key, found)
        else:
            found = self._store.get("conversions", key)
            if found is not None:
                self.report.reused.add(src)
        if (
            found is not None
            and found["markdown"] == _digest(markdown)
            and _same_answers(found["lookups"], files)
            and all(files.get_file_from_path(target) for target in found["links"])
        ):
            self._lookups[src] = found["lookups"]
            self._anchor_targets[src] = tuple(found["links"])
            # Converted already: this page's render puts the stored result in place (a new
            # Markdown instance costs about a millisecond even with nothing to convert).
            engine.skip_render(page, functools.partial(_restore, found=found))
            return markdown
        self.report.reused.discard(src)
        lookups = _Lookups()
        engine.render_with(page, lookups.watch)
        self._misses[src] = (key, markdown, lookups)
        self._logged.seen = False
        for logger in _WATCHED:
            logger.addHandler(self._logged)
        return markdown

    # First: restore a cached conversion, or store a fresh one, before others change it.
    @event_priority(1000)
    def _on_content_first(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str:
        src = page.file.src_uri
        missed = self._misses.pop(src, None)
        if missed is not None:
            key, markdown, lookups = missed
            self._lookups[src] = lookups.seen
            anchors = page.links_to_anchors or {}
            self._anchor_targets[src] = tuple(target.src_uri for target in anchors)
            for logger in _WATCHED:
                logger.removeHandler(self._logged)
            self.report.converted.add(src)
            if not self._logged.seen and self._store is not None:
                conversion = _conversion_of(page, lookups.seen, markdown)
                self._store.put("conversions", key, conversion)
        return html

    # Last: the page's final HTML, with every plugin's additions; decide on the output.
    @event_priority(-1000)
    def _on_content_last(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.config.enabled or self._store is None or self._nav_key is None:
            return html
        key = self._output_key(page, html)
        src = page.file.src_uri
        if self._store.has("outputs", key):
            self._outputs[src] = key
            page.meta["template"] = TEMPLATE
        else:
            self._to_store[src] = key
        return html

    on_page_markdown = CombinedEvent(_on_markdown_last)
    on_page_content = CombinedEvent(_on_content_first, _on_content_last)

    def _output_key(self, page: Page, html: str) -> str:
        file = page.file
        return _digest(
            self._config_key,
            self._theme_key,
            self._nav_key,
            file.src_uri,
            file.url,
            file.inclusion.is_excluded(),
            page.canonical_url,
            page.edit_url,
            page.is_homepage,
            page.title,
            json.dumps(page.meta, sort_keys=True, default=repr, ensure_ascii=False),
            json.dumps(_toc_rows(page.toc), ensure_ascii=False),
            html,
        )

    def on_env(
        self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files
    ) -> jinja2.Environment:
        # Every page is converted by now: the workers are done.
        self._stop_pool()
        if self._store is not None:
            # Templates compile once, not on every build (the cache checks their source).
            # One folder per configuration: compiled code depends on the environment.
            folder = self._store.path.parent / "jinja" / self._config_key[:16]
            for other in folder.parent.glob("*"):
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True)
            try:
                make_folder(folder)
            except FileProblem as err:
                raise PluginError(f"{err}, or set zhiku/cache's cache_dir elsewhere") from err
            env.bytecode_cache = _CheckedBytecode(folder)
        if self._outputs:
            env.loader = engine.replay_loader(env.loader, TEMPLATE, _OUTPUT_VAR)
        return env

    @event_priority(-1000)
    def on_page_context(
        self, context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        key = self._outputs.pop(page.file.src_uri, None)
        if key is not None and self._store is not None:
            output = self._store.get("outputs", key)
            if output is None:
                raise RuntimeError(f"zhiku/cache: output {key} vanished from {self._store.path}")
            context[_OUTPUT_VAR] = output  # type: ignore[literal-required]
            self.report.replayed.add(page.file.src_uri)
        return context

    # First: the theme's own output, before on_post_page hooks add to it.
    @event_priority(1000)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        key = self._to_store.pop(page.file.src_uri, None)
        if key is not None and self._store is not None:
            self.report.rendered.add(page.file.src_uri)
            self._store.put("outputs", key, output)
        return output
