"""Every place Zhiku bends MkDocs 1.6 itself, in one module (as :mod:`zhiku.glue.material`
is for Material).

MkDocs rebuilds the whole site on every save under ``mkdocs serve`` (it empties the site
folder and renders every page through the theme), and under ``--dirtyreload`` re-renders
only the pages whose own source is newer than their output, so listings, previous/next
and related links on other pages go stale. Zhiku builds only the pages whose inputs
changed (:mod:`zhiku.build.ledger`), which takes five bends, each documented where it is
(a sixth makes ``mkdocs serve`` hear a save at once):

1. :func:`install` wraps the ``build`` that ``mkdocs serve`` calls, so that every build
   after the session's first successful one keeps the site folder (a dirty build),
   whichever reload flag was given.
2. :func:`install_build` wraps the ``build`` that ``mkdocs build`` (and ``gh-deploy``)
   calls, so that a build keeps the site folder when it is, file for file and byte for
   byte, what the previous successful build left (``resume`` says so).
3. :func:`answer_modified` replaces a ``File``'s ``is_modified``: MkDocs asks it, in a
   dirty build, before reading a page and before rendering it, and copying a static file.
4. :func:`skip_render` replaces a ``Page``'s ``render`` for one build, with a function
   that puts a stored conversion in place; :func:`render_with` wraps it, to watch which
   files a conversion looks up.
5. :func:`replay_loader` adds a one-line template that prints a page's stored output.
6. :func:`install` also gives the server on Linux a watcher the kernel tells of changes
   (inotify, :class:`_KernelWatcher`) in place of MkDocs' poll of every watched folder
   each half second, which alone made a save wait 0.25 s on average before its rebuild.
7. A serve rebuild runs with Python's cyclic garbage collector paused, and one collection
   follows a moment later (:func:`_collecting_after`).
8. Both wrapped builds remember each page's canonical URL (:func:`_canonical_url`): MkDocs
   parses the site URL afresh for every page of every build (75 ms of a serve rebuild's
   1.1 s of CPU at 3,000 articles), for the same few thousand answers.
9. A process that ran a build freezes Python's garbage collector as it exits
   (:func:`_exit_quickly`): its last collection would walk every object the build left,
   0.5–0.8 s at 3,000 articles, a sixth of a build after one edit, to free memory the
   process is about to give back whole.
10. Under ``mkdocs serve``, the theme's static files (:func:`_add_files_from_theme`):
    MkDocs lists every theme folder and filters the names on every build, 60 ms for
    Material's 14,500 files (its icons, mostly); the answer is remembered while the
    folders outside installed packages (``theme_overrides/``) list the same files.

11. ``mkdocs build`` runs with Python's cyclic garbage collector asked less often
    (:func:`_collecting_less`): at its default of every 700 allocations, a build after
    one edit at 3,000 articles spent 0.42 s in 1,100 collections, six of them over the
    whole heap while the build loaded what the last build kept; every 10,000, 0.17 s and
    none over the whole heap, for half a megabyte more at the peak.

Both wrapped builds also turn a file or folder they could not write into one line
``path: what; fix`` (MkDocs prints a traceback), and drop MkDocs' warning about dirty
builds when Zhiku, not the user, made the build dirty (it would fail ``--strict``).
What a build is doing lives in its :class:`~zhiku.glue.session.BuildSession`, not here.
"""

from __future__ import annotations

