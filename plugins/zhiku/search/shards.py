"""The search index as static files: a manifest, term shards, one small file per document.

Layout under ``search/`` in the site (format version :data:`FORMAT`):

- ``search_index.json``: the manifest. Material's page script fetches this
  path on every page load and hands its ``config`` to the search worker, so it
  is kept to a few hundred bytes: format version, document count, shard
  counts, jieba's log total and the stop words.
- ``t/<k>.js``: term shards, the dictionary. A Han term lives in the shard of its
  first character and a Latin term in the shard of its first two letters, so the
  browser knows from the query alone which shards can hold the words it may
  contain, and fetches only those. Each entry is ``[jieba_freq, postings]`` for a rare
  term (its postings are shorter than a pointer to them would be), else ``[jieba_freq,
  documents, file, start, end]``: the term's postings are the JSON string at bytes
  ``[start, end)`` of ``i/<file>.js``. The entry ``""`` holds the traditional ->
  simplified mapping of the characters that hash to the shard: the browser has fetched
  that shard for the raw query anyway, so folding costs no extra request.
- ``i/<n>.js``: postings, ``{term: postings}``, about :data:`POSTINGS_CHARS` a file.
  Over http the browser asks for the bytes of the terms it needs alone (a ``Range``
  request, which static hosts such as GitHub Pages answer); a server that answers with
  the whole file costs more bytes, not results. From disk the page loads the file.
- ``p/<k>.js``: pinyin shards, ``{key: [Han terms]}`` for full pinyin and
  initials (see :mod:`zhiku.search.pinyin`), keyed by a key's first three
  letters: a Latin word in the query costs one small extra fetch.
- ``f.js``: the facets, ``{"c": [categories], "g": [tags], "d": [[category,
  tag, ...] per document], "l": [title length per document]}`` (indexes into
  the two lists), packed as a document's text is (``{"z": …}``): filters, the
  counts on the filter chips, and how much of a title the query covers (see
  :func:`title_units`).
- ``d/<id>-<k>.js``: URL, title and the k-th :data:`CHUNK`-character piece
  of one document's text, deflated and in base 64 (``z``; see :func:`pack_text`):
  most articles are one piece, one file. The browser fetches, for each of the top
  results, the piece where a matched term first occurs, to build the snippet.

One format serves both ``http(s)://`` and ``file://``. Every file but the manifest is a
script, ``zhikuIndex("t/3.js",{…});`` (see :func:`index_script`): a page opened from
disk cannot fetch, but it can load scripts, which hand their data to the page's
``zhikuIndex``; over http the worker fetches the same file and parses the JSON between
the first comma and the last parenthesis (:func:`read_index_file` in Python,
``parseIndexScript`` in the engine), never evaluating it. The manifest alone has a twin,
``search_index.js``, because Material's page script loads that name from disk.

Postings are precomputed BM25F: per document, the field-weighted,
length-normalised term frequency (title, tags and body fields), so the browser
only adds IDF and saturation. They are a string of base-64 varints: document
delta, quantised weight, and where the term first occurs: 0 when only in the
tags, else ``1 + 4 * offset + 2 * in_headings + in_body`` (offset in the title, else in
the body; in_headings: a heading of the body holds the term too).
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import hashlib
import json
import marshal
import math
import re
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from zhiku.search.pinyin import Reading, key_shard, pinyin_keys
from zhiku.search.tokens import Stopwords, Tokenizer, index_terms
from zhiku.text.chars import HAN, is_han
from zhiku.text.excerpt import FORMULA, plain_text

FORMAT = 5
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
# Field weights and length normalisation of BM25F (Robertson & Zaragoza): a word in the
# title says far more about an article than the same word deep in its body.
# Headings weigh between: a section named after a word is about it, more than a mention.
FIELD_WEIGHT = {"title": 6.0, "tags": 3.0, "headings": 3.0, "body": 1.0}
FIELD_B = {"title": 0.3, "tags": 0.0, "headings": 0.3, "body": 0.75}
K1 = 1.2
QUANTUM = 8  # weights are stored as round(weight * QUANTUM)
# Characters of text per document piece. A piece is a file: large enough that most
# articles are one file (Pagefind ships a whole page per fragment too), small enough that
# the snippets of a first page of results stay a small download (~10 KB a piece, packed).
CHUNK = 8192
# Characters of dictionary entries per term shard, on average: a query fetches the
# shard of each character it holds, so they are small (~2 KB, 75 files at 3,000 articles),
# within FILE_CHARS.
SHARD_CHARS = 2048
# Characters of pinyin entries per pinyin shard, on average.
PINYIN_SHARD_CHARS = 32768
# Characters of postings per postings file (as Pagefind's index chunks): the browser
# fetches a term's byte range, so a file's size costs bytes only where ranges are not
# served; each file is one more to deploy (~140 at 3,000 articles).
POSTINGS_CHARS = 65536
# The dictionary's shards and the postings files together are at most one file per this
# many characters of both (Pagefind's index chunks hold about as much).
FILE_CHARS = 32768
# Postings at most this long stay in the dictionary: a pointer would be no shorter.
INLINE_CHARS = 24
# A character beside a word (感受 野) gets pinyin keys as one phrase when a title says it
# or this many bodies do: once in one body is as often chance as a term.
PHRASE_MIN_DOCS = 2
PHRASE_MAX_CHARS = 8


class SearchIndexError(Exception):
    """A search index that this version of Zhiku cannot read (unknown format)."""


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """What the index knows of one article."""

    url: str  # relative to the site root, e.g. "clip-suanfa-yuanli/"
    title: str
    text: str  # plain text of the body
    tags: tuple[str, ...] = ()
    category: str = ""
    headings: tuple[str, ...] = ()  # the text of the body's headings (also in ``text``)


@dataclass(frozen=True, slots=True)
class FieldTerms:
    """The terms of one field of one document: each distinct term in the order it first
    occurs, its count and its first offset (three parallel tuples: thousands of documents'
    terms load from the cache several times faster than as dicts), and the length."""

    terms: tuple[str, ...]
    counts: tuple[int, ...]
    first: tuple[int, ...]
    length: int  # distinct term offsets: the field's length in words, near enough

    @classmethod
    def of(cls, pairs: Sequence[tuple[str, int]]) -> FieldTerms:
        # Counter and comprehensions run at C speed; this is the hot loop of indexing.
        counts = Counter(term for term, _ in pairs)
        first = dict(reversed(pairs))  # the first offset wins: it is written last
        terms = tuple(counts)
        return cls(
            terms=terms,
            counts=tuple(counts.values()),
            first=tuple(first[term] for term in terms),
            length=len({offset for _, offset in pairs}),
        )


@dataclass(frozen=True, slots=True)
class DocTerms:
    """The terms of one document per field. Cacheable by content."""

    title: FieldTerms
    tags: FieldTerms
    body: FieldTerms
    headings: FieldTerms = FieldTerms((), (), (), 0)


def fnv1a(text: str) -> int:
    """32-bit FNV-1a over code points; ``tokenize.mjs`` computes the same."""
    h = 0x811C9DC5
    for char in text:
        h ^= ord(char)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def shard_key(term: str) -> str:
    """The part of a term that picks its shard: first Han character or first two letters."""
    if is_han(term[0]):
        return term[0]
    return term[:2]


def _encode_one(value: int) -> str:
    out = []
    while value >= 32:
        out.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    out.append(ALPHABET[value])
    return "".join(out)


# Codes of every value below 32,768 (up to three characters): postings are millions of
# small numbers, and a table lookup is several times faster than the loop.
_CODES = [_encode_one(value) for value in range(32768)]


def encode_varints(values: Sequence[int]) -> str:
    if not values:
        return ""
    if max(values) < 32768:  # nearly always: a table lookup each, at C speed
        return "".join(map(_CODES.__getitem__, values))
    codes = _CODES
    return "".join(codes[v] if v < 32768 else _encode_one(v) for v in values)


def decode_varints(text: str) -> list[int]:
    values, value, shift = [], 0, 0
    for char in text:
        digit = ALPHABET.index(char)
        if digit >= 32:
            value |= (digit - 32) << shift
            shift += 5
        else:
            values.append(value | (digit << shift))
            value, shift = 0, 0
    return values


def shard_count(total_chars: int, per_shard: int = SHARD_CHARS) -> int:
    """How many shards hold ``total_chars`` at ``per_shard`` each on average (16 to
    4,096; any count, not only a power of two: each shard is one more file to deploy)."""
    return min(4096, max(16, -(-total_chars // per_shard)))


def pack_text(text: str) -> str:
    """``text`` deflated (zlib) and in base 64: a document's text is most of an index's
    bytes, and packed it weighs ~60 % of its UTF-8 (Pagefind gzips its fragments too).
    The browser unpacks it with ``DecompressionStream("deflate")``, from disk as well."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")


