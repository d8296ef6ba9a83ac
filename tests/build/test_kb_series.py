"""`series:` groups articles: a box on each, a page per series and an index of series."""

from __future__ import annotations

import re
from pathlib import Path

from feed_sites import article, broken_links, build_once, card_titles, write_site

S = "扩散模型入门"
PAGES = {
    "one.md": article("一：DDPM", "2026-01-20", "GM", ["扩散"], "一。", series=S, series_order=1),
    "two.md": article("二：DDIM", "2026-01-05", "GM", ["扩散"], "二。", series=S, series_order=2),
    "three.md": article("三：SDE", "2026-01-10", "GM", ["扩散"], "三。", series=S),
    "solo.md": article("独立文章", "2026-01-11", "GM", ["扩散"], "独。"),
}


def test_a_series_links_its_articles_in_reading_order(tmp_path: Path) -> None:
    site = build_once(write_site(tmp_path, PAGES), tmp_path / "site")
    two = (site / "two" / "index.html").read_text("utf-8")
    box = two[two.index('<nav class="zk-series"') :].split("</nav>")[0]
    assert "第 2 / 3 篇" in box
    assert re.findall(r"<li[^>]*>(?:<a [^>]*>|<strong[^>]*>)([^<]*)<", box) == [
        "一：DDPM",
        "二：DDIM",
        "三：SDE",
    ]
    assert '<strong aria-current="page">二：DDIM</strong>' in box
    assert 'href="../series/' in box
    assert "zk-series" not in (site / "solo" / "index.html").read_text("utf-8")
    page = next((site / "series").glob("*/index.html"))
    assert card_titles(page) == ["一：DDPM", "二：DDIM", "三：SDE"]
    index = (site / "series" / "index.html").read_text("utf-8")
    assert f'>{S}</a> <span class="zk-count">3</span>' in index
    assert broken_links(site) == []


def test_a_long_series_shows_the_articles_around_the_readers_and_links_the_rest(
    tmp_path: Path,
) -> None:
    # A book imported chapter by chapter: 30 articles in one series.
    chapters = {
        f"c{n:02d}.md": article(
            f"第{n}章",
            f"2026-01-{n:02d}",
            "Rust",
            [],
            f"第{n}章。",
            series="Rust 之书",
            series_order=n,
        )
        for n in range(1, 31)
    }
    site = build_once(write_site(tmp_path, chapters), tmp_path / "site")
    page = (site / "c15" / "index.html").read_text("utf-8")
    box = page[page.index('<nav class="zk-series"') :].split("</nav>")[0]
    shown = re.findall(r'<li value="(\d+)">', box)
    assert shown == ["1", "12", "13", "14", "15", "16", "17", "18", "30"]
    assert '<strong aria-current="page">第15章</strong>' in box
    assert box.count('class="zk-series__gap"') == 2 and "第 15 / 30 篇" in box
    # The series page still lists all of them.
    series = next((site / "series").glob("*/index.html")).read_text("utf-8")
    assert all(f"第{n}章" in series for n in range(1, 31))
    # At either end, one run is left out.
    first = (site / "c01" / "index.html").read_text("utf-8")
    box = first[first.index('<nav class="zk-series"') :].split("</nav>")[0]
    assert re.findall(r'<li value="(\d+)">', box) == ["1", "2", "3", "4", "30"]
