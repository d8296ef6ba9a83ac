"""Redirect pages from old URLs (``aliases:``): where they go, what they link to, and the
pages they must never replace."""

from __future__ import annotations

import html.parser

import pytest

from zhiku.listing.redirects import alias_line, plan_redirects, redirect_path
from zhiku.listing.urls import Urls


@pytest.mark.parametrize(
    ("alias", "path"),
    [
        ("/2021/06/29/old-post/", "2021/06/29/old-post/index.html"),
        ("2021/06/29/old-post", "2021/06/29/old-post/index.html"),
        ("posts/old.html", "posts/old.html"),
        ("/p/4a17b156.html", "p/4a17b156.html"),
        ("/%E6%9C%BA%E5%99%A8/x/", "机器/x/index.html"),
        ("/acm/Round%20%23734/", "acm/Round #734/index.html"),
        ("/a/b/#section", "a/b/index.html"),
        ("/", None),
        ("/../etc/passwd", None),
        ("https://elsewhere.example/x/", None),
    ],
)
def test_where_an_old_url_is_served_from(alias: str, path: str | None) -> None:
    assert redirect_path(alias) == path


class Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("http-equiv") == "refresh":
            self.found["refresh"] = str(values["content"])
        elif tag == "link" and values.get("rel") == "canonical":
            self.found["canonical"] = str(values["href"])
        elif tag == "a":
            self.found["a"] = str(values["href"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


@pytest.mark.parametrize(
    ("directory_urls", "target"), [(True, "../../../../q-a.md/"), (False, "../../../../q-a.html")]
)
def test_a_redirect_links_relatively_and_escapes_the_title(
    directory_urls: bool, target: str
) -> None:
    urls = Urls(directory_urls=directory_urls, site_url="https://example.org/sub/")
    made, refused = plan_redirects(
        [("q-a.md", "Q&A <研究>", ["/2021/06/29/old/"])], urls, taken=set()
    )
    assert refused == []
    (page,) = made
    assert page.path == "2021/06/29/old/index.html"
    parsed = Links()
    parsed.feed(page.html)
    want = target.replace(".md/", "/")
    assert parsed.found == {
        "refresh": f"0; url={want}",
        "canonical": "https://example.org/sub/" + want.removeprefix("../../../../"),
        "a": want,
    }
    assert "Q&A <研究>" in "".join(parsed.text)
    assert "<研究>" not in page.html


def test_a_redirect_never_replaces_a_page_and_one_alias_has_one_article() -> None:
    urls = Urls(site_url="https://example.org/")
    made, refused = plan_redirects(
        [
            ("a.md", "A", ["/about/", "/old/", "/a/"]),
            ("b.md", "B", ["/old/"]),
        ],
        urls,
        taken={"about/index.html"},
    )
    assert [r.path for r in made] == ["old/index.html"]  # /a/ is a.md's own URL
    assert [(r.src_uri, r.alias) for r in refused] == [("a.md", "/about/"), ("b.md", "/old/")]
    assert refused[0].reason.startswith("is where the site has a page (about/index.html)")


def test_the_line_of_an_alias_in_front_matter() -> None:
    text = "---\ntitle: x\ndate: 2021-01-01\naliases:\n  - /a/\n  - /b/\n---\n\n/b/ in the body\n"
    assert alias_line(text, "/b/") == 6
    assert alias_line("---\naliases: [/a/, /b/]\n---\n", "/b/") == 2
