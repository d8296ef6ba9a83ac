"""The sample site from the README, built strictly: its listings hold exactly its articles."""

from __future__ import annotations

import html
import json
from collections import defaultdict
from pathlib import Path

import feedparser
import pytest
from feed_sites import broken_links, card_titles

from zhiku.articles import parse_article
from zhiku.listing.slugbook import assign, read_slugbook

ROOT = Path(__file__).resolve().parents[2]
PER_PAGE = 10


def _articles() -> list:  # type: ignore[type-arg]
    found = []
    for path in sorted((ROOT / "content").rglob("*.md")):
        rel = path.relative_to(ROOT / "content").as_posix()
        if rel.startswith("."):
            continue
        article = parse_article(rel, path.read_text(encoding="utf-8"))
        if article is not None:
            found.append(article)
    return sorted(found, key=lambda a: (-a.date.toordinal(), a.path))


def _listed(site: Path, first: Path) -> list[str]:
    """Titles on a listing and all its following pages, in order."""
    titles, page, n = [], first, 1
    while page.exists():
        titles += [html.unescape(t) for t in card_titles(page)]
        n += 1
        page = first.parent / "page" / str(n) / "index.html"
    return titles


@pytest.mark.slow
def test_home_shows_every_article_newest_first_in_pages_of_ten(sample_site: Path) -> None:
    articles = _articles()
    assert articles, "the sample content has no articles"
    assert _listed(sample_site, sample_site / "index.html") == [a.title for a in articles]
    first = card_titles(sample_site / "index.html")
    assert len(first) == min(PER_PAGE, len(articles))


@pytest.mark.slow
def test_each_category_and_tag_page_lists_exactly_its_articles(sample_site: Path) -> None:
    articles = _articles()
    by_category, by_tag = defaultdict(list), defaultdict(list)
    for a in articles:
        by_category[a.category].append(a.title)
        for tag in a.tags:
            by_tag[tag].append(a.title)
    record = ROOT / "content" / ".zhiku" / "slugs.yml"
    book = read_slugbook(record.read_text("utf-8") if record.exists() else "")
    for folder, groups in (("category", by_category), ("tags", by_tag)):
        slug_of = assign(folder, groups, book)
        for name, titles in groups.items():
            page = sample_site / folder / slug_of[name] / "index.html"
            assert _listed(sample_site, page) == titles, name


@pytest.mark.slow
def test_sample_feeds_parse_and_internal_links_resolve(sample_site: Path) -> None:
    for name in ("feeds/rss.xml", "feeds/atom.xml"):
        parsed = feedparser.parse((sample_site / name).read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert len(parsed.entries) == min(20, len(_articles()))
    assert json.loads((sample_site / "feeds/feed.json").read_text(encoding="utf-8"))["items"]
    assert broken_links(sample_site) == []
