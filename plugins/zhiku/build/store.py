"""Everything a build remembers, in one SQLite file: ``.cache/zhiku/build.sqlite``.

Values are bytes, each under a *namespace* (``conversions``, ``outputs``, ``catalogue``,
``listing``, ``terms``, ``site``) and a key; each producer keeps its own serialisation.
Deleting the file (``rm -rf .cache``) only costs a cold build.

What the store decides, once for every producer:

- **One transaction a build.** Writes collect until :meth:`Store.commit`; the file is in
  WAL mode without syncing (a power cut may lose the last build's entries, never corrupt
  the file), so writing is cheap.
- **Another build writing never makes this one wait.** A write that finds the file locked
  by another process (``mkdocs serve`` and ``mkdocs build`` of one site at once) gives up
  after a short timeout (:data:`BUSY_SECONDS`), and the store adds nothing for a while
  (:data:`BUSY_BACKOFF`) rather than wait again at every write.
- **Damage costs time, never the build.** A file that is not a database, cut short, or
  with a value whose checksum fails (bytes overwritten on disk) answers nothing and is
  replaced by an empty one.
- **Variants and pruning** for values that depend on a configuration (a page's output
  under ``mkdocs serve`` and ``mkdocs build``): :meth:`Store.prune` drops what the build
  did not use, and the entries of all but the :attr:`Store.VARIANTS_KEPT` most recent
  variants.

The store never logs: what the build should be told (damage, a busy file) collects in
:meth:`Store.take_notes`, one sentence each, for the glue to say. A folder that cannot
hold the file, or a full disk, raises :class:`~zhiku.files.FileProblem` (one line,
``path: what; fix``).

One connection per file per process: :func:`shared` hands every plugin of a build the
same :class:`Store`; whoever owns the build's life (a build session) may instead
:meth:`Store.open` and :meth:`Store.close` its own.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path

from zhiku.files import FileProblem, make_folder, shown_path

FILE_NAME = "build.sqlite"
"""The store's file, in the cache folder beside mkdocs.yml (``.cache/zhiku``)."""
SCHEMA = 2
"""The shape of the tables; a file of another shape is started afresh."""
BUSY_SECONDS = 0.2
"""How long a write waits for another process's build before giving up on the store."""
BUSY_BACKOFF = 10.0
"""How long the store then drops writes without trying (and waiting) again."""
OLD_FILES = (
    "catalogue.pickle",
    "listing.pickle",
    "search/terms.pickle",
    "render/pages-3.sqlite",
    "render/pages-3.sqlite-wal",
    "render/pages-3.sqlite-shm",
    "render/site-3.pickle",
    "render/jinja",
)
"""What earlier versions kept in the cache folder instead (relative to it)."""


