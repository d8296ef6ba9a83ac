"""From dumps to the files ingest would write, and a report accounting for every card.

Pure: the content folder is read through the ``existing`` mapping and the
state; nothing is written here (``zhiku.ingest.run`` does that).

Hand edits survive re-ingest. The state file (``content/.zhiku/ingest-state.json``)
records, per article, its file and the values ingest last wrote. A front matter
value that differs from what ingest last wrote was edited by a person and is
kept; so is a body whose hash differs. Values nobody edited follow the new
ingest, so an estimated date or an inferred category is upgraded when a real
one arrives. When ingest would change a value a person edited, the person's
value stays and the report lists the conflict.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from zhiku.articles import Article, ArticleError, dump_article, parse_article
from zhiku.articles.model import FIELD_ORDER, UNCATEGORIZED
from zhiku.ingest.body import is_truncated, render_body, safe_url
from zhiku.ingest.cards import Dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.merge import Group, estimate_dates, group_cards
from zhiku.ingest.rules import Rules
from zhiku.ingest.titles import derive_title, safe_label, strip_markers
from zhiku.text.excerpt import plain_text
from zhiku.text.slug import slugify, unique_slug

STATE_VERSION = 1
FINGERPRINT = 64
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
FIELDS = tuple(name for name in FIELD_ORDER if name != "description")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Plan:
    """What an ingest run would do."""

    writes: dict[str, str] = field(default_factory=dict)  # path in content/ -> file text
    state: dict[str, Any] = field(default_factory=dict)
    articles: list[dict[str, Any]] = field(default_factory=list)
    cards: list[dict[str, Any]] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        result: dict[str, int] = {}
        for entry in (*self.articles, *self.cards):
            result[entry["status"]] = result.get(entry["status"], 0) + 1
        return result


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
    article = _from_fields(new, merged)
    body_edited = sha(current.body) != last_body
    if body_edited:
        article = replace(article, body=current.body)
        if sha(new.body) != last_body:
            conflicts.append("body: edited by hand; ingest has a new text; kept the hand edit")
        edited.add("body")
    return replace(article, extra=current.extra), sorted(edited), conflicts


def _tags(group: Group, matcher: Matcher, title: str, text: str, rules: Rules) -> tuple[str, ...]:
    given = [safe_label(t) for card in group.cards for t in card.tags if safe_label(t)]
    found = matcher.tags(title, text)
    return tuple(dict.fromkeys([*given, *found]))[: max(rules.max_tags, len(set(given)))]


def build_article(group: Group, rules: Rules, matcher: Matcher) -> tuple[Article, dict[str, Any]]:
    """The article a group of cards makes (path still empty), and what to report about it."""
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
    plain = plain_text(text)
    if given_category:
        category, inferred = safe_label(str(given_category)), False
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
    info: dict[str, Any] = {
        "title_rule": "given" if given_title else derived.rule,
        "date_bounds": [d.isoformat() for d in group.date_bounds] if group.date_bounds else None,
        "date_note": group.date_note,
    }
    return article, info


def _match_state(groups: Sequence[Group], entries: Mapping[str, Any]) -> dict[int, str]:
    """Map group index -> state key: the same text, else the only entry with its opening."""
    by_fp: dict[str, list[str]] = {}
    for key, entry in entries.items():
        by_fp.setdefault(entry.get("fingerprint", ""), []).append(key)
    matched: dict[int, str] = {}
    claimed: set[str] = set()
    for index, group in enumerate(groups):
        key = sha(group.key)[:16]
        if key in entries:
            matched[index] = key
            claimed.add(key)
    for index, group in enumerate(groups):
        if index in matched or len(group.key) < FINGERPRINT:
            continue
        candidates = [k for k in by_fp.get(group.key[:FINGERPRINT], []) if k not in claimed]
        if len(candidates) == 1:
            matched[index] = candidates[0]
            claimed.add(candidates[0])
    return matched


def plan_ingest(
    dumps: Sequence[Dump],
    rules: Rules,
    matcher: Matcher,
    *,
    state: Mapping[str, Any],
    existing: Mapping[str, str],
    fallback_date: dt.date,
    progress: Callable[[list[Group]], Iterable[Group]] = iter,
) -> Plan:
    """Plan a run: ``existing`` maps content files (relative POSIX paths) to their text."""
    plan = Plan()
    groups = group_cards(dumps, rules.section_names)
    estimate_dates(dumps, groups)
    entries: dict[str, Any] = dict(state.get("articles", {}))
    matched = _match_state(groups, entries)
    taken = {p[:-3] for p in existing if p.endswith(".md")} | set(RESERVED_SLUGS)
    taken |= {e["file"][:-3] for e in entries.values() if str(e.get("file", "")).endswith(".md")}
    for dump in dumps:
        for rejected in dump.rejected:
            plan.cards.append(
                {
                    "input": rejected.source,
                    "line": rejected.line,
                    "status": "rejected",
                    "reason": rejected.reason,
                }
            )
    for index, group in enumerate(progress(groups)):
        if group.date is None:
            group.date = fallback_date
            group.date_note = (group.date_note or "") + "; used the newest input file's date"
        article, info = build_article(group, rules, matcher)
        old_key = matched.get(index)
        key = old_key or sha(group.key)[:16]
        entry = entries.pop(old_key, None) if old_key else None
        edited: list[str] = []
        conflicts = list(group.conflicts)
        if entry is not None and entry.get("pending") and entry["file"] not in existing:
            # An interrupted run recorded this file but never wrote it: create it now.
            path = entry["file"]
            article = replace(article, path=path)
            final = dump_article(article)
            status = "created"
        elif entry is not None:
            path = entry["file"]
            article = replace(article, path=path)
            current_text = existing.get(path)
            if current_text is None:
                status = "kept-deleted"
                conflicts.append(
                    f"{path} was deleted by hand; not re-created (drop its entry "
                    "from .zhiku/ingest-state.json to re-create it)"
                )
                final = None
            else:
                try:
                    current = parse_article(path, current_text)
                except ArticleError as err:
                    current, conflicts = None, [*conflicts, f"{err}; the file was left as it is"]
                if current is None:
                    status, final = "conflict", None
                    if not any(path in c for c in conflicts):
                        conflicts.append(
                            f"{path}: has no date any more; the file was left as it is"
                        )
                else:
                    merged, edited, notes = merge_hand_edits(
                        article, current, entry.get("fields", {}), entry.get("body_sha256", "")
                    )
                    conflicts.extend(notes)
                    final = dump_article(merged)
                    status = "unchanged" if final == current_text else "updated"
        else:
            slug = unique_slug(slugify(article.title), taken)
            taken.add(slug)
            path = f"{slug}.md"
            article = replace(article, path=path)
            final = dump_article(article)
            status = "created"
        if final is not None and status != "unchanged":
            plan.writes[path] = final
        entries_out = plan.state.setdefault("articles", {})
        entries_out[key] = {
            "file": path,
            "fingerprint": group.key[:FINGERPRINT],
            "fields": _fields(article),
            "body_sha256": sha(article.body),
        }
        plan.articles.append(
            {
                "file": path,
                "status": status,
                "title": article.title,
                "title_rule": info["title_rule"],
                "date": article.date.isoformat(),
                "date_estimated": article.date_estimated,
                "date_bounds": info["date_bounds"],
                "date_note": info["date_note"],
                "category": article.category,
                "category_inferred": article.category_inferred,
                "tags": list(article.tags),
                "cards": len(group.cards),
                "hand_edited": edited,
                "conflicts": conflicts,
            }
        )
        best = group.best
        for card in group.cards:
            if card is best:
                card_status = "unchanged" if status == "unchanged" else "written"
                if status in ("kept-deleted", "conflict"):
                    card_status = "rejected"
            else:
                card_status = "merged"
            record: dict[str, Any] = {
                "input": card.source,
                "line": card.line,
                "status": card_status,
                "file": path,
            }
            if card_status == "rejected":
                record["reason"] = conflicts[-1]
            plan.cards.append(record)
    # Articles of earlier runs that this run did not see stay recorded (never deleted).
    plan.state.setdefault("articles", {}).update(entries)
    plan.state["version"] = STATE_VERSION
    plan.cards.sort(key=lambda c: (c["input"], c["line"]))
    return plan
