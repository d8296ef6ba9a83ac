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


def _first_link(site: Path, css_class: str, rel: str = "") -> str:
    """The first link of the home page with this class, or this rel (relative href)."""
    home = (site / "index.html").read_text(encoding="utf-8")
    attribute = f'rel="{rel}"' if rel else f'class="{css_class}"'
    match = re.search(rf'<a {attribute} href="([^"]+)"', home)
    assert match, f"the home page has no {attribute} link"
    return match.group(1)


def _page_with(site: Path, *markers: str) -> Path:
    """The first page (by URL) whose markup holds every one of ``markers``."""
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if all(marker in html for marker in markers):
            return path
    pytest.fail(f"no page of the sample site holds {markers}")


def _find(site: Path, base: str, kind: str) -> str:
    if kind in ("home", "search-results"):
        return base
    if kind == "home-page-2":
        return urljoin(base, _first_link(site, "", rel="next"))
    if kind == "article-with-math":
        return _url(site, base, _article_with_math(site))
    if kind == "category":
        return urljoin(base, _first_link(site, "zk-card__category"))
    if kind == "tag":
        return urljoin(base, _first_link(site, "zk-tag"))
    if kind == "category-index":
        return _url(site, base, _page_with(site, 'class="zk-index"', "<h1>分类</h1>"))
    if kind == "tag-index":
        return _url(site, base, _page_with(site, 'class="zk-index"', "<h1>标签</h1>"))
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


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "home-page-2",
        "article-with-math",
        "category",
        "tag",
        "category-index",
        "tag-index",
        "archive",
        "search-results",
    ],
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
    looks_wrong: Callable[[Any], dict[str, list[str]]],
    wait_for_math: Callable[..., None],
) -> None:
    base = serve(sample_site)
    _open(page, _find(sample_site, base, kind), width, scheme)
    # Formulas are typeset in slices after load: wait until the last one is (or time out).
    wait_for_math(page)
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
    if kind in ("home", "home-page-2", "category", "tag"):
        # One column of cards on every listing page and every screen: titles read down
        # one line of sight, newest first.
        lefts = page.eval_on_selector_all(
            ".zk-feed > .zk-card",
            "cards => cards.map(c => Math.round(c.getBoundingClientRect().left))",
        )
        assert lefts, "the listing shows cards"
        assert len(set(lefts)) == 1, lefts

    # What a reviewer would catch by eye on the screenshot.
    assert looks_wrong(page) == {
        "unevenRows": [],
        "prevNext": [],
        "clippedTags": [],
        "headingFonts": [],
        "lonely": [],
    }

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
    # Chinese throughout: the kicker and the heading (最新更新, as the nav's 最新); both
    # can be changed in mkdocs.yml (extra: zhiku:).
    assert eyebrow.inner_text().strip() == "最新收录 · 持续更新"
    assert title.inner_text().strip() == "最新更新"
    assert title.evaluate("el => el.closest('[lang]').lang") == "zh"
    assert eyebrow.evaluate("el => el.closest('[lang]').lang") == "zh"
    size = "el => parseFloat(getComputedStyle(el).fontSize)"
    assert eyebrow.evaluate(size) < title.evaluate(size) / 3, "the kicker is small"
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
    wait_for_math: Callable[..., None],
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
        wait_for_math(page)
        layout, tex = overflow(page), raw_tex(page)
        if layout["panned"] or layout["offenders"] or tex:
            problems[path.parent.name] = (layout, tex)
    assert problems == {}
    # (Failed requests are checked page by page above; here moving on quickly
    # cancels the previous page's late fetches, which Chromium reports as failed.)
    assert page.zhiku_console_errors == []
    assert page.zhiku_offsite == []


