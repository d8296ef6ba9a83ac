"""Word segmentation with jieba, through a tokenizer Zhiku owns.

We never touch jieba's process-global dictionary (``jieba.add_word`` and friends
would leak into every other user of jieba in the process); callers that need
extra words build their own :func:`new_tokenizer`.

jieba's dictionary (349,046 words with their prefixes) takes 0.6 s and 50 MiB to
load, yet a build after one edit segments a few thousand characters. So the shared
tokenizer first answers from a copy of the dictionary in an SQLite file (made once
per machine and jieba version, in the temporary folder beside jieba's own cache),
one word at a time, and loads the whole dictionary only when a job turns out large
(:data:`LOOKUPS_BEFORE_LOADING`). jieba segments over any mapping of words to
frequencies, so both give the same words.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import sqlite3
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

# jieba finds its data files through setuptools' pkg_resources when it can import it,
# and by its own path otherwise (the same files). Importing pkg_resources scans every
# installed distribution: 0.1-0.2 s of every build and of every search indexing process,
# and a deprecation warning on newer setuptools. So jieba is imported without it (which
# nothing else in the process notices: the block is lifted straight after). Other Zhiku
# modules import jieba from here.
_UNSEEN = "pkg_resources" not in sys.modules
if _UNSEEN:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]
try:
    import jieba as jieba
finally:
    if _UNSEEN:
        del sys.modules["pkg_resources"]

from zhiku.text.chars import has_han  # noqa: E402

# jieba logs "Building prefix dict..." at INFO on its own logger; keep builds quiet.
logging.getLogger("jieba").setLevel(logging.WARNING)
jieba.setLogLevel(logging.WARNING)


def new_tokenizer(words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A fresh jieba tokenizer that also knows ``words`` (for example tag names)."""
    tokenizer = jieba.Tokenizer()
    for word in words:
        if word.strip():
            tokenizer.add_word(word.strip(), freq=None)
    return tokenizer


# Words looked up in the SQLite copy before the whole dictionary is loaded: about what
# 0.6 s of lookups cost, a few articles' worth of text.
LOOKUPS_BEFORE_LOADING = 100_000


@functools.cache
def default_tokenizer() -> jieba.Tokenizer:
    """The shared tokenizer with jieba's stock dictionary (read as needed, see above)."""
    tokenizer = jieba.Tokenizer()
    words = _StoredWords.open(tokenizer, _copy_path())
    if words is None:
        _load(tokenizer)
    else:
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = words, words.total, True
    return tokenizer


def expect(chars: int) -> None:
    """Say that about ``chars`` characters are to be segmented: when that is more than
    lookups one at a time would pay off for, the whole dictionary is loaded now."""
    words = default_tokenizer().FREQ
    if isinstance(words, _StoredWords) and chars > LOOKUPS_BEFORE_LOADING:
        words.load()


def _copy_path() -> Path:
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    try:
        size = dictionary.stat().st_size
    except OSError:
        size = 0
    return Path(tempfile.gettempdir(), f"zhiku-jieba-{jieba.__version__}-{size}.sqlite")


def _load(tokenizer: jieba.Tokenizer) -> None:
    """Load jieba's whole dictionary into ``tokenizer``, and keep its SQLite copy."""
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = {}, 0, False
    tokenizer.initialize()
    path = _copy_path()
    if not path.exists():
        with contextlib.suppress(OSError, sqlite3.Error):
            _write_copy(path, tokenizer.FREQ, tokenizer.total)


def _write_copy(path: Path, freq: Mapping[str, int], total: int) -> None:
    """Write the SQLite copy whole or not at all (builds may write it at the same time)."""
    part = path.with_name(f"{path.name}.{os.getpid()}.part")
    part.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(part)) as db:
            db.execute("PRAGMA journal_mode=OFF")
            db.execute("PRAGMA synchronous=OFF")
            db.execute("CREATE TABLE words (word TEXT PRIMARY KEY, freq INTEGER) WITHOUT ROWID")
            db.executemany("INSERT INTO words VALUES (?, ?)", sorted(freq.items()))
            db.execute("CREATE TABLE meta (total INTEGER)")
            db.execute("INSERT INTO meta VALUES (?)", (total,))
            db.commit()
        part.replace(path)
    finally:
        part.unlink(missing_ok=True)


class _StoredWords(Mapping[str, int]):
    """jieba's word frequencies, looked up one word at a time in the SQLite copy; after
    :data:`LOOKUPS_BEFORE_LOADING` lookups (or when the copy cannot be read) the whole
    dictionary is loaded into the tokenizer and answers from then on."""

    def __init__(self, tokenizer: jieba.Tokenizer, db: sqlite3.Connection, total: int) -> None:
        self._tokenizer, self._db, self.total = tokenizer, db, total
        self._known: dict[str, int | None] = {}
        self._full: dict[str, int] | None = None

    @classmethod
    def open(cls, tokenizer: jieba.Tokenizer, path: Path) -> _StoredWords | None:
        if not path.is_file():
            return None
        try:
            db = sqlite3.connect(
                f"{path.as_uri()}?mode=ro&immutable=1", uri=True, check_same_thread=False
            )
            (total,) = db.execute("SELECT total FROM meta").fetchone()
        except (sqlite3.Error, TypeError, ValueError):
            return None
        return cls(tokenizer, db, int(total))

    def load(self) -> None:
        """Load the whole dictionary into the tokenizer (which then answers from it)."""
        self._whole()

    def _whole(self) -> dict[str, int]:
        if self._full is None:
            self._db.close()
            _load(self._tokenizer)  # the tokenizer answers from its own dict from now on
            self._full = self._tokenizer.FREQ
        return self._full

    def _lookup(self, word: str) -> int | None:
        if self._full is not None:
            return self._full.get(word)
        if word in self._known:
            return self._known[word]
        if len(self._known) >= LOOKUPS_BEFORE_LOADING:
            return self._whole().get(word)
        try:
            row = self._db.execute("SELECT freq FROM words WHERE word = ?", (word,)).fetchone()
        except sqlite3.Error:
            return self._whole().get(word)
        freq = self._known[word] = row[0] if row else None
        return freq

    def __getitem__(self, word: str) -> int:
        freq = self._lookup(word)
        if freq is None:
            raise KeyError(word)
        return freq

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._lookup(word) is not None

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        freq = self._lookup(word)
        return default if freq is None else freq

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())


def words(text: str, tokenizer: jieba.Tokenizer | None = None) -> Iterator[str]:
    """Meaningful words of ``text``: jieba words, without spaces and punctuation."""
    for word in (tokenizer or default_tokenizer()).cut(text, HMM=False):
        word = word.strip()
        if word and (word.isalnum() or has_han(word)):
            yield word
