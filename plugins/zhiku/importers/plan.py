"""From notes to the files import would write, and a record of every source file.

Pure: content/ comes in as texts and import's state, nothing is written here
(:mod:`zhiku.importers.run` does that). The state
(``content/.zhiku/import-state.json``) keeps, per source note, its file in
content/ and the front matter values and body hash import last wrote there. On a
later run a value that still equals what import wrote follows the source; a value
a person changed is kept (and when the source changed it too, that is a conflict
in the report); so is a body whose hash differs. An article a person deleted stays
deleted. Each note keeps its file name once given, whatever its title becomes.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from zhiku.articles.frontmatter import dump_meta, split_front_matter
from zhiku.importers.markup import heading_texts
from zhiku.importers.model import Note, Skipped, Tree
from zhiku.importers.resolve import Resolver, link_tables
from zhiku.importers.source import SourceError, load_yaml, parse_when
from zhiku.ingest.plan import RESERVED_SLUGS, sha
from zhiku.text.blockids import block_ids
from zhiku.text.slug import slugify, unique_slug

STATE_VERSION = 1
# The keys import writes, in this order (the contract's front matter).
KEYS = (
    "title",
    "date",
    "date_estimated",
    "category",
    "tags",
    "source",
    "description",
    "draft",
    "pinned",
    "updated",
    "series",
    "series_order",
    "aliases",
)
_DATES = ("date", "updated")


@dataclass(slots=True)
class Record:
    """What became of one source file."""

    source: str
    status: str  # created | updated | unchanged | kept-edited | kept-deleted | skipped
    file: str | None = None
    title: str | None = None
    date: str | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    draft: bool = False
    reason: str | None = None
    notes: list[str] = field(default_factory=list)
    hand_edited: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    assets: int = 0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "status": self.status}
        for key in ("file", "title", "date", "category", "reason"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        for key in ("tags", "notes", "hand_edited", "conflicts"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.draft:
            out["draft"] = True
        if self.assets:
            out["assets"] = self.assets
        return out


@dataclass(slots=True)
class ImportPlan:
    """Files to write (content path -> text), files to copy (content path -> source file,
    relative to its tree's root, with the tree), the new state and one record per file."""

    writes: dict[str, str] = field(default_factory=dict)
    copies: dict[str, tuple[Tree, str]] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)


def canon(value: Any) -> str:
    """The comparable form of a front matter value (dates as written)."""
    return json.dumps(value, default=str, ensure_ascii=False, sort_keys=True)


def meta_of(note: Note, aliases: Sequence[str]) -> dict[str, Any]:
    """The front matter import writes for ``note``, in :data:`KEYS` order, defaults left out."""
    meta: dict[str, Any] = {"title": note.title, "date": note.date}
    if note.date_estimated:
        meta["date_estimated"] = True
    if note.category:
        # A hierarchy is written as the contract's list ([机器学习, 强化学习]), a "/" in a
        # single name being no path.
        path = note.category.split("/")
        meta["category"] = path if len(path) > 1 else note.category
    if note.tags:
        meta["tags"] = list(note.tags)
    if note.url:
        meta["source"] = note.url
    if note.description:
        meta["description"] = note.description
    if note.draft:
        meta["draft"] = True
    if note.pinned:
        meta["pinned"] = True
    if note.updated is not None and note.updated != note.date:
        meta["updated"] = note.updated
    if note.series:
        meta["series"] = note.series
    if note.series and note.series_order is not None:
        meta["series_order"] = note.series_order
    if aliases:
        meta["aliases"] = list(aliases)
    return meta


def _body(text: str) -> str:
    text = text.lstrip("\n")
    return text if text.endswith("\n") else text + "\n"


def _read_file(text: str) -> tuple[dict[str, Any], str] | None:
    """A content file's front matter (dates as written) and body; None when unreadable."""
    raw, body, _ = split_front_matter(text)
    try:
        meta = load_yaml(raw) if raw is not None else {}
    except SourceError:
        return None
    if not isinstance(meta, dict):
        return None
    for key in _DATES:
        if isinstance(meta.get(key), str) and parse_when(meta[key]) is not None:
            meta[key] = parse_when(meta[key])
    return meta, _body(body)


def _merge(
    new: dict[str, Any], body: str, last: Mapping[str, Any], current: str
) -> tuple[str, list[str], list[str]] | None:
    """The file's text after this run: the source's values where the file still holds what
    import last wrote, a person's where they differ. (text, hand edited, conflicts); None
    when the file cannot be read as front matter and body."""
    read = _read_file(current)
    if read is None:
        return None
    have, have_body = read
    wrote: dict[str, str] = last.get("meta", {})
    edited: list[str] = []
    conflicts: list[str] = []
    merged: dict[str, Any] = {}
    for key in list(dict.fromkeys([*KEYS, *have])):
        mine = canon(have[key]) if key in have else None
        ours = wrote.get(key)
        fresh = canon(new[key]) if key in new else None
        if key not in KEYS or mine != ours:
            if key in KEYS:
                edited.append(key)
                if fresh != ours:
                    conflicts.append(f"{key}: the source changed it and so did you; kept yours")
            if key in have:
                merged[key] = have[key]
        elif key in new:
            merged[key] = new[key]
    body_out = body
    if sha(have_body) != last.get("body_sha256"):
        edited.append("body")
        if sha(body) != last.get("body_sha256"):
            conflicts.append("body: the source changed it and so did you; kept yours")
        body_out = have_body
    if {k: canon(v) for k, v in merged.items()} == {k: canon(v) for k, v in have.items()} and (
        body_out == have_body
    ):
        return current, edited, conflicts
    return dump_meta(merged, body_out), edited, conflicts