def test_home_and_its_later_pages_share_one_layout(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    """Page 1 of the feed looks like page 2: the same column, the same navigation beside it."""
    base = serve(sample_site)
    seen = {}
    for kind in ("home", "home-page-2"):
        _open(page, _find(sample_site, base, kind), 1280, "light")
        seen[kind] = page.evaluate(
            """() => {
              const nav = document.querySelector('.md-sidebar--primary');
              const cards = [...document.querySelectorAll('.zk-feed > .zk-card')]
                .map((c) => c.getBoundingClientRect());
              return {
                nav: !!nav && nav.getBoundingClientRect().width > 0 &&
                  getComputedStyle(nav).visibility !== 'hidden' && !nav.hidden,
                left: Math.round(cards[0].left),
                width: Math.round(cards[0].width),
                columns: new Set(cards.map((c) => Math.round(c.left))).size,
              };
            }"""
        )
    assert seen["home"] == seen["home-page-2"]
    assert seen["home"]["nav"], "the site's navigation stays beside the feed"
    assert seen["home"]["columns"] == 1


def test_tab_titles_name_the_page_then_the_site(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    base = serve(sample_site)
    page.goto(base)
    assert page.title() == "知库", "the home page's tab is the site's name, once"
    page.goto(_find(sample_site, base, "home-page-2"))
    assert page.title() == "最新更新 · 第 2 页 - 知库"
    page.goto(_find(sample_site, base, "archive"))
    assert page.title() == "归档 - 知库"
    page.goto(_url(sample_site, base, _article_with_math(sample_site)))
    heading = page.locator("article h1").first.inner_text().strip()
    assert page.title() == f"{heading} - 知库"


def test_archive_marks_estimated_dates_and_sets_years_in_the_text_face(
    sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert 'class="zk-card__estimated"' in home, "the sample site has estimated dates"
    base = serve(sample_site)
    _open(page, _find(sample_site, base, "archive"), 1280, "light")
    marks = page.locator(".zk-archive li .zk-card__estimated")
    # As in each article's header: one 约 per article whose date ingest estimated.
    estimated = sum(
        'class="zk-card__estimated"' in path.read_text(encoding="utf-8")
        for path in sample_site.rglob("index.html")
        if 'property="og:type" content="article"' in path.read_text(encoding="utf-8")
    )
    assert estimated > 0, "the sample site has estimated dates"
    assert marks.count() == estimated
    assert marks.first.get_attribute("title") == "日期为推算值"
    fonts = page.evaluate(
        """() => {
          const h2 = document.querySelector('.zk-archive h2');
          const p = document.querySelector('.md-typeset');
          const day = document.querySelector('.zk-archive li time');
          return [getComputedStyle(h2).fontFamily, getComputedStyle(day).fontFamily,
                  getComputedStyle(p).fontFamily];
        }"""
    )
    assert fonts[0] == fonts[2] and fonts[1] == fonts[2], fonts
    # The titles start on one line whether or not their date carries 约.
    lefts = page.eval_on_selector_all(
        ".zk-archive li > a",
        "links => links.map((a) => Math.round(a.getBoundingClientRect().left))",
    )
    assert len(set(lefts)) == 1, set(lefts)


@pytest.mark.parametrize("width", [360, 390])
def test_a_cards_date_and_reading_time_stay_on_one_line_on_a_phone(
    width: int, sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    """The meta line may wrap after the category, never leaving "约 1 分钟" alone."""
    _open(page, serve(sample_site), width, "light")
    split = page.evaluate(
        """() => [...document.querySelectorAll('.zk-card__meta')].filter((m) => {
          const date = m.querySelector('.zk-card__date').getBoundingClientRect();
          const reading = m.querySelector('.zk-card__reading').getBoundingClientRect();
          return Math.abs(date.top - reading.top) > 2;
        }).map((m) => m.textContent.replace(/\\s+/g, ' ').trim())"""
    )
    assert split == []


_CHIPS_JS = """
() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => {
    const [x, y] = [lum(rgb(a)), lum(rgb(b))].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const page = getComputedStyle(document.querySelector(".md-search__scrollwrap")).backgroundColor;
  const pageBg = rgb(page).length && !/rgba\\(.*, 0\\)/.test(page) ? page
    : getComputedStyle(document.body).backgroundColor;
  const rows = [...document.querySelectorAll(".zk-search-chips > *")].map((row) => {
    const chips = [...row.querySelectorAll(".zk-chip")];
    return {
      kinds: [...new Set(chips.map((c) => c.dataset.kind))],
      label: row.querySelector("b")?.textContent,
      lines: new Set(chips.map((c) => Math.round(c.getBoundingClientRect().top))).size,
      firstLeft: chips.length ? Math.round(chips[0].getBoundingClientRect().left) : null,
      minLeft: chips.length
        ? Math.round(Math.min(...chips.map((c) => c.getBoundingClientRect().left))) : null,
    };
  });
  const pressed = document.querySelector(".zk-chip[aria-pressed=true]");
  const s = pressed && getComputedStyle(pressed);
  return {
    rows,
    pressed: pressed ? {
      againstPage: Math.round(ratio(s.backgroundColor, pageBg) * 10) / 10,
      text: Math.round(ratio(s.color, s.backgroundColor) * 10) / 10,
    } : null,
  };
}
"""


@pytest.mark.parametrize(("width", "scheme"), [(390, "dark"), (390, "light"), (1280, "light")])
def test_search_chips_read_as_one_row_per_kind(
    width: int, scheme: str, sample_site: Path, serve: Callable[..., str], page: Any
) -> None:
    """分类 and 标签 chips never share a line; on a phone each kind is one scrolling row
    (results stay on the first screen); a pressed chip stands out in either scheme."""
    _open(page, serve(sample_site), width, scheme)
    _search(page, sample_site)
    page.wait_for_selector(".zk-chip")
    before = page.evaluate(_CHIPS_JS)
    assert [(row["label"], row["kinds"]) for row in before["rows"]] == [
        ("分类", ["category"]),
        ("标签", ["tag"]),
    ]
    for row in before["rows"]:
        if width < 500:
            assert row["lines"] == 1, row
        # A wrapped chip lines up under the row's first chip, not under its label.
        assert row["minLeft"] == row["firstLeft"], row
    page.locator(".zk-chip").first.click()
    page.wait_for_selector(".zk-chip[aria-pressed=true]")
    pressed = page.evaluate(_CHIPS_JS)["pressed"]
    assert pressed["againstPage"] >= 3, pressed  # WCAG 1.4.11: a state a reader can see
    assert pressed["text"] >= 4.5, pressed
