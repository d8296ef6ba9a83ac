"""The listing pages of a site: home feed, categories, tags, archive, and their pagination."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from zhiku.articles.model import Article
from zhiku.listing.cards import Entry
from zhiku.listing.slugbook import Slugbook, assign
from zhiku.text.dates import format_month

HOME = "home"
CATEGORY = "category"
TAG = "tag"
CATEGORY_INDEX = "category-index"
TAG_INDEX = "tag-index"
ARCHIVE = "archive"
SERIES = "series"
SERIES_INDEX = "series-index"

FEEDS_DIR = "feeds"
CATEGORY_DIR = "category"
TAG_DIR = "tags"
ARCHIVE_DIR = "archive"
SERIES_DIR = "series"


@dataclass(frozen=True, slots=True)
class Group:
    """A category or a tag with its articles, newest first."""

    name: str
    slug: str
    entries: tuple[Entry, ...]

    @property
    def size(self) -> int:
        return len(self.entries)


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int
    entries: tuple[Entry, ...]

    @property
    def label(self) -> str:
        return format_month(self.year, self.month)


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One generated page: which articles it lists and where its neighbours are."""

    src_uri: str
    kind: str
    title: str
    entries: tuple[Entry, ...] = ()
    number: int = 1
    count: int = 1
    prev_src: str | None = None  # the page before (newer articles)
    next_src: str | None = None  # the page after (older articles)
    group: Group | None = None
    groups: tuple[Group, ...] = ()
    months: tuple[Month, ...] = ()


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the listings need, computed from the articles alone."""

    entries: tuple[Entry, ...]  # newest first
    categories: tuple[Group, ...]
    tags: tuple[Group, ...]
    pages: tuple[ListingPage, ...]
    category_slugs: dict[str, str] = field(default_factory=dict)
    tag_slugs: dict[str, str] = field(default_factory=dict)
    rank: dict[str, int] = field(default_factory=dict)  # src_uri -> position, newest first
    # src_uri -> (its category's group, its position there, newest first)
    in_category: dict[str, tuple[Group, int]] = field(default_factory=dict)
    # src_uri -> 草稿 / 定时: articles `mkdocs serve` shows although a build would not.
    labels: Mapping[str, str] = field(default_factory=dict)
    # src_uri -> when the article's text last changed (front matter `updated:` or git).
    updated: Mapping[str, dt.date] = field(default_factory=dict)
    series: tuple[Group, ...] = ()  # each in reading order (series_order, then date)
    series_slugs: dict[str, str] = field(default_factory=dict)
    in_series: dict[str, tuple[Group, int]] = field(default_factory=dict)
    # src_uri -> the page of the paper the article is about (zhiku.listing.paperpages).
    papers: Mapping[str, str] = field(default_factory=dict)
    # (CATEGORY or TAG, its name) -> the .bib of the papers its articles are about or cite.
    bibs: Mapping[tuple[str, str], str] = field(default_factory=dict)

    def neighbours(self, src_uri: str) -> tuple[Entry | None, Entry | None]:
        """(older, newer) article next to ``src_uri`` in time."""
        return _around(self.entries, self.rank[src_uri])

    def category_neighbours(self, src_uri: str) -> tuple[Entry | None, Entry | None]:
        """(older, newer) article next to ``src_uri`` in time within its category."""
        group, i = self.in_category[src_uri]
        return _around(group.entries, i)


def _around(entries: Sequence[Entry], i: int) -> tuple[Entry | None, Entry | None]:
    older = entries[i + 1] if i + 1 < len(entries) else None
    newer = entries[i - 1] if i > 0 else None
    return older, newer


def group_feed_folder(kind: str, group: Group) -> str:
    """The folder of a category's or tag's feeds: ``feeds/category/<slug>``, ``feeds/tags/…``."""
    return f"{FEEDS_DIR}/{CATEGORY_DIR if kind == CATEGORY else TAG_DIR}/{group.slug}"


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """Newest first (by day, then by the time written, an article without one at the
    day's start); articles of the same moment in a stable order (by path)."""
    return sorted(entries, key=lambda e: (*_newest(e.article), e.article.path))


def _newest(article: Article) -> tuple[int, int]:
    # The time as written (in its own zone, which gave the calendar day it is listed under).
    time = article.time or dt.datetime.combine(article.date, dt.time())
    since_midnight = time - time.replace(hour=0, minute=0, second=0, microsecond=0)
    return -article.date.toordinal(), -since_midnight // dt.timedelta(microseconds=1)


def pinned_first(entries: Sequence[Entry]) -> list[Entry]:
    """Pinned articles first, then the rest, each part in the order given (newest first)."""
    return [e for e in entries if e.article.pinned] + [e for e in entries if not e.article.pinned]


def paginate(items: Sequence[Entry], per_page: int) -> list[tuple[Entry, ...]]:
    """Split ``items`` into pages of ``per_page``; an empty list still makes one empty page."""
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    pages = [tuple(items[i : i + per_page]) for i in range(0, len(items), per_page)]
    return pages or [()]


def ancestry(category: str) -> tuple[str, ...]:
    """A category and those above it: ``机器学习/强化学习`` is in ``机器学习`` too."""
    parts = category.split("/")
    return tuple("/".join(parts[: n + 1]) for n in range(len(parts)))


def group_by(
    entries: Sequence[Entry], keys: Callable[[Entry], Iterable[str]], slug_of: dict[str, str]
) -> list[Group]:
    """Groups of ``entries`` (already newest first) by ``keys``, in name order."""
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for key in keys(entry):
            members[key].append(entry)
    return [Group(name, slug_of[name], tuple(members[name])) for name in sorted(members)]


def archive(entries: Sequence[Entry]) -> list[Month]:
    """Months with their articles, newest first (``entries`` already newest first)."""
    return [
        Month(year, month, tuple(group))
        for (year, month), group in itertools.groupby(
            entries, key=lambda e: (e.article.date.year, e.article.date.month)
        )
    ]


def _paged(
    base: str,
    first: str,
    kind: str,
    title: str,
    entries: Sequence[Entry],
    per_page: int,
    group: Group | None = None,
) -> list[ListingPage]:
    """Pages of one listing: ``first`` is page 1's source, then ``base``page/N.md."""
    chunks = paginate(entries, per_page)
    srcs = [first] + [f"{base}page/{n}.md" for n in range(2, len(chunks) + 1)]
    return [
        ListingPage(
            src_uri=srcs[i],
            kind=kind,
            title=title if i == 0 else f"{title} · 第 {i + 1} 页",
            entries=chunk,
            number=i + 1,
            count=len(chunks),
            prev_src=srcs[i - 1] if i > 0 else None,
            next_src=srcs[i + 1] if i + 1 < len(chunks) else None,
            group=group,
        )
        for i, chunk in enumerate(chunks)
    ]


def series_groups(entries: Sequence[Entry], slug_of: dict[str, str]) -> list[Group]:
    """Series in name order, each in reading order: ``series_order`` first, then oldest first."""
    members: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        if entry.article.series:
            members[entry.article.series].append(entry)

    def place(e: Entry) -> tuple[int, int, int, str]:
        a = e.article
        order = a.series_order if a.series_order is not None else 1 << 30
        day, moment = _newest(a)  # oldest first: by day, then by the time written
        return order, -day, -moment, a.path

    return [
        Group(name, slug_of[name], tuple(sorted(members[name], key=place)))
        for name in sorted(members)
    ]


def plan_site(
    entries: Iterable[Entry],
    per_page: int,
    home: str = "index.md",
    home_title: str = "最新更新",
    labels: Mapping[str, str] | None = None,
    updated: Mapping[str, dt.date] | None = None,
    slugbook: Slugbook | None = None,
) -> Site:
    """All listing pages for ``entries``; ``home`` is the source path of the home page.

    ``labels`` marks articles shown only under ``mkdocs serve`` (草稿, 定时); ``slugbook``
    holds the slugs published before (see :mod:`zhiku.listing.slugbook`).
    """
    ordered = newest_first(entries)
    book = slugbook or Slugbook()
    category_slugs = assign(
        "category", (name for e in ordered for name in ancestry(e.article.category)), book
    )
    tag_slugs = assign("tags", (t for e in ordered for t in e.article.tags), book)
    # A hierarchy's article is in its category and each one above (Hexo's meaning).
    categories = group_by(ordered, lambda e: ancestry(e.article.category), category_slugs)
    tags = group_by(ordered, lambda e: e.article.tags, tag_slugs)
    home_dir = home.rpartition("/")[0]
    pages = _paged(
        f"{home_dir}/" if home_dir else "", home, HOME, home_title, pinned_first(ordered), per_page
    )
    for group in categories:
        base = f"{CATEGORY_DIR}/{group.slug}/"
        pages += _paged(
            base,
            base + "index.md",
            CATEGORY,
            f"分类：{group.name.replace('/', ' › ')}",  # a path: 机器学习 › 强化学习
            pinned_first(group.entries),
            per_page,
            group,
        )
    for group in tags:
        base = f"{TAG_DIR}/{group.slug}/"
        pages += _paged(
            base, base + "index.md", TAG, f"标签：{group.name}", group.entries, per_page, group
        )
    series_slugs = assign("series", (e.article.series for e in ordered if e.article.series), book)
    series = series_groups(ordered, series_slugs)
    for group in series:
        src = f"{SERIES_DIR}/{group.slug}/index.md"
        pages.append(
            ListingPage(src, SERIES, f"系列：{group.name}", entries=group.entries, group=group)
        )
    by_size = sorted(tags, key=lambda g: (-g.size, g.name))
    pages += [
        ListingPage(f"{CATEGORY_DIR}/index.md", CATEGORY_INDEX, "分类", groups=tuple(categories)),
        ListingPage(f"{TAG_DIR}/index.md", TAG_INDEX, "标签", groups=tuple(by_size)),
        ListingPage(f"{ARCHIVE_DIR}/index.md", ARCHIVE, "归档", months=tuple(archive(ordered))),
        ListingPage(f"{SERIES_DIR}/index.md", SERIES_INDEX, "系列", groups=tuple(series)),
    ]
    return Site(
        entries=tuple(ordered),
        categories=tuple(categories),
        tags=tuple(tags),
        pages=tuple(pages),
        category_slugs=category_slugs,
        tag_slugs=tag_slugs,
        rank={e.src_uri: i for i, e in enumerate(ordered)},
        in_category={
            e.src_uri: (g, i)
            for g in categories
            for i, e in enumerate(g.entries)
            if g.name == e.article.category
        },
        labels=dict(labels or {}),
        updated=dict(updated or {}),
        series=tuple(series),
        series_slugs=series_slugs,
        in_series={e.src_uri: (g, i) for g in series for i, e in enumerate(g.entries)},
    )
