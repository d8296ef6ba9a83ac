"""Long Chinese articles read comfortably, and the scrape's marks are understood.

Measured in Chromium on the sample site's own articles (found from the built
site, not by slug): line height, measure, CJK font fallbacks, browser-made
spacing between Han and Latin text, and marks for what the scrape lost or cut.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _article_with(site: Path, marker: str) -> str:
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if 'property="og:type" content="article"' in html and marker in html:
            return path.parent.relative_to(site).as_posix() + "/"
    pytest.fail(f"no article of the sample site holds {marker}")


def test_article_body_has_a_chinese_reading_measure_and_rhythm(
    sample_site: Path, serve: Callable[..., str], page: Any, artifacts: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(serve(sample_site) + _article_with(sample_site, "<p>"))
    body = page.evaluate(
        """() => {
          const p = [...document.querySelectorAll('article.md-content__inner > p')]
            .sort((a, b) => b.textContent.length - a.textContent.length)[0];
          const s = getComputedStyle(p);
          return {
            font: s.fontFamily,
            size: parseFloat(s.fontSize),
            lineHeight: parseFloat(s.lineHeight),
            width: p.getBoundingClientRect().width,
            autospace: CSS.supports('text-autospace', 'normal') ? s.textAutospace : null,
          };
        }"""
    )
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC"):
        assert family in body["font"], f"{family} missing from the body font stack"
    assert 16 <= body["size"] <= 19
    assert 1.7 <= body["lineHeight"] / body["size"] <= 1.9
    # About 40 Han characters a line: between 34 and 42 character widths.
    assert 34 <= body["width"] / body["size"] <= 42, body
    # Han/Latin spacing is the browser's (text-autospace), the text itself untouched.
    if body["autospace"] is not None:
        assert body["autospace"] == "normal"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_scrape_marks_stand_apart_from_the_authors_text(
    scheme: str,
    sample_site: Path,
    serve: Callable[..., str],
    page: Any,
    artifacts: Path,
    axe_serious: Callable[[Any], list[str]],
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.emulate_media(color_scheme=scheme)
    page.goto(serve(sample_site) + _article_with(sample_site, 'class="zk-lost"'))
    page.wait_for_load_state("networkidle")
    mark = page.locator(".zk-lost").first
    mark.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / f"typography-scrape-marks-{scheme}.png")
    assert "抓取中丢失" in mark.inner_text()
    style = mark.evaluate(
        """(el) => {
          const s = getComputedStyle(el), p = getComputedStyle(el.parentElement);
          return {border: s.borderTopStyle, color: s.color, textColor: p.color,
                  background: s.backgroundColor};
        }"""
    )
    assert style["border"] == "dashed"
    assert style["color"] != style["textColor"]
    assert style["background"] not in ("rgba(0, 0, 0, 0)", "transparent")
    assert axe_serious(page) == []


def test_cut_excerpt_ends_visibly_with_a_link_to_the_source(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(serve(sample_site) + _article_with(sample_site, 'class="zk-source"'))
    end = page.locator(".zk-truncated").last
    box = end.bounding_box()
    assert box and box["height"] > 0
    assert end.evaluate("el => getComputedStyle(el).borderLeftStyle") == "solid"
    source = page.locator("a.zk-source").last
    assert (source.get_attribute("href") or "").startswith("http")
    # The external-link arrow says it leaves the site.
    assert source.evaluate("el => getComputedStyle(el, '::after').content") == '"↗"'
