"""Zhiku's one way to write a file: whole or not at all.

The text goes to a temporary file in the target's folder (named
``.<name>.<random>.tmp``: hidden, so MkDocs never publishes it), is flushed to
disk, and then ``os.replace`` puts it in place in one step. A reader sees the
old file or the new one, never half of one; a failed write removes its
temporary file. A process killed outright (SIGKILL, power cut) cannot clean
up, so the next writer that owns the folder calls :func:`remove_stale_temps`.

New files get the mode a plain ``open()`` would give them (0666 minus the
umask), not ``mkstemp``'s 0600; a file that already exists keeps its mode.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

TEMP_SUFFIX = ".tmp"
# ``.<name>.<8 random characters from mkstemp>.tmp``
_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp$")


def _default_mode() -> int:
    # The umask can only be read by setting it; set it straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomic(path: Path, data: str | bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` (text is written as UTF-8, ``\\n`` line ends) in one step.

    ``durable=False`` skips the flush to disk, for caches a cut build simply rebuilds:
    the file is still whole or absent for every reader, but a power cut may lose it.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path.parent.mkdir(parents=True, exist_ok=True)
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
