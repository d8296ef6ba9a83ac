from pathlib import Path
from typing import Any


def test_home_page_opens_offline(sample_site: Path, serve: Any, page: Any) -> None:
    base = serve(sample_site)
    page.goto(base)
    assert "知库" in page.title()
    assert page.zhiku_offsite == [], "the page tried to reach another host"
    assert page.zhiku_console_errors == []


def test_a_page_load_does_not_download_the_whole_sitemap(
    sample_site: Path, serve: Any, page: Any
) -> None:
    # Material fetches the sitemap.xml beside every <link rel="alternate">; the feed
    # links must not make every reader download the site's full sitemap (hundreds
    # of KB at a few thousand articles) on every page.
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    base = serve(sample_site)
    page.goto(base, wait_until="networkidle")
    assert (sample_site / "sitemap.xml").is_file()
    assert base + "sitemap.xml" not in requested
    assert page.zhiku_failed == []
    feeds = page.eval_on_selector_all(
        'link[rel="alternate"]', "links => links.map(l => l.getAttribute('type'))"
    )
    assert sorted(feeds) == ["application/atom+xml", "application/feed+json", "application/rss+xml"]
