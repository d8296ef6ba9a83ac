"""The sample site as a reader sees it, in headless Chromium with the network off.

Every page kind is opened on a laptop (1280 px) and a phone (390 px), in the
light and the dark scheme. Each visit saves a full-page screenshot under
test-artifacts/ for a person to look at, and asserts what a reader would notice:
math typeset (nothing raw), nothing wider than the screen, fingers-sized
controls on the phone, no console error, no failed or off-site request, and no
serious or critical axe-core violation.

Pages are found from the built site itself (never by a hard-coded slug), so the
tests follow the content as ingest replaces it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
SCHEMES = ["light", "dark"]


def _url(site: Path, base: str, path: Path) -> str:
    rel = path.relative_to(site).as_posix()
    return base + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def _article_with_math(site: Path) -> Path:
    """The first article (Open Graph type "article") whose page holds formulas."""
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if 'property="og:type" content="article"' in html and 'type="math/tex' in html:
            return path
    pytest.fail("the sample site has no article with math; the seeds have several")


def _first_link(site: Path, css_class: str) -> str:
    """The first link of the home page's feed with this class (relative href)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    match = re.search(rf'class="{css_class}" href="([^"]+)"', home)
    assert match, f"the home page's feed has no {css_class} link"
    return match.group(1)


def _page_with(site: Path, marker: str) -> Path:
    """The first page (by URL) whose markup holds ``marker``."""
    for path in sorted(site.rglob("index.html")):
        if marker in path.read_text(encoding="utf-8"):
            return path
    pytest.fail(f"no page of the sample site holds {marker}")


def _find(site: Path, base: str, kind: str) -> str:
    if kind in ("home", "search-results"):
        return base
    if kind == "article-with-math":
        return _url(site, base, _article_with_math(site))
    if kind == "category":
        return urljoin(base, _first_link(site, "zk-card__category"))
    if kind == "tag":
        return urljoin(base, _first_link(site, "zk-tag"))
    if kind == "index":
        return _url(site, base, _page_with(site, 'class="zk-index"'))
    if kind == "archive":
        return _url(site, base, _page_with(site, 'class="zk-archive"'))
    raise AssertionError(kind)


def _search(page: Any, site: Path) -> None:
    """Type the first article title's first word into Material's header search box."""
    home = (site / "index.html").read_text(encoding="utf-8")
    title = re.search(r'class="zk-card__title"><a href="[^"]+">([^<]+)</a>', home)
    assert title, "the home page's feed has no card title"
    query = re.split(r"[\s:：(（]", title.group(1).strip())[0][:8]
    if not page.locator(".md-search__input").is_visible():
        page.locator('label.md-header__button[for="__search"]').click()
    box = page.locator(".md-search__input")
    box.focus()
    box.fill(query)
    box.press("End")  # Material reads the box on keyup, as after a typed key
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    page.wait_for_load_state("networkidle")


def _open(page: Any, url: str, width: int, scheme: str) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # KaTeX is deferred: wait until no formula is left untypeset (or time out).
    page.wait_for_function(
        "document.querySelectorAll('script[type^=\"math/tex\"]').length === 0",
        timeout=10_000,
    )


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "kind", ["home", "article-with-math", "category", "tag", "index", "archive", "search-results"]
)
def test_page_reads_well(
    kind: str,
    width: int,
    scheme: str,
    sample_site: Path,
    serve: Callable[..., str],
    page: Any,
    artifacts: Path,
    overflow: Callable[[Any], dict[str, Any]],
    small_tap_targets: Callable[[Any], list[str]],
    raw_tex: Callable[[Any], list[str]],
    math_state: Callable[[Any], dict[str, Any]],
    axe_serious: Callable[[Any], list[str]],
) -> None:
    base = serve(sample_site)
    _open(page, _find(sample_site, base, kind), width, scheme)
    if kind == "search-results":
        _search(page, sample_site)
    # Search results are a fixed overlay: the screen is what the reader sees.
    page.screenshot(
        path=artifacts / f"reading-{kind}-{width}-{scheme}.png",
        full_page=kind != "search-results",
    )

    assert page.evaluate("document.documentElement.lang") == "zh"
    expected_scheme = "slate" if scheme == "dark" else "default"
    assert page.evaluate("document.body.dataset.mdColorScheme") == expected_scheme

    assert raw_tex(page) == [], "TeX delimiters are visible: a formula was not typeset"
    math = math_state(page)
    assert math["pending"] == 0
    assert math["empty"] == [], "formulas rendered with no size"
    assert math["errors"] == [], "formulas KaTeX could not typeset"
    if kind == "article-with-math":
        assert math["rendered"] > 0
    if kind in ("home", "category", "tag"):
        # The feed cards stack into one column on a phone.
        lefts = page.eval_on_selector_all(
            ".zk-feed > .zk-card",
            "cards => cards.map(c => Math.round(c.getBoundingClientRect().left))",
        )
        assert lefts, "the listing shows cards"
        if width < 500:
            assert len(set(lefts)) == 1, lefts
        elif kind == "home":
            assert len(set(lefts)) > 1, "the home feed uses the laptop's width"

    layout = overflow(page)
    assert layout["panned"] == 0, f"the page scrolls sideways: {layout}"
    assert layout["offenders"] == [], layout
    if width < 500:
        assert small_tap_targets(page) == [], "controls smaller than 44 x 44 px on a phone"

    assert axe_serious(page) == []
    assert page.zhiku_console_errors == []
    assert page.zhiku_failed == []
    assert page.zhiku_offsite == [], "the page asked another host for something"


