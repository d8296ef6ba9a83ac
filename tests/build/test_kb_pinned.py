"""`pinned: true` keeps an article on top of the home page and its category page."""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
from feed_sites import article, build_once, card_titles, write_site

PAGES = {
    "new.md": article("最新：扩散模型", "2026-01-20", "Generative Model", ["扩散"], "新。"),
    "mid.md": article("中间：注意力", "2026-01-10", "Large Model", ["注意力"], "中。"),
    "pin.md": article(
        "置顶：阅读指南", "2025-06-01", "Large Model", ["注意力"], "指南。", pinned=True
    ),
    "old.md": article("旧文：显存", "2025-12-01", "Large Model", ["显存"], "旧。"),
}


def _pinned_cards(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(
        r'<span class="zk-badge zk-badge--pinned">置顶</span>.*?'
        r'<h2 class="zk-card__title"><a href="[^"]*">([^<]*)</a>',
        text,
        re.DOTALL,
    )


def test_a_pinned_article_tops_the_home_and_its_category_page(tmp_path: Path) -> None:
    site = build_once(write_site(tmp_path, PAGES), tmp_path / "site")
    home = site / "index.html"
    assert card_titles(home) == ["置顶：阅读指南", "最新：扩散模型", "中间：注意力", "旧文：显存"]
    assert _pinned_cards(home) == ["置顶：阅读指南"]
    category = site / "category" / "large-model" / "index.html"
    assert card_titles(category) == ["置顶：阅读指南", "中间：注意力", "旧文：显存"]
    assert _pinned_cards(category) == ["置顶：阅读指南"]
    # Elsewhere the article keeps its place in time, unmarked.
    tag = site / "tags" / "zhuyili" / "index.html"
    if not tag.exists():
        tag = next(p for p in (site / "tags").glob("*/index.html") if "中间" in p.read_text())
    assert card_titles(tag) == ["中间：注意力", "置顶：阅读指南"]
    assert _pinned_cards(tag) == []
    feed = feedparser.parse((site / "feeds" / "atom.xml").read_bytes())
    assert [e.title for e in feed.entries] == [
        "最新：扩散模型",
        "中间：注意力",
        "旧文：显存",
        "置顶：阅读指南",
    ]
