"""Cards: the units a scraped dump is made of, and how to read them out of a dump.

A text dump, as the seeds show, is page chrome ("INCOMING TRANSMISSION",
"LATEST UPDATES") followed by cards. A card is optional metadata lines (a
category line, a date line, in either order or both on one line) *preceding*
its excerpt line. The first card of a dump may have lost its metadata to the
scrape's cut; metadata left dangling at the end of a dump is rejected.

Metadata never becomes an article: a date-shaped line is a date even when the
day does not exist (``2026-02-30`` is a warning on the card it belongs to), and
a short, name-like line followed by a date or an excerpt (long prose, or cut
with "...") is a category, whether or not the taxonomy knows it.

Where a site cuts its excerpts ("..."), an excerpt line that is not cut goes on in the
labelled lines after it ("Github:https://…"), down to the one that is: the card keeps
those line breaks ("\\n"), and its body shows them.

JSON Lines dumps hold one card a line: ``text`` or ``html`` and optional
``title``, ``url``, ``category``, ``date``, ``tags``.

Every string is cleaned of characters no text should hold (lone surrogates,
controls, U+2028: :func:`zhiku.text.clean.clean_scraped`), and only "\\n" ends a
line. Everything here is pure: text in, cards and diagnostics out.
"""

from __future__ import annotations

import datetime as dt
import html.parser
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from zhiku.articles.model import MAX_TAGS
from zhiku.text.clean import clean_scraped

ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
# A date as scrapes write it: 2026-01-15, 2026-1-5, 2026/01/15, 2026.1.15, 2026年1月15日,
# Jan 15, 2026, 15 January 2026; optionally with a time of day, and after a label
# ("发表于", "Posted on", "📅"). A line of this shape is metadata even when the date itself
# is impossible (2026-02-30).
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_DATE = (
    r"(?:(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    rf"|(?P<m1>{_MONTH})\s+(?P<d1>{_DAY}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>{_DAY})\s+(?P<m2>{_MONTH}),?\s+(?P<y2>\d{{4}}))"
    r"(?:,?[ T]\d{1,2}:\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?)?"
)
_DATE_LABEL = (
    r"(?:(?:posted|published|created|written|updated|last\s+updated)(?:\s+on)?\s*:?"
    r"|(?:发表|发布|更新|创建|写)于|(?:发布|发表|更新)?(?:日期|时间)\s*[:：]|date\s*:|📅|🗓️?|🕒)\s*"
)
_DATE_SHAPED = re.compile(rf"\A(?:{_DATE_LABEL})?{_DATE}\Z", re.IGNORECASE)
# A category and a date on one line, as some sites print them.
_NAME_THEN_DATE = re.compile(
    rf"\A(.*?\S)[\s·•|/\-–—]*\s((?:{_DATE_LABEL})?{_DATE})\Z", re.IGNORECASE
)
# A date, then the category, as blog themes print a post's meta line ("发表于 2026-01-15 |
# 分类于 深度学习", "Posted on Jan 15, 2026 in Deep Learning").
_DATE_THEN_NAME = re.compile(
    rf"\A(?P<date>(?:{_DATE_LABEL})?{_DATE})\s*[|·•/\-–—,]?\s*"
    r"(?:分类于|in|categor(?:y|ies)\s*[:：]?|分类\s*[:：])\s*(?P<name>.+?)\Z",
    re.IGNORECASE,
)


def _meta_line(line: str) -> tuple[str, str] | None:
    """(category, date) of a line that gives both, in either order, else None."""
    both = _NAME_THEN_DATE.match(line)
    if both:
        return both[1], both[2]
    flipped = _DATE_THEN_NAME.match(line)
    if flipped:
        return flipped["name"], flipped["date"]
    return None


