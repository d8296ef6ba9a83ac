"""Zhiku's bends of MkDocs give MkDocs' own answers: canonical URLs, theme files."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
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


def test_the_theme_files_a_serve_rebuild_adds_are_mkdocs_own(tmp_path: Path) -> None:
    """Bend 10: the same static files as MkDocs finds, from the right folder, after a file
    appears in the theme's own folder, and never over a docs file of the same name."""
    docs, overrides = tmp_path / "docs", tmp_path / "overrides"
    (docs / "css").mkdir(parents=True)
    (docs / "index.md").write_text("# 首页\n", encoding="utf-8")
    (docs / "css" / "mine.css").write_text("a {}", encoding="utf-8")
    overrides.mkdir()
    (overrides / "main.html").write_text("{% extends 'base.html' %}", encoding="utf-8")
    config_file = tmp_path / "mkdocs.yml"
    config_file.write_text(
        "site_name: t\ntheme:\n  name: material\n  custom_dir: overrides\n", encoding="utf-8"
    )

    def found() -> tuple[list[tuple[str, str | None]], list[tuple[str, str | None]]]:
        config = load_config(str(config_file))
        ours, theirs = get_files(config), get_files(config)
        env = config.theme.get_env()
        ours.add_files_from_theme(env, config)
        assert engine._Originals.theme_files is not None
        engine._Originals.theme_files(theirs, env, config)
        return [(f.src_uri, f.src_dir) for f in ours], [(f.src_uri, f.src_dir) for f in theirs]

    engine.install()  # one session: what the first call remembers, later calls reuse
    try:
        first = found()
        assert engine._theme_files, "nothing remembered"
        (overrides / "extra.txt").write_text("新", encoding="utf-8")
        (overrides / "css").mkdir()
        (overrides / "css" / "mine.css").write_text("b {}", encoding="utf-8")
        second = found()
    finally:
        engine.uninstall()
    for ours, theirs in (first, second):
        assert ours == theirs
    names = dict(second[0])
    assert names["extra.txt"] == str(overrides)
    assert names["css/mine.css"] == str(docs)  # the docs file, not the theme's
    assert "extra.txt" not in dict(first[0])
