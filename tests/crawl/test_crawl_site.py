"""Crawl the built site over HTTP: no broken link, asset, anchor, feed or search fetch.

The site is built for and served where GitHub Pages puts it: under a project
site's sub-path (/repo/) and at the root of a host (a user site or a custom
domain). LinkChecker (a maintained crawler) follows every internal link from
the home page, as a reader would, and checks every asset the pages and their
stylesheets reference (CSS, JS, images, fonts), feed links
(`<link rel=alternate>`) and cross-page `#anchors`; every page the sitemap
lists must have been reached. What it cannot see is checked here: the absolute
site_url links (canonical, Open Graph, sitemap, feed items) must land on real
pages, feeds must parse, Material's search worker must be served, and in
headless Chromium a search from the deepest page fetches only index files
that exist.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from urllib.request import urlopen

import feedparser
import pytest

pytestmark = pytest.mark.slow

# (name, site_url, where the server mounts it, build overrides)
SITES = [
    ("project-site", "https://user.github.io/repo/", "/repo/", {}),
    ("root", "https://user.github.io/", "/", {}),
    # Pages serves plain .html files too; some users turn directory URLs off.
    (
        "project-site-html-urls",
        "https://user.github.io/repo/",
        "/repo/",
        {"use_directory_urls": False},
    ),
]
SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")


@dataclass(frozen=True, slots=True)
class Checked:
    """One row of LinkChecker's report: a reference found on a page, and its fate."""

    url: str  # the resolved URL
    written: str  # as written in the page
    parent: str  # the page it was found on ("" for a start URL)
    result: str
    warning: str
    valid: bool


@dataclass(frozen=True, slots=True)
class Crawl:
    base: str
    site_url: str
    checked: list[Checked]
    unreached: list[str]  # sitemap pages no link led to from the home page

    @property
    def internal(self) -> list[Checked]:
        host = _origin(self.base)
        return [c for c in self.checked if c.url.startswith(host)]

    @property
    def broken(self) -> list[str]:
        """One line per broken reference: what, where, why."""
        lines = []
        for c in self.internal:
            # AnchorCheck reports a missing #fragment as a warning on a valid URL.
            if not c.valid or "Anchor" in c.warning:
                lines.append(f"{c.written} on {c.parent or '(start)'}: {c.result} {c.warning}")
        return sorted(set(lines))

    @property
    def ok(self) -> set[str]:
        return {c.url.split("#")[0] for c in self.internal if c.valid}


# (the crawl, the built site's folder, the pages its sitemap lists)
CrawlResult = tuple[Crawl, Path, list[str]]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urlopen(url) as response:
            return response.status, response.read(), response.headers.get_content_type()
    except HTTPError as error:
        with error:
            return error.code, error.read(), ""


def to_local(url: str, site_url: str, base: str) -> str:
    """Map an absolute site_url link (canonical, sitemap, feed) to the local server."""
    assert url.startswith(site_url), f"{url} is not under site_url {site_url}"
    return base + url[len(site_url) :]


def sitemap_pages(folder: Path) -> list[str]:
    tree = ET.parse(folder / "sitemap.xml")
    return [loc.text or "" for loc in tree.getroot().iterfind("sm:url/sm:loc", SITEMAP_NS)]


def run_linkchecker(start_urls: list[str], base: str, tmp_path: Path) -> list[Checked]:
    config = tmp_path / "linkcheckerrc"
    # The AnchorCheck plugin reports links to #fragments that do not exist.
    # maxrequestspersecond only applies to servers that answer with a
    # "LinkChecker" header (ours does); the default throttles to ~3 per second.
    config.write_text("[checking]\nmaxrequestspersecond=1000\n[AnchorCheck]\n", encoding="utf-8")
    command = [
        *(str(Path(sys.executable).parent / "linkchecker"), "--config", str(config)),
        *("--no-status", "--verbose", "--output", "csv", "--recursion-level", "-1"),
        # Every URL on this server is checked, inside the sub-path or not (a link
        # that escapes /repo/ is broken on Pages); any other host is checked for
        # syntax only, because nothing may leave the machine.
        *("--check-extern", "--ignore-url", f"^(?!{re.escape(_origin(base))})"),
        *("--threads", "4", "--timeout", "30"),
        *start_urls,
    ]
    result = subprocess.run(command, capture_output=True, encoding="utf-8", check=False)
    # 0: all valid, 1: broken links found (reported below); anything else is a crash.
    assert result.returncode in (0, 1), result.stderr
    lines = result.stdout.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("urlname;parentname;"))
    body = "".join(line for line in lines[start:] if not line.startswith("# Stopped"))
    rows = csv.DictReader(io.StringIO(body), delimiter=";")
    return [
        Checked(
            url=row["url"],
            written=row["urlname"],
            parent=row["parentname"],
            result=row["result"],
            warning=row["warningstring"],
            valid=row["valid"] == "True",
        )
        for row in rows
    ]