READ_MORE = "a link to the whole post"
# Lines of a listing page that are no part of any card: links to the whole post,
# pagination, the footer, the site's menu. Each is reported, with what it is.
_CHROME = (
    (
        READ_MORE,
        re.compile(
            r"\A[\s»›→>…]*(?:read\s+more|continue\s+reading|read\s+the\s+rest|more"
            r"|阅读全文|阅读更多|继续阅读|查看全文|查看更多|全文|更多)[\s»›→>…:.：]*\Z",
            re.IGNORECASE,
        ),
    ),
    (
        "pagination",
        re.compile(
            r"\A[\s«»‹›←→<>…]*(?:page\s+\d+\s+(?:of|/)\s+\d+"
            r"|第\s*\d+\s*页(?:\s*[/,，]?\s*共\s*\d+\s*页)?|共\s*\d+\s*页"
            r"|(?:older|newer|previous|next)(?:\s+(?:posts?|entries|page))?"
            r"|上一页|下一页|首页|尾页|末页|(?:\d+|…|\.\.\.)(?:\s+(?:\d+|…|\.\.\.))+)"
            r"[\s«»‹›←→<>…]*(?:(?:上一页|下一页|next|older|»|›|→)[\s»›→]*)?\Z",
            re.IGNORECASE,
        ),
    ),
    (
        "the site's footer",
        re.compile(
            # Short lines only, and words no excerpt opens with: "Copyright law and
            # AI art…" or "Powered by GPT-4, this agent…" are notes, not footers.
            r"\A(?!.*(?:\.\.\.|…)\Z)(?:(?:©|\(c\)).{0,80}"
            r"|copyright\b(?=.*(?:©|\(c\)|\b(?:19|20)\d\d\b|all\s+rights\s+reserved)).{0,80}"
            r"|powered\s+by\s+(?:hexo|jekyll|hugo|wordpress|ghost|gatsby|gridea|vuepress"
            r"|vitepress|docusaurus|mkdocs|github\s+pages|gitbook|netlify|vercel|typecho|halo"
            r"|z-blog|blogger|notion|obsidian)\b.{0,60}"
            r"|theme\s*[-—:：|]\s*\S.{0,40}|由\s*\w+\s*强力驱动.{0,60}"
            r"|.{0,60}(?:ICP\s*备|公网安备|总访问量|访客数|访问人数|阅读次数|本站运行).{0,60})\Z",
            re.IGNORECASE,
        ),
    ),
    (
        "the site's menu",
        re.compile(
            r"\A(?:(?:home|about|archives?|categories|tags|search|rss|blog|posts|links"
            r"|friends|projects|首页|主页|关于|归档|分类|标签|搜索|友链|友情链接|订阅|留言板?|随笔)"
            r"(?:\s*[|·•/]\s*|\s+|\Z)){3,}\Z",
            re.IGNORECASE,
        ),
    ),
)


# Where a read-more link ended a card, in the lines being read (no scraped line holds NUL).
_CARD_END = "\x00"
_LEADING_NAME = (
    "a short line before an excerpt whose category is printed after it "
    "(a title or the site's name); not used"
)


def _with_trailing(
    card: Card, category: tuple[int, str] | None, date: tuple[int, str] | None, source: str
) -> tuple[Card, bool]:
    """``card`` with the category and date printed after its excerpt, where it has none
    of its own; a name-like line before the excerpt that was taken for its category gives
    way (True is returned, to report it): a theme that prints the category below prints
    a title or the site's name above."""
    dropped = False
    new_category = card.category
    if category is not None:
        dropped = card.category is not None
        new_category = category[1]
    day, warnings = card.date, card.warnings
    if date is not None and card.date is None:
        day = parse_date(date[1])
        if day is None:
            warnings = (*warnings, f"{source}:{date[0]}: {_bad_date(date[1])}")
    return replace(card, category=new_category, date=day, warnings=warnings), dropped


def chrome_kind(line: str) -> str | None:
    """What part of a listing page's chrome ``line`` is (a read-more link, pagination,
    the footer, the menu), or None for a line that may belong to a card."""
    for kind, pattern in _CHROME:
        if pattern.match(line):
            return kind
    return None


# A category line is short and reads like a name, not like prose.
_CATEGORY_LINE = re.compile(r"\A[^\s,，。；;:：!?！？][^,，。；;!?！？]{0,39}\Z")
_CUT = re.compile(r"(?:\.\.\.|…)\s*\Z")
# An excerpt is prose: this long, or cut by the source site ("...").
EXCERPT_MIN = 40


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
    # Metadata that came with the card but could not be used: ``file:line: what``.
    warnings: tuple[str, ...] = ()


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


