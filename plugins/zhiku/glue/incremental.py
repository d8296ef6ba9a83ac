"""Incremental builds: after a save (``mkdocs serve``) or an edit (``mkdocs build``), only
the pages it changes.

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
  kept, not emptied), whichever reload flag was given; :func:`install_build` wraps the
  one ``mkdocs build`` (and ``gh-deploy``) calls, so that a build runs dirty when the
  site folder is, file for file and byte for byte, the one the previous successful build
  left (its :func:`site_manifest`, kept with the digests in the cache);
- :class:`Outputs` decides, per file, what MkDocs' ``File.is_modified`` answers in those
  builds (MkDocs asks it before reading a page and before rendering it), and removes the
  outputs of files that no longer exist.

A build that fails forgets every recorded digest: the next one rebuilds every page.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, Files, InclusionLevel

from zhiku.files import FileProblem, explain

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
# What MkDocs logs on every dirty build; a build Zhiku made dirty does not say it.
_DIRTY_NOTES = (
    "A 'dirty' build is being performed",
    "The directory contains stale files",
)


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


class _Builds:
    """The wrapped ``build`` of ``mkdocs build`` and what it asks the render cache."""

    def __init__(self) -> None:
        self.original: Callable[..., None] | None = None
        self.resume: Callable[[Any], bool] = lambda config: False
        self.finish: Callable[[Any], None] = lambda config: None


_builds = _Builds()


def install_build(resume: Callable[[Any], bool], finish: Callable[[Any], None]) -> None:
    """Make ``mkdocs build`` incremental: before the build, ``resume(config)`` says whether
    the site folder is exactly what the previous build left (and loads what it was built
    from); after a successful build, ``finish(config)`` records it. Idempotent."""
    from mkdocs.commands import build

    if _builds.original is None:
        _builds.original = build.build
        build.build = _one_build
    _builds.resume, _builds.finish = resume, finish


def uninstall_build() -> None:
    from mkdocs.commands import build

    if _builds.original is not None:
        build.build = _builds.original
        _builds.original = None
    _builds.resume, _builds.finish = _Builds().resume, _Builds().finish


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
    assert _builds.original is not None
    with _in_one_line():
        keep = _builds.resume(config)
    _session.dirty = keep
    try:
        with _quiet_dirty_warning(forced=keep and not dirty), _in_one_line():
            _builds.original(config, serve_url=serve_url, dirty=keep or dirty)
        _builds.finish(config)
    finally:
        _session.dirty = False


def build_is_dirty(requested: bool) -> bool:
    """Whether the build under way keeps the previous build's site folder."""
    return requested or _session.dirty


def _serve_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    assert _session.original is not None
    keep = dirty or _session.ready
    _session.dirty = keep
    try:
        with _quiet_dirty_warning(forced=keep and not dirty), _in_one_line():
            _session.original(config, serve_url=serve_url, dirty=keep)
    finally:
        _session.dirty = False


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


def _answer(value: bool) -> Callable[[], bool]:
    return lambda: value


# What a file in the site folder was when recorded: (mtime in ns, size, ctime in ns, inode,
# digest of its bytes); a folder is (0, -1, 0, 0, b"").
Entry = tuple[int, int, int, int, bytes]
_FOLDER: Entry = (0, -1, 0, 0, b"")


