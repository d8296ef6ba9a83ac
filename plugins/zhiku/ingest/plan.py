"""From dumps to the files ingest would write, and a report accounting for every card.

Pure: the content folder is read through the ``existing`` mapping and the
state; nothing is written here (``zhiku.ingest.run`` does that).

Hand edits survive re-ingest. The state file (``content/.zhiku/ingest-state.json``)
records, per article, its file and the values ingest last wrote. A front matter
value that differs from what ingest last wrote was edited by a person and is
kept; so is a body whose hash differs, and so are keys ingest never writes
(``description``, keys Zhiku does not know). Values nobody edited follow the
new ingest, so an estimated date or an inferred category is upgraded when a
real one arrives. When ingest would change a value a person edited, the
person's value stays and the report lists the conflict.

Knowledge only grows. The state also keeps, per article, the longest raw text
any run saw (version 2; version 1 entries, which lack it, keep working). That
text and the values ingest wrote join this run's cards as evidence, so a later,
shorter scrape merges into the article without shrinking it or dropping a tag,
source or real date. Only a person's edit removes something. An estimated date
is knowledge too: a run that cannot place an article in time (a scrape cut
before its dates) keeps the earlier run's estimate instead of moving the article
to the newest date it saw, and a run whose feed positions still allow the
earlier estimate keeps it, so dates do not wander between runs.

A file at an article's own slug that no state entry records (the state was
lost) and that opens with the same text is continued, not duplicated; every
value in it that differs from the scrape counts as a hand edit.

Each group of cards has exactly one outcome, decided by one function each
(``_created``, ``_resumed``, ``_adopted``, ``_revisited``, ``_kept_deleted``,
``_kept_unreadable``, ``_unparsable``); every card of the run is accounted for in a
:class:`CardRecord`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from zhiku.articles import Article, ArticleError, dump_article, parse_article
from zhiku.articles.model import FIELD_ORDER, MAX_TAGS, UNCATEGORIZED
from zhiku.ingest.body import is_truncated, render_body, safe_url
from zhiku.ingest.cards import Card, Dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.merge import Group, Known, comparable, estimate_dates, group_cards
from zhiku.ingest.papers import merge_paper, with_paper
from zhiku.ingest.rules import Rules
from zhiku.ingest.titles import derive_title, safe_label, strip_markers
from zhiku.text.excerpt import plain_text
from zhiku.text.slug import slugify, unique_slug

STATE_VERSION = 2
# A file with no state entry is this article when their bodies share this long an opening.
MIN_OPENING = 40
# Slugs the site's own generated pages use; an article never takes them.
RESERVED_SLUGS = frozenset(
    {
        "index",
        "tags",
        "tag",
        "category",
        "categories",
        "page",
        "archive",
        "feed",
        "feeds",
        "search",
        "assets",
        "404",
        "sitemap",
        "rss",
        "atom",
    }
)
# The front matter fields ingest writes (all of the contract's but `description`).
# What ingest writes and compares; the knowledge-base fields after ``description`` (draft,
# pinned, series, …) are a person's alone and kept as the file has them.
FIELDS = FIELD_ORDER[: FIELD_ORDER.index("description")]


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """What happened to one article: its file, outcome and the values it was given."""

    file: str
    status: str  # created | updated | unchanged | kept-deleted | kept-unreadable | conflict
    title: str
    title_rule: str
    date: str
    date_estimated: bool
    date_bounds: tuple[str, str] | None
    date_note: str | None
    category: str
    category_inferred: bool
    tags: tuple[str, ...]
    cards: int
    hand_edited: tuple[str, ...] = ()
    conflicts: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "status": self.status,
            "title": self.title,
            "title_rule": self.title_rule,
            "date": self.date,
            "date_estimated": self.date_estimated,
            "date_bounds": list(self.date_bounds) if self.date_bounds else None,
            "date_note": self.date_note,
            "category": self.category,
            "category_inferred": self.category_inferred,
            "tags": list(self.tags),
            "cards": self.cards,
            "hand_edited": list(self.hand_edited),
            "conflicts": list(self.conflicts),
        }


@dataclass(frozen=True, slots=True)
class CardRecord:
    """What happened to one card: written, unchanged, merged (into ``file``) or rejected."""

    input: str
    line: int
    status: str
    file: str | None = None
    reason: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def where(self) -> str:
        return f"{self.input}:{self.line}"

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"input": self.input, "line": self.line, "status": self.status}
        if self.file is not None:
            result["file"] = self.file
        if self.reason is not None:
            result["reason"] = self.reason
        if self.warnings:
            result["warnings"] = list(self.warnings)
        return result


@dataclass(slots=True)
class Plan:
    """What an ingest run would do."""

    writes: dict[str, str] = field(default_factory=dict)  # path in content/ -> file text
    state: dict[str, Any] = field(default_factory=dict)
    article_records: list[ArticleRecord] = field(default_factory=list)
    card_records: list[CardRecord] = field(default_factory=list)

    @property
    def articles(self) -> list[dict[str, Any]]:
        """The article records as the JSON report holds them."""
        return [record.to_json() for record in self.article_records]

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The card records as the JSON report holds them."""
        return [record.to_json() for record in self.card_records]


