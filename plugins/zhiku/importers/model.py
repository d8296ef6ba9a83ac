"""The values import works with: a source tree, one note read from it, and what became of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

KINDS = (
    "hexo",
    "hugo",
    "jekyll",
    "obsidian",
    "mkdocs",
    "vuepress",
    "docusaurus",
    "mdbook",
    "d2lbook",
    "docsify",
    "logseq",
    "notion",
    "sphinx",
    "markdown",
)
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp", ".ico")


@dataclass(frozen=True, slots=True)
class Tree:
    """A source folder as the shell found it.

    ``root`` names it in reports and state keys; ``files`` are every file under it
    (POSIX paths relative to it, hidden ones left out); ``notes`` are the Markdown files
    that are notes (``texts`` holds their text); ``config`` is the tool's own site
    configuration (Hexo/Jekyll ``_config.yml``, Hugo's config, ``mkdocs.yml``).
    ``dates`` gives a note's first-commit date (git) or modification date.
    """

    root: str
    kind: str
    files: frozenset[str]
    notes: tuple[str, ...]
    texts: dict[str, str]
    config: dict[str, Any] = field(default_factory=dict)
    dates: dict[str, tuple[dt.date, str]] = field(default_factory=dict)  # (date, "git"|"mtime")
    base: str = ""  # the folder holding the notes (source/_posts, content, docs, "")
    key: str = ""  # names the tree in import's state: "<kind>:<folder name>"
    # Files a note names that are made, not found: a notebook's images (path -> bytes).
    blobs: dict[str, bytes] = field(default_factory=dict)


@dataclass(slots=True)
class Note:
    """One note, read from its source: what its article's front matter will say."""

    source: str  # relative to the tree's root
    title: str
    date: dt.date | dt.datetime
    body: str
    date_estimated: bool = False
    updated: dt.date | dt.datetime | None = None
    category: str | None = None
    tags: list[str] = field(default_factory=list)
    draft: bool = False
    pinned: bool = False  # Hexo's `top`/`sticky`, Material blog's `pin`
    series: str | None = None  # Hugo's `series` taxonomy
    series_order: int | None = None  # the place in the series (an mdBook chapter's)
    url: str | None = None  # a canonical URL the source names (`source:`)
    description: str | None = None
    aliases: list[str] = field(default_factory=list)
    slug: str = ""  # the source's slug, or "" (then the title makes the file name)
    notes: list[str] = field(default_factory=list)  # what the report says about it


@dataclass(frozen=True, slots=True)
class Skipped:
    """A source file that is not imported, and why."""

    source: str
    reason: str
    bad: bool = False  # a file that should have been a note but could not be read
    line: int | None = None  # the line at fault, for the one-line error