def _content_digest(path: str) -> bytes:
    with Path(path).open("rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).digest()


def site_manifest(root: Path, known: Mapping[str, Entry] | None = None) -> dict[str, Entry]:
    """Every file and folder under ``root``, with what its bytes hash to.

    A build that finds the manifest the last one recorded (by :func:`same_site`) may keep
    the folder. Times can be put back (``cp -p``, ``rsync -a``, ``touch -r``), so what
    counts is the content; but a file is hashed only when it may have changed since
    ``known`` recorded it: any write, and setting its times, give a file a new ctime
    (which no tool can set), and replacing it a new inode. A warm build hashes what it
    wrote; a site folder restored from a cache (new ctimes) is hashed once, whole."""
    known = known or {}
    found: dict[str, Entry] = {}
    folders = [str(root)]
    while folders:
        folder = folders.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
                found[entry.path] = _FOLDER
                continue
            try:
                stat = entry.stat(follow_symlinks=False)
                times = (stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino)
                was = known.get(entry.path)
                if was is not None and len(was) == 5 and was[:4] == times:
                    digest = was[4]
                elif entry.is_symlink():
                    digest = os.fsencode(Path(entry.path).readlink())
                else:
                    digest = _content_digest(entry.path)
            except OSError:
                times, digest = (-1, -1, -1, -1), b""  # gone or unreadable: never "the same"
            found[entry.path] = (*times, digest)
    return found


def same_site(recorded: Mapping[str, Entry], found: Mapping[str, Entry]) -> bool:
    """Whether two manifests describe the same files, times and bytes (ctime and inode
    only say when to hash again: a folder copied whole with its times is the same)."""
    if recorded.keys() != found.keys():
        return False
    for path, entry in found.items():
        was = recorded[path]
        if (
            entry[3] == -1
            or len(was) != 5
            or (was[0], was[1], was[4])
            != (
                entry[0],
                entry[1],
                entry[4],
            )
        ):
            return False
    return True


# A static file's source as last copied: (mtime in ns, size, ctime in ns, inode). The ctime
# and inode catch a file replaced with its old time and size (``cp -p``, a restored backup).
Signature = tuple[int, int, int, int]


def _signature(path: str) -> Signature | None:
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    return stat.st_mtime_ns, stat.st_size, stat.st_ctime_ns, stat.st_ino


class Outputs:
    """The pages and files in the site folder, and the inputs they were built from."""

    def __init__(self) -> None:
        self._inputs: dict[str, str] = {}  # page src_uri -> input digest of its output
        self._copied: dict[str, Signature | None] = {}  # static file -> source stat
        self._dests: set[str] = set()  # every file's abs_dest_path
        self._pending: tuple[dict[str, str], dict[str, Signature | None], set[str]] = (
            {},
            {},
            set(),
        )
        # page src_uri -> its title when last built: what the navigation and previous/next
        # links of rebuilt pages show of a page a build does not read
        self._titles: dict[str, str | None] = {}
        self._measure: Callable[[File], str | None] = lambda file: None
        self._rebuilt: dict[str, File] = {}  # of the last build marked, by src_uri
        self._root = Path()  # the site folder of the build under way
        self.pages = 0
        """Pages in the build under way."""

    def state(self) -> dict[str, Any]:
        """What a later process needs to go on from the last committed build."""
        return {
            "inputs": self._inputs,
            "copied": self._copied,
            "dests": self._dests,
            "titles": self._titles,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Go on from a :meth:`state` (of the build that left the site folder as it is)."""
        self._inputs = dict(state["inputs"])
        self._copied = dict(state["copied"])
        self._dests = set(state["dests"])
        self._titles = dict(state["titles"])

    @property
    def rebuilt(self) -> set[str]:
        """Pages the last build rebuilt (all of them on a full build)."""
        return set(self._rebuilt)

    def mark(
        self,
        files: Files,
        pages: list[File],
        inputs_of: Callable[[File], str | None],
        site_dir: str,
        written: Callable[[InclusionLevel], bool] = InclusionLevel.is_included,
    ) -> None:
        """Decide what MkDocs rebuilds: pages whose inputs changed, static files whose
        source changed, anything whose output is missing. ``inputs_of`` returns a page's
        input digest, or None when it cannot tell (the page is then always rebuilt).
        ``written`` says which inclusion levels this build writes (MkDocs' own test):
        the outputs of every other file (a draft, a scheduled article) are not this
        build's, and :meth:`commit` removes them as it removes those of deleted files."""
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
            elif (
                file.page is not None
                and "title" not in vars(file.page)
                and file.src_uri in self._titles
            ):
                file.page.title = self._titles[file.src_uri]  # MkDocs will not read it
            file.is_modified = _answer(modified)  # type: ignore[method-assign]
        copied: dict[str, Signature | None] = {}
        for file in files:
            if file.is_documentation_page() or file.abs_src_path is None or file.generated_by:
                continue
            if not written(file.inclusion):
                continue
            signature = _signature(file.abs_src_path)
            copied[file.src_uri] = signature
            fresh = (
                signature is not None
                and self._copied.get(file.src_uri) == signature
                and Path(file.abs_dest_path).is_file()
            )
            file.is_modified = _answer(not fresh)  # type: ignore[method-assign]
        outputs = {f.abs_dest_path for f in files if written(f.inclusion)}
        self._pending = (inputs, copied, outputs)
        self._root = Path(site_dir)
        self.pages = len(pages)

    def commit(self, dirty: bool, warned: set[str] | frozenset[str] = frozenset()) -> None:
        """The build succeeded: its outputs are what the pending digests describe. After
        a dirty build, outputs of files that are gone are removed. Pages in ``warned``
        logged a warning as they were built: they are built again next time, so that the
        warning is said again (and fails a ``--strict`` build as a cold build would)."""
        inputs, copied, dests = self._pending
        # Building a page can teach ``inputs_of`` what it depends on (whether its links
        # are resolved against the set of files, say): measure the rebuilt pages again.
        titles = {src: self._titles[src] for src in inputs if src in self._titles}
        for src, file in self._rebuilt.items():
            digest = None if src in warned else self._measure(file)
            if digest is None:
                inputs.pop(src, None)
            else:
                inputs[src] = digest
            titles[src] = file.page.title if file.page is not None else None
        if dirty:
            for gone in self._dests - dests:
                _remove(Path(gone), self._root)
        self._inputs, self._copied, self._dests, self._titles = inputs, copied, dests, titles
        self._pending = ({}, {}, set())
        _session.ready = True

    def forget(self) -> None:
        """The build failed: nothing in the site folder can be trusted to be current."""
        self._inputs.clear()
        self._copied.clear()
        self._titles.clear()
        self._pending = ({}, {}, set())
        self._rebuilt = {}
        _session.ready = False


def _remove(path: Path, root: Path) -> None:
    """Remove an output, and the folders it leaves empty (a page's own folder under
    ``use_directory_urls``, a listing's ``page/``), as a clean build would not make them."""
    try:
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != root and root in folder.parents and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
    except OSError as err:
        log.info("zhiku/cache: could not remove %s (%s)", path, err)
