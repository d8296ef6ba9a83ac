"""Every category and tag has its own RSS, Atom and JSON feeds, announced and linked."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
from feed_sites import article, build_once, tags, write_site

PAGES = {
    "a.md": article("甲：注意力 & <机制>", "2026-01-15", "Large Model", ["Transformer"], "甲。"),
    "b.md": article(
        "乙：扩散模型", "2026-01-12", "Generative Model", ["扩散模型", "Transformer"], "乙。"
    ),
    "c.md": article("丙：VAE", "2026-01-10", "Generative Model", ["VAE"], "丙。"),
}


def test_each_category_and_tag_has_three_valid_feeds_announced_on_its_page(
    tmp_path: Path,
) -> None:
    site = build_once(write_site(tmp_path, PAGES), tmp_path / "site")
    listings = {
        "category": {p.parent.name: p for p in (site / "category").glob("*/index.html")},
        "tags": {p.parent.name: p for p in (site / "tags").glob("*/index.html")},
    }
    assert len(listings["category"]) == 2 and len(listings["tags"]) == 3
    seen = {}
    for kind, pages in listings.items():
        for slug, page in pages.items():
            folder = site / "feeds" / kind / slug
            titles = []
            for name in ("rss.xml", "atom.xml"):
                parsed = feedparser.parse((folder / name).read_bytes())
                assert parsed.bozo == 0, (folder / name, parsed.get("bozo_exception"))
                assert parsed.version == ("rss20" if name == "rss.xml" else "atom10")
                titles.append([e.title for e in parsed.entries])
            # feedparser 6.0 does not read JSON Feed: check the 1.1 contract directly.
            data = json.loads((folder / "feed.json").read_text(encoding="utf-8"))
            assert data["version"] == "https://jsonfeed.org/version/1.1"
            assert data["feed_url"] == f"https://example.org/feeds/{kind}/{slug}/feed.json"
            assert data["home_page_url"] == f"https://example.org/{kind}/{slug}/"
            assert all(item["id"] and item["url"] for item in data["items"])
            titles.append([item["title"] for item in data["items"]])
            assert titles[0] == titles[1] == titles[2]
            seen[(kind, slug)] = titles[0]
            head = [
                attrs["href"]
                for tag, attrs in tags(page)
                if tag == "link" and attrs.get("rel") == "alternate"
            ]
            wanted = [
                f"../../feeds/{kind}/{slug}/{n}" for n in ("rss.xml", "atom.xml", "feed.json")
            ]
            assert all(w in head for w in wanted), head
            visible = [
                attrs["href"] for tag, attrs in tags(page) if tag == "a" and attrs.get("type")
            ]
            assert visible == wanted
            assert (folder / "sitemap.xml").is_file()
    assert seen[("category", "generative-model")] == ["乙：扩散模型", "丙：VAE"]
    assert seen[("tags", "transformer")] == ["甲：注意力 & <机制>", "乙：扩散模型"]