class Store:
    """Bytes by namespace and key in one SQLite file; see the module docstring."""

    VARIANTS_KEPT = 3

    def __init__(self, path: Path, db: sqlite3.Connection, notes: list[str]) -> None:
        self.path = path
        self._db = db
        self._notes = notes
        self._used: dict[str, set[str]] = {}
        self._busy_since: float | None = None
        self._said_busy = False
        self.damaged = False
        """Found unreadable: it answers nothing, and is replaced at the next commit."""
        self.full = False
        """A write found the disk full: the next commit drops the build's writes and says so."""
        self.closed = False
        self._identity = _identity(path)
        self._db.execute("BEGIN")

    @property
    def busy(self) -> bool:
        """Another process was found writing the file less than :data:`BUSY_BACKOFF` ago:
        writes are dropped without waiting for it."""
        since = self._busy_since
        return since is not None and time.monotonic() - since < BUSY_BACKOFF

    def is_at(self, path: Path) -> bool:
        """Whether the file at ``path`` is still the one this store opened."""
        return self._identity is not None and _identity(path) == self._identity

    @classmethod
    def open(cls, path: Path) -> Store:
        """The store at ``path``, made if missing; one found damaged is replaced (and said
        in :meth:`take_notes`). Raises :class:`FileProblem` when it cannot be kept there."""
        notes: list[str] = []
        try:
            db = _connect(path)
        except sqlite3.DatabaseError as err:
            notes.append(_damage_note(path, err))
            _remove(path)
            try:
                db = _connect(path)
            except sqlite3.DatabaseError as again:
                raise _problem(path, again) from again
        return cls(path, db, notes)

    # -- reading ---------------------------------------------------------------------------

    def _row(self, column: str, namespace: str, key: str) -> tuple[object, ...] | None:
        if self.damaged or self.closed:
            return None
        query = f"SELECT {column} FROM entries WHERE namespace = ? AND key = ?"
        try:
            row: tuple[object, ...] | None = self._db.execute(query, (namespace, key)).fetchone()
        except sqlite3.DatabaseError as err:
            self._unreadable(err)
            return None
        return row

    def get(self, namespace: str, key: str) -> bytes | None:
        """The value under ``key``, or None; a value read counts as used (see :meth:`prune`).
        A value that does not match its checksum (bytes overwritten on disk) is never handed
        out: the file counts as damaged."""
        row = self._row("data, checksum", namespace, key)
        if row is None:
            return None
        data = _checked(row)
        if data is None:
            self._unreadable(sqlite3.DatabaseError(f"{namespace} {key[:16]}: checksum mismatch"))
            return None
        self._used.setdefault(namespace, set()).add(key)
        return data

    def has(self, namespace: str, key: str) -> bool:
        return self._row("1", namespace, key) is not None

    # -- writing ---------------------------------------------------------------------------

    def put(self, namespace: str, key: str, value: bytes, *, variant: str = "") -> None:
        """Keep ``value`` under ``key`` (for the configuration ``variant``, if it has one)."""
        self._used.setdefault(namespace, set()).add(key)
        self._write(
            "INSERT OR REPLACE INTO entries (namespace, key, variant, data, checksum)"
            " VALUES (?, ?, ?, ?, ?)",
            (namespace, key, variant, value, _checksum(value)),
        )

    def put_only(self, namespace: str, key: str, value: bytes) -> None:
        """Keep ``value`` as the one entry of ``namespace`` (values of other code go)."""
        self._write("DELETE FROM entries WHERE namespace = ? AND key != ?", (namespace, key))
        self.put(namespace, key, value)

    def drop_others(self, namespace: str, prefix: str) -> None:
        """Delete the entries of ``namespace`` whose key does not start with ``prefix``
        (values of other code, when a namespace is kept in several entries)."""
        self._write(
            "DELETE FROM entries WHERE namespace = ? AND substr(key, 1, ?) != ?",
            (namespace, len(prefix), prefix),
        )

    def delete(self, namespace: str, key: str) -> None:
        self._write("DELETE FROM entries WHERE namespace = ? AND key = ?", (namespace, key))

    def take(self, namespace: str, key: str) -> bytes | None:
        """The value under ``key``, deleted and committed before it is handed over (a record
        that must not outlive an unfinished build); None if absent or it cannot be deleted."""
        value = self.get(namespace, key)
        if value is None:
            return None
        self.delete(namespace, key)
        self.commit()
        return None if self.has(namespace, key) else value

    def _write(self, statement: str, values: tuple[object, ...]) -> None:
        if self.busy or self.full or self.damaged or self.closed:
            return
        try:
            self._db.execute(statement, values)
        except sqlite3.OperationalError as err:
            self._failed(err)
        except sqlite3.DatabaseError as err:
            self._unreadable(err)
        else:
            self._said_busy = False

    def _failed(self, err: sqlite3.OperationalError) -> None:
        """A write that could not be made: the disk is full (said by :meth:`commit`), or
        another process holds the file (see :attr:`busy`)."""
        if _is_full(err):
            self.full = True
        else:
            self._busy(err)

    def commit(self) -> None:
        """Make this build's writes last. A damaged file is replaced by an empty one now."""
        if self.closed:
            return
        if self.damaged:
            self._replace()
            return
        full, self.full = self.full, False
        try:
            if full:
                raise sqlite3.OperationalError("database or disk is full")
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as err:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            if _is_full(err):
                raise _full(self.path) from err
            self._busy(err)
        finally:
            if not self._db.in_transaction:
                self._db.execute("BEGIN")

    def abandon(self) -> None:
        """Drop this build's writes (a failed build) and what it used."""
        if self.closed:
            return
        if self.damaged:
            self._replace()
            return
        self._db.execute("ROLLBACK")
        self._used.clear()
        self.full = False
        self._db.execute("BEGIN")

    def prune(self, namespaces: Iterable[str], variant: str) -> None:
        """Of ``namespaces``, drop the entries of ``variant`` not used (read or written)
        since the last prune, and those of all but the most recent variants: the store holds
        the site as its recent builds made it, not its history."""
        namespaces = tuple(namespaces)
        used = {namespace: self._used.pop(namespace, set()) for namespace in namespaces}
        if self.busy or self.full or self.damaged or self.closed:
            return
        db = self._db
        try:
            db.execute("INSERT OR REPLACE INTO variants VALUES (?, ?)", (variant, time.time()))
            db.execute(
                "DELETE FROM variants WHERE variant NOT IN "
                "(SELECT variant FROM variants ORDER BY at DESC LIMIT ?)",
                (self.VARIANTS_KEPT,),
            )
            db.execute("CREATE TEMP TABLE IF NOT EXISTS kept (key TEXT PRIMARY KEY)")
            for namespace, keys in used.items():
                db.execute("DELETE FROM kept")
                db.executemany("INSERT OR IGNORE INTO kept VALUES (?)", ((k,) for k in keys))
                db.execute(
                    "DELETE FROM entries WHERE namespace = ? AND ("
                    "(variant = ? AND key NOT IN (SELECT key FROM kept))"
                    " OR variant NOT IN (SELECT variant FROM variants))",
                    (namespace, variant),
                )
        except sqlite3.OperationalError as err:
            self._failed(err)
        except sqlite3.DatabaseError as err:
            self._unreadable(err)

    def forget_used(self, namespaces: Iterable[str]) -> None:
        """Start counting what ``namespaces`` use afresh, without pruning (a dirty build)."""
        for namespace in namespaces:
            self._used.pop(namespace, None)

    def close(self) -> None:
        """Commit and close the file; a damaged one is replaced first. Never raises: at
        the end there is no build left to stop (a full disk was said by the build's commit)."""
        if self.closed:
            return
        if self.damaged:
            self._replace()
        try:
            self._db.execute("COMMIT")
        except sqlite3.OperationalError as err:
            self._notes.append(f"{shown_path(self.path)} keeps nothing of this build ({err})")
        self._db.close()
        self.closed = True

    # -- what the build is told --------------------------------------------------------

    def take_notes(self) -> list[str]:
        """What happened to the file since the last call, one sentence each."""
        notes, self._notes = self._notes, []
        return notes

    def _busy(self, err: sqlite3.OperationalError) -> None:
        self._busy_since = time.monotonic()
        if not self._said_busy:  # once until a write goes through again
            self._notes.append(
                f"{shown_path(self.path)} is busy ({err}); this build adds nothing to it"
            )
        self._said_busy = True

    def _unreadable(self, err: sqlite3.DatabaseError) -> None:
        if isinstance(err, sqlite3.OperationalError):
            raise err
        if not self.damaged:
            self._notes.append(_damage_note(self.path, err))
        self.damaged = True

    def _replace(self) -> None:
        """A damaged store goes: the next build fills a new one."""
        self._db.close()
        _remove(self.path)
        try:
            self._db = _connect(self.path)
        except sqlite3.DatabaseError as err:
            raise _problem(self.path, err) from err
        self._db.execute("BEGIN")
        self.damaged = self.full = False
        self._busy_since = None
        self._identity = _identity(self.path)
        self._used.clear()


