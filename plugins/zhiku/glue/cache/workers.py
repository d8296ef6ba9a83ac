"""Converting Markdown ahead, in worker processes, on cold builds.

In ``on_files`` the pages not in the cache are handed to a pool of processes (one per
core) that run MkDocs' own ``Page.render``; in ``on_page_markdown`` a page whose Markdown is
exactly what a worker converted takes the worker's result, otherwise MkDocs converts it as
usual. Workers resolve links against a table of the build's files (:class:`FileTable`),
and record what each lookup answered, as MkDocs' own conversion does here: a page whose
links find other answers in the main process is converted there again. A page whose
conversion logs anything is left to MkDocs, so its warnings are said as on any build.
"""

from __future__ import annotations

import concurrent.futures
import logging
import multiprocessing
import os
import pickle
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from zhiku.glue.cache.stored import Lookups, conversion_of

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
# MkDocs' loggers may not propagate to the root: watch both.
WATCHED = (logging.getLogger(), logging.getLogger("mkdocs"))


class Logged(logging.Handler):
    """Notes that something was logged (a page that logs is never cached)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


FileRow = tuple[str, str, bool]
"""A file of the build as a worker sees it: source path, output path, excluded or not."""


class FileTable:
    """The build's files for a worker: enough for MkDocs to resolve a relative link (the
    target's URL) and for the figures extension to read an image's size, made on demand."""

    def __init__(self, rows: Sequence[FileRow], docs_dir: str, directory_urls: bool) -> None:
        self._rows = {src: (dest, excluded) for src, dest, excluded in rows}
        self._docs_dir, self._directory_urls = docs_dir, directory_urls
        self._made: dict[str, File] = {}

    def get_file_from_path(self, path: str) -> File | None:
        found = self._made.get(path)
        if found is None and path in self._rows:
            dest, excluded = self._rows[path]
            inclusion = InclusionLevel.EXCLUDED if excluded else InclusionLevel.INCLUDED
            found = File(
                path,
                self._docs_dir,
                "",
                self._directory_urls,
                dest_uri=dest,
                inclusion=inclusion,
            )
            self._made[path] = found
        return found


def file_rows(files: Iterable[File]) -> tuple[FileRow, ...]:
    """The table :class:`FileTable` is made from."""
    return tuple((f.src_uri, f.dest_uri, f.inclusion.is_excluded()) for f in files)


class RenderConfig(SimpleNamespace):
    """The settings ``Page`` and ``Page.render`` read, for a worker process."""

    def __getitem__(self, key: str) -> Any:
        return getattr(self, key)

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)


_worker_config: RenderConfig | None = None


def start_worker(settings: dict[str, Any]) -> None:
    global _worker_config
    settings = dict(settings)
    links = SimpleNamespace(**settings.pop("links"))
    _worker_config = RenderConfig(**settings, validation=SimpleNamespace(links=links))


def convert(
    jobs: list[tuple[str, str, str, bool, str]], rows: Sequence[FileRow]
) -> list[tuple[str, Any]]:
    """Run MkDocs' own conversion on ``(key, src_uri, dest_uri, excluded, source)`` jobs,
    resolving links against the files ``rows``."""
    from mkdocs.utils import meta

    config = _worker_config
    assert config is not None
    files = FileTable(rows, config.docs_dir, config.use_directory_urls)
    done: list[tuple[str, Any]] = []
    handler = Logged()
    for logger in WATCHED:
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
            lookups = Lookups(files)
            page.render(config, lookups)  # type: ignore[arg-type]
            result = conversion_of(page, lookups.seen, page.markdown, files)  # type: ignore[arg-type]
            if handler.seen:
                done.append((key, None))  # MkDocs converts it, with its warnings
            else:
                done.append((key, result))
    finally:
        for logger in WATCHED:
            logger.removeHandler(handler)
    return done


def worker_settings(config: MkDocsConfig) -> dict[str, Any]:
    links = config.validation.links
    return {
        "markdown_extensions": config.markdown_extensions,
        "mdx_configs": config.mdx_configs,
        "use_directory_urls": config.use_directory_urls,
        "docs_dir": config.docs_dir,
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


class AheadPool:
    """The worker processes of one build, and what they converted, by conversion key."""

    def __init__(self, workers: int, min_pages: int) -> None:
        self.workers = workers or os.cpu_count() or 1
        self.min_pages = max(1, min_pages)
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._ahead: dict[str, concurrent.futures.Future[list[tuple[str, Any]]]] = {}
        self._results: dict[str, Any] = {}

    def convert(
        self,
        files: Files,
        config: MkDocsConfig,
        key_of: Callable[[File, str], str],
        stored: Callable[[str], bool],
    ) -> None:
        """Hand the pages of ``files`` whose conversion is not ``stored`` to the workers
        (starting them when there are enough), with the files their links resolve
        against; ``key_of(file, source)`` is a page's conversion key."""
        if self.workers < 2:
            return
        pages = files.documentation_pages()
        jobs = []
        for file in pages:
            try:
                source = file.content_string
            except (OSError, ValueError):
                continue  # MkDocs reports it when it reads the page
            key = key_of(file, source)
            if key not in self._ahead and not stored(key):
                excluded = file.inclusion.is_excluded()
                jobs.append((key, file.src_uri, file.dest_uri, excluded, source))
        if self._pool is None:
            if len(jobs) < self.min_pages:
                return
            settings = worker_settings(config)
            try:
                pickle.dumps(settings)
            except (pickle.PicklingError, TypeError, AttributeError) as err:
                log.info("zhiku/cache: converting in one process (%s cannot go to workers)", err)
                return
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=start_worker,
                initargs=(settings,),
            )
        rows = file_rows(files) if jobs else ()
        # Batches small enough to keep both cores busy, in the order MkDocs reads pages.
        size = max(4, min(64, len(jobs) // (self.workers * 8) or 1))
        for start in range(0, len(jobs), size):
            batch = jobs[start : start + size]
            try:
                future = self._pool.submit(convert, batch, rows)
            except concurrent.futures.process.BrokenProcessPool as err:
                self._broke(err)
                return
            for job in batch:
                self._ahead[job[0]] = future

    def _broke(self, err: Exception) -> None:
        # E.g. a script that builds without an `if __name__ == "__main__":` guard, which
        # every spawned worker runs again: MkDocs converts the pages itself.
        log.info("zhiku/cache: the conversion workers stopped (%s); converting here", err)
        self.stop()

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        self._ahead.clear()
        self._results.clear()

    def result(self, key: str) -> Any:
        """What a worker made of the conversion ``key`` (None: not handed to one, or left
        to MkDocs)."""
        future = self._ahead.pop(key, None)
        if future is None:
            return None
        if key not in self._results:
            try:
                done = future.result()
            except concurrent.futures.process.BrokenProcessPool as err:
                self._broke(err)
                return None
            for done_key, result in done:
                self._results[done_key] = result
        return self._results.pop(key, None)