import atexit
import errno
import functools
import gc
import logging
import os
import sysconfig
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import jinja2
from mkdocs.exceptions import Abort
from mkdocs.livereload import LiveReloadServer
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from watchdog.events import (
    EventsLostEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers.api import ObservedWatch
from watchdog.observers.polling import PollingObserver

from zhiku.files import FileProblem, explain
from zhiku.glue import session

_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
# What MkDocs logs on every dirty build; a build Zhiku made dirty does not say it.
_DIRTY_NOTES = (
    "A 'dirty' build is being performed",
    "The directory contains stale files",
)


class _Originals:
    """MkDocs' own functions while Zhiku's wrappers stand in for them, and what keeps the
    site folder of the ``mkdocs build`` command this process runs (MkDocs calls the
    wrapped build before any plugin has seen the configuration)."""

    serve: Callable[..., None] | None = None
    server_init: Callable[..., None] | None = None
    canonical_url: Callable[[Page, str | None], None] | None = None
    build: Callable[..., None] | None = None
    theme_files: Callable[[Files, jinja2.Environment, Any], None] | None = None
    resume: Callable[[Any], bool] | None = None
    finish: Callable[[Any], None] | None = None
    freeze_at_exit = False


def install() -> None:
    """Make the builds of a ``mkdocs serve`` run keep the site folder once it is current
    (idempotent)."""
    from mkdocs.commands import serve

    if _Originals.serve is None:
        _Originals.serve = serve.build  # type: ignore[attr-defined]
        serve.build = _serve_build  # type: ignore[attr-defined]
    if _Originals.server_init is None and _KernelWatcher is not None:
        _Originals.server_init = LiveReloadServer.__init__
        LiveReloadServer.__init__ = _server_init  # type: ignore[method-assign,assignment]
    if _Originals.theme_files is None:
        _Originals.theme_files = Files.add_files_from_theme
        Files.add_files_from_theme = _add_files_from_theme  # type: ignore[method-assign,assignment]
    _install_urls()


def uninstall() -> None:
    from mkdocs.commands import serve

    if _Originals.serve is not None:
        serve.build = _Originals.serve  # type: ignore[attr-defined]
        _Originals.serve = None
    if _Originals.server_init is not None:
        LiveReloadServer.__init__ = _Originals.server_init  # type: ignore[method-assign]
        _Originals.server_init = None
    if _Originals.theme_files is not None:
        Files.add_files_from_theme = _Originals.theme_files  # type: ignore[method-assign,assignment]
        _Originals.theme_files = None
    _theme_files.clear()
    _uninstall_urls()


# Theme folders (as MkDocs lists them) -> (what decides the answer, the static files found:
# (src_uri, theme folder) each). One entry per theme: a serve session has one.
_theme_files: dict[tuple[str, ...], tuple[object, tuple[tuple[str, str], ...]]] = {}


def _installed(folder: str) -> bool:
    """Whether ``folder`` is inside an installed package (site-packages)."""
    where = os.path.realpath(folder)
    places = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    return any(where.startswith(os.path.realpath(place) + os.sep) for place in places if place)


def _add_files_from_theme(files: Files, env: jinja2.Environment, config: Any) -> None:
    """``Files.add_files_from_theme``, remembering its answer (bend 10).

    The answer is MkDocs' own (its filter, its choice of folder for each name), made in
    an empty collection; what it depends on is the theme's folders, the files of each
    folder outside an installed package, listed afresh on every call, and the theme's
    static templates. Files added inside an installed theme package while the server runs
    are seen when it starts again. A docs file still hides a theme file of the same name.
    """
    assert _Originals.theme_files is not None
    loader = env.loader
    if type(loader) is not jinja2.FileSystemLoader:  # another theme's own loader
        _Originals.theme_files(files, env, config)
        return
    folders = tuple(loader.searchpath)
    listed = tuple(
        None
        if _installed(folder)
        else tuple(jinja2.FileSystemLoader(folder, followlinks=loader.followlinks).list_templates())
        for folder in folders
    )
    decides = (listed, loader.followlinks, tuple(sorted(config.theme.static_templates)))
    known = _theme_files.get(folders)
    if known is None or known[0] != decides:
        found = Files([])
        _Originals.theme_files(found, env, config)
        made = tuple((f.src_uri, f.src_dir) for f in found if f.src_dir is not None)
        known = _theme_files[folders] = (decides, made)
    for src_uri, folder in known[1]:
        if files.get_file_from_path(src_uri) is None:
            files.append(File(src_uri, folder, config.site_dir, config.use_directory_urls))


def _server_init(server: LiveReloadServer, *args: Any, **kwargs: Any) -> None:
    assert _Originals.server_init is not None and _KernelWatcher is not None
    _Originals.server_init(server, *args, **kwargs)
    # Nothing is watched yet: MkDocs schedules its folders after the first build.
    server.observer = _KernelWatcher(timeout=server.observer.timeout)


def install_build(resume: Callable[[Any], bool], finish: Callable[[Any], None]) -> None:
    """Make ``mkdocs build`` go on from the site folder the last build left: before the
    build ``resume(config)`` says whether the folder is exactly that (and loads what it
    was built from), after a successful build ``finish(config)`` records it. Idempotent."""
    from mkdocs.commands import build

    if _Originals.build is None:
        _Originals.build = build.build
        build.build = _one_build
    _Originals.resume, _Originals.finish = resume, finish
    _install_urls()
    _exit_quickly()


def _exit_quickly() -> None:
    """At exit, before Python's final collection, move every object to the collector's
    permanent generation, which that collection skips (idempotent). Exit handlers still
    run, and what modules hold is still released (files close); only garbage in cycles is
    left to the operating system. Tests that build many times in one process keep
    collecting as before: this happens at exit only."""
    if not _Originals.freeze_at_exit:
        _Originals.freeze_at_exit = True
        atexit.register(gc.freeze)


def uninstall_build() -> None:
    from mkdocs.commands import build

    if _Originals.build is not None:
        build.build = _Originals.build
        _Originals.build = None
    _Originals.resume = _Originals.finish = None
    _uninstall_urls()


def _install_urls() -> None:
    if _Originals.canonical_url is None:
        _Originals.canonical_url = Page._set_canonical_url
        Page._set_canonical_url = _canonical_url  # type: ignore[method-assign,assignment]


def _uninstall_urls() -> None:
    if _Originals.canonical_url is not None:
        Page._set_canonical_url = _Originals.canonical_url  # type: ignore[method-assign,assignment]
        _Originals.canonical_url = None


def _canonical_url(page: Page, base: str | None) -> None:
    """``Page._set_canonical_url``, its answer remembered by site URL and page URL."""
    page.canonical_url, page.abs_url = _canonical(base, page.url)


@functools.lru_cache(maxsize=1 << 16)
def _canonical(base: str | None, url: str) -> tuple[str | None, str | None]:
    """MkDocs' canonical and absolute URL of the page at ``url`` under site URL ``base``."""
    if not base:
        return None, None
    if not base.endswith("/"):
        base += "/"
    canonical = urljoin(base, url)
    return canonical, urlsplit(canonical).path


# Events that change a file. Opening and reading one is not a change: every build reads
# the whole content folder, and would otherwise start the next build.
_CHANGES: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileDeletedEvent,
    FileMovedEvent,
    EventsLostEvent,
]