def is_date_shaped(value: str) -> bool:
    """Whether ``value`` is written like a date (whether or not the date exists)."""
    return bool(_DATE_SHAPED.match(value.strip()))


def parse_date(value: str) -> dt.date | None:
    """The date ``value`` names (``2026-01-15``, ``2026/1/15``, ``2026年1月15日``,
    ``Jan 15, 2026``, ``发表于 2026-01-15``…), or None when it is not date-shaped or names
    no real day (``2026-02-30``)."""
    match = _DATE_SHAPED.match(value.strip())
    if not match:
        return None
    found = match.groupdict()
    for y, m, d in (("y", "m", "d"), ("y1", "m1", "d1"), ("y2", "m2", "d2")):
        if found[y] is None:
            continue
        month = found[m].lower().rstrip(".")
        day = re.match(r"\d+", found[d])
        try:
            number = int(month) if month.isdigit() else _MONTHS[month]
            return dt.date(int(found[y]), number, int(day.group() if day else 0))
        except (ValueError, KeyError):
            return None
    return None


def _bad_date(value: str) -> str:
    what = "is not a real day" if is_date_shaped(value) else "is not a date like 2026-01-15"
    return f'date "{value}" {what}; ignored, so ingest estimates the date (fix it in the dump)'


def _is_excerpt(line: str) -> bool:
    return not is_date_shaped(line) and (len(line) >= EXCERPT_MIN or bool(_CUT.search(line)))


def _is_name(line: str) -> bool:
    return bool(_CATEGORY_LINE.match(line)) and not _CUT.search(line)


def _metadata_follows(content: list[tuple[int, str]], start: int) -> bool:
    """Whether the first line from ``start`` on that is not name-like is a date or an
    excerpt (so the name-like lines before it are categories, not cards)."""
    for _, line in content[start:]:
        if line == _CARD_END or is_date_shaped(line) or _is_excerpt(line) or _meta_line(line):
            return True
        if not _is_name(line):
            return False
    return False


# Words that open a labelled line of a paper's notes ("Github:https://…", "Task & Model:").
LINE_LABEL = (
    r"(?:Github|GitHub|Code|Paper|Project|Homepage|Page|Links?|Demo|Datasets?|Data|Models?"
    r"|Tasks?|Prompt|Authors?|Arxiv|ArXiv|Blog|Website|Video|Slides|Abstract|Keywords|Title"
    r"|Venue|Conference|Source|Url|URL|Notes?|Inputs?|Outputs?|Methods?|Background|Motivation"
    r"|Contributions?|Pdf|PDF|References?|Results?|Summary|Year|License|Organization)"
)
# An excerpt spread over lines is joined only within this many lines.
_MAX_CONTINUED = 12
# A line that goes on from the line before: a labelled line of a paper's notes
# ("Prompt: Continus Prefix Prompt", "Task & Model:BART…").
_CONTINUATION = re.compile(rf"\A{LINE_LABEL}(?:\s*&\s*{LINE_LABEL})*\s*[:：]")
# A line ending a sentence may be a whole excerpt the site did not cut.
_WHOLE = re.compile(r"(?:[。！？!?]|(?<!\.)\.)\s*\Z")


