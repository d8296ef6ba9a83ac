"""``mkdocs build`` after an edit rebuilds only the pages the edit changes, keeps the rest
of the site folder, and leaves it byte for byte the site a cold build makes.

Each build here runs as the ``mkdocs build`` command runs one: a fresh configuration (and
so fresh plugin instances, as in a new process), ``on_startup``, then
``mkdocs.commands.build.build`` looked up on its module, where zhiku/cache wraps it.
One case runs the real command twice.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.commands import build as build_command
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from test_render_cache import edit, pages_of, run, tree, write_site
from test_serve_incremental import EDITS, UNPUBLISH, assert_rebuilt_what_changed, rebuilt_pages

pytestmark = pytest.mark.slow


def mkdocs_build(config_file: Path, site: Path, strict: bool = True) -> set[str]:
    """One ``mkdocs build``; returns the pages it rendered (by output path)."""
    config = load_config(str(config_file), site_dir=str(site), strict=strict)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build_command.build(config)
    finally:
        config.plugins.on_shutdown()
    return rebuilt_pages(config)


def mtimes(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*")}


def cold_tree(config_file: Path, tmp_path: Path) -> dict[str, bytes]:
    """The same tree built from nothing (the cache moved aside)."""
    root = config_file.parent
    shutil.move(root / ".cache", tmp_path / "warm-cache")
    run(config_file, tmp_path / "cold")
    return tree(tmp_path / "cold")


def assert_same_site(warm: dict[str, bytes], cold: dict[str, bytes]) -> None:
    assert warm.keys() == cold.keys(), (
        f"left over: {sorted(warm.keys() - cold.keys())}, "
        f"missing: {sorted(cold.keys() - warm.keys())}"
    )
    for path in cold:
        assert warm[path] == cold[path], f"{path} differs from a cold build"


@pytest.mark.parametrize("change", list(EDITS))
def test_an_edit_rebuilds_what_it_changes_and_the_site_equals_a_cold_build(
    change: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    before = tree(site)
    EDITS[change](root)
    caplog.clear()
    rebuilt = mkdocs_build(config_file, site)
    after = tree(site)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], "a warning"

    assert_same_site(after, cold_tree(config_file, tmp_path))
    assert_rebuilt_what_changed(change, before, after, rebuilt)


def test_nothing_changed_rebuilds_nothing_and_rewrites_no_page(tmp_path: Path) -> None:
    config_file = write_site(tmp_path / "root")
    site = tmp_path / "site"
    mkdocs_build(config_file, site)

    def stamps() -> dict[str, int]:  # MkDocs writes 404.html and the sitemap every time
        return {p: t for p, t in mtimes(site).items() if p in pages_of(tree(site))}

    before = stamps()
    assert mkdocs_build(config_file, site) == set()
    assert stamps() == before


def test_a_site_folder_changed_by_hand_is_built_again_whole(tmp_path: Path) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    site = tmp_path / "site"
    everything = mkdocs_build(config_file, site)
    page = site / "a" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("甲", "X"), encoding="utf-8")
    (site / "stray.txt").write_text("not from the build", encoding="utf-8")
    assert mkdocs_build(config_file, site) == everything
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


def test_a_failed_build_is_followed_by_a_full_one(tmp_path: Path) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    site = tmp_path / "site"
    everything = mkdocs_build(config_file, site)
    good = (root / "docs" / "d.md").read_text(encoding="utf-8")
    (root / "docs" / "d.md").write_text(good.replace("title: 丁", "title: [丁"), "utf-8")
    with pytest.raises(Abort):
        mkdocs_build(config_file, site)
    (root / "docs" / "d.md").write_text(good, encoding="utf-8")
    assert mkdocs_build(config_file, site) == everything
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


def test_pages_in_the_navigation_keep_their_titles_on_pages_rebuilt(tmp_path: Path) -> None:
    """A rebuilt page shows the titles of pages in the navigation the build did not read."""
    root = tmp_path / "root"
    config_file = write_site(root)
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["nav"] = ["index.md", "a.md", "b.md"]  # titles from the pages themselves
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    edit(root / "docs" / "e.md", "分词的原理", "分词的新原理")
    rebuilt = mkdocs_build(config_file, site)
    assert "e/index.html" in rebuilt and "a/index.html" not in rebuilt
    assert "甲：注意力机制" in (site / "e" / "index.html").read_text(encoding="utf-8")
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


def test_the_mkdocs_build_command_says_what_it_rebuilt(tmp_path: Path) -> None:
    """The real command, twice with an edit between: strict, no word of a dirty build."""
    root = tmp_path / "root"
    config_file = write_site(root)
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file)]
    first = subprocess.run(command, cwd=root, capture_output=True, encoding="utf-8", check=False)
    assert first.returncode == 0, first.stderr
    assert "zhiku/cache: rebuilt" not in first.stderr
    edit(root / "docs" / "e.md", "分词的原理", "分词的新原理")
    second = subprocess.run(command, cwd=root, capture_output=True, encoding="utf-8", check=False)
    assert second.returncode == 0, second.stderr
    assert "dirty" not in second.stderr.lower(), second.stderr
    assert "zhiku/cache: rebuilt" in second.stderr, second.stderr
    assert "分词的新原理" in (root / "site" / "e" / "index.html").read_text(encoding="utf-8")


def test_damaged_cache_files_cost_time_never_correctness(tmp_path: Path) -> None:
    """Every file Zhiku keeps in .cache cut short: the next build is whole and right."""
    root = tmp_path / "root"
    config_file = write_site(root)
    site = tmp_path / "site"
    everything = mkdocs_build(config_file, site)
    kept = sorted(p for p in (root / ".cache").rglob("*") if p.suffix in (".pickle", ".sqlite"))
    # One file: the catalogue, the listing memory, rendered pages, the site record.
    assert [p.name for p in kept] == ["build.sqlite"], kept
    for path in kept:
        path.write_bytes(path.read_bytes()[:100])
    edit(root / "docs" / "e.md", "分词的原理", "分词的新原理")
    assert mkdocs_build(config_file, site) == everything
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


def test_a_page_that_warned_warns_again_and_fails_a_strict_build(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Kept pages are not built again, but a page whose build warned is: its warning is
    said on every build, and `--strict` fails as it would on a cold build."""
    root = tmp_path / "root"
    config_file = write_site(root)
    site = tmp_path / "site"
    page = root / "docs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[缺失](missing.md)\n", "utf-8")
    for _ in range(2):
        caplog.clear()
        rebuilt = mkdocs_build(config_file, site, strict=False)
        assert "a/index.html" in rebuilt
        assert any("missing.md" in r.getMessage() for r in caplog.records if r.levelno >= 30)
    with pytest.raises(Abort):
        mkdocs_build(config_file, site)


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory urls", "file urls"])
@pytest.mark.parametrize("change", list(UNPUBLISH))
def test_an_article_withheld_after_a_build_is_gone_from_the_next(
    change: str, directory_urls: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A draft, an article re-dated into the future, or one the build's today moved back
    before: its page, and every listing, feed and index entry naming it, are gone."""
    monkeypatch.setenv("ZHIKU_TODAY", "2026-03-01")
    root = tmp_path / "root"
    config_file = write_site(root)
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["use_directory_urls"] = directory_urls
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    page = "a/index.html" if directory_urls else "a.html"
    assert "注意力" in (site / page).read_text(encoding="utf-8")
    UNPUBLISH[change](root)
    mkdocs_build(config_file, site)
    after = tree(site)
    assert page not in after, "the withheld article is still published"
    assert not [p for p, data in after.items() if "甲：注意力机制".encode() in data]
    assert_same_site(after, cold_tree(config_file, tmp_path))
