"""The remembered canonical URLs are MkDocs' own, for any site URL and page URL."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.structure.pages import Page

from zhiku.glue import engine

SEGMENT = st.text(st.sampled_from("ab-_.%中文 0"), min_size=1, max_size=6)
PAGE_URL = st.lists(SEGMENT, max_size=3).map("/".join) | st.sampled_from(
    ["", "./", "a/", "a/b.html", "../up/", "404.html", "a/b/#x", "a/?q=1"]
)
SITE_URL = st.sampled_from(
    [
        None,
        "",
        "https://example.org",
        "https://example.org/",
        "https://example.org/notes",
        "https://example.org/notes/",
        "http://127.0.0.1:8000/",
        "https://例子.中国/知库/",
    ]
)


class _Page:
    canonical_url: str | None
    abs_url: str | None

    def __init__(self, url: str) -> None:
        self.url = url


@given(SITE_URL, PAGE_URL)
def test_a_pages_canonical_url_is_mkdocs_own(base: str | None, url: str) -> None:
    ours, theirs = _Page(url), _Page(url)
    engine._canonical_url(ours, base)  # type: ignore[arg-type]
    Page._set_canonical_url(theirs, base)  # type: ignore[arg-type]
    assert (ours.canonical_url, ours.abs_url) == (theirs.canonical_url, theirs.abs_url)


def test_builds_put_it_in_place_and_take_it_away() -> None:
    original = Page._set_canonical_url
    engine.install_build(lambda config: False, lambda config: None)
    try:
        assert Page._set_canonical_url is engine._canonical_url
    finally:
        engine.uninstall_build()
    assert Page._set_canonical_url is original