def _fields(article: Article) -> dict[str, Any]:
    """The values ingest compares to tell hand edits from its own output (JSON-ready)."""
    return {
        "title": article.title,
        "date": article.date.isoformat(),
        "date_estimated": article.date_estimated,
        "category": article.category,
        "category_inferred": article.category_inferred,
        "tags": list(article.tags),
        "source": article.source,
        "truncated": article.truncated,
    }


def _from_fields(article: Article, values: Mapping[str, Any]) -> Article:
    return replace(
        article,
        title=values["title"],
        date=dt.date.fromisoformat(values["date"]),
        date_estimated=values["date_estimated"],
        category=values["category"],
        category_inferred=values["category_inferred"],
        tags=tuple(values["tags"]),
        source=values["source"],
        truncated=values["truncated"],
    )


# A person edits these together: a date typed by hand is no longer an estimate.
_PAIRS = {
    "date": "date_estimated",
    "date_estimated": "date",
    "category": "category_inferred",
    "category_inferred": "category",
}


def merge_hand_edits(
    new: Article, current: Article, last: Mapping[str, Any], last_body: str
) -> tuple[Article, list[str], list[str]]:
    """``new`` with every value a person changed since ``last`` taken from ``current``.

    Returns (article, names of hand-edited fields, conflict notes).
    """
    new_values, current_values = _fields(new), _fields(current)
    edited = {k for k in FIELDS if current_values[k] != last.get(k)}
    edited |= {_PAIRS[k] for k in edited if k in _PAIRS}
    merged = dict(new_values)
    conflicts = []
    for key in sorted(edited):
        merged[key] = current_values[key]
        if new_values[key] != last.get(key) and new_values[key] != current_values[key]:
            conflicts.append(
                f"{key}: edited by hand ({current_values[key]!r}); ingest now says "
                f"{new_values[key]!r}; kept the hand edit"
            )
    # Ingest never writes these: whatever the file holds, a person put there.
    article = replace(_from_fields(new, merged), description=current.description)
    if current.description is not None:
        edited.add("description")
    body_edited = sha(current.body) != last_body
    if body_edited:
        article = replace(article, body=current.body)
        if sha(new.body) != last_body:
            conflicts.append("body: edited by hand; ingest has a new text; kept the hand edit")
        edited.add("body")
    # Knowledge-base fields only a person writes (draft, pinned, series, …): kept as the
    # file has them.
    article = replace(
        article,
        draft=current.draft,
        pinned=current.pinned,
        updated=current.updated,
        series=current.series,
        series_order=current.series_order,
        paper=merge_paper(article, current),
    )
    return replace(article, extra=current.extra), sorted(edited), conflicts


