"""Readers can reach every section from every page, at phone and desktop widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

SECTIONS = ["最新", "分类", "标签", "归档", "系列"]
SERIES_ARTICLE = "ddim-de-lilun/"
ARTICLE = "clip-suanfa-yuanli/"

_BAR_JS = """
() => [...document.querySelectorAll(".zk-sections a")].map((a) => {
  const r = a.getBoundingClientRect();
  return {
    text: a.textContent.trim(),
    shown: r.width > 0 && r.height > 0 && a.checkVisibility({visibilityProperty: true})
      && r.bottom > 0 && r.top < window.innerHeight,
    current: a.getAttribute("aria-current"),
    top: Math.round(r.top),
  };
})
"""


@pytest.mark.parametrize("width", [390, 1280, 1600])
@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("", "最新"),
        ("category/", "分类"),
        ("tags/", "标签"),
        ("archive/", "归档"),
        ("category/large-model/", "分类"),
        ("series/", "系列"),
        (ARTICLE, None),
    ],
)
def test_every_section_is_one_click_away(
    sample_site: Path,
    serve: Any,
    page: Any,
    axe_serious: Any,
    width: int,
    path: str,
    current: str | None,
) -> None:
    base = serve(sample_site)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + path)
    bar = page.evaluate(_BAR_JS)
    assert [link["text"] for link in bar] == SECTIONS
    assert all(link["shown"] for link in bar), bar
    # One row at every width: a second row of sections would take 55 px of a phone's screen.
    assert len({link["top"] for link in bar}) == 1, bar
    marked = [link["text"] for link in bar if link["current"]]
    assert marked == ([current] if current else [])
    assert page.zhiku_offsite == []
    if path in ("", ARTICLE):
        assert axe_serious(page) == []


def test_a_section_link_leads_to_its_index(sample_site: Path, serve: Any, page: Any) -> None:
    base = serve(sample_site)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(base + ARTICLE)
    page.click(".zk-sections a:text('归档')")
    page.wait_for_url(base + "archive/")
    assert page.locator(".zk-archive").count() == 1


def test_home_intro_links_the_sections_it_names(sample_site: Path, serve: Any, page: Any) -> None:
    base = serve(sample_site)
    page.goto(base)
    links = page.eval_on_selector_all(
        ".zk-hero__lede a", "as => as.map(a => [a.textContent, a.getAttribute('href')])"
    )
    assert links == [["分类", "category/"], ["标签", "tags/"], ["归档", "archive/"]]


def test_an_article_links_its_neighbours_in_time_and_in_its_category(
    sample_site: Path, serve: Any, page: Any
) -> None:
    base = serve(sample_site)
    page.goto(base + ARTICLE)
    category = page.locator(".zk-article-header .zk-card__category").text_content()
    in_category = page.locator(".zk-prevnext--category a")
    assert in_category.count() >= 1
    assert f"同分类「{category}」" in page.locator(".zk-prevnext__label").inner_text()
    in_category.first.click()
    page.wait_for_load_state()
    assert page.locator(".zk-article-header .zk-card__category").text_content() == category


@pytest.mark.parametrize("width", [390, 1280])
def test_a_series_box_leads_through_the_series(
    sample_site: Path, serve: Any, page: Any, axe_serious: Any, width: int
) -> None:
    base = serve(sample_site)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + SERIES_ARTICLE)
    box = page.locator(".zk-series")
    assert box.is_visible()
    assert "第 2 / 3 篇" in box.inner_text()
    assert page.locator('.zk-series [aria-current="page"]').inner_text() == "DDIM 的理论"
    assert axe_serious(page) == []
    box.locator("a", has_text="扩散模型入门").click()
    page.wait_for_url(base + "series/**")
    assert page.locator(".zk-card").count() == 3
    assert page.zhiku_offsite == []
