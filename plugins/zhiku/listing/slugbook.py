"""The slug record: once a category, tag or series is published at a URL, it keeps it.

Listing URLs (``tags/c/``, ``category/python/``, ``series/kuosan-moxing/``) and the feeds
under them are promises to readers and feed readers. Slugs worked out afresh from the set
of names would break them: with ``C++`` alone at ``tags/c/``, adding a tag ``C`` (which
sorts first) would hand ``tags/c/`` and its feeds to ``C``. So the slugs a build publishes
are recorded in ``content/.zhiku/slugs.yml`` (commit it, like the ingest state), and

- a recorded name keeps its slug, whatever names come and go around it;
- a new name gets the slug of its text (``C`` -> ``c``) unless any recorded slug, including
  one of a name no longer used, already holds it (then ``c-2``…): a published URL is never
  given to another name;
- a name with nothing to spell a slug with (emoji only, ``🔥``) gets a slug from a hash of
  the name (``tag-1f4a9c2e``), the same on every machine and in any order;
- a name no article uses any more (*retired*: renamed, merged, deleted) keeps answering at
  its URL: it leads ``to`` the name its articles went to, or to the kind's index.

How a rename is recognised from committed files alone (so that a fresh clone builds the
site a warm build makes): while a name is in use the record keeps a few of its articles
(:data:`SAMPLE` paths, the same ones as long as they keep the name). The build that first
finds the name unused looks where most of those articles went (:func:`retirements`) and
records the answer as the name's ``to``; later builds read it from the record, never
decide again. A writer may write ``to`` by hand.

The record is YAML, one line per name::

    tags:
      PyTorch: {slug: pytorch-2, articles: [dl/autograd.md, dl/ddp.md]}
      Pytorch: {slug: pytorch, to: PyTorch}
      旧标签: {slug: jiu-biaoqian, to: null}

(``name: slug``, the first form of the record, still reads.) A bad record is one error
naming the file.
"""

from __future__ import annotations

import difflib
import hashlib
import heapq
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from zhiku.text.slug import slugify, unique_slug

# libyaml's safe loader when PyYAML has it: read at the start of every build and every
# serve rebuild, the record of a few thousand names costs 2 ms instead of 20.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

KINDS = ("category", "tags", "series")
# What a hash slug starts with, per kind.
_HASH_PREFIX = {"category": "category", "tags": "tag", "series": "series"}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SAMPLE = 5
"""Articles the record keeps per name in use: enough for a majority to say where they went."""
HEADER = (
    "# Published slugs of categories, tags and series (Zhiku keeps their URLs stable).\n"
    "# Written by `mkdocs build`; commit it with content/. Edit with care: a changed slug\n"
    "# is a changed URL. A name no longer used leads `to` another (null: the index).\n"
)
_KEYS = ("slug", "articles", "to")


class SlugbookError(ValueError):
    """The record cannot be read; ``str()`` is the message without the file name."""


@dataclass(frozen=True, slots=True)
class Recorded:
    """What the record keeps of one name."""

    slug: str
    articles: tuple[str, ...] = ()  # some of its articles (source paths) while in use
    retired: bool = False  # no article used it when a build last looked
    to: str | None = None  # retired: the name its URL leads to; None: the kind's index


@dataclass(frozen=True, slots=True)
class Slugbook:
    """Recorded names, per kind: ``{"tags": {"C++": Recorded("c", …)}, …}``."""

    names: Mapping[str, Mapping[str, Recorded]] = field(default_factory=dict)

    def of(self, kind: str) -> dict[str, str]:
        """``{name: slug}`` of every recorded name of ``kind``, used or not."""
        return {name: r.slug for name, r in self.names.get(kind, {}).items()}

    def entries(self, kind: str) -> Mapping[str, Recorded]:
        return self.names.get(kind, {})


@dataclass(frozen=True, slots=True)
class Move:
    """A recorded name no article uses: where its URL and feeds lead this build."""

    kind: str
    name: str
    slug: str
    to: str | None  # a name in use of the same kind, or None: the kind's index
    recorded_to: str | None  # the ``to`` to record (the first step when they chain)
    problem: str = ""  # a hand-written ``to`` that leads nowhere: what to do