def _connect(path: Path) -> sqlite3.Connection:
    """A connection to the file at ``path`` with the tables made; raises FileProblem
    (a folder in the way, permissions) or sqlite3.DatabaseError (a damaged file)."""
    make_folder(path.parent)
    if path.is_dir():
        raise FileProblem(path, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))
    try:
        db = sqlite3.connect(
            path, check_same_thread=False, isolation_level=None, timeout=BUSY_SECONDS
        )
    except sqlite3.OperationalError as err:
        raise _problem(path, err) from err
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")
        (version,) = db.execute("PRAGMA user_version").fetchone()
        if version != SCHEMA:
            db.execute("DROP TABLE IF EXISTS entries")
            db.execute("DROP TABLE IF EXISTS variants")
            db.execute(f"PRAGMA user_version = {SCHEMA}")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entries (namespace TEXT NOT NULL, key TEXT NOT NULL,"
            " variant TEXT NOT NULL, data BLOB NOT NULL, checksum BLOB NOT NULL,"
            " PRIMARY KEY (namespace, key))"
        )
        db.execute("CREATE TABLE IF NOT EXISTS variants (variant TEXT PRIMARY KEY, at REAL)")
    except sqlite3.OperationalError as err:
        db.close()
        raise _problem(path, err) from err
    except sqlite3.DatabaseError:
        db.close()
        raise
    return db


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return (found.st_dev, found.st_ino)


