"""Indexing a whole site: the I/O shell around :mod:`zhiku.search.shards`.

:func:`index_site` takes the articles the build's catalogue already parsed
(:mod:`zhiku.articles.catalogue`; this module never reads ``content/``), segments
those missing from the terms cache (kept in the build's store), builds the index and
writes its files. The
``zhiku/search`` plugin runs it in a separate process (:class:`IndexWorker`), started
in ``on_files`` as soon as the articles are known and awaited in ``on_post_build``:
MkDocs renders pages on one core while jieba segments on the other, so the build
waits for search only when indexing takes longer than rendering.

The worker is a fresh interpreter (``python -m zhiku.search.build``), not a
fork (MkDocs' ``serve`` runs a server thread, and forking a threaded process
is unsafe) nor a multiprocessing ``spawn`` (which re-imports the caller's main
script in the child). The job and the result travel as pickles in a private
temporary folder: both ends are this module.
"""

from __future__ import annotations

import atexit
import dataclasses
import hashlib
import math
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import TypeVar

from zhiku.articles import Article
from zhiku.build.keys import code_version
from zhiku.build.store import Store, peek
from zhiku.files import FileProblem, write_atomic
from zhiku.listing.papers import paper_search_text
from zhiku.search.pinyin import reading
from zhiku.search.shards import (
    DocTerms,
    SearchDoc,
    TermsCache,
    analyze,
    build_index,
    doc_key,
    doc_phrases,
    dump_terms,
    headings,
    jieba_version,
    load_terms,
    pieces,
    search_text,
)
from zhiku.search.tokens import default_stopwords, t2s_table
from zhiku.text.segment import default_tokenizer, expect

TERMS, TERMS_KEY = "terms", "site"
"""Where the terms cache lives in the build's store: its namespace and key."""
V = TypeVar("V")
Stamp = tuple[bytes, int, int]
"""A written index file: the SHA-1 of its bytes, its size, its modification time (ns)."""


class SearchBuildError(Exception):
    """Indexing failed; the message names the article (``path:line: what; fix``)."""


@dataclass(frozen=True, slots=True)
class Page:
    """One article the site publishes, as the catalogue parsed it."""

    url: str  # relative to the site root, e.g. "clip-suanfa-yuanli/"
    path: str  # as shown to the user in errors: "content/clip-suanfa-yuanli.md"
    article: Article


@dataclass(frozen=True, slots=True)
class IndexJob:
    pages: tuple[Page, ...]
    out_dir: str  # the site's search/ folder
    # The build's store holding the terms cache (zhiku.build.store), only read here: the
    # new cache comes back in IndexReport.terms for the build to keep (keep_terms). None:
    # caching is off.
    terms_store: str | None


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What indexing did and cost, for benchmarks and logs."""

    docs: int
    segmented: int  # articles that were not in the terms cache
    files: int
    written: int  # files whose text changed (the others were left as they were)
    cpu_seconds: float  # of the indexing process
    wall_seconds: float
    # The terms cache to keep (dump_terms), when the job has a store; see keep_terms.
    terms: bytes | None = dataclasses.field(default=None, repr=False, compare=False)


def newest_first(pages: Sequence[Page]) -> list[Page]:
    """The index's order of documents: newest first (then by URL, descending)."""
    return sorted(pages, key=lambda page: (page.article.date, page.url), reverse=True)


def search_doc(page: Page) -> SearchDoc:
    """What the index knows of one article."""
    article = page.article
    return SearchDoc(
        page.url,
        article.title,
        # The paper's arXiv id and title are found too (listing/papers.py).
        search_text(article.body) + "\n" + paper_search_text(article),
        article.tags,
        article.category,
        headings(article.body),
    )