def _tags(group: Group, matcher: Matcher, title: str, text: str, rules: Rules) -> tuple[str, ...]:
    given = [safe_label(t) for card in group.evidence for t in card.tags if safe_label(t)]
    found = matcher.tags(title, text)
    # The card's own tags first, then the best-scoring found ones; never more than an article
    # may carry (each card's tags were capped as it was read, with a warning).
    keep = min(MAX_TAGS, max(rules.max_tags, len(set(given))))
    return tuple(dict.fromkeys([*given, *found]))[:keep]


def build_article(group: Group, rules: Rules, matcher: Matcher) -> tuple[Article, str]:
    """The article a group of cards makes (path still empty), and the rule its title
    came from."""
    best = group.best
    text = best.text
    given_title = group.value("title")
    latin = frozenset(
        w for _, ws in rules.tags for w in ws if w.isascii() and w.islower() and " " not in w
    )
    derived = derive_title(text, rules, latin)
    title = safe_label(str(given_title or "")) or safe_label(derived.text) or "无题"
    _, _, bookmarked = strip_markers(text, rules)
    given_url = group.value("url")
    source = (
        safe_url(str(given_url)) if given_url else (safe_url(bookmarked) if bookmarked else None)
    )
    truncated = is_truncated(text)
    body_text = text[derived.heading_end :] if not given_title and derived.heading_end else text
    body = render_body(body_text, rules, source=source, truncated=truncated)
    given_category = group.value("category")
    plain = plain_text(text, urls=True)  # a repository's name in a URL names a topic
    if given_category:
        # `/` separates a category path's parts (机器学习/强化学习): no empty part.
        parts = (part.strip() for part in safe_label(str(given_category)).split("/"))
        category, inferred = "/".join(p for p in parts if p) or UNCATEGORIZED, False
    else:
        found = matcher.category(title, plain)
        category, inferred = (found, True) if found else (UNCATEGORIZED, False)
    assert group.date is not None
    article = Article(
        path="",
        title=title,
        date=group.date,
        body=body,
        category=category,
        tags=_tags(group, matcher, title, plain, rules),
        date_estimated=group.date_estimated,
        category_inferred=inferred,
        source=source,
        truncated=truncated,
    )
    article = with_paper(article, text)  # paper.arxiv from an arXiv link (ingest/papers.py)
    return article, "given" if given_title else derived.rule


