"""Cards: the units a scraped dump is made of, and how to read them out of a dump.

A text dump, as the seeds show, is page chrome ("INCOMING TRANSMISSION",
"LATEST UPDATES") followed by cards. A card is optional metadata lines (a
category line, then an ISO date line) *preceding* its excerpt line. The first
card of a dump may have lost its metadata to the scrape's cut; metadata left
dangling at the end of a dump is a card without an excerpt and is rejected.

JSON Lines dumps hold one card a line: ``text`` or ``html`` and optional
``title``, ``url``, ``category``, ``date``, ``tags``.

Everything here is pure: text in, cards and diagnostics out.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
# A category line is short and reads like a name, not like prose.
_CATEGORY_LINE = re.compile(r"\A[^\s,，。；;:：!?！？][^,，。；;!?！？]{0,39}\Z")


@dataclass(frozen=True, slots=True)
class Card:
    """One excerpt card as scraped, with whatever metadata came with it."""

    source: str  # the input file, as the user named it
    line: int  # 1-based line of the excerpt in that file
    position: int  # index among the cards of its dump, newest first
    text: str
    category: str | None = None
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()
    html: bool = False  # the text was converted from HTML


@dataclass(frozen=True, slots=True)
class Rejected:
    """Something in a dump that is not a usable card, with the reason."""

    source: str
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class DumpError:
    """A problem that makes (part of) an input unreadable: ``path:line: what; what to do``."""

    source: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class Dump:
    """The cards of one input, in feed order (newest first)."""

    source: str
    cards: tuple[Card, ...]
    rejected: tuple[Rejected, ...] = ()
    errors: tuple[DumpError, ...] = field(default=())


def _parse_date(value: str) -> dt.date | None:
    value = value.strip()
    if not ISO_DATE.match(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def parse_text_dump(source: str, text: str, chrome: Iterable[str] = ()) -> Dump:
    """Read the cards of a text dump (already decoded, any line ends)."""
    chrome_set = {c.strip().casefold() for c in chrome}
    lines = text.splitlines()
    cards: list[Card] = []
    rejected: list[Rejected] = []
    pending_category: tuple[int, str] | None = None
    pending_date: tuple[int, dt.date] | None = None

    def meta_line() -> int:
        starts = [p[0] for p in (pending_category, pending_date) if p]
        return min(starts)

    content = [
        (number, line.strip())
        for number, line in enumerate(lines, start=1)
        if line.strip() and line.strip().casefold() not in chrome_set
    ]
    for index, (number, line) in enumerate(content):
        date = _parse_date(line)
        if date is not None:
            if pending_date is not None:
                rejected.append(
                    Rejected(source, pending_date[0], "a date line with no excerpt after it")
                )
            pending_date = (number, date)
            continue
        following = content[index + 1][1] if index + 1 < len(content) else ""
        if pending_date is None and _CATEGORY_LINE.match(line) and _parse_date(following):
            if pending_category is not None:
                rejected.append(
                    Rejected(
                        source, pending_category[0], "a category line with no excerpt after it"
                    )
                )
            pending_category = (number, line)
            continue
        cards.append(
            Card(
                source=source,
                line=number,
                position=len(cards),
                text=line,
                category=pending_category[1] if pending_category else None,
                date=pending_date[1] if pending_date else None,
            )
        )
        pending_category = pending_date = None
    if pending_category or pending_date:
        rejected.append(
            Rejected(
                source, meta_line(), "metadata at the end of the dump with no excerpt after it"
            )
        )
    return Dump(source, tuple(cards), tuple(rejected))


class _TextExtractor(html.parser.HTMLParser):
    """Plain text of an HTML fragment: tags dropped, scripts and styles skipped."""

    _SKIP = frozenset({"script", "style", "template", "noscript", "iframe", "object", "svg"})
    _BLOCK = frozenset(
        {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "pre", "section"}
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, whitespace collapsed."""
    extractor = _TextExtractor()
    extractor.feed(fragment)
    extractor.close()
    return re.sub(r"\s+", " ", "".join(extractor.parts)).strip()


def parse_jsonl_dump(source: str, text: str) -> Dump:
    """Read the cards of a JSON Lines dump; a bad line is an error naming file:line."""
    cards: list[Card] = []
    rejected: list[Rejected] = []
    errors: list[DumpError] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as err:
            errors.append(
                DumpError(source, number, f"not valid JSON ({err.msg}); fix or delete this line")
            )
            continue
        if not isinstance(record, dict):
            errors.append(
                DumpError(source, number, 'expected a JSON object like {"text": "…"}; fix the line')
            )
            continue
        problem = _check_record(record)
        if problem:
            errors.append(DumpError(source, number, problem))
            continue
        given = record.get("text")
        is_html = not isinstance(given, str)
        body = html_to_text(str(record["html"])) if is_html else str(given)
        body = re.sub(r"\s+", " ", body).strip()
        if not body:
            rejected.append(Rejected(source, number, "the card has no text"))
            continue
        date = _parse_date(record["date"]) if record.get("date") else None
        cards.append(
            Card(
                source=source,
                line=number,
                position=len(cards),
                text=body,
                category=(record.get("category") or "").strip() or None,
                date=date,
                title=re.sub(r"\s+", " ", record.get("title") or "").strip() or None,
                url=(record.get("url") or "").strip() or None,
                tags=tuple(t.strip() for t in record.get("tags") or () if t.strip()),
                html=is_html,
            )
        )
    return Dump(source, tuple(cards), tuple(rejected), tuple(errors))


def _check_record(record: dict[str, object]) -> str | None:
    if not isinstance(record.get("text"), str) and not isinstance(record.get("html"), str):
        return 'the line has neither "text" nor "html"; add one of them'
    for key in ("title", "url", "category", "date"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return f'"{key}" must be a string; quote it'
    tags = record.get("tags")
    if tags is not None and not (isinstance(tags, list) and all(isinstance(t, str) for t in tags)):
        return '"tags" must be a list of strings, like ["CLIP", "多模态"]'
    date = record.get("date")
    if isinstance(date, str) and date.strip() and _parse_date(date) is None:
        return f'date "{date}" is not YYYY-MM-DD; fix it or delete it so ingest estimates it'
    url = record.get("url")
    if (
        isinstance(url, str)
        and url.strip()
        and not re.match(r"https?://[^\s<>\"']+\Z", url.strip())
    ):
        return f'url "{url[:60]}" is not an http(s) URL; fix it or delete it'
    return None