def input_key(page: Page, code: str) -> str:
    """What one article's document is made of, hashed: everything :func:`search_doc` reads
    and the ``code`` that reads it. Same key, same document, without reading the body."""
    article = page.article
    digest = hashlib.sha1(code.encode(), usedforsecurity=False)
    tags = "\x01".join(article.tags)
    parts = (page.url, article.title, tags, article.category, article.body)
    for part in (*parts, paper_search_text(article)):
        digest.update(b"\x00" + part.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def analyze_all(
    pending: Sequence[tuple[str, SearchDoc]], paths: dict[str, str]
) -> dict[str, DocTerms]:
    """Segment the ``pending`` articles (the slow part of indexing: jieba).

    One process: a fork pool on two cores gained nothing measurable (the workers
    lose the shared run memo and pay for pickling the results), and the other
    core is busy rendering pages.
    """
    if not pending:
        return {}
    expect(sum(len(doc.text) for _, doc in pending))
    tokenizer = default_tokenizer()
    stopwords, t2s = default_stopwords(), t2s_table()
    memo: dict[str, list[tuple[str, int]]] = {}
    out = {}
    for key, doc in pending:
        try:
            out[key] = analyze(doc, tokenizer, t2s, stopwords, memo)
        except Exception as err:
            raise SearchBuildError(
                f"{paths[doc.url]}:1: could not index this article ({err!r}); "
                "report it with the file attached"
            ) from err
    return out


def libraries() -> str:
    """The versions of the libraries whose data the terms cache keeps (frequencies, readings)."""
    return f"jieba {jieba_version()}, pypinyin {version('pypinyin')}"


class Dictionary(Mapping[str, int]):
    """jieba's word frequencies and log total, as the index asks for them: from the last
    build's cache when it has them, else from the shared tokenizer (which reads a word
    at a time until a job is large, :mod:`zhiku.text.segment`). Remembers what was asked,
    for the next cache."""

    def __init__(self, freqs: Mapping[str, int], log_total: float | None) -> None:
        self._known = freqs
        self._log_total = log_total
        self.asked: dict[str, int] = {}

    @property
    def log_total(self) -> float:
        if self._log_total is None:
            self._log_total = math.log(default_tokenizer().total)
        return self._log_total

    def __getitem__(self, word: str) -> int:
        freq = self.asked.get(word)
        if freq is None:
            freq = self._known.get(word)
            if freq is None:
                freq = default_tokenizer().FREQ.get(word, 0)
            self.asked[word] = freq
        return freq

    def __iter__(self) -> Iterator[str]:
        return iter(self.asked)

    def __len__(self) -> int:
        return len(self.asked)


def _memo(
    function: Callable[[str], V], known: Mapping[str, V], keep: dict[str, V]
) -> Callable[[str], V]:
    """``function``, answered from ``known`` when it has the argument; every answer goes
    into ``keep`` (the next build's cache holds what this build used, no more)."""

    def memoized(argument: str) -> V:
        if argument in keep:
            return keep[argument]
        value = known[argument] if argument in known else function(argument)
        keep[argument] = value
        return value

    return memoized


def index_site(job: IndexJob) -> IndexReport:
    """Index the articles of ``job.pages`` into ``job.out_dir``, reusing the terms cache:
    after one edit, only that article is read and segmented, the text files of the others
    are left as they were, and jieba's dictionary is consulted only for new words."""
    started, cpu = time.perf_counter(), time.process_time()
    cache = Path(job.terms_store) if job.terms_store else None
    found = peek(cache, TERMS, TERMS_KEY) if cache else None
    # None yet (or unreadable): every article is segmented.
    known = load_terms(found) if found is not None else TermsCache({})
    code, libs = code_version(), libraries()
    ours = known.code == code  # what this code made of each article
    theirs = ours and known.libraries == libs  # what the libraries said: readings, frequencies
    # What was written there last (a record for another folder tells nothing of this one).
    out = Path(job.out_dir)
    stamps = known.written if known.out_dir == job.out_dir else {}
    placed = known.placed if ours and known.out_dir == job.out_dir else ()
    old_inputs = known.inputs if ours else {}
    stopwords, t2s = default_stopwords(), t2s_table()
    pages = newest_first(job.pages)
    docs: list[SearchDoc] = []
    keys: list[str] = []
    inputs: dict[str, tuple[str, int]] = {}
    kept: dict[str, Stamp] = {}  # text files left as they are
    kept_docs: set[int] = set()
    order: list[str] = []  # the input key of each document number
    for number, page in enumerate(pages):
        ik = input_key(page, code)
        order.append(ik)
        key, count = old_inputs.get(ik) or ("", 0)
        if key in known.docs and count and number < len(placed) and placed[number] == ik:
            files = _still_there(out, stamps, number, count)
            if files is not None:
                # This article and its number are as they were: its body is not even read.
                article = page.article
                docs.append(SearchDoc(page.url, article.title, "", article.tags, article.category))
                keys.append(key)
                inputs[ik] = (key, count)
                kept.update(files)
                kept_docs.add(number)
                continue
        doc = search_doc(page)
        key = key if key in known.docs else doc_key(doc, stopwords)
        docs.append(doc)
        keys.append(key)
        inputs[ik] = (key, pieces(doc.text))
    dictionary = Dictionary(known.freqs, known.log_total) if theirs else Dictionary({}, None)
    missing = [(key, doc) for key, doc in zip(keys, docs, strict=True) if key not in known.docs]
    fresh = {key: known.docs[key] for key in keys if key in known.docs}
    if missing:
        paths = {page.url: page.path for page in job.pages}
        fresh.update(analyze_all(missing, paths))
    old_phrases = known.phrases if ours else {}
    phrases = {key: old_phrases.get(key) or doc_phrases(fresh[key]) for key in keys}
    by_terms = {id(fresh[key]): phrases[key] for key in keys}
    readings: dict[str, tuple[str, str] | None] = {}
    index = build_index(
        docs,
        [fresh[key] for key in keys],
        jieba_freq=dictionary,
        log_total=dictionary.log_total,
        stopwords=stopwords,
        t2s=t2s,
        read_pinyin=_memo(reading, known.readings if theirs else {}, readings),
        phrases_of=lambda terms: by_terms[id(terms)],
        kept=kept_docs,
    )
    written, record = write_files(out, index, stamps, kept)
    terms = None
    if cache:
        terms = dump_terms(
            TermsCache(
                fresh,
                code,
                job.out_dir,
                record,
                inputs=inputs,
                placed=tuple(order),
                phrases=phrases,
                readings=readings,
                freqs=dictionary.asked,
                log_total=dictionary.log_total,
                libraries=libs,
            )
        )
    return IndexReport(
        docs=len(docs),
        segmented=len(missing),
        files=len(index) + len(kept),
        written=written,
        cpu_seconds=time.process_time() - cpu,
        wall_seconds=time.perf_counter() - started,
        terms=terms,
    )


def _still_there(
    out: Path, stamps: Mapping[str, Stamp], number: int, count: int
) -> dict[str, Stamp] | None:
    """The records of document ``number``'s ``count`` text files when each is on disk as
    the last build wrote it (its size and modification time), else None."""
    found = {}
    for k in range(count):
        path = f"d/{number}-{k}.js"
        stamp = stamps.get(path)
        try:
            stat = (out / path).stat()
        except OSError:
            return None
        if stamp is None or stamp[1:] != (stat.st_size, stat.st_mtime_ns):
            return None
        found[path] = stamp
    return found


def keep_terms(store: Store, terms: bytes) -> None:
    """Keep the terms cache an :class:`IndexReport` carries (``terms``) in ``store``,
    committed, for the next build. Raises FileProblem when it cannot (a full disk)."""
    store.put_only(TERMS, TERMS_KEY, terms)
    store.commit()


# The index's own folders under search/: files in them that the index no longer has are
# removed (a rebuild that keeps the site folder would otherwise leave them behind).
_INDEX_FOLDERS = ("t", "p", "d")


def write_files(
    root: Path,
    files: dict[str, str],
    known: Mapping[str, Stamp] | None = None,
    kept: Mapping[str, Stamp] | None = None,
) -> tuple[int, dict[str, Stamp]]:
    """Write the index; each file whole or not at all, since under ``mkdocs serve`` the
    browser may fetch a shard while a background rebuild rewrites it. A file that already
    holds its text is left alone (after an edit most of the 20,000 shards of a large site
    are the same): one whose text has the digest ``known`` records for it, and that still
    has the recorded size and modification time, is not even read; any other is read and
    compared. Files in ``kept`` (with their records) stay as they are. Shards and pieces of
    an earlier index that this one does not have are removed. Returns the number of files
    written and the record of every file."""
    known, kept = known or {}, kept or {}
    for folder in _INDEX_FOLDERS:
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        for entry in entries:
            path = f"{folder}/{entry.name}"
            if path not in files and path not in kept and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)
    written = 0
    record: dict[str, Stamp] = dict(kept)
    for path, text in files.items():
        target = root / path
        data = text.encode("utf-8")
        digest = hashlib.sha1(data, usedforsecurity=False).digest()
        try:
            stat = target.stat()
            same = known.get(path) == (digest, stat.st_size, stat.st_mtime_ns) or (
                stat.st_size == len(data) and target.read_bytes() == data
            )
        except OSError:
            same = False  # not there yet (a clean build): write it
        if not same:
            write_atomic(target, data, durable=False)
            written += 1
            stat = target.stat()
        record[path] = (digest, stat.st_size, stat.st_mtime_ns)
    return written, record