def _problem(path: Path, err: sqlite3.Error) -> FileProblem:
    """What stops SQLite from keeping a file at ``path``, as the file system says it."""
    if isinstance(err, sqlite3.OperationalError) and _is_full(err):
        return _full(path)
    try:
        # SQLite says "unable to open database file"; a plain open says why.
        with path.open("ab"):
            pass
    except OSError as found:
        return FileProblem(path, found)
    return FileProblem(path, OSError(None, str(err)))


def _is_full(err: sqlite3.OperationalError) -> bool:
    # SQLITE_FULL: the disk, or the file system's quota.
    return getattr(err, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "full" in str(err)


def _full(path: Path) -> FileProblem:
    return FileProblem(path, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))


def _damage_note(path: Path, err: sqlite3.Error) -> str:
    return f"{shown_path(path)} is damaged ({err}); it is started afresh"


def _remove(path: Path) -> None:
    for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        part.unlink(missing_ok=True)


def peek(path: Path, namespace: str, key: str) -> bytes | None:
    """One value, read by a process that does not keep the store (a worker): None when
    absent, locked beyond the timeout, or unreadable. Never writes, never makes the file."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_SECONDS)
        try:
            row = db.execute(
                "SELECT data, checksum FROM entries WHERE namespace = ? AND key = ?",
                (namespace, key),
            ).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return _checked(row) if row is not None else None


def _checksum(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def _checked(row: tuple[object, ...]) -> bytes | None:
    """The value of a ``(data, checksum)`` row, or None if the two do not match."""
    data, checksum = row
    if isinstance(data, bytes) and checksum == _checksum(data):
        return data
    return None


def remove_old_files(folder: Path) -> list[Path]:
    """Delete what earlier versions kept in the cache folder ``folder`` (:data:`OLD_FILES`),
    and the folders that leaves empty; return what went. What cannot go stays."""
    removed = []
    for name in OLD_FILES:
        path = folder / name
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
            else:
                continue
        except OSError:
            continue
        removed.append(path)
    for name in ("render", "search"):
        with contextlib.suppress(OSError):
            (folder / name).rmdir()  # only if empty
    return removed


# -- one store per file per process -------------------------------------------------------

_shared: dict[Path, Store] = {}


def shared(path: Path) -> Store:
    """The process's one open store at ``path`` (opened on first use, and again after it
    was closed or deleted; in ``.cache/zhiku``, the caches of earlier versions go then)."""
    key = path.resolve()
    found = _shared.get(key)
    if found is not None and not found.closed and not found.is_at(path):
        found.close()  # deleted or replaced under a running session (rm -rf .cache)
    if found is None or found.closed:
        found = Store.open(path)
        if key not in _shared and path.parent.parts[-2:] == (".cache", "zhiku"):
            # Only in the default cache folder: a folder set by hand may hold anything.
            remove_old_files(path.parent)
        _shared[key] = found
    return found


def close_shared() -> None:
    """Close every store :func:`shared` opened (the end of a process's builds)."""
    for store in _shared.values():
        store.close()
