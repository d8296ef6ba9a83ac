"""One article, one file: grouping cards of the same article, and placing undated ones in time.

Scrapes of the same article are the same text, give or take whitespace, or one
is contained in the other: a prefix (a later scrape cut the excerpt further
on), or any stretch of it (a scrape that starts mid-article, or kept a section
name another lost). Two cuts that differ only in their last few characters (a
character broken by the cut) are one article too when their cards do not disagree on
date, category or title. Cards are grouped on that, together with the texts earlier
runs kept (``Known``), so an article already in content/ is evidence too; the
longest text wins; metadata merges (a value beats a missing one; conflicting
values are reported, and the first value is kept: an earlier run's, then the
first card's in input order).

Containment is found through an index of the texts' aligned character n-grams,
so grouping thousands of articles never compares every pair.

Dates: a LATEST UPDATES list is newest first, so an undated card sits between
its nearest dated neighbours in its dump. Each occurrence bounds the article's
date by [older neighbour's date, newer neighbour's date] (a missing side takes
the other side's value); the bounds of all occurrences are intersected, and
the estimate is the middle of what is left (rounded down), marked estimated.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from zhiku.ingest.cards import Card, Dump

# Below this many characters, a text is too short to merge with a longer one on
# a shared prefix alone (two different notes may both open with "概述 Python").
MIN_PREFIX = 24
# A text found in the middle of a longer one must be longer still to be the same article.
MIN_CONTAINED = 40
# The containment index: every GRAM-character n-gram starting at a multiple of STEP.
# A text of at least STEP + GRAM - 1 characters inside a longer one holds one of them.
GRAM = 12
STEP = 12
# A head a scrape may carry that others lack (a site's name: "Example："), at most this long
# and ending in one of SITE_MARKS: two notes that share a passage after different
# openings ("第64号笔记…。引用计数…", "第43号笔记…。引用计数…") are two articles.
HEAD = 24
SITE_MARKS = (":", "：", "|", "｜")
# A site's name holds no sentence end.
SITE_ENDS = "。！？!?"
# Two cuts of one article may disagree on their last characters (a character broken by
# the cut, a word the site trimmed back): a cut text whose all but its last CUT_TAIL
# characters open another text is the same article, when both say the same date,
# category and title. Their common opening must be this long.
CUT_TAIL = 12
MIN_CUT_OPENING = 40


def normalise(text: str) -> str:
    """The comparable form of an excerpt: whitespace collapsed, the cut marks dropped."""
    # str methods, not regular expressions: this runs on every text of every run.
    text = " ".join(text.split())
    while text.endswith(("...", "…")):
        text = text[:-3] if text.endswith("...") else text[:-1]
    while text.startswith(("...", "…")):
        text = text[3:] if text.startswith("...") else text[1:]
    return text.strip()


@dataclass(frozen=True, slots=True)
class Known:
    """An article an earlier run wrote, as evidence: its state key, the text it was made
    of (comparable form) and, when the state kept it, a card standing for what earlier
    runs saw (the raw text and the metadata)."""

    key: str
    text: str
    card: Card | None = None


@dataclass(slots=True)
class Group:
    """The cards that are one article, and what they say about it."""

    key: str  # comparable text of the longest card
    cards: list[Card]
    date: dt.date | None = None
    date_estimated: bool = False
    date_bounds: tuple[dt.date, dt.date] | None = None
    date_note: str | None = None
    conflicts: list[str] = field(default_factory=list)
    # Earlier runs' articles found to be this one; the first is the one it continues.
    known: list[Known] = field(default_factory=list)
    # The comparable text of each card (by id), as grouping computed it.
    comparables: dict[int, str] = field(default_factory=dict)

    @property
    def evidence(self) -> list[Card]:
        """The earlier run's card (when known) before this run's cards."""
        first = self.known[0].card if self.known else None
        return [first, *self.cards] if first is not None else list(self.cards)

    @property
    def best(self) -> Card:
        """The card that holds the most of the article: among the texts no other text
        holds more of (one inside another, the latter; a site's name glued on is no
        content), the longest; the first such (an earlier run's text, then input order)."""
        cards = self.evidence
        flat = [self.comparables.get(id(c)) or "".join(normalise(c.text).split()) for c in cards]
        texts = sorted(set(flat), key=len, reverse=True)
        winner = next(
            (
                text
                for text in texts
                if not any(
                    len(other) >= len(text) - HEAD
                    and other != text
                    and _inside(text, other)
                    and not _inside(other, text)
                    for other in texts
                )
            ),
            texts[0],
        )
        chosen = [c for c, text in zip(cards, flat, strict=True) if text == winner]
        return max(chosen, key=lambda c: len(normalise(c.text)))

    def value(self, name: str) -> object | None:
        """The first value of ``name``; other, different values are conflicts."""
        values: list[object] = [getattr(c, name) for c in self.evidence if getattr(c, name)]
        if not values:
            return None
        distinct = list(dict.fromkeys(values))
        if len(distinct) > 1:
            shown = ", ".join(str(v) for v in distinct)
            note = f"{name}: cards disagree ({shown}); kept {distinct[0]}"
            if note not in self.conflicts:
                self.conflicts.append(note)
        return distinct[0]


def site_head(text: str) -> int:
    """Where the text starts after a site's name glued on ("CSDN博客：…"); 0 without one.

    A head holding a sentence's end is prose, not a site's name: in "第64号笔记…技巧。Paper:…"
    the colon is a label's.
    """
    for n, c in enumerate(text[:HEAD]):
        if c in SITE_ENDS:
            return 0
        if c in SITE_MARKS:
            return n + 1
    return 0


def comparable(text: str, section_names: Sequence[str] = ()) -> str:
    """What two scrapes of one article share: no whitespace at all (scrapes differ in
    spaces around Latin words and punctuation), no cut mark, no leading section
    name that one scrape kept and another lost (also after a site's name)."""
    text = normalise(text)
    # After a site's name glued on ("知乎专栏：概述 …"), a section name goes as well.
    site = site_head(text)
    for start in dict.fromkeys((0, site)):
        rest = text[start:].lstrip()
        for name in section_names:
            if rest.startswith(name + " ") and len(rest) > len(name) + MIN_PREFIX:
                return "".join((text[:start] + rest[len(name) + 1 :]).split())
    return "".join(text.split())


def _index(texts: Sequence[str], numbers: Iterable[int]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for number in numbers:
        text = texts[number]
        for start in range(0, len(text) - GRAM + 1, STEP):
            index.setdefault(text[start : start + GRAM], []).append(number)
    return index


def containers(texts: Sequence[str], fresh: int | None = None) -> dict[int, int]:
    """For each text of ``texts`` inside another, the index of the longest such (the first
    of equals). Inside means: a prefix of at least MIN_PREFIX characters, any stretch of
    at least MIN_CONTAINED, or that after a head of up to HEAD characters ending in a
    site mark (a site's name glued on: "Example：…").

    With ``fresh``, only ``texts[:fresh]`` are new; the others (earlier runs', already
    told apart) are compared with the new ones only, which keeps a daily run fast.
    """
    everything = _index(texts, range(len(texts)))
    new_only = everything if fresh is None else _index(texts, range(fresh))
    result: dict[int, int] = {}
    for number, text in enumerate(texts):
        if len(text) < MIN_PREFIX:
            continue
        index = everything if fresh is None or number < fresh else new_only
        candidates: set[int] = set()
        # Wherever ``text`` (or what follows its head) sits in another text, one of its
        # first HEAD + STEP offsets is aligned there; up to three aligned n-grams in a row
        # must all match.
        for offset in range(min(HEAD + STEP, len(text) - GRAM + 1)):
            first = index.get(text[offset : offset + GRAM])
            if first is None or first == [number]:
                continue  # the usual case: no other text has this n-gram there
            stop = min(len(text) - GRAM + 1, offset + 3 * STEP)
            grams = [text[q : q + GRAM] for q in range(offset + STEP, stop, STEP)]
            postings = sorted([first, *(index.get(g, []) for g in grams)], key=len)
            candidates.update(set(postings[0]).intersection(*postings[1:]))
        candidates.discard(number)
        for other in sorted(candidates, key=lambda o: (-len(texts[o]), o)):
            if _inside(text, texts[other]):
                result[number] = other  # the longest (the first of equals)
                break
    return result


def _inside(text: str, other: str) -> bool:
    if len(other) > len(text) and text in other:
        if len(text) >= MIN_CONTAINED or other.startswith(text):
            return True
        # A short cut of the opening, where the longer scrape has a site's name in front.
        site = site_head(other)
        return bool(site) and other[site:].startswith(text)
    return any(
        text[head:] in other
        for head in range(1, min(HEAD, len(text) - MIN_CONTAINED) + 1)
        if text[head - 1] in SITE_MARKS
        and len(other) >= len(text) - head
        and not any(c in SITE_ENDS for c in text[:head])
    )


def _is_cut(card: Card) -> bool:
    return card.text.rstrip().endswith(("...", "…"))


def _other_cut(shorter: str, longer: str, short: list[Card], long: list[Card]) -> bool:
    """Whether two texts are cuts of one article that differ only where they were cut:
    the shorter is cut, all but its last CUT_TAIL characters open the longer, and the
    cards agree on date, category and title (a value one side lacks is no disagreement:
    the first card of a dump often lost its metadata to the scrape's cut).

    Different articles that share a title, on different dates, merge only when one text
    is a prefix of the other (see :func:`group_cards`).
    """
    if not any(_is_cut(c) for c in short):
        return False
    common = next(
        (n for n, (a, b) in enumerate(zip(shorter, longer, strict=False)) if a != b), len(shorter)
    )
    if common < MIN_CUT_OPENING or common < len(shorter) - CUT_TAIL:
        return False
    for name in ("date", "category", "title"):
        mine = {getattr(c, name) for c in short} - {None}
        theirs = {getattr(c, name) for c in long} - {None}
        if mine and theirs and not mine & theirs:
            return False
    return True


def group_cards(
    dumps: Sequence[Dump], section_names: Sequence[str] = (), known: Sequence[Known] = ()
) -> list[Group]:
    """Group all cards of ``dumps`` into articles, in order of first appearance.

    ``known`` articles of earlier runs join the group of a card they contain or are
    contained in; known articles no card of this run matches make no group.
    """
    texts: dict[str, list[Card]] = {}
    for dump in dumps:
        for card in dump.cards:
            texts.setdefault(comparable(card.text, section_names), []).append(card)
    knowns: dict[str, list[Known]] = {}
    for entry in known:
        knowns.setdefault(entry.text, []).append(entry)
    ordered = list(dict.fromkeys([*texts, *knowns]))
    # Texts inside one another are one article, whichever way round: union-find.
    root = list(range(len(ordered)))

    def find(number: int) -> int:
        while root[number] != number:
            root[number] = root[root[number]]
            number = root[number]
        return number

    def union(one: int, other: int) -> None:
        a, b = find(one), find(other)
        if a != b:
            root[max(a, b)] = min(a, b)

    # Most scrapes of an article are cut from its opening: in sorted order a prefix
    # comes right before the texts that extend it, so one pass links those; only the
    # texts no other extends need the n-gram index (a year of dumps at once stays fast).
    extended = set()
    evidence = [
        [*texts.get(text, ()), *(k.card for k in knowns.get(text, ()) if k.card is not None)]
        for text in ordered
    ]
    for shorter, longer in itertools.pairwise(sorted(range(len(ordered)), key=ordered.__getitem__)):
        if len(ordered[shorter]) >= MIN_PREFIX and ordered[longer].startswith(ordered[shorter]):
            union(shorter, longer)
            extended.add(shorter)
    # Cuts that differ at their end sort next to each other too, once a site's name glued
    # on one of them ("知乎专栏：…") is set aside.
    bare = [text[site_head(text) :] for text in ordered]
    for one, other in itertools.pairwise(sorted(range(len(ordered)), key=bare.__getitem__)):
        shorter, longer = sorted((one, other), key=lambda n: len(bare[n]))
        if _other_cut(bare[shorter], bare[longer], evidence[shorter], evidence[longer]):
            union(shorter, longer)
    heads = [n for n in range(len(ordered)) if n not in extended]
    fresh = sum(1 for n in heads if n < len(texts))
    for inner, outer in containers([ordered[n] for n in heads], fresh=fresh).items():
        union(heads[inner], heads[outer])
    groups: dict[int, Group] = {}
    for number, text in enumerate(ordered):
        group = groups.setdefault(find(number), Group(key=text, cards=[]))
        if len(text) > len(group.key):
            group.key = text  # the longest text names the group
        group.cards.extend(texts.get(text, ()))
        group.known.extend(knowns.get(text, ()))
        for card in texts.get(text, ()):
            group.comparables[id(card)] = text
        for entry in knowns.get(text, ()):
            if entry.card is not None and entry.card.text:
                group.comparables[id(entry.card)] = text
    order = {id(card): n for n, card in enumerate(c for d in dumps for c in d.cards)}
    result = []
    for group in groups.values():
        if not group.cards:
            continue
        group.cards.sort(key=lambda c: order[id(c)])
        # The earlier article this group continues: the one with the longest text.
        group.known.sort(key=lambda k: (-len(k.text), k.key))
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