def _exit_with_parent(parent: int, interval: float = 0.5) -> None:
    """End this worker as soon as the build ``parent`` that started it is gone.

    A build killed by a signal runs no atexit handler and cannot stop its worker;
    re-parenting (the parent id is no longer the build's) is the one sign the
    worker still sees, even when the build died before the worker got here.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="zhiku-parent-watch", daemon=True).start()


def main(folder: str, parent: int | None = None) -> None:
    """The worker process: index, then leave ("ok", report) or ("error", message) in ``folder``."""
    if parent is not None:
        _exit_with_parent(parent)
    # Both pickles are this module's own, in a folder made for this one job.
    with Path(folder, "job.pickle").open("rb") as handle:
        job = pickle.load(handle)
    # Gone as soon as read: a build killed outright (no atexit) leaves at most an empty folder.
    Path(folder, "job.pickle").unlink()
    result: tuple[str, object]
    try:
        result = ("ok", index_site(job))
    except (SearchBuildError, FileProblem) as err:  # already one line: path: what; fix
        result = ("error", str(err))
    except Exception as err:  # carried to the build as its error, never dropped
        last = traceback.format_exception_only(err)[-1].strip()
        result = ("error", f"search indexing failed: {last}")
    partial = Path(folder, "result.pickle.part")
    partial.write_bytes(pickle.dumps(result))
    partial.replace(Path(folder, "result.pickle"))  # whole or absent, never half


class IndexWorker:
    """:func:`index_site` running in a child process; :meth:`result` waits for it."""

    def __init__(self, job: IndexJob) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="zhiku-search-"))
        with (self._folder / "job.pickle").open("wb") as out:
            pickle.dump(job, out, protocol=pickle.HIGHEST_PROTOCOL)  # streamed: no second copy
        # The child finds this very package first, however the parent found it.
        package_root = str(Path(__file__).resolve().parents[2])
        path = os.environ.get("PYTHONPATH")
        env = {**os.environ, "PYTHONPATH": package_root + (os.pathsep + path if path else "")}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "zhiku.search.build", str(self._folder), str(os.getpid())],
            stdin=subprocess.DEVNULL,
            env=env,
        )
        # An interrupted build (Ctrl-C skips MkDocs' build-error event) ends the worker too.
        atexit.register(self.stop)

    def result(self) -> IndexReport:
        """The report of the finished job; raises :class:`SearchBuildError` if it failed."""
        code = self._process.wait()
        try:
            status, value = pickle.loads((self._folder / "result.pickle").read_bytes())
        except FileNotFoundError:
            raise SearchBuildError(
                f"the search indexing process ended without a result (exit code {code}); "
                "run the build again"
            ) from None
        finally:
            self.stop()
        if status != "ok":
            raise SearchBuildError(value)
        assert isinstance(value, IndexReport)
        return value

    @property
    def running(self) -> bool:
        """True while the worker process exists."""
        return self._process.poll() is None

    def stop(self) -> None:
        """End the worker if it still runs (a failed or interrupted build) and clean up."""
        atexit.unregister(self.stop)
        if self._process.poll() is None:
            self._process.terminate()
        self._process.wait()
        shutil.rmtree(self._folder, ignore_errors=True)


if __name__ == "__main__":
    # Run through the imported module, so that the pickled report names
    # zhiku.search.build.IndexReport rather than __main__.IndexReport.
    from zhiku.search import build

    build.main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else None)