def name_slug(kind: str, name: str) -> str:
    """The slug a new ``name`` starts from: its text's, or a stable hash when it spells none."""
    slug = slugify(name)
    if slug == "article" and "article" not in name.lower():
        digest = hashlib.sha1(name.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        return f"{_HASH_PREFIX.get(kind, 'x')}-{digest}"
    return slug


def assign(kind: str, names: Iterable[str], book: Slugbook) -> dict[str, str]:
    """Slugs for ``names``: recorded ones as recorded, new ones free of every recorded slug.

    New names are given slugs in name order, so two new names that spell the same slug get
    the same ones on every machine.
    """
    recorded = book.of(kind)
    taken = set(recorded.values())
    result: dict[str, str] = {}
    for name in sorted(set(names)):
        slug = recorded.get(name)
        if slug is None:
            slug = unique_slug(name_slug(kind, name), taken)
            taken.add(slug)
        result[name] = slug
    return result


def merged(book: Slugbook, published: Mapping[str, Mapping[str, str]]) -> Slugbook:
    """``book`` with every published ``{kind: {name: slug}}`` added (nothing is forgotten)."""
    names = {kind: dict(book.entries(kind)) for kind in KINDS}
    for kind, slugs in published.items():
        for name, slug in slugs.items():
            old = names.setdefault(kind, {}).get(name)
            names[kind][name] = Recorded(slug, old.articles if old else ())
    return _book(names)


def _book(names: Mapping[str, Mapping[str, Recorded]]) -> Slugbook:
    return Slugbook({kind: dict(sorted(n.items())) for kind, n in names.items() if n})


def retirements(
    book: Slugbook,
    live: Mapping[str, Mapping[str, Collection[str]]],
    published: Collection[str],
) -> list[Move]:
    """Where each recorded name that no article uses leads, in kind and name order.

    ``live`` maps each kind to its names in use and their articles (source paths; a
    category's include those of the categories below it); ``published`` is every article
    of the build. A name retired before leads where the record says (following ``to``
    from name to name); one retiring now leads to the name in use that holds most of its
    recorded articles (see :func:`successor`), else to the kind's index.
    """
    moves: list[Move] = []
    for kind in KINDS:
        in_use = live.get(kind, {})
        entries = book.entries(kind)
        first: dict[str, str | None] = {}  # retired name -> its recorded (or new) `to`
        for name, rec in entries.items():
            if name in in_use:
                continue
            if rec.retired:
                first[name] = rec.to
            else:
                first[name] = successor(kind, name, rec.articles, in_use, entries, published)
        for name in sorted(first):
            to, problem = _follow(kind, name, first, in_use, entries)
            moves.append(Move(kind, name, entries[name].slug, to, first[name], problem))
    return moves


def _follow(
    kind: str,
    name: str,
    first: Mapping[str, str | None],
    in_use: Mapping[str, object],
    entries: Mapping[str, Recorded],
) -> tuple[str | None, str]:
    """The name in use that ``name``'s chain of ``to`` ends at (None: the index)."""
    seen = [name]
    step = first[name]
    while step is not None:
        if step in in_use:
            return step, ""
        if step in seen:
            return None, (
                f"{kind}: {name}: `to` goes round in a circle ({' -> '.join([*seen, step])}); "
                "point one of them at a name in use, or null for the index"
            )
        if step not in entries:
            return None, (
                f"{kind}: {name}: `to: {step}` is no {kind} name in use or recorded; "
                "write one that is, or null for the index"
            )
        seen.append(step)
        step = first.get(step)
    return None, ""


def successor(
    kind: str,
    name: str,
    sample: Iterable[str],
    in_use: Mapping[str, Collection[str]],
    recorded: Collection[str],
    published: Collection[str],
) -> str | None:
    """The name in use that ``name``'s articles (``sample``) went to, or None.

    Only the sample's articles still published count. A name qualifies when it holds more
    than half of them: a category or series is where the articles went (renamed or
    merged into another); a tag must also be new in this build (absent from ``recorded``)
    or spelled as ``name`` is (same slug, like ``Pytorch`` and ``PyTorch``), since an
    article keeps its other tags when one is deleted. Among several: the most articles,
    then (categories) the same depth, a look-alike spelling, a new name, the closest
    spelling, the fewest articles (the most specific), the name.
    """
    alive = [a for a in sample if a in published]
    if not alive:
        return None
    own = name_slug(kind, name)
    ranked = []
    for other, members in in_use.items():
        count = sum(1 for a in alive if a in members)
        if 2 * count <= len(alive):
            continue
        alike = other.casefold() == name.casefold() or name_slug(kind, other) == own
        new = other not in recorded
        if kind == "tags" and not (alike or new):
            continue
        closeness = difflib.SequenceMatcher(None, name.casefold(), other.casefold()).ratio()
        depth = other.count("/") != name.count("/")
        ranked.append((-count, depth, not alike, not new, -closeness, len(members), other))
    return min(ranked)[-1] if ranked else None


def recorded(
    book: Slugbook,
    live: Mapping[str, Mapping[str, tuple[str, Collection[str]]]],
    moves: Iterable[Move],
) -> Slugbook:
    """The record after a build: names in use (``{kind: {name: (slug, articles)}}``) with a
    sample of their articles, the same as before while those keep the name; ``moves``
    (from :func:`retirements`) as retired names with their ``to``."""
    names = {kind: dict(book.entries(kind)) for kind in KINDS}
    for kind, in_use in live.items():
        for name, (slug, articles) in in_use.items():
            old = names.setdefault(kind, {}).get(name)
            kept = [a for a in old.articles if a in articles][:SAMPLE] if old else []
            if len(kept) < SAMPLE:
                more = (a for a in articles if a not in kept)
                kept += heapq.nsmallest(SAMPLE - len(kept), more)
            names[kind][name] = Recorded(slug, tuple(kept))
    for move in moves:
        names.setdefault(move.kind, {})[move.name] = Recorded(
            move.slug, retired=True, to=move.recorded_to
        )
    return _book(names)


def read_slugbook(text: str) -> Slugbook:
    """Parse a record; raises :class:`SlugbookError` saying what is wrong."""
    try:
        data: Any = yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError as err:
        raise SlugbookError(f"is not valid YAML ({err}); fix it or delete the file") from err
    if data is None:
        return Slugbook()
    if not isinstance(data, dict) or not set(data) <= set(KINDS):
        raise SlugbookError(
            f"must map {', '.join(KINDS)} to `name: slug` lines; fix it or delete the file"
        )
    names: dict[str, dict[str, Recorded]] = {}
    for kind, entries in data.items():
        if entries is None:
            continue
        if not isinstance(entries, dict):
            raise SlugbookError(f"{kind} must be `name: slug` lines; fix it or delete the file")
        seen: dict[str, str] = {}
        names[kind] = {}
        for key, value in entries.items():
            name = str(key)
            rec = _entry(kind, name, value)
            if rec.slug in seen:
                raise SlugbookError(
                    f"{kind}: {name} and {seen[rec.slug]} share the slug {rec.slug}; "
                    "give each its own"
                )
            seen[rec.slug] = name
            names[kind][name] = rec
    return Slugbook(names)


def _entry(kind: str, name: str, value: object) -> Recorded:
    """One name's line: ``slug`` or ``{slug: …, articles: […]}`` or ``{slug: …, to: …}``."""
    where = f"{kind}: {name}:"
    fields: dict[Any, Any] = value if isinstance(value, dict) else {"slug": value}
    if unknown := [str(k) for k in fields if k not in _KEYS]:
        raise SlugbookError(
            f"{where} unknown key {unknown[0]!r} (slug, articles and to are known); "
            "fix or delete it"
        )
    slug = fields.get("slug")
    if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
        raise SlugbookError(
            f"{where} {slug!r} is not a slug (lower-case a-z, 0-9 and -); fix it or delete the line"
        )
    articles = fields.get("articles") or []
    if not isinstance(articles, list) or not all(isinstance(a, str) for a in articles):
        raise SlugbookError(f"{where} articles must be a list of paths; fix it or delete it")
    to = fields.get("to")
    if to is not None and not isinstance(to, str):
        raise SlugbookError(
            f"{where} `to: {to}` is not a name; quote it (to: '{to}') or write null"
        )
    if to == name:
        raise SlugbookError(f"{where} leads to itself; name another {kind}, or null")
    return Recorded(slug, tuple(articles), "to" in fields, to)


class _Dumper(yaml.SafeDumper):
    pass


class _Line(dict[str, object]):
    """One name's fields, written on one line in this order."""


_Dumper.add_representer(
    _Line,
    lambda dumper, data: dumper.represent_mapping(
        "tag:yaml.org,2002:map", list(data.items()), flow_style=True
    ),
)


def dump_slugbook(book: Slugbook) -> str:
    """The record as YAML, names in order, one line each, after a short header."""
    data: dict[str, dict[str, object]] = {}
    for kind in KINDS:
        lines: dict[str, object] = {}
        for name, rec in sorted(book.entries(kind).items()):
            if rec.retired:
                lines[name] = _Line(slug=rec.slug, to=rec.to)
            elif rec.articles:
                lines[name] = _Line(slug=rec.slug, articles=list(rec.articles))
            else:
                lines[name] = rec.slug
        if lines:
            data[kind] = lines
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10**6)
    return HEADER + text
