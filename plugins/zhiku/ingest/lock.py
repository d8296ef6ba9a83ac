"""One ingest at a time per content folder.

The lock is an OS lock (``flock``) on the state folder ``content/.zhiku``
itself, so it adds no file (a lock file would show up in ``git status``, and
writing a process id into it would change a byte on every run). The kernel
drops the lock when its holder ends, however it ends (SIGKILL, crash), so a
killed run never blocks the next one.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path

# How often a waiting run tries again.
POLL_SECONDS = 0.2


class LockTimeout(Exception):
    """Another run still held the lock when the wait ran out (a one-line message)."""


@contextlib.contextmanager
def content_lock(
    state_dir: Path, *, wait: float, notice: Callable[[str], None] = lambda _: None
) -> Iterator[None]:
    """Hold the ingest lock of the content folder whose state folder is ``state_dir``.

    When another run holds it, ``notice`` gets one line, then this waits up to
    ``wait`` seconds (``0``: not at all) and raises :class:`LockTimeout`.
    ``OSError`` from creating the folder (read-only disk, permissions) propagates.
    """
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir, os.O_RDONLY | os.O_CLOEXEC)
    try:
        deadline: float | None = None
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as err:
                if err.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
            if deadline is None:
                deadline = time.monotonic() + wait
                if wait > 0:
                    notice(
                        f"{state_dir.parent}: another zhiku ingest is writing this folder; "
                        f"waiting up to {wait:g} s for it to finish"
                    )
            if time.monotonic() >= deadline:
                raise LockTimeout(
                    f"{state_dir.parent}: another zhiku ingest is still writing this folder; "
                    "let it finish (or stop it), then run again"
                )
            time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the last descriptor releases the lock
