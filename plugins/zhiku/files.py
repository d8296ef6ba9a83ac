"""Zhiku's one way to write a file: whole or not at all.

The text goes to a temporary file in the target's folder (named
``.<name>.<random>.tmp``: hidden, so MkDocs never publishes it), is flushed to
disk, and then ``os.replace`` puts it in place in one step. A reader sees the
old file or the new one, never half of one; a failed write removes its
temporary file. A process killed outright (SIGKILL, power cut) cannot clean
up, so the next writer that owns the folder calls :func:`remove_stale_temps`.

New files get the mode a plain ``open()`` would give them (0666 minus the
umask), not ``mkstemp``'s 0600; a file that already exists keeps its mode.

A write or a folder that fails (a file where a folder should be, a folder that cannot
be written, a full disk) raises :class:`FileProblem`: still an ``OSError``, but one
that reads as one line, ``path: what is wrong; what to do``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

TEMP_SUFFIX = ".tmp"
# ``.<name>.<8 random characters from mkstemp>.tmp``
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")


Signature = tuple[int, int, int, int]
"""What a file's stat says of it: (mtime in ns, size, ctime in ns, inode). Content may be
taken as unchanged while this is the same: times can be put back (``cp -p``), but any
write gives a file a new ctime, which no tool can set, and replacing it a new inode."""


def signature(path: str) -> Signature | None:
    """``path``'s :data:`Signature`; None when it cannot be read. ``os.stat``, not a
    ``Path``: builds ask it for thousands of files."""
    try:
        found = os.stat(path)  # noqa: PTH116
    except OSError:
        return None
    return found.st_mtime_ns, found.st_size, found.st_ctime_ns, found.st_ino


def _default_mode() -> int:
    # The umask can only be read by setting it; set it straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def shown_path(path: Path | str) -> str:
    """``path`` as the user would type it: relative to the working folder when inside it."""
    text = os.fspath(path)
    try:
        rel = os.path.relpath(text)
    except ValueError:  # another drive
        return text
    return text if rel.startswith("..") else Path(rel).as_posix()


def _blocker(path: Path) -> Path | None:
    """The file standing where ``path`` needs a folder (``path``'s own parent or above)."""
    for folder in (path, *path.parents):
        if folder.exists() or folder.is_symlink():
            return None if folder.is_dir() else folder
    return None


def explain(path: Path, err: OSError) -> str:
    """One line for ``err`` met writing ``path`` (or making it as a folder): what; fix."""
    code = err.errno
    if code in (errno.EEXIST, errno.ENOTDIR):
        blocker = _blocker(path) or path
        return f"{shown_path(blocker)}: a file stands where Zhiku needs a folder; move or delete it"
    if code == errno.EISDIR:
        return f"{shown_path(path)}: a folder stands where Zhiku writes a file; move or delete it"
    if code in (errno.EACCES, errno.EPERM):
        return (
            f"{shown_path(path)}: permission denied; make the folder writable for this user "
            "(chmod -R u+rwX), or delete it"
        )
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"{shown_path(path)}: no space left on the disk; free some space and build again"
    if code == errno.EROFS:
        return (
            f"{shown_path(path)}: the file system is read-only; "
            "build where it can be written, or point the setting at a folder that can be"
        )
    what = err.strerror or str(err)
    return f"{shown_path(path)}: cannot be written ({what}); check the folder and build again"


class FileProblem(OSError):
    """A file or folder Zhiku could not write, told as one line (``str()``)."""

    def __init__(self, path: Path, err: OSError) -> None:
        super().__init__(err.errno, err.strerror or str(err), os.fspath(path))
        self.sentence = explain(path, err)

    def __str__(self) -> str:
        return self.sentence

    def __reduce__(self) -> tuple[Any, ...]:  # crosses processes as what it says
        return (_rebuilt_problem, (self.errno, self.strerror, self.filename, self.sentence))


def _rebuilt_problem(code: int, strerror: str, filename: str, sentence: str) -> FileProblem:
    problem = FileProblem(Path(filename), OSError(code, strerror))
    problem.sentence = sentence
    return problem


def make_folder(path: Path) -> Path:
    """Make the folder ``path`` (and its parents) if missing, or raise :class:`FileProblem`."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise FileProblem(path, err) from err
    return path


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8, ``\\n`` line ends) in one step.

    ``durable=False`` skips the flush to disk, for caches a cut build simply rebuilds:
    the file is still whole or absent for every reader, but a power cut may lose it.
    Raises :class:`FileProblem` when it cannot.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    make_folder(path.parent)
    try:
        _replace(path, payload, durable=durable)
    except FileProblem:
        raise
    except OSError as err:
        raise FileProblem(path, err) from err


def _replace(path: Path, payload: bytes, *, durable: bool) -> None:
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = _default_mode()
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(payload)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def is_temp_name(name: str, targets: Iterable[str] = ()) -> bool:
    """Whether ``name`` is a temporary file of :func:`write_atomic`.

    With ``targets`` (suffixes such as ``.md``), only temporary files of such targets count.
    """
    match = _TEMP_NAME.match(name)
    if match is None:
        return False
    suffixes = tuple(targets)
    return not suffixes or match["target"].endswith(suffixes)


def remove_stale_temps(folder: Path, targets: Iterable[str] = ()) -> list[Path]:
    """Delete the temporary files an interrupted writer left under ``folder``; return them.

    Call it only while no other writer can be at work in ``folder`` (hold its lock).
    """
    suffixes = tuple(targets)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for path in sorted(folder.rglob(f"*{TEMP_SUFFIX}")):
        if is_temp_name(path.name, suffixes) and path.is_file() and not path.is_symlink():
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
