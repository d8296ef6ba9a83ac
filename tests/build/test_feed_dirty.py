"""`mkdocs serve --dirtyreload`: an edited article shows on every listing at the next reload.

This drives MkDocs the way ``mkdocs serve --dirtyreload`` does: one ``on_startup``,
then for each reload a fresh ``load_config`` (the plugin instance is kept) and
``build(config, dirty=True)``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from feed_sites import article, card_titles, config_for, write_site
from mkdocs.commands.build import build

ARTICLES = {
    "a.md": article("甲：注意力机制", "2026-01-15", "Large Model", ["Transformer"], "甲。"),
    "b.md": article("乙：扩散模型", "2026-01-12", "Generative Model", ["扩散模型"], "乙。"),
    "c.md": article("丙：VAE", "2026-01-10", "Generative Model", ["VAE"], "丙。"),
    "d.md": article("丁：显存优化", "2025-12-01", "Large Model", ["显存"], "丁。"),
}


@pytest.fixture
def serve_dirty(tmp_path: Path):  # type: ignore[no-untyped-def]
    config_file = write_site(tmp_path, ARTICLES, plugin={"pagination_per_page": 2}, cache=True)
    site = tmp_path / "site"
    first = config_for(config_file, site)
    first.plugins.on_startup(command="serve", dirty=True)

    def reload() -> Path:
        # Not strict: MkDocs warns on every dirty build that dirty builds may be inaccurate.
        build(config_for(config_file, site, strict=False), dirty=True)
        return site

    yield tmp_path / "docs", reload
    first.plugins.on_shutdown()


def _edit(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    # An editor's save is always later than the last build; make sure the clock says so.
    if path.stat().st_mtime_ns <= before + 1_000_000:
        os.utime(path, ns=(before + 10_000_000, before + 10_000_000))


def test_two_dirty_reloads_in_a_row_update_every_listing(serve_dirty) -> None:  # type: ignore[no-untyped-def]
    docs, reload = serve_dirty
    site = reload()
    assert card_titles(site / "index.html") == ["甲：注意力机制", "乙：扩散模型"]
    untouched = site / "tags" / "transformer" / "index.html"
    untouched_mtime = untouched.stat().st_mtime_ns

    # Reload 1: 丙 gets a new title, a newer date, another category and other tags.
    edited = article("丙：VAE 新标题", "2026-01-20", "Deep Learning", ["重参数"], "丙。")
    _edit(docs / "c.md", edited)
    site = reload()
    assert card_titles(site / "index.html") == ["丙：VAE 新标题", "甲：注意力机制"]
    assert card_titles(site / "page" / "2" / "index.html") == ["乙：扩散模型", "丁：显存优化"]
    assert card_titles(site / "category" / "deep-learning" / "index.html") == ["丙：VAE 新标题"]
    assert card_titles(site / "category" / "generative-model" / "index.html") == ["乙：扩散模型"]
    assert card_titles(site / "tags" / "zhong-canshu" / "index.html") == ["丙：VAE 新标题"]
    tags_index = (site / "tags" / "index.html").read_text(encoding="utf-8")
    assert ">重参数</a>" in tags_index and ">VAE</a>" not in tags_index
    article_page = (site / "c" / "index.html").read_text(encoding="utf-8")
    assert 'datetime="2026-01-20"' in article_page and ">Deep Learning</a>" in article_page
    # A listing whose content did not change is not rendered again.
    assert untouched.stat().st_mtime_ns == untouched_mtime

    # Reload 2: only the title changes again; it shows everywhere the article is listed.
    _edit(docs / "c.md", edited.replace("丙：VAE 新标题", "丙：第三个标题"))
    site = reload()
    assert card_titles(site / "index.html")[0] == "丙：第三个标题"
    assert card_titles(site / "category" / "deep-learning" / "index.html") == ["丙：第三个标题"]
    assert card_titles(site / "tags" / "zhong-canshu" / "index.html") == ["丙：第三个标题"]
    assert "丙：第三个标题" in (site / "archive" / "index.html").read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == untouched_mtime


def test_dirty_reload_shows_a_new_article_and_forgets_a_deleted_one(serve_dirty) -> None:  # type: ignore[no-untyped-def]
    docs, reload = serve_dirty
    reload()
    (docs / "e.md").write_text(
        article("戊：新文章", "2026-02-01", "Large Model", ["Transformer"], "戊。"),
        encoding="utf-8",
    )
    (docs / "a.md").unlink()
    site = reload()
    assert card_titles(site / "index.html") == ["戊：新文章", "乙：扩散模型"]
    assert card_titles(site / "tags" / "transformer" / "index.html") == ["戊：新文章"]
    assert card_titles(site / "category" / "large-model" / "index.html") == [
        "戊：新文章",
        "丁：显存优化",
    ]


def test_a_reload_parses_only_the_edited_article(serve_dirty, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import zhiku.articles.catalogue as catalogue_module

    docs, reload = serve_dirty
    reload()
    parsed: list[str] = []
    real = catalogue_module.parse_article
    monkeypatch.setattr(
        catalogue_module,
        "parse_article",
        lambda path, text: parsed.append(path) or real(path, text),
    )
    _edit(
        docs / "b.md", article("乙：新标题", "2026-01-12", "Generative Model", ["扩散模型"], "乙。")
    )
    site = reload()
    assert [Path(path).name for path in parsed] == ["b.md"]
    assert card_titles(site / "index.html") == ["甲：注意力机制", "乙：新标题"]


def test_an_edit_that_keeps_size_and_mtime_still_shows(serve_dirty) -> None:  # type: ignore[no-untyped-def]
    # Articles are remembered by content, not by file time and size: a checkout or a sync
    # tool can restore an old mtime, and a one-character fix keeps the size.
    docs, reload = serve_dirty
    reload()
    path = docs / "b.md"
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("乙：扩散", "乙：擴散"), "utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size
    site = reload()
    assert card_titles(site / "index.html") == ["甲：注意力机制", "乙：擴散模型"]