def unpack_text(packed: str) -> str:
    """The text :func:`pack_text` packed."""
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def build_index(
    docs: Sequence[SearchDoc],
    terms: Sequence[DocTerms],
    *,
    jieba_freq: Mapping[str, int],
    log_total: float,
    stopwords: Stopwords,
    t2s: Mapping[str, str],
    read_pinyin: Reading | None = None,
    phrases_of: Callable[[DocTerms], tuple[frozenset[Phrase], frozenset[Phrase]]] | None = None,
    kept: Collection[int] = (),
) -> dict[str, str]:
    """All index files, as {path under ``search/``: text}. Pure: no I/O.

    ``read_pinyin`` gives a Han term's (full pinyin, initials) (None: no pinyin shards);
    ``phrases_of`` a document's phrases (:func:`doc_phrases`, or a cache of it). The text
    files of the documents numbered in ``kept`` are left out (the caller has them, as
    written before; their ``text`` may be empty).
    """
    lengths = {field: [getattr(dt, field).length for dt in terms] for field in FIELD_WEIGHT}
    average = {
        field: (sum(values) / len(values) if values else 0.0) or 1.0
        for field, values in lengths.items()
    }

    postings = _postings(terms, lengths, average)
    pinyin = (
        pinyin_keys(
            {term: len(flat) // 3 for term, flat in postings.items()},
            read_pinyin,
            phrases=char_phrases(terms, phrases_of or doc_phrases),
        )
        if read_pinyin is not None
        else {}
    )
    encoded = {}
    for term, flat in postings.items():
        # (doc id, weight, where) triples, in doc order: doc ids become deltas.
        ids = flat[0::3]
        flat[0::3] = [doc - previous for previous, doc in zip([0, *ids], ids, strict=False)]
        encoded[term] = encode_varints(flat)
    data, count, postings_files = _term_files(encoded, postings, jieba_freq, t2s)
    pinyin_count = shard_count(
        sum(len(k) * 2 + 6 * len(v) for k, v in pinyin.items()), PINYIN_SHARD_CHARS
    )
    pinyin_shards: dict[str, dict[str, list[str]]] = defaultdict(dict)
    for key, han in pinyin.items():
        pinyin_shards[str(fnv1a(key_shard(key)) % pinyin_count)][key] = han
    data.update({f"p/{k}.js": entries for k, entries in pinyin_shards.items()})
    data["f.js"] = {"z": pack_text(_dumps(facets(docs)))}  # fetched by every first query
    for doc_id, doc in enumerate(docs):
        if doc_id in kept:
            continue
        for k in range(pieces(doc.text)):
            piece = doc.text[k * CHUNK : (k + 1) * CHUNK]
            data[f"d/{doc_id}-{k}.js"] = {"u": doc.url, "t": doc.title, "z": pack_text(piece)}
    files = {path: index_script(path, value) for path, value in data.items()}
    files.update(postings_files)
    files["search_index.json"] = _dumps(
        manifest(
            len(docs),
            count,
            log_total=log_total,
            stopwords=stopwords,
            jieba_freq=jieba_freq,
            pinyin_shards=pinyin_count if pinyin else 0,
            postings_files=sum(path.startswith("i/") for path in postings_files),
        )
    )
    # Material's page script loads this name from disk and reads ``__index``; Zhiku's
    # panel loads it too, and gets the manifest as it gets every other index file.
    files["search_index.js"] = (
        f"var __index={files['search_index.json']};\n"
        'typeof zhikuIndex==="function"&&zhikuIndex("search_index.json",__index);\n'
    )
    return files


def pieces(text: str) -> int:
    """How many text files (``d/<id>-<k>.js``) a document of ``text`` has."""
    return max(1, -(-len(text) // CHUNK))


def _term_files(
    encoded: Mapping[str, str],
    postings: Mapping[str, list[int]],
    jieba_freq: Mapping[str, int],
    t2s: Mapping[str, str],
) -> tuple[dict[str, object], int, dict[str, str]]:
    """The dictionary's shards (data by path), their count, and the postings files (text
    by path): a term's postings in the file and at the byte range its entry names, the
    files filled in the dictionary's order up to :data:`POSTINGS_CHARS` each."""
    entries = sum(len(term) + min(len(code), INLINE_CHARS) + 12 for term, code in encoded.items())
    pointed = sum(len(code) for code in encoded.values() if len(code) > INLINE_CHARS)
    # Small shards, but never more files than one per FILE_CHARS of the whole (a site of
    # many rare words, code and formulas, has a large dictionary and few postings).
    budget = shard_count(entries + pointed, FILE_CHARS) - -(-pointed // POSTINGS_CHARS)
    count = max(16, min(shard_count(entries), budget))
    shards: dict[str, dict[str, object]] = defaultdict(dict)
    for term in encoded:
        shards[str(fnv1a(shard_key(term)) % count)][term] = None
    for source, target in sorted(t2s.items()):
        table = shards[str(fnv1a(source) % count)].setdefault("", {})
        table[source] = target  # type: ignore[index]
    files: dict[str, str] = {}
    parts: list[str] = []
    number, size, at = 0, 0, 0

    def flush() -> None:
        nonlocal number, parts, size
        if parts:
            path = f"i/{number}.js"
            files[path] = f"zhikuIndex({_dumps(path)},{{{','.join(parts)}}});\n"
            number, parts, size = number + 1, [], 0

    for key in sorted(shards, key=int):
        for term in shards[key]:
            if not term:
                continue
            code = encoded[term]
            if len(code) <= INLINE_CHARS:
                shards[key][term] = [jieba_freq.get(term, 0), code]
                continue
            if size and size + len(code) > POSTINGS_CHARS:
                flush()
            if not parts:
                at = len(f"zhikuIndex({_dumps(f'i/{number}.js')},{{".encode())
            name = _dumps(term).encode()
            start = at + (1 if parts else 0) + len(name) + 1  # past the comma, name, colon
            parts.append(f"{_dumps(term)}:{_dumps(code)}")
            at = start + len(code) + 2
            size += len(code)
            shards[key][term] = [
                jieba_freq.get(term, 0),
                len(postings[term]) // 3,
                number,
                start,
                at,
            ]
    flush()
    return {f"t/{key}.js": entries for key, entries in shards.items()}, count, files


def _postings(
    terms: Sequence[DocTerms], lengths: Mapping[str, list[int]], average: Mapping[str, float]
) -> dict[str, list[int]]:
    """term -> [doc id, quantised BM25F weight, where it first occurs, ...] (flat, in doc
    order); terms in the order first met (each document's title, then tags, then body).

    The hot loop of indexing, written for speed: the few title and tag terms of a
    document are gathered first, then each body term goes straight to its posting list
    unless the title or tags have it too. A weight adds its fields in the order title,
    tags, body, so the sums are the same floats whichever way they are gathered.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    w_title, w_tags, w_body = FIELD_WEIGHT["title"], FIELD_WEIGHT["tags"], FIELD_WEIGHT["body"]
    b_title, b_tags, b_body = FIELD_B["title"], FIELD_B["tags"], FIELD_B["body"]
    w_heads, b_heads = FIELD_WEIGHT["headings"], FIELD_B["headings"]
    quantum = QUANTUM
    for doc_id, dt in enumerate(terms):
        title, tags, body, heads = dt.title, dt.tags, dt.body, dt.headings
        heads_set = set(heads.terms)
        n_title = 1 - b_title + b_title * lengths["title"][doc_id] / average["title"]
        n_tags = 1 - b_tags + b_tags * lengths["tags"][doc_id] / average["tags"]
        n_heads = 1 - b_heads + b_heads * lengths["headings"][doc_id] / average["headings"]
        n_body = 1 - b_body + b_body * lengths["body"][doc_id] / average["body"]
        head: dict[str, list[float]] = {}
        for term, count, at in zip(title.terms, title.counts, title.first, strict=True):
            head[term] = [w_title * count / n_title, 1 + 4 * at]
        for term, count in zip(tags.terms, tags.counts, strict=True):
            entry = head.get(term)
            if entry is None:
                head[term] = [w_tags * count / n_tags, 0]
            else:
                entry[0] += w_tags * count / n_tags
        for term, count in zip(heads.terms, heads.counts, strict=True):
            # A heading's words are in the body too: where they occur is the body's say.
            entry = head.get(term)
            if entry is None:
                head[term] = [w_heads * count / n_heads, 0]
            else:
                entry[0] += w_heads * count / n_heads
        for term in head:  # a term's place in the order is where it is first met
            postings.setdefault(term, [])
        for term, count, at in zip(body.terms, body.counts, body.first, strict=True):
            entry = head.get(term)
            if entry is None:
                # round(...) or 1: max(1, round(...)) for a positive weight, a call less.
                weight = w_body * count / n_body
                postings[term] += (doc_id, round(weight * quantum) or 1, 2 + 4 * at)
            else:
                entry[0] += w_body * count / n_body
                if not entry[1]:
                    entry[1] = 2 + 4 * at
        for term, (weight, where) in head.items():
            if where and term in heads_set:
                where += 2
            postings[term] += (doc_id, round(weight * quantum) or 1, int(where))
    return postings


Phrase = tuple[str, ...]


def doc_phrases(dt: DocTerms) -> tuple[frozenset[Phrase], frozenset[Phrase]]:
    """One document's runs of Han terms side by side that jieba keeps apart (see
    :func:`char_phrases`): (every such run, those in its title)."""
    here: set[Phrase] = set()
    titled: frozenset[Phrase] = frozenset()
    for field in (dt.title, dt.body):
        starts: dict[int, list[str]] = defaultdict(list)
        ends: dict[int, list[str]] = defaultdict(list)
        placed = []
        for term, at in zip(field.terms, field.first, strict=True):
            if is_han(term[0]) and len(term) <= PHRASE_MAX_CHARS // 2:
                starts[at].append(term)
                ends[at + len(term)].append(term)
                placed.append((term, at))
        if field is dt.title:
            for a, at in placed:
                for b in starts.get(at + len(a), ()):
                    here.add((a, b))
                    here.update((a, b, c) for c in starts.get(at + len(a) + len(b), ()))
            titled = frozenset(here)
            continue
        for char, at in placed:
            if len(char) == 1:
                here.update((char, w) for w in starts.get(at + 1, ()) if len(w) > 1)
                here.update((w, char) for w in ends.get(at, ()) if len(w) > 1)
    return frozenset(here), titled


def char_phrases(
    terms: Sequence[DocTerms],
    per_doc: Callable[[DocTerms], tuple[frozenset[Phrase], frozenset[Phrase]]] = doc_phrases,
) -> dict[Phrase, int]:
    """{(a, b, …): documents}: runs of Han terms side by side that jieba keeps apart, for
    their pinyin keys (``gsy`` for 感受 野, ``yyjs`` for 引用 计数): in a title, any two or
    three adjacent terms; in a body, a single character beside a word (元 学习, 后 训练)
    when two documents say it. Offsets are first occurrences: what the index keeps.
    ``per_doc`` gives one document's (a cache may stand in for :func:`doc_phrases`).
    """
    found: Counter[Phrase] = Counter()
    titled: set[Phrase] = set()
    for dt in terms:
        here, in_title = per_doc(dt)
        found.update(here)
        titled |= in_title
    return {
        phrase: df
        for phrase, df in found.items()
        if (df >= PHRASE_MIN_DOCS or phrase in titled) and len("".join(phrase)) <= PHRASE_MAX_CHARS
    }


def index_script(path: str, value: object) -> str:
    """The index file ``path`` holding ``value``: a classic script that hands it to the
    page's ``zhikuIndex`` (from ``file://``), and whose JSON :func:`read_index_file`
    finds again (over http). ``path`` holds no comma: the data starts after the first."""
    if "," in path:
        raise ValueError(f"index file names hold no comma: {path!r}")
    return f"zhikuIndex({_dumps(path)},{_dumps(value)});\n"


def read_index_file(text: str) -> Any:
    """The data of an index file :func:`index_script` wrote (JSON, never evaluated)."""
    start, end = text.find(","), text.rfind(")")
    if not text.startswith("zhikuIndex(") or start < 0 or end < start:
        raise SearchIndexError("not a Zhiku index file; rebuild the site with this version")
    return json.loads(text[start + 1 : end])


def term_postings(entry: Sequence[Any], read: Callable[[str], bytes]) -> str:
    """A dictionary entry's postings: in the entry for a rare term, else the byte range
    of its postings file it names (``read`` gives a file's bytes by path under ``search/``)."""
    if len(entry) == 2:
        return str(entry[1])
    _, _, number, start, end = entry
    return str(json.loads(read(f"i/{number}.js")[start:end]))


_TITLE_UNIT = re.compile(f"[{HAN}]|[A-Za-z0-9]+")


def title_units(title: str) -> int:
    """A title's length as the ranking counts it: Han characters plus Latin/digit words."""
    return len(_TITLE_UNIT.findall(title))


def facets(docs: Sequence[SearchDoc]) -> dict[str, list[Any]]:
    """Categories and tags of the site, and each document's, for filters and chip counts."""
    categories = sorted({doc.category for doc in docs if doc.category})
    tags = sorted({tag for doc in docs for tag in doc.tags})
    cat_ids = {name: i for i, name in enumerate(categories)}
    tag_ids = {name: i for i, name in enumerate(tags)}
    return {
        "c": categories,
        "g": tags,
        "l": [title_units(doc.title) for doc in docs],
        "d": [
            [cat_ids.get(doc.category, -1), *sorted({tag_ids[t] for t in doc.tags})] for doc in docs
        ],
    }


def manifest(
    docs: int,
    shards: int,
    *,
    log_total: float,
    stopwords: Stopwords,
    jieba_freq: Mapping[str, int],
    pinyin_shards: int = 0,
    postings_files: int = 0,
) -> dict[str, object]:
    """The manifest, in the shape Material's page script expects of ``search_index.json``."""
    return {
        "config": {
            # Material's page highlighter splits the terms it is given on this.
            "lang": ["zh"],
            "separator": r"[\s\-]+",
            "pipeline": [],
            "zhiku": {
                "format": FORMAT,
                "docs": docs,
                "shards": shards,
                "pinyin_shards": pinyin_shards,
                "postings": postings_files,
                "chunk": CHUNK,
                "log_total": round(log_total, 6),
                "k1": K1,
                "quantum": QUANTUM,
                # With their jieba frequencies: stop words are not in the term shards, yet
                # the browser must see "什么" as a word to drop it from "什么是…".
                "stopwords": {
                    word: jieba_freq.get(word, 0)
                    for word in sorted(stopwords.han | stopwords.latin)
                },
            },
        },
        "docs": [],
    }


def read_manifest(text: str) -> dict[str, object]:
    """The ``zhiku`` part of a manifest; raises :class:`SearchIndexError` on an unknown format."""
    data = json.loads(text)
    info = data.get("config", {}).get("zhiku") if isinstance(data, dict) else None
    if not isinstance(info, dict) or info.get("format") != FORMAT:
        found = info.get("format") if isinstance(info, dict) else None
        raise SearchIndexError(
            f"search index format {found!r} is not supported (expected {FORMAT}); "
            "rebuild the site with this version of Zhiku"
        )
    return info


def idf(docs: int, df: int) -> float:
    """BM25's IDF (always positive)."""
    return math.log(1 + (docs - df + 0.5) / (df + 0.5))


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.+?)(?:[ \t]+#+)?[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
MAX_HEADING_CHARS = 300  # a longer line is no heading a reader wrote


def headings(markdown: str) -> tuple[str, ...]:
    """The text of a body's ATX headings (``## 前缀函数``), outside fenced code."""
    found = []
    fence = ""
    for line in markdown.splitlines():
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        match = _HEADING.match(line) if len(line) <= MAX_HEADING_CHARS else None
        if match:
            text = search_text(match.group(2)).strip()
            if text:
                found.append(text)
    return tuple(found)


def search_text(markdown: str) -> str:
    """What a reader sees of an article body, as plain text (:func:`plain_text`): no
    Markdown or HTML source, a formula's place as one mark, character references decoded.

    Formulas are typeset, not read: their TeX would index noise such as "boldsymbol".
    Snippets are cut from this text (the browser escapes it again when it builds one).
    """
    return plain_text(markdown)


def analyze(
    doc: SearchDoc,
    tokenizer: Tokenizer,
    t2s: Mapping[str, str],
    stopwords: Stopwords,
    memo: dict[str, list[tuple[str, int]]] | None = None,
) -> DocTerms:
    """The terms of each field of ``doc`` (the slow part of indexing: jieba).

    A formula's place in the text (:data:`~zhiku.text.excerpt.FORMULA`, shown in
    snippets) is not a word of the article: it is blanked out of the body's terms, at
    the same length so that offsets into the text stay right.
    """
    body = doc.text.replace(FORMULA, " " * len(FORMULA))
    return DocTerms(
        title=FieldTerms.of(index_terms(doc.title, tokenizer, t2s, stopwords, memo)),
        tags=FieldTerms.of(
            [pair for tag in doc.tags for pair in index_terms(tag, tokenizer, t2s, stopwords, memo)]
        ),
        body=FieldTerms.of(index_terms(body, tokenizer, t2s, stopwords, memo)),
        headings=FieldTerms.of(
            [
                pair
                for heading in doc.headings
                for pair in index_terms(heading, tokenizer, t2s, stopwords, memo)
            ]
        ),
    )


# --- the per-document terms cache (kept on disk between builds) ---

# Bump when index_terms or analyze change what they produce: old cache entries then miss.
ANALYSIS_VERSION = 4


def doc_key(doc: SearchDoc, stopwords: Stopwords) -> str:
    """What a document's terms depend on, hashed: its fields, the analysis, the stop words."""
    digest = hashlib.sha1(f"{ANALYSIS_VERSION}\x00{jieba_version()}".encode())
    fields = (doc.title, "\x01".join(doc.tags), "\x01".join(doc.headings), doc.text)
    for part in (*fields, *sorted(stopwords.han)):
        digest.update(b"\x00" + part.encode("utf-8"))
    return digest.hexdigest()


@functools.cache
def jieba_version() -> str:
    from importlib.metadata import version

    return version("jieba")


@dataclass(frozen=True, slots=True)
class TermsCache:
    """What indexing keeps between builds, so that a build after one edit does the work of
    that edit: each document's terms and phrases (by :func:`doc_key`); for each article as
    the build hands it over (by its input key, see ``zhiku.search.build``), its document's
    key and how many text files it has; which article each document number held; the
    pinyin readings and jieba frequencies of the index's terms and jieba's log total (all
    under the versions of the ``code`` and the ``libraries`` that made them); and what it
    last wrote to the index folder ``out_dir``: per file, the digest of its text, its size
    and its modification time."""

    docs: Mapping[str, DocTerms]
    code: str = ""
    out_dir: str = ""
    written: Mapping[str, tuple[bytes, int, int]] = dataclasses.field(default_factory=dict)
    inputs: Mapping[str, tuple[str, int]] = dataclasses.field(default_factory=dict)
    placed: tuple[str, ...] = ()
    phrases: Mapping[str, tuple[frozenset[Phrase], frozenset[Phrase]]] = dataclasses.field(
        default_factory=dict
    )
    readings: Mapping[str, tuple[str, str] | None] = dataclasses.field(default_factory=dict)
    freqs: Mapping[str, int] = dataclasses.field(default_factory=dict)
    log_total: float | None = None
    libraries: str = ""


def dump_terms(cache: TermsCache) -> bytes:
    """The cache as the bytes of its file: plain tuples, dicts and strings in ``marshal``'s
    format, which writes and reads them nearly twice as fast as ``pickle`` writes and reads
    the dataclasses (the cache of thousands of articles is read and written on every build;
    the file is this package's own, and the store checks its bytes before they are read)."""
    payload = {
        "version": ANALYSIS_VERSION,
        **_fields_of(cache),
        "docs": {key: _doc_row(terms) for key, terms in cache.docs.items()},
    }
    return _MAGIC + marshal.dumps(payload)


def _doc_row(terms: DocTerms) -> tuple[tuple[object, ...], ...]:
    return tuple(
        (f.terms, f.counts, f.first, f.length)
        for f in (terms.title, terms.tags, terms.body, terms.headings)
    )


def _fields_of(cache: TermsCache) -> dict[str, object]:
    return {field.name: getattr(cache, field.name) for field in dataclasses.fields(cache)}


# Marks a terms cache in this format: an older cache (a pickle) reads as none.
_MAGIC = b"zhiku-terms-1\n"


def load_terms(data: bytes) -> TermsCache:
    """The cache :func:`dump_terms` wrote; empty for another version or a damaged file."""
    if not data.startswith(_MAGIC):
        return TermsCache({})
    try:
        payload = marshal.loads(memoryview(data)[len(_MAGIC) :])
    except (EOFError, ValueError, TypeError):
        return TermsCache({})
    if not isinstance(payload, dict) or payload.pop("version", None) != ANALYSIS_VERSION:
        return TermsCache({})
    try:
        payload["docs"] = {
            key: DocTerms(*(FieldTerms(*field) for field in row))
            for key, row in payload["docs"].items()
        }
        return TermsCache(**payload)
    except (TypeError, KeyError, AttributeError):  # written by another shape of this class
        return TermsCache({})