def _stem_of(file: str) -> str:
    return file[:-3] if file.endswith(".md") else file


def plan_import(
    trees: Sequence[tuple[Tree, Sequence[Note | Skipped]]],
    existing: Mapping[str, str],
    state: Mapping[str, Any],
    unreadable: Sequence[str] = (),
    *,
    directory_urls: bool = True,
) -> ImportPlan:
    """What importing ``trees`` (each with its notes, in order) into a content folder holding
    ``existing`` (path -> text) does, given import's ``state`` from earlier runs.
    ``directory_urls``: the site serves ``a.md`` at ``a/`` (else ``a.html``)."""
    plan = ImportPlan()
    known: dict[str, Any] = dict(state.get("articles", {}))
    ours = {entry["file"] for entry in known.values() if "file" in entry}
    taken: set[str] = {_stem_of(p) for p in [*existing, *unreadable] if p not in ours}
    taken |= RESERVED_SLUGS
    taken |= {_stem_of(entry["file"]) for entry in known.values() if "file" in entry}
    articles: dict[str, Any] = {}
    # An old URL one folder deep (/string/) becomes a redirect page where a new file of
    # that name would be served: no other note may take that name.
    old_urls: dict[str, str] = {}
    for tree, notes in trees:
        for note in notes:
            for alias in [] if isinstance(note, Skipped) else note.aliases:
                top = alias.strip("/").removesuffix(".html").removesuffix("/index")
                if top and "/" not in top:
                    old_urls.setdefault(top, f"{tree.key}/{note.source}")
    for tree, notes in trees:
        files: dict[str, str] = {}
        for note in notes:
            if isinstance(note, Skipped):
                continue
            key = f"{tree.key}/{note.source}"
            entry = known.get(key)
            if entry and "file" in entry:
                files[note.source] = entry["file"]
                continue
            others = {top for top, owner in old_urls.items() if owner != key}
            stem = unique_slug(slugify(note.slug or note.title), taken | others)
            taken.add(stem)
            files[note.source] = stem + ".md"
        real = [n for n in notes if isinstance(n, Note)]
        aliases = {n.source: _aliases(n, files[n.source]) for n in real}
        titles = {n.source: n.title for n in real}
        # What [[note#…]] may name in a note: its headings and its ^blocks.
        headings = {n.source: heading_texts(n.body) | block_ids(n.body) for n in real}
        links = link_tables(tree, files, aliases, titles, headings)
        resolver = Resolver(tree, links, directory_urls=directory_urls)
        for note in notes:
            shown = f"{tree.root}/{note.source}" if tree.root else note.source
            if isinstance(note, Skipped):
                status = "failed" if note.bad else "skipped"
                plan.records.append(Record(shown, status, reason=note.reason))
                continue
            key = f"{tree.key}/{note.source}"
            file = files[note.source]
            resolved = resolver.resolve(note.source, _stem_of(file), note.body, file)
            meta = meta_of(note, aliases[note.source])
            body = _body(resolved.body)
            record = Record(
                shown,
                "created",
                file=file,
                title=note.title,
                date=str(note.date),
                category=note.category,
                tags=list(note.tags),
                draft=note.draft,
                notes=[*note.notes, *resolved.notes],
                assets=len(resolved.copies),
            )
            plan.records.append(record)
            entry = {"file": file, "meta": {k: canon(v) for k, v in meta.items()}}
            entry["body_sha256"] = sha(body)
            last = known.get(key)
            if last is not None and last.get("pending"):
                # A file a killed run meant to create and never wrote: create it now.
                last = None
            current = existing.get(file)
            if file in unreadable:
                record.status = "skipped"
                record.reason = f"content/{file} cannot be read; fix that file, then run again"
                if last:
                    articles[key] = last
                continue
            if last is not None and current is None:
                record.status = "kept-deleted"
                record.reason = "you deleted its article; import leaves it deleted"
                articles[key] = last
                continue
            for where, source in resolved.copies.items():
                plan.copies[where] = (tree, source)
            text = dump_meta(meta, body)
            if current is None:
                plan.writes[file] = text
            elif last is None:
                # A file import did not write (state lost): it stays as it is.
                record.status = "unchanged" if current == text else "kept-edited"
                entry = {**entry, "body_sha256": ""} if current != text else entry
            else:
                merged = _merge(meta, body, last, current)
                if merged is None:
                    record.status = "kept-edited"
                    record.reason = "its front matter cannot be read; left as it is"
                    articles[key] = last
                    continue
                out, record.hand_edited, record.conflicts = merged
                if out == current:
                    record.status = "kept-edited" if record.hand_edited else "unchanged"
                else:
                    record.status = "updated"
                    plan.writes[file] = out
            articles[key] = entry
    # Notes of earlier runs that this run did not see keep their entries.
    for key, entry in known.items():
        articles.setdefault(key, entry)
    plan.state = {"version": STATE_VERSION, "articles": dict(sorted(articles.items()))}
    return plan


def _aliases(note: Note, file: str) -> list[str]:
    """The old URLs of ``note`` other than its new one."""
    new = "/" + _stem_of(file) + "/"
    seen: dict[str, None] = {}
    for alias in note.aliases:
        alias = posixpath.normpath(alias) + ("/" if alias.endswith("/") else "")
        if alias not in ("/", new, "//") and ".." not in alias.split("/"):
            seen.setdefault(alias, None)
    return list(seen)