# File systems whose files other machines (or Windows, under WSL) change without this
# kernel knowing: inotify never hears of those changes.
_REMOTE_FILESYSTEMS = frozenset(
    {"9p", "drvfs", "nfs", "nfs4", "cifs", "smb3", "smbfs", "afs", "ceph", "vboxsf", "prl_fs"}
)


def local_filesystem(path: str | Path, mounts: str | None = None) -> bool:
    """Whether the folder at ``path`` is on a file system only this kernel changes (read
    from ``/proc/self/mounts``, or ``mounts`` in that format); False when it cannot tell."""
    if mounts is None:
        try:
            mounts = Path("/proc/self/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False
    where = os.path.realpath(path)
    best, kind = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = where == point or where.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, kind = point, fields[2]
    return bool(kind) and kind not in _REMOTE_FILESYSTEMS and not kind.startswith("fuse")


_KernelWatcher: type[Any] | None = None
try:  # Linux only
    from watchdog.observers.inotify import InotifyObserver
except ImportError:  # pragma: no cover - macOS and Windows keep MkDocs' polling
    pass
else:

    class _Watcher(InotifyObserver):
        """MkDocs' serve watcher, told of each change by the kernel (inotify).

        Folders only: a single watched file (``mkdocs.yml``) is replaced, not changed, by
        editors that save through a new file, which ends a kernel watch on it; it is polled
        as MkDocs polls it. So is a folder whose changes may come from another machine's
        kernel (a network share, WSL's Windows drives under /mnt/c: inotify never hears
        those), and a folder the kernel will not watch (its limit on watches reached),
        with one line saying so."""

        def __init__(self, timeout: float) -> None:
            super().__init__(timeout=timeout)
            self._polled = PollingObserver(timeout=timeout)
            self._polled_watches: set[ObservedWatch] = set()

        def schedule(
            self,
            event_handler: FileSystemEventHandler,
            path: str | Path,
            *,
            recursive: bool = False,
            event_filter: list[type[FileSystemEvent]] | None = None,
            follow_symlink: bool = False,
        ) -> ObservedWatch:
            if Path(path).is_dir() and local_filesystem(path):
                try:
                    return super().schedule(
                        event_handler,
                        path,
                        recursive=recursive,
                        event_filter=event_filter or _CHANGES,
                        follow_symlink=follow_symlink,
                    )
                except OSError as err:
                    logging.getLogger("mkdocs.livereload").info(
                        "%s: the system will not watch this folder (%s); checking it for "
                        "changes every half second instead",
                        path,
                        err.strerror or err,
                    )
            watch = self._polled.schedule(
                event_handler, path, recursive=recursive, follow_symlink=follow_symlink
            )
            self._polled_watches.add(watch)
            return watch

        def unschedule(self, watch: ObservedWatch) -> None:
            if watch in self._polled_watches:
                self._polled_watches.discard(watch)
                self._polled.unschedule(watch)
            else:
                super().unschedule(watch)

        def start(self) -> None:
            super().start()
            self._polled.start()

        def stop(self) -> None:
            self._polled.stop()
            super().stop()

        def join(self, timeout: float | None = None) -> None:
            self._polled.join(timeout)
            super().join(timeout)

    _KernelWatcher = _Watcher


# What a file system says when a folder is in the way, closed, full or read-only: the
# user's to fix, said as a sentence (MkDocs would print a traceback).
_NOT_OURS = frozenset(
    {
        errno.EEXIST,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EACCES,
        errno.EPERM,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
    }
)


@contextmanager
def _in_one_line() -> Iterator[None]:
    """A file or folder the build could not write stops it with ``path: what; fix``."""
    try:
        yield
    except OSError as err:
        if isinstance(err, FileProblem):
            sentence = str(err)
        elif err.errno in _NOT_OURS and err.filename is not None:
            sentence = explain(Path(os.fsdecode(err.filename)), err)
        else:
            raise
        _BUILD_LOG.error(sentence)
        raise Abort("Aborted with a BuildError!") from err


def _one_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    assert _Originals.build is not None
    current = session.of(config)
    with _in_one_line():
        keep = _Originals.resume is not None and _Originals.resume(config)
    current.dirty = keep
    try:
        with (
            _quiet_dirty_warning(forced=keep and not dirty),
            _in_one_line(),
            _collecting_less(),
        ):
            _Originals.build(config, serve_url=serve_url, dirty=keep or dirty)
        if _Originals.finish is not None:
            _Originals.finish(config)
    finally:
        current.dirty = False


def _serve_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    assert _Originals.serve is not None
    current = session.of(config)
    keep = dirty or current.ready
    current.dirty = keep
    try:
        with (
            _quiet_dirty_warning(forced=keep and not dirty),
            _in_one_line(),
            _collecting_after(current, keep),
        ):
            _Originals.serve(config, serve_url=serve_url, dirty=keep)
    finally:
        current.dirty = False


# Seconds after a rebuild before its garbage is collected: the browser asks for the
# reloaded page within a tenth of a second (same machine), and a writer rarely saves again
# within half a second of seeing it. At 2 s the pass (0.25 s at 3,000 articles, 0.7 s at
# 10,000, holding the interpreter) fell where a writer saving every couple of seconds
# saves next, and that save waited for it: 0.3 s of its 1.1–1.5 s in the benchmark.
COLLECT_AFTER = 0.5


@contextmanager
def _collecting_after(current: session.BuildSession, rebuild: bool) -> Iterator[None]:
    """A serve process holds the whole site in memory, and a full pass of Python's cyclic
    garbage collector over it takes 0.75–2 s at 10,000 articles: one such pass fell inside
    nearly every rebuild. A rebuild (which converts a few pages, so makes little cyclic
    garbage) runs without the collector; one pass runs ``COLLECT_AFTER`` seconds later,
    while the reader reads. The first build, which converts every page, is left alone."""
    if not rebuild:
        yield
        return
    if current.collection is not None:
        current.collection.cancel()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        timer = threading.Timer(COLLECT_AFTER, gc.collect)
        timer.daemon = True
        timer.start()
        current.collection = timer


# Allocations between two collections of the youngest generation during `mkdocs build`.
BUILD_GC_THRESHOLD = 10_000


@contextmanager
def _collecting_less() -> Iterator[None]:
    """Python's collector runs every :data:`BUILD_GC_THRESHOLD` allocations (not 700) for
    the build, and as before after it (bend 11)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], BUILD_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_NOTES)


@contextmanager
def _quiet_dirty_warning(*, forced: bool) -> Iterator[None]:
    """MkDocs warns on every dirty build that its links may be wrong; ours are not, and
    the warning would fail ``--strict``. A flag the user gave keeps it."""
    if not forced:
        yield
        return
    drop = _DropDirtyWarning()
    _BUILD_LOG.addFilter(drop)
    try:
        yield
    finally:
        _BUILD_LOG.removeFilter(drop)


def answer_modified(file: File, value: bool) -> None:
    """What MkDocs' ``File.is_modified`` answers for ``file`` in this build: in a dirty
    build MkDocs reads, renders or copies only files that answer True."""
    # Two shared answers, not a closure per file: thousands a rebuild, each an object
    # Python's collector would walk for as long as the build's files live.
    file.is_modified = _modified if value else _unmodified  # type: ignore[method-assign]


def _modified() -> bool:
    return True


def _unmodified() -> bool:
    return False


def skip_render(page: Page, restore: Callable[[Page, Any, Any], None]) -> None:
    """This build, ``page.render(config, files)`` calls ``restore(page, config, files)``
    instead of converting the Markdown (a new ``Markdown`` instance costs about a
    millisecond even with nothing to convert)."""
    page.render = lambda config, files: restore(page, config, files)  # type: ignore[method-assign]


def render_with(page: Page, wrap: Callable[[Any], Any]) -> None:
    """This build, ``page.render(config, files)`` converts with ``wrap(files)`` in the
    files' place (to see which files the conversion looks up)."""
    original = page.render
    page.render = lambda config, files: original(config, wrap(files))  # type: ignore[method-assign]


def replay_loader(loader: jinja2.BaseLoader | None, name: str, variable: str) -> jinja2.BaseLoader:
    """``loader`` with one more template, ``name``, that prints ``variable``: a page whose
    ``meta["template"]`` is ``name`` and whose context holds its stored output is written
    as stored, with MkDocs' ``on_post_page`` hooks still run on it."""
    own = jinja2.DictLoader({name: "{{ " + variable + " }}"})
    return jinja2.ChoiceLoader([own, loader] if loader else [own])
