"""One catalogue per build: listings and search share one reading of ``content/``, a cold
build reuses ``.cache/zhiku/`` with the same output, and a bad file is one error line."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from feed_sites import article, build_once, write_site
from mkdocs.exceptions import Abort, PluginError

import zhiku.articles.catalogue as catalogue_module
import zhiku.glue.catalogue as glue_catalogue
from zhiku.build import store as stores

pytestmark = pytest.mark.slow

ARTICLES = {
    "a.md": article("甲：注意力机制", "2026-01-15", "Large Model", ["Transformer"], "甲。注意力。"),
    "b.md": article("乙：扩散模型", "2026-01-12", "Generative Model", ["扩散模型"], "乙。扩散。"),
    "notes/c.md": article("丙：VAE", "2026-01-10", "Generative Model", ["VAE"], "丙。变分。"),
}


def with_search(config_file: Path) -> Path:
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"] = ["zhiku/search", *config["plugins"]]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_file


@pytest.fixture
def parses(parses: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The pages the catalogue parses, as errors name them (from the site's folder)."""
    monkeypatch.chdir(tmp_path)
    # Each test starts as a fresh `mkdocs` process would: no catalogue in memory.
    monkeypatch.setattr(glue_catalogue, "_catalogues", {})
    monkeypatch.setattr(glue_catalogue, "_last", {})
    return parses


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def kept_catalogue(root: Path) -> dict[str, bytes] | None:
    """The catalogue as the build's store beside mkdocs.yml holds it (None: not kept)."""
    path = root / ".cache" / "zhiku" / stores.FILE_NAME
    return catalogue_module.kept_parts(path) or None


def test_listings_and_search_share_one_reading(tmp_path: Path, parses: list[str]) -> None:
    config = with_search(write_site(tmp_path, ARTICLES))
    site = build_once(config, tmp_path / "site")
    # Every page (home included) parsed once, though two plugins needed the articles.
    assert sorted(parses) == sorted(f"docs/{name}" for name in ["index.md", *ARTICLES])
    assert (site / "notes" / "c" / "index.html").is_file()
    assert (site / "search" / "d" / "2-0.js").is_file()  # three articles indexed
    assert kept_catalogue(tmp_path) is not None


def test_a_cold_build_from_the_cache_parses_nothing_and_builds_the_same_site(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = with_search(write_site(tmp_path, ARTICLES))
    first = tree(build_once(config, tmp_path / "one"))
    # A new process: the catalogue comes back from .cache/zhiku/ alone.
    monkeypatch.setattr(glue_catalogue, "_catalogues", {})
    parses.clear()
    second = tree(build_once(config, tmp_path / "two"))
    assert parses == []
    assert second == first


def test_an_edit_between_cold_builds_is_seen(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    config = with_search(write_site(tmp_path, ARTICLES))
    build_once(config, tmp_path / "site")
    edited = ARTICLES["b.md"].replace("乙：扩散模型", "乙：新标题")
    (tmp_path / "docs" / "b.md").write_text(edited, encoding="utf-8")
    monkeypatch.setattr(glue_catalogue, "_catalogues", {})
    parses.clear()
    site = build_once(config, tmp_path / "site")
    assert parses == ["docs/b.md"]
    assert "乙：新标题" in (site / "index.html").read_text(encoding="utf-8")
    assert "乙：新标题" in (site / "b" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("plugins", [["zhiku/feed"], ["zhiku/search", "zhiku/feed"]])
def test_an_undecodable_page_is_one_error_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, parses: list[str], plugins: list[str]
) -> None:
    config = write_site(tmp_path, ARTICLES)
    if "zhiku/search" in plugins:
        with_search(config)
    (tmp_path / "docs" / "gbk.md").write_bytes(ARTICLES["a.md"].encode("gbk"))
    with pytest.raises((PluginError, Abort)):
        build_once(config, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, errors
    assert errors[0].endswith("docs/gbk.md:1: the file is not UTF-8 text; save it as UTF-8")


def test_serve_writes_the_cache_once_then_when_it_stops(
    tmp_path: Path, parses: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from feed_sites import config_for
    from mkdocs.commands.build import build

    config_file = with_search(write_site(tmp_path, ARTICLES))
    first = config_for(config_file, tmp_path / "site")
    first.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config_for(config_file, tmp_path / "site", strict=False))
        written = kept_catalogue(tmp_path)
        edited = ARTICLES["b.md"].replace("乙：扩散模型", "乙：新标题")
        (tmp_path / "docs" / "b.md").write_text(edited, encoding="utf-8")
        build(config_for(config_file, tmp_path / "site", strict=False))
        # A reload does not pay for writing the file: memory is the cache while serving.
        assert kept_catalogue(tmp_path) == written
    finally:
        first.plugins.on_shutdown()
    assert kept_catalogue(tmp_path) != written
    # The next process starts from what the session last saw.
    monkeypatch.setattr(glue_catalogue, "_catalogues", {})
    parses.clear()
    site = build_once(config_file, tmp_path / "cold")
    assert parses == []
    assert "乙：新标题" in (site / "index.html").read_text(encoding="utf-8")


def test_an_unwritable_cache_is_one_error_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, parses: list[str]
) -> None:
    config = with_search(write_site(tmp_path, ARTICLES))
    (tmp_path / ".cache").write_text("not a folder", encoding="utf-8")
    with pytest.raises((PluginError, Abort)):
        build_once(config, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, errors
    assert errors[0].startswith(".cache: a file stands where Zhiku needs a folder; move or delete")