def _join_continued(content: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``content`` with an excerpt that the dump spreads over several lines as one line,
    its line breaks kept ("\\n").

    Only in a dump whose site cuts its excerpts ("..." or "…" ends most excerpt lines
    that do not end a sentence):
    there an excerpt line that is not cut, and stops mid-sentence, goes on in the lines
    after it that go on from it (labelled lines of a paper's notes, "Github:https://…")
    down to the one that is cut. A line that does not go on (a category, a date, the
    next card's excerpt) or that ends a sentence (a whole excerpt the site did not cut)
    stops it, and the lines stay apart.
    """
    # The dump's style, from the excerpts that end mid-sentence and go on from no line: a
    # whole excerpt ends its sentence, and a labelled line may be a continuation itself.
    endings = [
        line
        for _, line in content
        if _is_excerpt(line) and not _WHOLE.search(line) and not _CONTINUATION.match(line)
    ]
    cut = sum(1 for line in endings if _CUT.search(line))
    if cut < 2 or cut < 0.6 * len(endings):
        return content
    joined: list[tuple[int, str]] = []
    index = 0
    while index < len(content):
        number, line = content[index]
        end = index
        if _is_excerpt(line) and not _CUT.search(line) and not _WHOLE.search(line):
            for ahead in range(index + 1, min(len(content), index + 1 + _MAX_CONTINUED)):
                following = content[ahead][1]
                if not _CONTINUATION.match(following):
                    break  # the next card, or its metadata
                if _CUT.search(following):
                    end = ahead
                    break
                if _WHOLE.search(following):
                    break  # a whole excerpt of its own
        joined.append((number, "\n".join(part for _, part in content[index : end + 1])))
        index = end + 1
    return joined


def parse_text_dump(source: str, text: str, chrome: Iterable[str] = ()) -> Dump:
    """Read the cards of a text dump (already decoded, "\\n" line ends).

    Metadata lines are never cards: a date-shaped line (even an impossible date,
    which becomes a warning on the card after it), and a short name-like line
    followed by a date-shaped line or by an excerpt, or ending the dump (a category).
    Metadata with no excerpt after it is rejected with its line.
    """
    chrome_set = {c.strip().casefold() for c in chrome}
    cards: list[Card] = []
    rejected: list[Rejected] = []
    category: tuple[int, str] | None = None
    date: tuple[int, str] | None = None
    title: tuple[int, str] | None = None

    # Only "\n" ends a line: str.splitlines() would also split on U+2028, \x1c, \x85…
    content = []
    for number, raw in enumerate(text.split("\n"), start=1):
        line = re.sub(r"\s+", " ", clean_scraped(raw)).strip()
        if not line or line.casefold() in chrome_set:
            continue
        kind = chrome_kind(line)
        if kind is not None:
            rejected.append(Rejected(source, number, f"page chrome ({kind}), not part of a card"))
            if kind == READ_MORE:
                content.append((number, _CARD_END))
            continue
        content.append((number, line))
    content = _join_continued(content)
    made_here = False  # a card was made since the last read-more link
    leading: int | None = None  # the line of that card's category, when printed above it
    for index, (number, line) in enumerate(content):
        if line == _CARD_END:
            # A read-more link ends a card: metadata between its excerpt and the link is
            # that card's (themes that print the date and category under the excerpt).
            if made_here and (category or date):
                cards[-1], dropped = _with_trailing(cards[-1], category, date, source)
                if dropped and leading is not None:
                    rejected.append(Rejected(source, leading, _LEADING_NAME))
                category = date = None
            made_here = False
            continue
        if is_date_shaped(line):
            if date is not None:
                rejected.append(Rejected(source, date[0], "a date line with no excerpt after it"))
            date = (number, line)
            continue
        last = index == len(content) - 1
        both = _meta_line(line)
        if both and _is_name(both[0]) and (last or _metadata_follows(content, index + 1)):
            # "Large Model · 2026-01-15", "发表于 2026-01-15 | 分类于 深度学习": a category
            # and a date on one line. A name-like line just before it is the post's title.
            if category is not None and date is None and title is None:
                title, category = category, None
            for pending, what in ((category, "category"), (date, "date")):
                if pending is not None:
                    reason = f"a {what} line with no excerpt after it"
                    rejected.append(Rejected(source, pending[0], reason))
            category, date = (number, both[0]), (number, both[1])
            continue
        # A name-like last line is the next card's category, its excerpt cut off by the scrape.
        if _is_name(line) and (last or _metadata_follows(content, index + 1)):
            if category is not None:
                rejected.append(
                    Rejected(source, category[0], "a category line with no excerpt after it")
                )
            category = (number, line)
            continue
        warnings: tuple[str, ...] = ()
        day = parse_date(date[1]) if date else None
        if date is not None and day is None:
            warnings = (f"{source}:{date[0]}: {_bad_date(date[1])}",)
        cards.append(
            Card(
                source=source,
                line=number,
                position=len(cards),
                text=line,
                category=category[1] if category else None,
                date=day,
                title=title[1] if title else None,
                warnings=warnings,
            )
        )
        leading = category[0] if category else None
        category = date = title = None
        made_here = True
    if category or date or title:
        first = min(p[0] for p in (category, date, title) if p)
        rejected.append(
            Rejected(source, first, "metadata at the end of the dump with no excerpt after it")
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


def _clean(value: object) -> object:
    """``value`` (from ``json.loads``) with every string in it cleaned of hostile characters."""
    if isinstance(value, str):
        return clean_scraped(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(_clean(k)): _clean(v) for k, v in value.items()}
    return value


def _one_line(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip()


def parse_jsonl_dump(source: str, text: str) -> Dump:
    """Read the cards of a JSON Lines dump; a bad line is an error naming file:line.

    Strings are cleaned (lone surrogates, controls, U+2028…); a date that is not a
    real day is a warning and the card keeps its other values.
    """
    cards: list[Card] = []
    rejected: list[Rejected] = []
    errors: list[DumpError] = []
    # Only "\n" ends a record: JSON strings may hold U+2028 raw, which splitlines() splits on.
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            record = _clean(json.loads(raw))
        except (json.JSONDecodeError, RecursionError) as err:
            msg = err.msg if isinstance(err, json.JSONDecodeError) else "nested too deeply"
            errors.append(
                DumpError(source, number, f"not valid JSON ({msg}); fix or delete this line")
            )
            continue
        if not isinstance(record, dict):
            errors.append(
                DumpError(source, number, 'expected a JSON object like {"text": "…"}; fix the line')
            )
            continue
        if not isinstance(record.get("text"), str) and not isinstance(record.get("html"), str):
            errors.append(
                DumpError(source, number, 'the line has neither "text" nor "html"; add one of them')
            )
            continue
        given = record.get("text")
        is_html = not isinstance(given, str)
        body = clean_scraped(html_to_text(str(record["html"]))) if is_html else str(given)
        # A line break in the text stays one (the body shows it); other whitespace is a space.
        body = "\n".join(filter(None, (_one_line(line) for line in body.split("\n"))))
        if not body:
            rejected.append(Rejected(source, number, "the card has no text"))
            continue
        # A bad metadata value costs the card that value only, with a warning.
        values, problems = _metadata(record)
        date = None
        if values.get("date"):
            date = parse_date(values["date"])
            if date is None:
                problems.append(_bad_date(values["date"]))
        tags = tuple(t for t in values.get("tags", "").split("\n") if t)
        cards.append(
            Card(
                source=source,
                line=number,
                position=len(cards),
                text=body,
                category=values.get("category") or None,
                date=date,
                title=values.get("title") or None,
                url=values.get("url") or None,
                tags=tags,
                html=is_html,
                warnings=tuple(f"{source}:{number}: {p}" for p in problems),
            )
        )
    return Dump(source, tuple(cards), tuple(rejected), tuple(errors))


def _metadata(record: dict[str, object]) -> tuple[dict[str, str], list[str]]:
    """The usable metadata values of a JSON Lines record (tags joined by "\\n"), and
    what was wrong with the others."""
    values: dict[str, str] = {}
    problems: list[str] = []
    for key in ("title", "url", "category", "date"):
        value = record.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            problems.append(f'"{key}" is not a string; ignored (quote it in the dump)')
            continue
        values[key] = _one_line(value)
    tags = record.get("tags")
    if tags is not None:
        if isinstance(tags, list) and all(isinstance(t, str) for t in tags):
            names = list(dict.fromkeys(name for t in tags if (name := _one_line(t))))
            if len(names) > MAX_TAGS:
                # The build refuses more (each tag is a listing and feeds the article is in):
                # keep the dump's first, which it gives best first, and say which are dropped.
                dropped = ", ".join(names[MAX_TAGS:][:5]) + (
                    ", …" if len(names) > MAX_TAGS + 5 else ""
                )
                problems.append(
                    f'"tags" has {len(names)} tags and an article carries at most {MAX_TAGS}; '
                    f"kept the first {MAX_TAGS}, dropped {dropped}"
                )
                names = names[:MAX_TAGS]
            values["tags"] = "\n".join(names)
        else:
            problems.append('"tags" is not a list of strings like ["CLIP", "多模态"]; ignored')
    url = values.get("url")
    if url and not re.match(r"https?://[^\s<>\"']+\Z", url):
        problems.append(f'url "{url[:60]}" is not an http(s) URL; ignored')
        del values["url"]
    return values, problems
