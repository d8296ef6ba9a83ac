"""The catalogue: every page of ``content/`` read and parsed once per build, and remembered.

The build reads ``content/`` here and nowhere else. :meth:`Catalogue.read` takes the
pages the site publishes (:class:`Source`), reads each file once, and returns a
:class:`Shelf` of :class:`Document` values: the file's content hash and its
:class:`~zhiku.articles.Article` (None for an ordinary page). Listings, related
articles and search all work from that one shelf, so they agree on what an article
is and every bad file fails the same way: one :class:`~zhiku.articles.ArticleError`,
``path:line: what; what to do``. A read goes through every file before it fails, so one
build names every bad file (:class:`~zhiku.articles.model.ArticleErrors`).

What is expensive to compute from an article (a listing card's keywords, say) is
asked of :meth:`Catalogue.derive`, which remembers each value by the article's source
path and content hash. Both the parsed articles and the derived values are kept

- in memory, for the next build of the same process (``mkdocs serve`` rebuilds), and
- on disk (:meth:`Catalogue.save`, in the build's store ``.cache/zhiku/build.sqlite``),
  for cold builds,

under a version key that covers this package's version and code, the Python and
jieba versions and :data:`CACHE_FORMAT`. A content hash decides every hit, never a
file's mtime, so a stale cache can only cost time, never correctness; deleting the
folder (``rm -rf .cache``) is always safe.

Fields decided once per article (draft, pinned, updated, …) live on
:class:`~zhiku.articles.Article`, set by :func:`parse_article`; every consumer sees them
through the shelf. What a *build* publishes (no drafts, nothing dated after its today,
see :mod:`zhiku.articles.publish`) is decided once too: :meth:`Catalogue.withhold` takes
those articles off the shelf before anything lists, indexes or derives from it.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import pickle
import time
import zlib
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from zhiku.articles.frontmatter import page_note, parse_article, unknown_keys
from zhiku.articles.limits import check_limits
from zhiku.articles.model import Article, ArticleError, ArticleErrors
from zhiku.build.keys import code_version, digest, versions
from zhiku.build.store import FILE_NAME, peek, shared
from zhiku.files import signature

# Bump when what the stored value holds changes shape.
CACHE_FORMAT = 3
NAMESPACE = "catalogue"
"""Where the catalogue keeps itself in the build's store (:mod:`zhiku.build.store`)."""
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Source:
    """One Markdown page the site publishes, before it is read."""

    src_uri: str  # under the docs folder, POSIX separators: "clip-suanfa-yuanli.md"
    abs_path: str
    shown: str  # the path errors name, as the user sees it: "content/clip-suanfa-yuanli.md"


@dataclass(frozen=True, slots=True)
class Document:
    """One page as read this build."""

    src_uri: str
    shown: str
    digest: str  # SHA-1 of the file's bytes: what every cache keys on
    article: Article | None  # path == src_uri; None for an ordinary page (no ``date``)
    # The whole text of an ordinary page (the home page's intro, say), front matter included;
    # None for an article, whose text is ``article.body``.
    text: str | None = None


@dataclass(frozen=True)  # no slots: the lookup table below is cached on the instance
class Shelf:
    """Every page of one build, in the order the sources were given."""

    documents: tuple[Document, ...]

    @functools.cached_property
    def _by_uri(self) -> dict[str, Document]:
        return {doc.src_uri: doc for doc in self.documents}

    def get(self, src_uri: str) -> Document | None:
        return self._by_uri.get(src_uri)

    def articles(self) -> Iterator[Document]:
        """The documents that are articles (their ``article`` is set), in order."""
        return (doc for doc in self.documents if doc.article is not None)


@dataclass(frozen=True, slots=True)
class Notes:
    """What a build says about the front matter it read, besides errors."""

    warnings: tuple[str, ...]  # `path:line: what; fix`, one per suspect key
    pages: tuple[str, ...]  # files without a front-matter date: ordinary pages, as shown


