"""Drafts and scheduled articles: kept out of `mkdocs build`, shown marked under serve."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from feed_sites import article, card_titles, config_for, write_site
from mkdocs.commands.build import build
from mkdocs.exceptions import Abort, PluginError

BODY = "共同的注意力机制笔记。Transformer 注意力 多头注意力。"
PAGES = {
    "pub.md": article(
        "已发布：注意力",
        "2026-01-10",
        "Large Model",
        ["Transformer"],
        BODY + " 草稿见 [[draft|下一篇]]，也见 [[later]]。",
    ),
    "old.md": article("旧文：多头注意力", "2025-12-01", "Large Model", ["Transformer"], BODY),
    "draft.md": article(
        "草稿：zebracornflakes 注意力",
        "2025-12-20",
        "Large Model",
        ["Transformer", "草稿专用标签"],
        BODY + " 只在草稿里的句子 quokkadraftphrase。",
        draft=True,
    ),
    "later.md": article(
        "定时：platypusfuture 注意力",
        "2026-06-01",
        "Future Category",
        ["Transformer"],
        BODY + " 定时文章的句子 platypusfuture。",
    ),
}
SECRETS = (
    "quokkadraftphrase",
    "zebracornflakes",
    "platypusfuture",
    "草稿专用标签",
    "draft/",
    "later/",
)


def _site(tmp_path: Path) -> Path:
    config_file = write_site(tmp_path, PAGES)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"] = ["zhiku/search", *config["plugins"]]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return config_file


def _build(config_file: Path, site: Path, command: str) -> Path:
    config = config_for(config_file, site, strict=command == "build")
    config.plugins.on_startup(command=command, dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return site


def test_a_build_publishes_no_trace_of_drafts_or_future_articles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHIKU_TODAY", "2026-01-15")
    site = _build(_site(tmp_path), tmp_path / "site", "build")
    assert (site / "pub" / "index.html").is_file()
    assert not (site / "draft").exists() and not (site / "later").exists()
    assert not (site / "category" / "future-category").exists()
    leaks = []
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            leaks += [f"{path.relative_to(site)}: {s}" for s in SECRETS if s in text]
    assert leaks == []
    assert card_titles(site / "index.html") == ["已发布：注意力", "旧文：多头注意力"]
    # A wiki link to a withheld article is its text, unlinked, and not an error.
    assert "草稿见 下一篇，也见 later。" in (site / "pub" / "index.html").read_text("utf-8")


def test_a_scheduled_article_is_published_from_its_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHIKU_TODAY", "2026-06-01")
    site = _build(_site(tmp_path), tmp_path / "site", "build")
    assert card_titles(site / "index.html")[0] == "定时：platypusfuture 注意力"
    assert "/later/" in (site / "sitemap.xml").read_text(encoding="utf-8")
    assert not (site / "draft").exists()


def test_serve_shows_drafts_and_scheduled_articles_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ZHIKU_TODAY", "2026-01-15")
    site = _build(_site(tmp_path), tmp_path / "site", "serve")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert card_titles(site / "index.html")[0] == "定时：platypusfuture 注意力"
    assert '<span class="zk-badge zk-badge--draft"' in home
    assert '<span class="zk-badge zk-badge--scheduled"' in home
    draft = (site / "draft" / "index.html").read_text(encoding="utf-8")
    assert ">草稿</span>" in draft.split('<header class="zk-article-header">', 1)[1]


def test_a_bad_today_stops_the_build_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("ZHIKU_TODAY", "2026-1-5")
    with pytest.raises((PluginError, Abort)):
        _build(_site(tmp_path), tmp_path / "site", "build")
    assert "ZHIKU_TODAY=2026-1-5 is not a YYYY-MM-DD date; set it like" in caplog.text
