"""The search index a strict build of the sample site produces, and what it leaves out."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from zhiku.articles import parse_article
from zhiku.build import store as stores
from zhiku.listing.paperpages import search_articles
from zhiku.listing.urls import Urls
from zhiku.search.build import TERMS, TERMS_KEY
from zhiku.search.shards import (
    FORMAT,
    decode_varints,
    fnv1a,
    read_index_file,
    read_manifest,
    shard_key,
    term_postings,
)
from zhiku.search.tokens import default_stopwords, index_terms, t2s_table
from zhiku.text.segment import default_tokenizer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def shared_conftest() -> Any:
    """tests/conftest.py: loaded by path, since "conftest" may name tests/browser's."""
    spec = importlib.util.spec_from_file_location("zhiku_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def articles() -> list[tuple[str, str]]:
    """(slug, title) of the sample site's articles, newest first as the index numbers them."""
    found = []
    for path in sorted((ROOT / "content").glob("*.md")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        if article:
            found.append((article.date, f"{article.slug}/", article.title))
    found.sort(reverse=True)  # as the plugin numbers them: by date, then URL, descending
    return [(url[:-1], title) for _, url, title in found]


def documents() -> list[tuple[str, str]]:
    """(URL, title) of what the sample's index holds, numbered as the plugin numbers them:
    its articles and its paper pages (papers/<id>/), by date, then URL, descending."""
    parsed = []
    for path in sorted((ROOT / "content").glob("*.md")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        if article:
            parsed.append(article)
    urls = Urls(directory_urls=True)
    found = [(a.date, f"{a.slug}/", a.title) for a in parsed]
    found += [(p.date, urls.url(p.path), p.title) for p in search_articles(parsed)]
    found.sort(reverse=True)
    return [(url, title) for _, url, title in found]


def test_sample_site_index(sample_site: Path) -> None:
    search = sample_site / "search"
    info = read_manifest((search / "search_index.json").read_text("utf-8"))
    assert info["format"] == FORMAT
    assert info["docs"] == len(documents()) > len(articles())
    # Every article and paper page has its first piece of text, under the URL the site
    # serves it at.
    for doc_id, (url, title) in enumerate(documents()):
        piece = read_index_file((search / f"d/{doc_id}-0.js").read_text("utf-8"))
        assert (piece["u"], piece["t"]) == (url, title)
        assert (sample_site / url / "index.html").exists()


def test_material_lunr_search_is_replaced_not_shipped(sample_site: Path) -> None:
    assert not (sample_site / "assets" / "javascripts" / "lunr").exists()
    workers = list((sample_site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    assert len(workers) == 1
    assert "zhiku/search/engine.mjs" in workers[0].read_text("utf-8")
    assert (sample_site / "assets" / "zhiku" / "search" / "tokenize.mjs").exists()
    home = (sample_site / "index.html").read_text("utf-8")
    assert 'class="md-search__input"' in home  # Material's header search box is there


def test_article_titles_are_indexed(sample_site: Path) -> None:
    info = read_manifest((sample_site / "search" / "search_index.json").read_text("utf-8"))
    slug, title = articles()[0]
    tokenizer, t2s, stopwords = default_tokenizer(), t2s_table(), default_stopwords()
    for term, _ in index_terms(title, tokenizer, t2s, stopwords):
        shard_file = f"t/{fnv1a(shard_key(term)) % info['shards']}.js"
        shard = read_index_file((sample_site / "search" / shard_file).read_text("utf-8"))
        assert term in shard, f"{term!r} from the title of {slug} is not a term"
        postings = term_postings(
            shard[term], lambda path: (sample_site / "search" / path).read_bytes()
        )
        assert decode_varints(postings)[0] == 0  # document 0, the newest article


def test_urls_follow_use_directory_urls(build_site: Callable[..., Path], tmp_path: Path) -> None:
    config = shared_conftest().copy_sample_config(
        tmp_path, **{"use_directory_urls: true": "use_directory_urls: false"}
    )
    site = build_site(config)
    slug, _ = articles()[0]
    piece = read_index_file((site / "search" / "d" / "0-0.js").read_text("utf-8"))
    assert piece["u"] == f"{slug}.html"


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Each build's indexing report, in order (indexing runs in a worker process)."""
    import zhiku.glue.search as glue

    seen: list[Any] = []
    real = glue.IndexWorker.result
    monkeypatch.setattr(
        glue.IndexWorker, "result", lambda self: seen.append(real(self)) or seen[-1]
    )
    return seen


def kept_terms(root: Path) -> bytes | None:
    """The terms cache the build's store beside mkdocs.yml holds."""
    return stores.peek(root / ".cache" / "zhiku" / stores.FILE_NAME, TERMS, TERMS_KEY)


def test_a_rebuild_segments_only_changed_articles(
    build_site: Callable[..., Path], tmp_path: Path, reports: list[Any]
) -> None:
    config = shared_conftest().copy_sample_config(tmp_path)
    first = build_site(config)
    assert reports[0].segmented == reports[0].docs == len(documents())
    assert kept_terms(tmp_path) is not None
    index = {p.relative_to(first): p.read_bytes() for p in (first / "search").rglob("*.js*")}

    second = build_site(config)
    assert reports[1].segmented == 0  # every article came from the cache
    assert {
        p.relative_to(second): p.read_bytes() for p in (second / "search").rglob("*.js*")
    } == index


def test_without_the_cache_every_build_segments_and_nothing_is_kept(
    build_site: Callable[..., Path], tmp_path: Path, reports: list[Any]
) -> None:
    config = shared_conftest().copy_sample_config(
        tmp_path, **{"  - zhiku/search\n": "  - zhiku/search:\n      cache: false\n"}
    )
    build_site(config)
    site = build_site(config)
    assert [r.segmented for r in reports] == [len(documents())] * 2
    assert kept_terms(tmp_path) is None
    assert read_manifest((site / "search" / "search_index.json").read_text("utf-8"))["docs"]


@pytest.mark.parametrize("entry", ["search", "material/search"])
def test_materials_search_next_to_ours_is_a_build_error(
    tmp_path: Path, entry: str, caplog: pytest.LogCaptureFixture
) -> None:
    # Regression: the build passed and the box stayed at 正在初始化搜索引擎.
    from mkdocs.exceptions import Abort

    shared = shared_conftest()
    config = shared.copy_sample_config(
        tmp_path, **{"  - zhiku/search\n": f"  - zhiku/search\n  - {entry}\n"}
    )
    with pytest.raises(Abort):
        shared.build(config, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert errors == [
        f"{config}: plugins: Material's `search` is listed next to `zhiku/search`; "
        "remove `- search`, zhiku/search replaces it"
    ]
    assert not (tmp_path / "site" / "search").exists()


def test_paper_pages_are_found_by_search(sample_site: Path) -> None:
    """Each papers/<id>/ page is a document of the index, titled by its paper."""
    pieces = [
        read_index_file(path.read_text("utf-8"))
        for path in (sample_site / "search" / "d").glob("*-0.js")
    ]
    papers = [piece for piece in pieces if str(piece.get("u", "")).startswith("papers/")]
    assert papers, sorted(str(piece.get("u")) for piece in pieces)[:5]
