"""Our URL rules must agree with MkDocs' own, or generated links would break."""

from __future__ import annotations

import posixpath

import pytest
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from zhiku.listing import Urls

SOURCES = [
    "index.md",
    "clip.md",
    "a/b.md",
    "a/index.md",
    "page/2.md",
    "category/large-model/index.md",
    "category/large-model/page/3.md",
    "tags/index.md",
    "README.md",
]


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("src", SOURCES)
def test_url_matches_mkdocs(src: str, directory_urls: bool) -> None:
    expected = File(src, "/docs", "/site", directory_urls).url
    got = Urls(directory_urls).url(src)
    assert got == expected or (got == "" and expected == "./")


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("here", SOURCES)
@pytest.mark.parametrize("there", [*SOURCES, "feeds/rss.xml"])
def test_link_reaches_the_same_file_as_mkdocs_link(
    here: str, there: str, directory_urls: bool
) -> None:
    urls = Urls(directory_urls)
    here_url = File(here, "/docs", "/site", directory_urls).url
    there_url = File(there, "/docs", "/site", directory_urls).url
    folder = here_url if here_url.endswith("/") else posixpath.dirname(here_url)

    def reached(link: str) -> str:
        return posixpath.normpath(posixpath.join("/", folder, link))

    assert reached(urls.link(here, urls.url(there))) == reached(
        get_relative_url(there_url, here_url)
    )


def test_absolute_under_sub_path() -> None:
    urls = Urls(True, "https://user.github.io/repo/")
    assert urls.absolute(urls.url("tags/vae/index.md")) == "https://user.github.io/repo/tags/vae/"
    assert urls.absolute(urls.url("index.md")) == "https://user.github.io/repo/"


@pytest.mark.parametrize("directory_urls", [True, False])
@pytest.mark.parametrize("here", SOURCES)
def test_root_prefix_reaches_every_page(here: str, directory_urls: bool) -> None:
    urls = Urls(directory_urls)
    page_url = urls.url(here)
    folder = page_url if page_url.endswith("/") or not page_url else posixpath.dirname(page_url)
    for there in SOURCES:
        target = urls.url(there)
        resolved = posixpath.normpath(posixpath.join("/", folder, urls.root(here) + target))
        assert resolved.rstrip("/") == posixpath.normpath("/" + target).rstrip("/")
