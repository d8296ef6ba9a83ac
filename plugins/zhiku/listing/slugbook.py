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
  the name (``tag-1f4a9c2e``), the same on every machine and in any order.

The record is a plain YAML mapping per kind, ``{name: slug}``; people may edit it (to move a
name to a slug of their choosing, say) and a bad record is one error naming the file.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from zhiku.text.slug import slugify, unique_slug

KINDS = ("category", "tags", "series")
# What a hash slug starts with, per kind.
_HASH_PREFIX = {"category": "category", "tags": "tag", "series": "series"}
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HEADER = (
    "# Published slugs of categories, tags and series (Zhiku keeps their URLs stable).\n"
    "# Written by `mkdocs build`; commit it with content/. Edit with care: a changed slug\n"
    "# is a changed URL.\n"
)


class SlugbookError(ValueError):
    """The record cannot be read; ``str()`` is the message without the file name."""


@dataclass(frozen=True, slots=True)
class Slugbook:
    """Recorded slugs, per kind: ``{"tags": {"C++": "c"}, …}``."""

    slugs: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def of(self, kind: str) -> Mapping[str, str]:
        return self.slugs.get(kind, {})


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
    slugs = {kind: dict(book.of(kind)) for kind in KINDS}
    for kind, names in published.items():
        slugs.setdefault(kind, {}).update(names)
    return Slugbook({kind: dict(sorted(names.items())) for kind, names in slugs.items() if names})


def read_slugbook(text: str) -> Slugbook:
    """Parse a record; raises :class:`SlugbookError` saying what is wrong."""
    try:
        data: Any = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise SlugbookError(f"is not valid YAML ({err}); fix it or delete the file") from err
    if data is None:
        return Slugbook()
    if not isinstance(data, dict) or not set(data) <= set(KINDS):
        raise SlugbookError(
            f"must map {', '.join(KINDS)} to `name: slug` lines; fix it or delete the file"
        )
    slugs: dict[str, dict[str, str]] = {}
    for kind, names in data.items():
        if names is None:
            continue
        if not isinstance(names, dict):
            raise SlugbookError(f"{kind} must be `name: slug` lines; fix it or delete the file")
        seen: dict[str, str] = {}
        for name, slug in names.items():
            if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
                raise SlugbookError(
                    f"{kind}: {name}: {slug!r} is not a slug (lower-case a-z, 0-9 and -); "
                    "fix it or delete the line"
                )
            if slug in seen:
                raise SlugbookError(
                    f"{kind}: {name} and {seen[slug]} share the slug {slug}; give each its own"
                )
            seen[slug] = str(name)
        slugs[kind] = {str(name): slug for name, slug in names.items()}
    return Slugbook(slugs)


def dump_slugbook(book: Slugbook) -> str:
    """The record as YAML, names in order, after a short header."""
    data = {kind: dict(book.of(kind)) for kind in KINDS if book.of(kind)}
    return HEADER + yaml.safe_dump(data, allow_unicode=True, sort_keys=True, width=10**6)