def state_entries(state: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The article entries of a state file of any version (1 or 2), keyed by state key.

    Version 1 entries lack the raw ``text``; they still match by their ``fingerprint``
    (the opening of their text) and are upgraded the next time their article is written.
    """
    articles = state.get("articles")
    if not isinstance(articles, dict):
        return {}
    return {
        str(key): dict(entry)
        for key, entry in articles.items()
        if isinstance(entry, dict) and isinstance(entry.get("file"), str)
    }


def _evidence_card(entry: Mapping[str, Any]) -> Card | None:
    """What earlier runs saw of an article, as a card: the longest raw text (empty for a
    version 1 entry) and the values ingest wrote that came from a scrape (real dates and
    categories, tags, source)."""
    text = entry.get("text")
    values = entry.get("fields")
    if not isinstance(values, dict):
        return None
    date = None
    if not values.get("date_estimated"):
        try:
            date = dt.date.fromisoformat(str(values.get("date")))
        except ValueError:
            date = None
    category = values.get("category")
    if values.get("category_inferred") or category == UNCATEGORIZED:
        category = None
    return Card(
        source="",
        line=0,
        position=-1,
        text=text if isinstance(text, str) else "",
        category=category if isinstance(category, str) else None,
        date=date,
        title=entry.get("title_given") if isinstance(entry.get("title_given"), str) else None,
        url=values.get("source") if isinstance(values.get("source"), str) else None,
        tags=tuple(t for t in values.get("tags") or () if isinstance(t, str)),
    )


def _keep_earlier_estimate(group: Group, entries: Mapping[str, Mapping[str, Any]]) -> None:
    """Keep the date an earlier run estimated for ``group``'s article when this run has
    no better evidence: no date of its own, and feed positions that either say nothing
    (no dated neighbour) or still allow the earlier date."""
    if not group.known or (group.date is not None and not group.date_estimated):
        return
    values = entries[group.known[0].key].get("fields")
    if not isinstance(values, dict) or not values.get("date_estimated"):
        return  # a real earlier date is already evidence (``_evidence_card``)
    try:
        earlier = dt.date.fromisoformat(str(values.get("date")))
    except ValueError:
        return
    bounds = group.date_bounds
    if bounds is not None and not bounds[0] <= earlier <= bounds[1]:
        return  # this run's neighbours rule the earlier estimate out
    group.date, group.date_estimated = earlier, True
    if bounds is None:
        group.date_note = "no dated neighbour in this run; kept the earlier run's estimate"


def _known(entries: Mapping[str, Mapping[str, Any]], section_names: Sequence[str]) -> list[Known]:
    known = []
    for key, entry in entries.items():
        card = _evidence_card(entry)
        if card is not None and card.text:
            known.append(Known(key, comparable(card.text, section_names), card))
        elif isinstance(entry.get("fingerprint"), str) and entry["fingerprint"]:
            known.append(Known(key, entry["fingerprint"], card))
    return known


def taken_slugs(paths: Iterable[str]) -> set[str]:
    """Slugs a new article must not take: every page's (``a/index.md`` is served as ``a/``
    too), every folder's, and the site's own."""
    taken = set(RESERVED_SLUGS)
    for path in paths:
        slug = path.casefold().removesuffix(".md")
        taken.add(slug)
        parts = slug.split("/")
        for end in range(1, len(parts)):
            taken.add("/".join(parts[:end]))
    return taken


@dataclass(frozen=True, slots=True)
class Draft:
    """A group of cards and the article it makes (path still empty)."""

    group: Group
    article: Article
    title_rule: str

    def record(
        self,
        status: str,
        path: str,
        *,
        hand_edited: Iterable[str] = (),
        conflicts: Iterable[str] = (),
    ) -> ArticleRecord:
        article, bounds = self.article, self.group.date_bounds
        return ArticleRecord(
            file=path,
            status=status,
            title=article.title,
            title_rule=self.title_rule,
            date=article.date.isoformat(),
            date_estimated=article.date_estimated,
            date_bounds=(bounds[0].isoformat(), bounds[1].isoformat()) if bounds else None,
            date_note=self.group.date_note,
            category=article.category,
            category_inferred=article.category_inferred,
            tags=article.tags,
            cards=len(self.group.cards),
            hand_edited=tuple(hand_edited),
            conflicts=(*self.group.conflicts, *conflicts),
        )

    def entry(self, article: Article, previous: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The state entry for ``article`` as ingest makes it (before hand edits)."""
        entry: dict[str, Any] = {
            "file": article.path,
            "fields": _fields(article),
            "body_sha256": sha(article.body),
        }
        if previous is not None:  # the body came from an earlier run: keep its evidence
            for name in ("text", "fingerprint", "title_given"):
                if name in previous:
                    entry[name] = previous[name]
            return entry
        entry["text"] = self.group.best.text
        title = self.group.value("title")
        if isinstance(title, str):
            entry["title_given"] = title
        return entry


@dataclass(frozen=True, slots=True)
class Decision:
    """One group's outcome: its record, the file text to write (None: nothing) and its
    state entry (None: the earlier entry stays as it was)."""

    record: ArticleRecord
    write: str | None = None
    entry: dict[str, Any] | None = None
    reason: str | None = None  # why this run's cards were not written