class _Head(HTMLParser):
    """The `<link>`s, `<meta property>`s and Material's JSON config of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, str] = {}
        self.config = ""
        self._in_config = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "link":
            self.links.append(a)
        elif tag == "meta" and "property" in a:
            self.meta[a["property"]] = a.get("content", "")
        elif tag == "script" and a.get("id") == "__config":
            self._in_config = True

    def handle_endtag(self, tag: str) -> None:
        self._in_config = False

    def handle_data(self, data: str) -> None:
        if self._in_config:
            self.config += data


def head_of(html: str) -> _Head:
    parser = _Head()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module", params=SITES, ids=[site[0] for site in SITES])
def crawl(
    request: pytest.FixtureRequest,
    site_builder: Callable[..., Path],
    site_server: Callable[..., str],
    artifacts: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> CrawlResult:
    """Build, serve and crawl one site once for all the checks below.

    Returns (Crawl, site folder, sitemap pages); a summary goes to test-artifacts/.
    """
    name, site_url, prefix, overrides = request.param
    folder = site_builder(site_url=site_url, **overrides)
    base = site_server(folder, prefix, headers={"LinkChecker": "allow"})
    pages = sitemap_pages(folder)
    # A reader arrives at the home page: crawl from there, as they would click.
    checked = run_linkchecker([base], base, tmp_path_factory.mktemp("linkchecker"))
    reached = {c.url.split("#")[0] for c in checked if c.valid}
    unreached = [p for p in pages if to_local(p, site_url, base) not in reached]
    # Pages no link leads to are a failure of their own (below), but their
    # links are checked too, so one report shows everything that is broken.
    if unreached:
        more = [to_local(p, site_url, base) for p in unreached]
        checked += run_linkchecker(more, base, tmp_path_factory.mktemp("linkchecker"))
    result = Crawl(base=base, site_url=site_url, checked=checked, unreached=unreached)
    write_summary(result, prefix, artifacts, name)
    return result, folder, pages


def write_summary(result: Crawl, prefix: str, artifacts: Path, name: str) -> None:
    """What was crawled, for a person (and the README's figures) to read."""
    html_pages = {c.url for c in result.internal if c.valid and c.url.endswith(("/", ".html"))}
    summary = {
        "site_url": result.site_url,
        "served_at": prefix,
        "pages_crawled": len(html_pages),
        # LinkChecker checks (and reports) each distinct URL once, #anchors included.
        "urls_checked": len(result.internal),
        "pages_and_assets": len(result.ok),
        "unreached_from_home": result.unreached,
        "broken": result.broken,
    }
    artifacts.mkdir(exist_ok=True)
    (artifacts / f"crawl-{name}.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def test_no_broken_link_asset_or_anchor(crawl: CrawlResult) -> None:
    result, _, _ = crawl
    assert result.broken == []


def test_every_page_is_reachable_from_the_home_page(crawl: CrawlResult) -> None:
    result, _, pages = crawl
    assert pages, "the sitemap lists no page"
    assert result.unreached == [], "pages no link leads to from the home page"
    # Assets of every kind were fetched and found.
    kinds = {Path(urlsplit(u).path).suffix for u in result.ok}
    assert {".css", ".js"} <= kinds


def test_canonical_and_open_graph_urls_are_real_pages(crawl: CrawlResult) -> None:
    result, _, pages = crawl
    for page in pages:
        local = to_local(page, result.site_url, result.base)
        _, html, _ = fetch(local)
        head = head_of(html.decode("utf-8"))
        for link in head.links:
            if link.get("rel") == "canonical":
                assert link["href"] == page
        if "og:url" in head.meta:
            assert head.meta["og:url"] == page


def test_feeds_parse_and_their_items_link_to_real_pages(crawl: CrawlResult) -> None:
    result, _, pages = crawl
    feeds: set[str] = set()
    for page in [result.site_url, *pages]:
        local = to_local(page, result.site_url, result.base)
        _, html, _ = fetch(local)
        for link in head_of(html.decode("utf-8")).links:
            if link.get("rel") == "alternate" and link.get("type") in FEED_TYPES:
                feeds.add(urljoin(local, link["href"]))
    for feed_url in sorted(feeds):
        status, body, content_type = fetch(feed_url)
        assert status == 200, feed_url
        for link in feed_links(feed_url, body, content_type):
            target = to_local(link, result.site_url, result.base)
            assert fetch(target)[0] == 200, f"{feed_url} links to {link}"


def feed_links(feed_url: str, body: bytes, content_type: str) -> list[str]:
    """The item links of an RSS/Atom feed (parsed by feedparser) or a JSON Feed."""
    if content_type == "application/json" or feed_url.endswith(".json"):
        # feedparser 6.0 reads XML feeds only; JSON Feed 1.x is plain JSON.
        feed = json.loads(body)
        assert feed["version"].startswith("https://jsonfeed.org/version/1"), feed_url
        assert feed["items"], f"{feed_url} has no items"
        return [item["url"] for item in feed["items"]]
    feed = feedparser.parse(body)
    assert feed.bozo == 0, f"{feed_url}: {feed.get('bozo_exception')}"
    assert feed.entries, f"{feed_url} has no entries"
    return [entry.link for entry in feed.entries]


def test_the_search_worker_and_index_are_served(crawl: CrawlResult) -> None:
    result, _, pages = crawl
    for page in [result.site_url, *pages]:
        local = to_local(page, result.site_url, result.base)
        _, html, _ = fetch(local)
        config = json.loads(head_of(html.decode("utf-8")).config)
        base = urljoin(local, config["base"])
        assert base == result.base, f"{local}: Material's base resolves to {base}"
        if config.get("search"):
            worker = urljoin(local, config["search"])
            assert fetch(worker)[0] == 200, f"{local}: search worker {worker} is missing"


def test_the_crawl_reports_each_kind_of_breakage(tmp_path: Path, serve: Callable[..., str]) -> None:
    """The harness itself: a site with one breakage of each kind fails the crawl."""
    site = tmp_path / "site"
    (site / "page").mkdir(parents=True)
    (site / "index.html").write_text(
        '<!doctype html><html><head><link rel="stylesheet" href="style.css">'
        '<link rel="alternate" type="application/rss+xml" href="gone.xml"></head><body>'
        '<a href="page/">fine</a> <a href="page/#here">fine anchor</a>'
        '<a href="nowhere/">missing page</a> <a href="page/#nope">missing anchor</a>'
        '<a href="/outside/">escapes the sub-path</a> <img src="missing.png" alt="">'
        '<a href="https://example.org/">another host: syntax only</a></body></html>',
        encoding="utf-8",
    )
    (site / "page" / "index.html").write_text(
        '<!doctype html><html><body><h2 id="here">here</h2><script src="../gone.js"></script>'
        "</body></html>",
        encoding="utf-8",
    )
    (site / "style.css").write_text(
        "@font-face { font-family: x; src: url(fonts/missing.woff2); }", encoding="utf-8"
    )
    base = serve(site, "/repo/", headers={"LinkChecker": "allow"})
    crawl = Crawl(
        base=base,
        site_url="https://user.github.io/repo/",
        checked=run_linkchecker([base], base, tmp_path),
        unreached=[],
    )
    broken = {line.split(" on ", 1)[0] for line in crawl.broken}
    assert broken == {
        "gone.xml",
        "nowhere/",
        "page/#nope",
        "/outside/",
        "missing.png",
        "fonts/missing.woff2",
        "../gone.js",
    }


def article_titles(result: Crawl, pages: list[str]) -> dict[str, str]:
    """Local URL -> title of the article pages the sitemap lists."""
    titles = {}
    for page in pages:
        local = to_local(page, result.site_url, result.base)
        html = fetch(local)[1].decode("utf-8")
        meta = head_of(html).meta
        if meta.get("og:type") == "article":
            titles[local] = meta["og:title"]
    return titles


@pytest.mark.browser
def test_search_from_the_deepest_page_finds_articles_and_fetches_only_what_exists(
    crawl: CrawlResult, page: Any
) -> None:
    """The search index is fetched by script, so a browser does this part of the crawl."""
    result, _, pages = crawl
    titles = article_titles(result, pages)
    assert titles, "the sample site has no article"
    deepest = max(pages, key=lambda p: p.count("/"))
    page.goto(to_local(deepest, result.site_url, result.base))
    box = page.locator("input.md-search__input")
    for url, title in list(titles.items())[:3]:
        box.click()
        box.fill(title)
        # Material reads the box on keyup.
        box.press("End")
        page.wait_for_function(
            "path => [...document.querySelectorAll('.md-search-result__link')]"
            ".some(a => new URL(a.href).pathname === path)",
            arg=urlsplit(url).path,
        )
    # A query that matches nothing still fetches the shards its terms would live in.
    box.fill("qqqzzz Xyzzy42")
    box.press("End")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__meta').textContent.includes('没有找到')"
    )
    assert page.zhiku_failed == [], "search fetched files that are not there"
    assert page.zhiku_offsite == []
    assert page.zhiku_console_errors == []
