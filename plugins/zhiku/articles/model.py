"""The article model: what a Markdown file under ``content/`` means to Zhiku.

A Markdown file is an *article* when its front matter has a ``date``; any other
file (the home page, an "about" page) is an ordinary page and is left alone.

Front matter keys, in the order ingest writes them::

    title: CLIP算法原理          # required
    date: 2026-01-11             # required: YYYY-MM-DD, optionally a time and zone
                                 #   (2021-06-29 01:52:57, 2024-03-01T10:00:00+08:00)
    date_estimated: true         # only when ingest placed the date from feed position
    category: Large Model        # defaults to 未分类; also `categories:`, and a list
                                 #   [机器学习, 强化学习] is a path: "机器学习/强化学习"
    category_inferred: true      # only when ingest inferred it from the taxonomy
    tags: [CLIP, 多模态]          # optional list of strings, or one string split on , ， 、
    source: https://...          # optional link to the original article
    truncated: true              # the scraped excerpt was cut by the source site
    description: ...             # optional; the listings derive an excerpt otherwise
    draft: true                  # optional; left out of `mkdocs build`, marked 草稿 under serve
    pinned: true                 # optional; first on the home page and its category page
    updated: 2026-02-01          # optional (`lastmod:` too); else the last git commit
                                 #   that changed the body
    series: 扩散模型入门          # optional; articles of one series link each other in order
    series_order: 2              # optional; place in the series (else by date)
    paper:                       # optional; the paper the article is about (a card on top)
      arxiv: "2103.00020"        #   ingest fills it from an arXiv link (arxiv_inferred: true)
      title: Learning Transferable Visual Models From Natural Language Supervision
      authors: [Alec Radford, Jong Wook Kim]
      venue: ICML
      year: 2021
      code: https://github.com/openai/CLIP
    aliases: [/2021/06/29/old/]  # optional; old URL paths of the article (kept in ``extra``)

Keys a site uses for itself are declared in mkdocs.yml (zhiku/feed ``extra_front_matter``);
any other key is a typo warning.

The URL of an article comes from its file name (``clip-suanfa-yuanli.md`` is
served at ``clip-suanfa-yuanli/``), which ingest makes ASCII-safe and never
renames.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

UNCATEGORIZED = "未分类"

# The order ingest writes keys in; keys a person adds by hand keep their place after these.
FIELD_ORDER = (
    "title",
    "date",
    "date_estimated",
    "category",
    "category_inferred",
    "tags",
    "source",
    "truncated",
    "description",
    "draft",
    "pinned",
    "updated",
    "series",
    "series_order",
    "paper",
)
# Keys read under another name (Hexo's `categories`, Hugo's `lastmod`) or kept as written
# in ``Article.extra`` (`aliases`, for redirect pages): known, so they never warn.
SYNONYMS = {"categories": "category", "lastmod": "updated"}
# Page keys MkDocs and Material themselves read (a page's template, hidden parts, icon…).
THEME_KEYS = ("template", "hide", "icon", "status", "subtitle", "search", "comments")
KNOWN_KEYS = frozenset((*FIELD_ORDER, *SYNONYMS, "aliases", *THEME_KEYS))
# Keys other generators read that Zhiku does not: the file name is an article's URL.
URL_KEYS = ("slug", "permalink", "url")
MAX_TAGS = 30
"""Most tags an article may carry: each tag links the article to a listing and feeds, and
output grows with the square of one article's tags."""


class ArticleError(Exception):
    """A problem in one content file, pointing at the line to fix.

    ``str(error)`` is the one-line message shown to users:
    ``content/clip.md:3: date "2025-13-01" is not YYYY-MM-DD; fix it or ...``

    A plain exception (not a frozen dataclass), so that it pickles and the machinery that
    annotates exceptions in flight (tracebacks, notes, test runners) can.
    """

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(path, line, message)
        self.path, self.line, self.message = path, line, message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArticleError):
            return NotImplemented
        return (self.path, self.line, self.message) == (other.path, other.line, other.message)

    def __hash__(self) -> int:
        return hash((self.path, self.line, self.message))


@dataclass(frozen=True, slots=True)
class Paper:
    """The paper an article is about (front matter ``paper:``)."""

    arxiv: str | None = None  # "2103.00020", no version
    title: str | None = None
    authors: tuple[str, ...] = ()
    venue: str | None = None
    year: int | None = None
    code: str | None = None  # http(s) URL of the code
    arxiv_inferred: bool = False  # ingest found the arXiv id in the text or its source


@dataclass(frozen=True, slots=True)
class Article:
    """One article, as read from (or about to be written to) ``content/``."""

    path: str  # relative to the content folder, POSIX separators: "clip-suanfa-yuanli.md"
    title: str
    date: dt.date
    body: str  # the Markdown after the front matter
    category: str = UNCATEGORIZED
    tags: tuple[str, ...] = ()
    date_estimated: bool = False
    category_inferred: bool = False
    source: str | None = None
    truncated: bool = False
    description: str | None = None
    draft: bool = False
    pinned: bool = False
    updated: dt.date | None = None
    # The moment in ``date``, when a time was written (aware when a zone was too): ordering
    # among articles of one day and the feeds' timestamps. ``date`` is its calendar day.
    time: dt.datetime | None = None
    series: str | None = None
    series_order: int | None = None
    paper: Paper | None = None
    # Lines before the body's first line (front matter, fences and blank lines): tells git
    # history's front matter edits from body edits, and turns a line of the body into a
    # line of the file. Not part of what the article says.
    front_lines: int = field(default=0, compare=False)
    # Keys Zhiku does not know, kept so that a rewrite never drops what a person added.
    extra: tuple[tuple[str, object], ...] = field(default=(), compare=False)
    # The line of each key of ``extra``, in the same order (to name it in a warning).
    extra_lines: tuple[int, ...] = field(default=(), compare=False)

    @property
    def category_path(self) -> tuple[str, ...]:
        """The category as a path: ``("机器学习", "强化学习")`` for ``机器学习/强化学习``."""
        return tuple(self.category.split("/"))

    @property
    def slug(self) -> str:
        """The URL slug: the file name without ``.md`` (``a/b.md`` -> ``a/b``)."""
        return self.path[:-3] if self.path.endswith(".md") else self.path


class ArticleErrors(Exception):
    """Every :class:`ArticleError` of one reading of ``content/``, in file order: a build
    reports them all at once, then fails."""

    def __init__(self, errors: tuple[ArticleError, ...]) -> None:
        super().__init__(errors)
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)
