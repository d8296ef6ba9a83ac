"""What the site folder holds, and what each output in it was built from.

:class:`Outputs` is the render cache's record of the site folder across builds (and across
processes, through :func:`site_manifest` and the cache's store): per page the named inputs
it was built from (a :class:`~zhiku.build.ledger.Ledger`), per static file the source it
was copied from, every output's path. Before a build reads any page, :meth:`Outputs.mark`
asks the ledger which pages to rebuild and why, and tells MkDocs through
:func:`zhiku.glue.engine.answer_modified`; after it, :meth:`Outputs.commit` records what
was built and removes the outputs of files that are gone or no longer published (drafts,
scheduled articles), saying why.

A build that fails forgets every recorded input: the next one rebuilds every page.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files, InclusionLevel

from zhiku.build.ledger import UNKNOWN, WARNED, Inputs, Ledger
from zhiku.files import Signature
from zhiku.files import signature as file_signature
from zhiku.glue.engine import answer_modified

log = logging.getLogger("mkdocs.plugins.zhiku.cache")
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


def _is_file(path: str) -> bool:
    return os.path.isfile(path)  # noqa: PTH113  (thousands a build: a Path each costs more)


Made = tuple[str, bytes]
"""What a plugin made for a generated file: ("made", digest of its bytes)."""


def _made(file: File) -> Made | None:
    try:
        data = file.content_bytes
    except (OSError, ValueError):
        return None
    return ("made", hashlib.blake2b(data, digest_size=16).digest())


class Outputs:
    """The pages and files in the site folder, and what they were built from (a
    :class:`~zhiku.build.ledger.Ledger` of each page's named inputs)."""

    def __init__(self) -> None:
        self._ledger = Ledger()
        # static file -> its source's stat, or the digest of what a plugin made
        self._copied: dict[str, Signature | Made | None] = {}
        self._dests: dict[str, str] = {}  # every file's abs_dest_path -> its src_uri
        self._pending: tuple[
            dict[str, Inputs], dict[str, Signature | Made | None], dict[str, str], dict[str, str]
        ] = ({}, {}, {}, {})
        # page src_uri -> its title when last built: what the navigation and previous/next
        # links of rebuilt pages show of a page a build does not read
        self._titles: dict[str, str | None] = {}
        self._measure: Callable[[File], Inputs | None] = lambda file: None
        self._rebuilt: dict[str, File] = {}  # of the last build marked, by src_uri
        self._root = Path()  # the site folder of the build under way
        self.pages = 0
        """Pages in the build under way."""
        self.reasons: dict[str, str] = {}
        """Why each page of the last build marked is rebuilt, by src_uri."""
        self.removed: dict[str, str] = {}
        """Outputs the last committed build removed (site-relative path) and why."""

    def state(self) -> dict[str, Any]:
        """What a later process needs to go on from the last committed build."""
        return {
            "ledger": self._ledger.state(),
            "copied": self._copied,
            "dests": self._dests,
            "titles": self._titles,
        }

    def restore(self, state: dict[str, Any]) -> None:
        """Go on from a :meth:`state` (of the build that left the site folder as it is)."""
        self._ledger = Ledger.restore(state["ledger"])
        self._copied = dict(state["copied"])
        self._dests = dict(state["dests"])
        self._titles = dict(state["titles"])

    @property
    def rebuilt(self) -> set[str]:
        """Pages the last build rebuilt (all of them on a full build)."""
        return set(self._rebuilt)

    def why(self) -> list[tuple[str, str]]:
        """``(URL, reason)`` of each page the last build marked for rebuilding."""
        return [(file.url or "./", self.reasons[src]) for src, file in self._rebuilt.items()]

    def mark(
        self,
        files: Files,
        pages: list[File],
        shared: Inputs | None,
        inputs_of: Callable[[File], Inputs | None],
        site_dir: str,
        written: Callable[[InclusionLevel], bool] = InclusionLevel.is_included,
    ) -> None:
        """Decide what MkDocs rebuilds: pages whose inputs changed, static files whose
        source changed, anything whose output is missing. ``shared`` are the inputs every
        page reads, ``inputs_of`` a page's own (None when it cannot tell: the page is then
        always rebuilt). ``written`` says which inclusion levels this build writes
        (MkDocs' own test): the outputs of every other file (a draft, a scheduled article)
        are not this build's, and :meth:`commit` removes them as it removes those of
        deleted files."""
        inputs: dict[str, Inputs] = {}
        self._measure = inputs_of
        self._rebuilt = {}
        self.reasons = {}
        self._ledger.begin(shared)
        for file in pages:
            found = inputs_of(file)
            if found is not None:
                inputs[file.src_uri] = found
            reason = self._ledger.reason(file.src_uri, found)
            if reason is None and not _is_file(file.abs_dest_path):
                reason = "output missing"
            if reason is not None:
                self._rebuilt[file.src_uri] = file
                self.reasons[file.src_uri] = reason
            elif (
                file.page is not None
                and "title" not in vars(file.page)
                and file.src_uri in self._titles
            ):
                file.page.title = self._titles[file.src_uri]  # MkDocs will not read it
            answer_modified(file, reason is not None)
        copied: dict[str, Signature | Made | None] = {}
        for file in files:
            if file.is_documentation_page() or not written(file.inclusion):
                continue
            signature: Signature | Made | None
            if file.abs_src_path is not None and not file.generated_by:
                # A static file's source as last copied (a file put back with its old
                # time and size, by ``cp -p`` or a restored backup, has another ctime).
                signature = file_signature(file.abs_src_path)
            elif file.generated_by:
                # A file a plugin makes (a feed, a redirect): written again only when its
                # bytes differ from what the last build wrote.
                signature = _made(file)
            else:
                continue
            copied[file.src_uri] = signature
            fresh = (
                signature is not None
                and self._copied.get(file.src_uri) == signature
                and _is_file(file.abs_dest_path)
            )
            answer_modified(file, not fresh)
        outputs = {f.abs_dest_path: f.src_uri for f in files if written(f.inclusion)}
        unpublished = {f.src_uri for f in files if not written(f.inclusion)}
        self._pending = (inputs, copied, outputs, dict.fromkeys(unpublished, ""))
        self._root = Path(site_dir)
        self.pages = len(pages)

    def commit(self, dirty: bool, warned: set[str] | frozenset[str] = frozenset()) -> None:
        """The build succeeded: its outputs are what the pending inputs describe. After
        a dirty build, outputs of files that are gone are removed. Pages in ``warned``
        logged a warning as they were built: they are built again next time, so that the
        warning is said again (and fails a ``--strict`` build as a cold build would)."""
        inputs, copied, dests, unpublished = self._pending
        # Building a page can teach ``inputs_of`` what it depends on (whether its links
        # are resolved against the set of files, say): measure the rebuilt pages again.
        titles = {src: self._titles[src] for src in inputs if src in self._titles}
        for src, file in self._rebuilt.items():
            found = None if src in warned else self._measure(file)
            if found is None:
                inputs.pop(src, None)
                self._ledger.rebuild_next_time(src, WARNED if src in warned else UNKNOWN)
            else:
                inputs[src] = found
            titles[src] = file.page.title if file.page is not None else None
        for src, found in inputs.items():
            self._ledger.record(src, found)
        self._ledger.keep_only({*inputs, *(s for s in self._rebuilt if s not in inputs)})
        self.removed = {}
        if dirty:
            for gone in sorted(self._dests.keys() - dests.keys()):
                path = Path(gone)
                if self._root not in path.parents:
                    continue  # written into another site folder: not this build's
                why = "not published" if self._dests[gone] in unpublished else "source gone"
                self.removed[path.relative_to(self._root).as_posix()] = why
                _remove(path, self._root)
        self._copied, self._dests, self._titles = copied, dests, titles
        self._pending = ({}, {}, {}, {})

    def forget(self) -> None:
        """The build failed: nothing in the site folder can be trusted to be current."""
        self._ledger.clear()
        self._copied.clear()
        self._titles.clear()
        self._pending = ({}, {}, {}, {})
        self._rebuilt = {}


GROUPED = 10
"""More pages than this rebuilt for one reason are named in one line, not one each."""


def explain(rebuilt: list[tuple[str, str]], removed: Mapping[str, str]) -> list[str]:
    """What a build did to the site folder and why, one line a page (``rebuilt clip/
    (neighbour: detr.md)``) and one line for many pages rebuilt for the same reason."""
    by_reason: dict[str, list[str]] = {}
    for url, why in sorted(rebuilt):
        by_reason.setdefault(why, []).append(url)
    lines = []
    for why, urls in by_reason.items():
        if len(urls) > GROUPED:
            shown = ", ".join(urls[:3])
            lines.append(f"rebuilt {len(urls)} pages ({why}): {shown}, …")
        else:
            lines.extend(f"rebuilt {url} ({why})" for url in urls)
    lines.extend(f"removed {path} ({why})" for path, why in sorted(removed.items()))
    return lines


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