def _created(draft: Draft, taken: set[str]) -> Decision:
    slug = unique_slug(slugify(draft.article.title), taken)
    taken.add(slug)
    article = replace(draft.article, path=f"{slug}.md")
    return Decision(
        draft.record("created", article.path), dump_article(article), draft.entry(article)
    )


def _resumed(draft: Draft, path: str) -> Decision:
    """An interrupted run recorded this file but never wrote it: create it now."""
    article = replace(draft.article, path=path)
    return Decision(draft.record("created", path), dump_article(article), draft.entry(article))


def _kept_deleted(draft: Draft, path: str) -> Decision:
    note = (
        f"{path} was deleted by hand; not re-created (drop its entry "
        "from .zhiku/ingest-state.json to re-create it)"
    )
    return Decision(draft.record("kept-deleted", path, conflicts=[note]), reason=note)


def _kept_unreadable(draft: Draft, path: str) -> Decision:
    note = f"{path} could not be read; left as it is (fix or remove it, then ingest again)"
    return Decision(draft.record("kept-unreadable", path, conflicts=[note]), reason=note)


def _unparsable(draft: Draft, path: str, problem: str) -> Decision:
    note = f"{problem}; the file was left as it is"
    return Decision(draft.record("conflict", path, conflicts=[note]), reason=note)


def _revisited(draft: Draft, entry: Mapping[str, Any], path: str, text: str) -> Decision:
    """An article an earlier run wrote and the file is there: merge, keeping hand edits."""
    try:
        current = parse_article(path, text)
    except ArticleError as err:
        return _unparsable(draft, path, str(err))
    if current is None:
        return _unparsable(draft, path, f"{path}: has no date any more")
    article = replace(draft.article, path=path)
    previous = None
    last_body = entry.get("body_sha256", "")
    if (
        not entry.get("text")
        and sha(current.body) == last_body
        and len(article.body) < len(current.body)
    ):
        # A state from before raw texts were kept: the file is the only evidence of
        # the longer text, and it must not shrink.
        article, previous = replace(article, body=current.body), entry
    merged, edited, notes = merge_hand_edits(article, current, entry.get("fields", {}), last_body)
    final = dump_article(merged)
    status = "unchanged" if final == text else "updated"
    record = draft.record(status, path, hand_edited=edited, conflicts=notes)
    return Decision(
        record, None if status == "unchanged" else final, draft.entry(article, previous)
    )


def _flat(body: str) -> str:
    return "".join(body.replace("\\", "").split())


def _adopted(
    draft: Draft, existing: Mapping[str, str], recorded: Collection[str]
) -> Decision | None:
    """The file at the article's own slug when no state entry records it (the state was
    lost or reset) and it opens with the same text: continued, not duplicated.

    Nothing tells ingest's values from a person's there, so every value that differs
    from this scrape is kept as a hand edit.
    """
    path = f"{slugify(draft.article.title)}.md"
    text = existing.get(path)
    if text is None or path in recorded:
        return None
    try:
        current = parse_article(path, text)
    except ArticleError:
        return None
    if current is None:
        return None
    new, old = _flat(draft.article.body), _flat(current.body)
    if len(new) < MIN_OPENING or len(old) < MIN_OPENING:
        return None
    if new[:MIN_OPENING] not in old and old[:MIN_OPENING] not in new:
        return None
    entry = draft.entry(replace(draft.article, path=path))
    decision = _revisited(draft, entry, path, text)
    note = (
        f"{path} was not in .zhiku/ingest-state.json; continued it and kept every value "
        "that differs from this scrape as a hand edit"
    )
    record = replace(decision.record, conflicts=(*decision.record.conflicts, note))
    return replace(decision, record=record)


