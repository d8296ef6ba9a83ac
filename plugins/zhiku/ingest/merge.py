"""One article, one file: grouping cards of the same article, and placing undated ones in time.

Scrapes of the same article are the same text, give or take whitespace, or one
is a prefix of the other (a later scrape cut the excerpt further on). Cards
are grouped on that; the longest text wins; metadata merges (a value beats a
missing one; conflicting values are reported, and the first card's value in
input order is kept).

Dates: a LATEST UPDATES list is newest first, so an undated card sits between
its nearest dated neighbours in its dump. Each occurrence bounds the article's
date by [older neighbour's date, newer neighbour's date] (a missing side takes
the other side's value); the bounds of all occurrences are intersected, and
the estimate is the middle of what is left (rounded down), marked estimated.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from zhiku.ingest.cards import Card, Dump

# Below this many characters, a text is too short to merge with a longer one on
# a shared prefix alone (two different notes may both open with "概述 Python").
MIN_PREFIX = 24
_ELLIPSIS = re.compile(r"(?:\.\.\.|…)+\s*\Z")


def normalise(text: str) -> str:
    """The comparable form of an excerpt: whitespace collapsed, the cut mark dropped."""
    return _ELLIPSIS.sub("", re.sub(r"\s+", " ", text)).strip()


@dataclass(slots=True)
class Group:
    """The cards that are one article, and what they say about it."""

    key: str  # normalised text of the longest card
    cards: list[Card]
    date: dt.date | None = None
    date_estimated: bool = False
    date_bounds: tuple[dt.date, dt.date] | None = None
    date_note: str | None = None
    conflicts: list[str] = field(default_factory=list)

    @property
    def best(self) -> Card:
        """The card with the longest text (the first such card in input order)."""
        return max(self.cards, key=lambda c: len(normalise(c.text)))

    def value(self, name: str) -> object | None:
        """The first card's value of ``name``; other, different values are conflicts."""
        values: list[object] = [getattr(c, name) for c in self.cards if getattr(c, name)]
        if not values:
            return None
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            shown = ", ".join(str(v) for v in distinct)
            self.conflicts.append(f"{name}: cards disagree ({shown}); kept {distinct[0]}")
        return distinct[0]


def comparable(text: str, section_names: Sequence[str] = ()) -> str:
    """What two scrapes of one article share: no whitespace at all (scrapes differ in
    spaces around Latin words and punctuation), no cut mark, no leading section
    name that one scrape kept and another lost."""
    text = normalise(text)
    for name in section_names:
        if text.startswith(name + " ") and len(text) > len(name) + MIN_PREFIX:
            text = text[len(name) + 1 :]
            break
    return re.sub(r"\s+", "", text)


def group_cards(dumps: Sequence[Dump], section_names: Sequence[str] = ()) -> list[Group]:
    """Group all cards of ``dumps`` into articles, in order of first appearance."""
    texts: dict[str, list[Card]] = {}
    for dump in dumps:
        for card in dump.cards:
            texts.setdefault(comparable(card.text, section_names), []).append(card)
    # In sorted order, a text that is a prefix of another comes right before the
    # texts that extend it, so one pass links each text to the one it extends.
    ordered = sorted(texts)
    parent: dict[str, str] = {}
    for shorter, longer in itertools.pairwise(ordered):
        if len(shorter) >= MIN_PREFIX and longer.startswith(shorter):
            parent[shorter] = longer

    def root(text: str) -> str:
        while text in parent:
            text = parent[text]
        return text

    groups: dict[str, Group] = {}
    for text, cards in texts.items():
        top = root(text)
        group = groups.setdefault(top, Group(key=top, cards=[]))
        group.cards.extend(cards)
    order = {id(card): n for n, card in enumerate(c for d in dumps for c in d.cards)}
    result = []
    for group in groups.values():
        group.cards.sort(key=lambda c: order[id(c)])
        result.append(group)
    result.sort(key=lambda g: order[id(g.cards[0])])
    return result


def estimate_dates(dumps: Sequence[Dump], groups: list[Group]) -> None:
    """Fill each group's date: a card's own date, else an estimate from feed positions."""
    by_card = {id(card): group for group in groups for card in group.cards}
    for group in groups:
        date = group.value("date")
        group.date = date if isinstance(date, dt.date) else None
    bounds: dict[int, list[tuple[dt.date, dt.date]]] = {}
    for dump in dumps:
        dated = [by_card[id(c)].date for c in dump.cards]
        for index, card in enumerate(dump.cards):
            group = by_card[id(card)]
            if group.date is not None:
                continue
            newer = next((d for d in reversed(dated[:index]) if d is not None), None)
            older = next((d for d in dated[index + 1 :] if d is not None), None)
            if newer is None and older is None:
                continue
            low = older or newer
            high = newer or older
            assert low is not None and high is not None
            bounds.setdefault(id(group), []).append((low, high))
    known = [g.date for g in groups if g.date is not None]
    newest = max(known) if known else None
    for group in groups:
        if group.date is not None:
            continue
        spans = bounds.get(id(group))
        if not spans:
            group.date_estimated = True
            group.date = newest
            group.date_note = (
                "no dated neighbour in any dump; placed at the newest date of this run"
                if newest
                else "no date anywhere in this run"
            )
            continue
        low = max(s[0] for s in spans)
        high = min(s[1] for s in spans)
        if low > high:
            group.conflicts.append(
                f"date: feed positions disagree (after {low}, before {high}); used the middle"
            )
            low, high = high, low
        group.date = low + (high - low) // 2
        group.date_estimated = True
        group.date_bounds = (low, high)
