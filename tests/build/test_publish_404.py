"""The 404 page works at any depth, under a project site's sub-path and at the root.

GitHub Pages answers a missing /REPO/a/b/c/ with /REPO/404.html, so that page
cannot use relative links: the server here mimics Pages (see conftest.serve).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.slow

SITES = [
    pytest.param(("https://user.github.io/repo/", "/repo/"), id="project-site"),
    pytest.param(("https://user.github.io/", "/"), id="root"),
]
# "{page}" is a real page's folder: a missing URL below an existing one.
MISSING = ["nope", "missing/", "a/b/c/", "a/b/c/d/e.html", "{page}extra/", "{page}x/y.html"]


class _References(HTMLParser):
    """Every URL the page makes the browser load or lets the reader follow."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.urls.append(value)


def references(html: str) -> list[str]:
    parser = _References()
    parser.feed(html)
    return parser.urls


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urlopen(url) as response:
            return response.status, response.read()
    except HTTPError as error:
        with error:
            return error.code, error.read()


@pytest.fixture(params=SITES)
def site(request: pytest.FixtureRequest, build_site: Callable[..., Path]) -> tuple[Path, str]:
    site_url, prefix = request.param
    return build_site(site_url=site_url), prefix


def test_404_page_links_only_by_absolute_paths(site: tuple[Path, str]) -> None:
    folder, prefix = site
    html = (folder / "404.html").read_text(encoding="utf-8")
    urls = references(html)
    assert any("stylesheets" in u for u in urls) and any("javascripts" in u for u in urls)
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme or url.startswith("#"):
            continue
        # A relative URL would resolve against whatever missing path was asked for.
        assert url.startswith(prefix), f"404.html links to {url!r}, not under {prefix!r}"


@pytest.mark.parametrize("missing", MISSING)
def test_a_missing_url_at_any_depth_gets_a_working_404_page(
    site: tuple[Path, str], serve: Callable[..., str], missing: str
) -> None:
    folder, prefix = site
    base = serve(folder, prefix)
    [page, *_] = sorted(p.parent for p in folder.glob("*/index.html"))
    url = base + missing.format(page=page.name + "/")
    status, body = fetch(url)
    assert status == 404
    assert body == (folder / "404.html").read_bytes()
    # Every asset and link of the page resolves from this depth.
    for ref in references(body.decode("utf-8")):
        target = urljoin(url, ref)
        if urlsplit(target).netloc != urlsplit(base).netloc:
            continue
        target_status, _ = fetch(target.split("#")[0])
        assert target_status == 200, f"{ref!r} on the 404 page for {missing!r} is {target_status}"


def serious_axe_violations(page: Any) -> list[str]:
    """axe-core (as shipped by axe-playwright-python, nothing fetched) on the page."""
    with warnings.catch_warnings():
        # axe-playwright-python reads its bundled axe.min.js without an encoding on import.
        warnings.simplefilter("ignore", EncodingWarning)
        from axe_playwright_python.sync_playwright import Axe

    return [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + "; ".join(", ".join(n["target"]) + " " + n.get("failureSummary", "") for n in v["nodes"])
        for v in Axe().run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.browser
@pytest.mark.parametrize(("width", "scheme"), [(1280, "light"), (390, "dark")])
def test_404_page_is_styled_and_leads_home_in_a_browser(
    build_site: Callable[..., Path],
    serve: Callable[..., str],
    page: Any,
    artifacts: Path,
    width: int,
    scheme: str,
) -> None:
    base = serve(build_site(site_url="https://user.github.io/repo/"), "/repo/")
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme)
    response = page.goto(base + "deep/er/missing/page/")
    assert response.status == 404
    assert page.title().startswith("页面未找到")
    assert page.locator("h1").first.inner_text() == "页面未找到"
    # Material's stylesheet and script loaded from four levels down.
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in (
        "sticky",
        "fixed",
    )
    page.wait_for_function("typeof window.document$ !== 'undefined'")
    page.screenshot(path=str(artifacts / f"publish-404-{width}-{scheme}.png"), full_page=True)
    assert serious_axe_violations(page) == []
    # Nothing but the missing page itself failed; nothing went to another host.
    assert page.zhiku_failed == [f"404 {base}deep/er/missing/page/"]
    assert page.zhiku_offsite == []
    # Chromium logs the document's own 404 as a console error; nothing else may.
    assert page.zhiku_console_errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
    ]
    # On a phone the page fits the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.get_by_role("link", name="返回首页").click()
    page.wait_for_load_state()
    assert page.url.rstrip(".") == base
    assert "知库" in page.title()


@pytest.mark.browser
def test_404_search_button_opens_the_search_when_the_site_has_one(
    build_site: Callable[..., Path], serve: Callable[..., str], page: Any
) -> None:
    folder = build_site(site_url="https://user.github.io/repo/")
    base = serve(folder, "/repo/")
    page.goto(base + "a/b/c/")
    button = page.locator(".zk-notfound__search")
    if page.locator(".md-search").count() == 0:
        # Without a search overlay the button would do nothing, so it is hidden.
        assert not button.is_visible()
        return
    button.click()
    box = page.locator(".md-search__input")
    assert box.is_visible()
    # The search index loads from three levels below a missing URL and finds an article.
    slug, title = first_article(folder)
    box.fill(title)
    box.press("End")
    page.wait_for_function(
        "path => [...document.querySelectorAll('.md-search-result__link')]"
        ".some(a => new URL(a.href).pathname === path)",
        arg=f"/repo/{slug}/",
    )
    assert page.zhiku_failed == [f"404 {base}a/b/c/"]


def first_article(folder: Path) -> tuple[str, str]:
    """(slug, title) of an article of the built site, whatever the sample holds."""
    for index in sorted(folder.glob("*/index.html")):
        html = index.read_text(encoding="utf-8")
        if '<meta property="og:type" content="article">' in html:
            title = re.search(r'<meta property="og:title" content="([^"]*)">', html)
            assert title, f"{index} has no og:title"
            return index.parent.name, unescape(title[1])
    raise AssertionError("the sample site has no article")
