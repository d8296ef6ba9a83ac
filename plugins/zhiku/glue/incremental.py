"""Incremental rebuilds under ``mkdocs serve``: after a save, only the pages it changes.

MkDocs 1.6 rebuilds the whole site on every save under ``mkdocs serve`` (it empties the
site folder and renders every page through the theme), and under ``--dirtyreload`` it
re-renders only the pages whose own source is newer than their output, so listings,
previous/next and related links on other pages go stale. Neither suits a knowledge base
of thousands of articles written with the server open.

Here a page is rebuilt when its *inputs* changed since the output now in the site
folder was written: everything that output is a function of, as a digest, computed
before any page is read: the configuration, the theme, the navigation, the page's
source and place, and what plugins add to it (the listing a page shows, an article's
header and footer, the titles its ``[[links]]`` resolve to; see ``page_inputs`` on the
plugins). A page whose digest is the one recorded for its output is skipped; every other
page goes through MkDocs as on a full build (and through the render cache).

Two pieces make MkDocs do that:

- :func:`install` wraps the ``build`` that ``mkdocs serve`` calls, so that every build
  after the session's first successful one runs as a dirty build (the site folder is
  kept, not emptied), whichever reload flag was given;
- :class:`Outputs` decides, per file, what MkDocs' ``File.is_modified`` answers in those
  builds (MkDocs asks it before reading a page and before rendering it), and removes the
  outputs of files that no longer exist.

A build that fails forgets every recorded digest: the next one rebuilds every page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
_DIRTY_WARNING = "A 'dirty' build is being performed"


class _Session:
    """What the wrapped ``build`` knows about the serve session it runs in."""

    def __init__(self) -> None:
        self.original: Callable[..., None] | None = None
        self.ready = False  # the last build succeeded and its outputs are recorded
        self.dirty = False  # the build under way keeps the site folder


_session = _Session()


def install() -> None:
    """Make the builds of this ``mkdocs serve`` session incremental (idempotent)."""
    from mkdocs.commands import serve

    if _session.original is None:
        _session.original = serve.build  # type: ignore[attr-defined]
        serve.build = _serve_build  # type: ignore[attr-defined]
    _session.ready = False


def uninstall() -> None:
    from mkdocs.commands import serve

    if _session.original is not None:
        serve.build = _session.original  # type: ignore[attr-defined]
        _session.original = None
    _session.ready = False


def build_is_dirty(requested: bool) -> bool:
    """Whether the build under way keeps the previous build's site folder."""
    return requested or _session.dirty


def _serve_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    assert _session.original is not None
    keep = dirty or _session.ready
    _session.dirty = keep
    try:
        with _quiet_dirty_warning(forced=keep and not dirty):
            _session.original(config, serve_url=serve_url, dirty=keep)
    finally:
        _session.dirty = False


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_WARNING)


@contextmanager
def _quiet_dirty_warning(*, forced: bool) -> Iterator[None]:
    """MkDocs warns on every dirty build that its links may be wrong; ours are not, and
    the warning would fail ``mkdocs serve --strict``. A flag the user gave keeps it."""
    if not forced:
        yield
        return
    drop = _DropDirtyWarning()
    _BUILD_LOG.addFilter(drop)
    try:
        yield
    finally:
        _BUILD_LOG.removeFilter(drop)


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value


def _signature(path: str) -> tuple[int, int] | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size


class Outputs:
    """The pages and files in the site folder, and the inputs they were built from."""

    def __init__(self) -> None:
        self._inputs: dict[str, str] = {}  # page src_uri -> input digest of its output
        self._copied: dict[str, tuple[int, int] | None] = {}  # static file -> source stat
        self._dests: set[str] = set()  # every file's abs_dest_path
        self._pending: tuple[dict[str, str], dict[str, tuple[int, int] | None], set[str]] = (
            {},
            {},
            set(),
        )
        self._measure: Callable[[File], str | None] = lambda file: None
        self._rebuilt: dict[str, File] = {}  # of the last build marked, by src_uri
        self.pages = 0
        """Pages in the build under way."""

    @property
    def rebuilt(self) -> set[str]:
        """Pages the last build rebuilt (all of them on a full build)."""
        return set(self._rebuilt)

    def mark(
        self, files: Files, pages: list[File], inputs_of: Callable[[File], str | None]
    ) -> None:
        """Decide what MkDocs rebuilds: pages whose inputs changed, static files whose
        source changed, anything whose output is missing. ``inputs_of`` returns a page's
        input digest, or None when it cannot tell (the page is then always rebuilt)."""
        inputs: dict[str, str] = {}
        self._measure = inputs_of
        self._rebuilt = {}
        for file in pages:
            digest = inputs_of(file)
            if digest is not None:
                inputs[file.src_uri] = digest
            modified = (
                digest is None
                or self._inputs.get(file.src_uri) != digest
                or not Path(file.abs_dest_path).is_file()
            )
            if modified:
                self._rebuilt[file.src_uri] = file
            file.is_modified = _answer(modified)  # type: ignore[method-assign]
        copied: dict[str, tuple[int, int] | None] = {}
        for file in files:
            if file.is_documentation_page() or file.abs_src_path is None or file.generated_by:
                continue
            signature = _signature(file.abs_src_path)
            copied[file.src_uri] = signature
            fresh = (
                signature is not None
                and self._copied.get(file.src_uri) == signature
                and Path(file.abs_dest_path).is_file()
            )
            file.is_modified = _answer(not fresh)  # type: ignore[method-assign]
        self._pending = (inputs, copied, {f.abs_dest_path for f in files})
        self.pages = len(pages)

    def commit(self, dirty: bool) -> None:
        """The build succeeded: its outputs are what the pending digests describe. After
        a dirty build, outputs of files that are gone are removed."""
        inputs, copied, dests = self._pending
        # Building a page can teach ``inputs_of`` what it depends on (whether its links
        # are resolved against the set of files, say): measure the rebuilt pages again.
        for src, file in self._rebuilt.items():
            digest = self._measure(file)
            if digest is None:
                inputs.pop(src, None)
            else:
                inputs[src] = digest
        if dirty:
            for gone in self._dests - dests:
                path = Path(gone)
                try:
                    path.unlink(missing_ok=True)
                    if path.parent.is_dir() and not any(path.parent.iterdir()):
                        path.parent.rmdir()  # a page's own folder (use_directory_urls)
                except OSError as err:
                    log.info("zhiku/cache: could not remove %s (%s)", path, err)
        self._inputs, self._copied, self._dests = inputs, copied, dests
        self._pending = ({}, {}, set())
        _session.ready = True

    def forget(self) -> None:
        """The build failed: nothing in the site folder can be trusted to be current."""
        self._inputs.clear()
        self._copied.clear()
        self._pending = ({}, {}, set())
        self._rebuilt = {}
        _session.ready = False