def _decide(
    draft: Draft,
    entries: Mapping[str, Mapping[str, Any]],
    existing: Mapping[str, str],
    blocked: Collection[str],
    taken: set[str],
    recorded: set[str],
) -> Decision:
    """The one outcome of a group: the earlier article it continues decides which."""
    known = draft.group.known
    entry = entries.get(known[0].key) if known else None
    if entry is None:
        adopted = _adopted(draft, existing, recorded)
        if adopted is not None:
            recorded.add(adopted.record.file)  # one article per file
            return adopted
        return _created(draft, taken)
    path = str(entry["file"])
    if path in blocked:
        return _kept_unreadable(draft, path)
    if path not in existing:
        return _resumed(draft, path) if entry.get("pending") else _kept_deleted(draft, path)
    return _revisited(draft, entry, path, existing[path])


def _card_records(group: Group, decision: Decision) -> list[CardRecord]:
    path = decision.record.file
    best = group.best
    writer = next((c for c in group.cards if c.text == best.text), None)
    records = []
    for card in group.cards:
        if decision.reason is not None:
            status = "rejected"
        elif card is writer:
            status = "unchanged" if decision.record.status == "unchanged" else "written"
        else:
            status = "merged"
        records.append(
            CardRecord(card.source, card.line, status, path, decision.reason, card.warnings)
        )
    return records


def plan_ingest(
    dumps: Sequence[Dump],
    rules: Rules,
    matcher: Matcher,
    *,
    state: Mapping[str, Any],
    existing: Mapping[str, str],
    fallback_date: dt.date,
    progress: Callable[[list[Group]], Iterable[Group]] = iter,
    unreadable: Collection[str] = (),
) -> Plan:
    """Plan a run: ``existing`` maps content files (relative POSIX paths) to their text;
    ``unreadable`` names content paths that exist but could not be read (their slugs
    are taken, and an article recorded there is left untouched)."""
    plan = Plan()
    entries = state_entries(state)
    groups = group_cards(dumps, rules.section_names, _known(entries, rules.section_names))
    estimate_dates(dumps, groups)
    for group in groups:
        _keep_earlier_estimate(group, entries)
    blocked = frozenset(unreadable)
    recorded = {str(e["file"]) for e in entries.values()}
    taken = taken_slugs([*existing, *blocked, *recorded])
    # Every entry stays, even one this version cannot use: the state never loses one.
    articles = state.get("articles")
    state_out: dict[str, Any] = dict(articles) if isinstance(articles, dict) else {}
    for dump in dumps:
        for rejected in dump.rejected:
            plan.card_records.append(
                CardRecord(rejected.source, rejected.line, "rejected", reason=rejected.reason)
            )
        for error in dump.errors:  # a JSON Lines line that is not a card
            if error.line is not None:
                plan.card_records.append(
                    CardRecord(error.source, error.line, "rejected", reason=error.message)
                )
    for group in progress(groups):
        if group.date is None:
            group.date = fallback_date
            group.date_note = (group.date_note or "") + "; used the newest input file's date"
        # The article this group continues: one whose file is there, else the longest.
        group.known.sort(key=lambda k: entries[k.key]["file"] not in existing)
        for other in group.known[1:]:
            other_file = entries[other.key]["file"]
            group.conflicts.append(
                f"{other_file} holds an earlier scrape of the same article; "
                "left it as it is (merge the two by hand)"
            )
        draft = Draft(group, *build_article(group, rules, matcher))
        decision = _decide(draft, entries, existing, blocked, taken, recorded)
        if decision.write is not None:
            plan.writes[decision.record.file] = decision.write
        if decision.entry is not None:
            key = group.known[0].key if group.known else sha(group.key)[:16]
            while key in entries and not group.known:
                key = sha(key)[:16]
            state_out[key] = decision.entry
        plan.article_records.append(decision.record)
        plan.card_records.extend(_card_records(group, decision))
    # Articles of earlier runs that this run did not see stay recorded (never deleted).
    plan.state = {"articles": state_out, "version": STATE_VERSION}
    plan.card_records.sort(key=lambda c: (c.input, c.line))
    return plan