def notes(shelf: Shelf, declared: Iterable[str] = ()) -> Notes:
    """Keys no one knows (a typo like ``catgory`` would be silently ignored) and the pages
    that are not articles, in shelf order. ``declared``: keys the site uses for itself."""
    declared = tuple(declared)
    warnings: list[str] = []
    pages = []
    for doc in shelf.documents:
        if doc.article is not None:
            found = unknown_keys(doc.article, declared)
            warnings += (f"{doc.shown}:{line}: {message}" for line, message in found)
        else:
            if doc.src_uri.rpartition("/")[2] not in ("index.md", "README.md"):
                pages.append(doc.shown)  # a section's index is a page by design
            note = page_note(doc.shown, doc.text or "")
            if note is not None:
                warnings.append(f"{doc.shown}:{note[0]}: {note[1]}")
    return Notes(tuple(warnings), tuple(pages))


def digest_of(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def parse_source(source: Source, data: bytes) -> Article | str:
    """The article in ``data`` (the bytes of ``source``), or its text for an ordinary page.

    Decoded as MkDocs reads a page (``open(encoding="utf-8-sig")``): a UTF-8 BOM is not part
    of the text, and Windows and old Mac line ends read as ``\n``. Raises
    :class:`ArticleError` naming ``source.shown``.
    """
    try:
        text = data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as err:
        raise ArticleError(source.shown, 1, "the file is not UTF-8 text; save it as UTF-8") from err
    check_limits(source.shown, text)  # before any pass over it: one file cannot hang a build
    article = parse_article(source.shown, text)
    if article is None:
        return text
    # Errors name the file as the user sees it; the site knows it by its source URI.
    return dataclasses.replace(article, path=source.src_uri)


# Parts the catalogue is kept in (by source path), so that a save after one edit writes one.
SHARDS = 64
# A file's stat is kept for the next process only once its last change is this old.
RACY_NS = 3_000_000_000


def _shard(src_uri: str) -> int:
    return zlib.crc32(src_uri.encode("utf-8", "surrogatepass")) % SHARDS


def _settled(stat: tuple[int, int, int, int]) -> bool:
    """Whether a file whose stat is ``stat`` last changed long enough ago that its stat may
    stand for its content in the next process: one changed within the last seconds may
    change again within its clock's tick, unseen (git's "racily clean" files)."""
    return max(stat[0], stat[2]) < time.time_ns() - RACY_NS


def part_key(src_uri: str) -> str:
    """The key of the part of the catalogue that holds ``src_uri``."""
    return f"{store_key()}/{_shard(src_uri)}"


def kept_parts(path: Path) -> dict[str, bytes]:
    """The parts of the catalogue (of this code) that the store at ``path`` holds, by key."""
    found = (peek(path, NAMESPACE, f"{store_key()}/{n}") for n in range(SHARDS))
    return {f"{store_key()}/{n}": data for n, data in enumerate(found) if data is not None}


def store_key() -> str:
    """The key the catalogue is stored under: its format, the code, the versions."""
    return digest(CACHE_FORMAT, code_version(), *versions())


class Catalogue:
    """The one reader of ``content/``; see the module docstring.

    Keep one instance for the life of the process (a ``mkdocs serve`` session):
    its memory is the in-process cache. ``cache_dir``: the folder of the build's store
    (:mod:`zhiku.build.store`); None keeps nothing on disk.
    """

    def __init__(self, cache_dir: str | os.PathLike[str] | None = None) -> None:
        self._store_path = Path(cache_dir, FILE_NAME) if cache_dir is not None else None
        # src_uri -> (digest, article)
        # src_uri -> (digest, the article or an ordinary page's text)
        self._articles: dict[str, tuple[str, Article | str]] = {}
        # (name, params) -> src_uri -> (digest, value)
        self._derived: dict[tuple[str, Hashable], dict[str, tuple[str, Any]]] = {}
        self._used: set[tuple[str, Hashable]] = set()
        self._loaded = False
        # Shards (see _shard) changed since the last save: only those are written again.
        self._dirty: set[int] = set()
        self._shelf = Shelf(())
        # src_uri -> (what stat said, digest) when last read: a file whose stat is the
        # same is not read again (any write gives a file a new ctime, which no tool can
        # set, and replacing it a new inode); kept with the catalogue for the next process.
        self._stats: dict[str, tuple[tuple[int, int, int, int], str]] = {}

    @property
    def shelf(self) -> Shelf:
        """The pages of the last :meth:`read`."""
        return self._shelf

    def read(self, sources: Iterable[Source]) -> Shelf:
        """Read and parse every source (from cache when its content is unchanged).

        Raises :class:`ArticleErrors` naming every file that cannot be read or parsed,
        after reading them all (the good ones are remembered all the same).
        """
        self._load()
        documents = []
        errors = []
        for source in sources:
            try:
                documents.append(self._document(source))
            except ArticleError as err:
                errors.append(err)
        if errors:
            raise ArticleErrors(tuple(errors))
        self._shelf = Shelf(tuple(documents))
        self._used = set()
        self._forget_others()
        return self._shelf

    def _document(self, source: Source) -> Document:
        stat = signature(source.abs_path)
        seen = self._stats.get(source.src_uri)
        known = self._articles.get(source.src_uri)
        if stat is not None and seen == (stat, known[0] if known else None) and known:
            return self._as_document(source, known[0], known[1])
        try:
            with open(source.abs_path, "rb") as handle:  # noqa: PTH123
                data = handle.read()
        except OSError as err:
            raise ArticleError(
                source.shown, 1, f"cannot be read ({err.strerror}); check the file"
            ) from err
        digest = digest_of(data)
        if stat is not None and self._stats.get(source.src_uri) != (stat, digest):
            self._stats[source.src_uri] = (stat, digest)
            if _settled(stat):  # worth keeping for the next process (see save)
                self._dirty.add(_shard(source.src_uri))
        if known is not None and known[0] == digest:
            parsed = known[1]
        else:
            parsed = parse_source(source, data)
            self._articles[source.src_uri] = (digest, parsed)
            self._dirty.add(_shard(source.src_uri))
        return self._as_document(source, digest, parsed)

    @staticmethod
    def _as_document(source: Source, digest: str, parsed: Article | str) -> Document:
        if isinstance(parsed, Article):
            return Document(source.src_uri, source.shown, digest, parsed)
        return Document(source.src_uri, source.shown, digest, None, parsed)

    def parsed(self, src_uri: str) -> Article | None:
        """The article last read from ``src_uri`` (withheld or not), or None."""
        known = self._articles.get(src_uri)
        return known[1] if known is not None and isinstance(known[1], Article) else None

    def withhold(self, src_uris: Iterable[str]) -> Shelf:
        """Leave ``src_uris`` (drafts, scheduled articles) out of this build's shelf.

        They stay cached (a draft published later is not parsed again), but listings,
        search and :meth:`derive` no longer see them.
        """
        drop = set(src_uris)
        if drop:
            self._shelf = Shelf(tuple(d for d in self._shelf.documents if d.src_uri not in drop))
        return self._shelf

    def derive(self, name: str, params: Hashable, make: Callable[[Article], T]) -> dict[str, T]:
        """``make(article)`` for every article of the last :meth:`read`, by source URI.

        Remembered by ``(name, params)`` and each article's content hash: ``params``
        must hold every setting ``make`` depends on (an excerpt length, say).
        """
        self._used.add((name, params))
        store = self._derived.setdefault((name, params), {})
        out: dict[str, T] = {}
        for doc in self._shelf.articles():
            assert doc.article is not None
            known = store.get(doc.src_uri)
            if known is not None and known[0] == doc.digest:
                out[doc.src_uri] = known[1]
                continue
            value = make(doc.article)
            store[doc.src_uri] = (doc.digest, value)
            self._dirty.add(_shard(doc.src_uri))
            out[doc.src_uri] = value
        return out

    def save(self) -> list[str]:
        """Write what changed since the last save to the build's store; return what the
        store has to say (damage, another build writing). Raises
        :class:`~zhiku.files.FileProblem` when it cannot be kept (a full disk).

        The catalogue is kept in :data:`SHARDS` parts by source path, and a save writes
        only the parts that changed: after one edit, one part of a 3,000-article site
        (half a megabyte) instead of all of it (28 MB)."""
        for key in self._derived.keys() - self._used if self._used else ():
            # Derived with settings this build did not ask for: they would only grow the store.
            # (Nothing derived since the last read, as after a failed build: keep them all.)
            del self._derived[key]
            self._dirty.update(range(SHARDS))
        if self._store_path is None or not self._dirty:
            return []
        parts: dict[int, dict[str, Any]] = {
            n: {"articles": {}, "stats": {}, "derived": {key: {} for key in self._derived}}
            for n in self._dirty
        }
        for src_uri, value in self._articles.items():
            part = parts.get(_shard(src_uri))
            if part is not None:
                part["articles"][src_uri] = value
                seen = self._stats.get(src_uri)
                if seen is not None and _settled(seen[0]):
                    part["stats"][src_uri] = seen
        for key, values in self._derived.items():
            for src_uri, value in values.items():
                part = parts.get(_shard(src_uri))
                if part is not None:
                    part["derived"][key][src_uri] = value
        kept = shared(self._store_path)
        prefix = store_key()
        kept.drop_others(NAMESPACE, f"{prefix}/")
        for n, part in sorted(parts.items()):
            kept.put(
                NAMESPACE, f"{prefix}/{n}", pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
            )
        kept.commit()
        self._dirty.clear()
        return kept.take_notes()

    def _load(self) -> None:
        """Fill memory from the store, once per process (memory is newer after that)."""
        if self._loaded or self._store_path is None:
            return
        self._loaded = True
        prefix = store_key()
        try:
            store = shared(self._store_path)
            found = [store.get(NAMESPACE, f"{prefix}/{n}") for n in range(SHARDS)]
        except OSError:
            return  # a folder it cannot use: save() says so
        articles: dict[str, tuple[str, Article | str]] = {}
        derived: dict[tuple[str, Hashable], dict[str, tuple[str, Any]]] = {}
        for n, data in enumerate(found):
            if data is None:
                # None yet, of other code, or a part lost: what it held is read again, and
                # the next save writes it.
                self._dirty.add(n)
                continue
            try:
                # Our own value, written by save() with this same code (its key says so).
                part = pickle.loads(data)
            except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
                self._dirty.add(n)  # a cut or foreign value: it only costs time
                continue
            if not isinstance(part, dict):
                self._dirty.add(n)
                continue
            articles.update(part["articles"])
            # What stat said of each file when it was read: a file whose stat is the same
            # is not read again, in this process or the next (a warm build of 3,000
            # articles then reads only the edited one).
            self._stats.update(part.get("stats", {}))
            for key, values in part["derived"].items():
                derived.setdefault(key, {}).update(values)
        self._articles, self._derived = articles, derived

    def _forget_others(self) -> None:
        """Drop what belongs to pages this build no longer has, so the cache stays bounded."""
        present = {doc.src_uri for doc in self._shelf.documents}
        gone = self._articles.keys() - present
        if gone:
            self._articles = {k: v for k, v in self._articles.items() if k in present}
            self._stats = {k: v for k, v in self._stats.items() if k in present}
            self._dirty.update(_shard(src_uri) for src_uri in gone)
        for key, store in self._derived.items():
            gone = store.keys() - present
            if gone:
                self._derived[key] = {k: v for k, v in store.items() if k in present}
                self._dirty.update(_shard(src_uri) for src_uri in gone)