def test_home_greets_with_the_transmission_hero(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    _open(page, serve(sample_site), 1280, "light")
    eyebrow = page.locator(".zk-hero__eyebrow")
    title = page.locator("h1.zk-hero__title")
    assert eyebrow.inner_text().strip() == "INCOMING TRANSMISSION"
    assert title.inner_text().strip() == "LATEST UPDATES"
    assert page.locator("h1").count() == 1, "the hero's heading is the page's only h1"
    # The intro of content/index.md follows the hero, above anything the feed appends.
    hero_bottom = page.evaluate("document.querySelector('.zk-hero').getBoundingClientRect().bottom")
    intro_top = page.evaluate(
        "document.querySelector('.zk-hero__lede').getBoundingClientRect().top"
    )
    assert intro_top >= hero_bottom


def test_signal_light_moves_only_when_motion_is_welcome(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    base = serve(sample_site)
    animation = (
        "getComputedStyle(document.querySelector('.zk-hero__eyebrow'), '::before').animationName"
    )
    page.emulate_media(reduced_motion="no-preference")
    page.goto(base)
    assert page.evaluate(animation) == "zk-signal"
    page.emulate_media(reduced_motion="reduce")
    assert page.evaluate(animation) == "none"


def test_dark_and_light_schemes_switch_with_the_toggle(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(serve(sample_site))
    background = "getComputedStyle(document.body).backgroundColor"
    light = page.evaluate(background)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    dark = page.evaluate(background)
    assert light != dark
    # Dark really is dark: the background's luminance is low.
    r, g, b = (int(x) for x in re.findall(r"\d+", dark)[:3])
    assert 0.2126 * r + 0.7152 * g + 0.0722 * b < 40


def test_head_describes_the_article_for_search_engines_and_link_previews(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    base = serve(sample_site)
    path = _article_with_math(sample_site)
    page.goto(_url(sample_site, base, path))

    def meta(selector: str) -> str:
        return page.locator(selector).get_attribute("content") or ""

    title = page.locator("article h1").first.inner_text().strip()
    description = meta('meta[name="description"]')
    assert description, "every article has a description"
    assert "\\" not in description and "math/tex" not in description
    # The description is the article's own opening text, not the site's tagline.
    body_text = page.locator("article.md-content__inner").inner_text()
    assert description.rstrip("…")[:20] in body_text
    assert meta('meta[property="og:title"]') == title
    assert meta('meta[property="og:description"]') == description
    assert meta('meta[property="og:type"]') == "article"
    assert meta('meta[name="twitter:card"]') == "summary"
    assert meta('meta[name="twitter:description"]') == description
    canonical = page.locator('link[rel="canonical"]').get_attribute("href") or ""
    slug = path.parent.name
    assert canonical.startswith("https://") and canonical.endswith(f"/{slug}/")
    assert meta('meta[property="og:url"]') == canonical
    assert page.evaluate("document.documentElement.lang") == "zh"


def test_no_page_loads_anything_from_another_host(sample_site: Path) -> None:
    """Static check of every page: no stylesheet, script, font or image from elsewhere."""
    offsite = re.compile(
        r"""<(?:link|script|img|iframe|source)\b[^>]*\b(?:href|src)=["'](?:https?:)?//""",
        re.IGNORECASE,
    )
    for path in sorted(sample_site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        hits = [
            m.group(0)
            for m in offsite.finditer(html)
            if 'rel="canonical"' not in m.group(0) and 'rel="alternate"' not in m.group(0)
        ]
        assert hits == [], f"{path.relative_to(sample_site)} loads from another host: {hits[:3]}"
    for css in sorted(sample_site.rglob("*.css")):
        text = css.read_text(encoding="utf-8")
        assert "fonts.googleapis" not in text and "url(http" not in text.replace(" ", ""), css


def test_every_article_fits_a_360px_phone(
    sample_site: Path,
    serve: Callable[..., str],
    page: Any,
    overflow: Callable[[Any], dict[str, Any]],
    raw_tex: Callable[[Any], list[str]],
) -> None:
    """The narrowest common phone: no article pans sideways or shows raw TeX."""
    base = serve(sample_site)
    articles = [
        path
        for path in sorted(sample_site.rglob("index.html"))
        if 'property="og:type" content="article"' in path.read_text(encoding="utf-8")
    ]
    assert articles, "the sample site has articles"
    problems = {}
    page.set_viewport_size({"width": 360, "height": 800})
    for path in articles:
        page.goto(_url(sample_site, base, path))
        page.wait_for_function(
            "document.querySelectorAll('script[type^=\"math/tex\"]').length === 0"
        )
        layout, tex = overflow(page), raw_tex(page)
        if layout["panned"] or layout["offenders"] or tex:
            problems[path.parent.name] = (layout, tex)
    assert problems == {}
    # (Failed requests are checked page by page above; here moving on quickly
    # cancels the previous page's late fetches, which Chromium reports as failed.)
    assert page.zhiku_console_errors == []
    assert page.zhiku_offsite == []
