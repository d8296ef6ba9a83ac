"""Wiki links resolve to articles; every article lists the articles that link to it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from feed_sites import article, build_once, config_for, write_site
from mkdocs.commands.build import build
from mkdocs.exceptions import Abort

PAGES = {
    "clip.md": article("CLIP算法原理", "2026-01-10", "LM", ["CLIP"], "对比学习。"),
    "vit.md": article("ViT 入门", "2026-01-11", "LM", ["ViT"], "图像切块。"),
    "notes.md": article(
        "读书笔记",
        "2026-01-12",
        "LM",
        ["笔记"],
        "见 [[CLIP算法原理]] 和 [[vit|视觉 Transformer]]。\n\n"
        "普通链接也算：[ViT](vit.md)。代码里的 `[[clip]]` 不算。\n",
    ),
}


def test_wiki_links_resolve_by_title_and_slug_and_make_backlinks(tmp_path: Path) -> None:
    site = build_once(write_site(tmp_path, PAGES), tmp_path / "site")
    notes = (site / "notes" / "index.html").read_text("utf-8")
    assert '<a href="../clip/">CLIP算法原理</a>' in notes
    assert '<a href="../vit/">视觉 Transformer</a>' in notes
    assert "<code>[[clip]]</code>" in notes
    # clip is cited by notes, not its neighbour: under 被引用. vit is cited by notes, its
    # next article: said once, in the navigation, marked 引用了本文.
    clip = (site / "clip" / "index.html").read_text("utf-8")
    cited = clip[clip.index('<h2 id="zk-backlinks">被引用</h2>') :].split("</section>")[0]
    assert '<a href="../notes/">读书笔记</a>' in cited
    vit = (site / "vit" / "index.html").read_text("utf-8")
    assert "zk-backlinks" not in vit and vit.count('href="../notes/"') == 1
    assert (
        '<a rel="next" href="../notes/"><span>下一篇</span> 读书笔记 '
        '<small class="zk-prevnext__cites">引用了本文</small></a>'
    ) in vit
    assert "被引用" not in notes


def test_an_unresolved_wiki_link_fails_a_strict_build_naming_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = article("坏链接", "2026-01-13", "LM", [], "第一行。\n\n见 [[不存在的文章]]。\n")
    config = write_site(tmp_path, {**PAGES, "bad.md": broken})
    with pytest.raises(Abort):
        build_once(config, tmp_path / "site")
    line = broken.split("\n").index("见 [[不存在的文章]]。") + 1
    assert f"docs/bad.md:{line}: [[不存在的文章]] names no article" in caplog.text
    # Not strict: the page is built with the text marked, not linked.
    site = tmp_path / "loose"
    built = config_for(config, site, strict=False)
    built.plugins.on_startup(command="build", dirty=False)
    build(built)
    html = (site / "bad" / "index.html").read_text("utf-8")
    assert 'class="zk-wikilink zk-wikilink--missing"' in html and "不存在的文章</span>" in html


def _edit(path: Path, text: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns <= before + 1_000_000:
        os.utime(path, ns=(before + 10_000_000, before + 10_000_000))


def test_backlinks_follow_edits_under_dirty_reload(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, PAGES, cache=True)
    site = tmp_path / "site"
    first = config_for(config_file, site)
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config_for(config_file, site, strict=False), dirty=True)
        clip = site / "clip" / "index.html"
        assert "读书笔记" in clip.read_text("utf-8").split("被引用")[-1]
        # The note drops its link to CLIP: CLIP's page (unchanged itself) loses the backlink.
        _edit(
            tmp_path / "docs" / "notes.md",
            PAGES["notes.md"].replace("[[CLIP算法原理]]", "CLIP"),
        )
        build(config_for(config_file, site, strict=False), dirty=True)
        assert "被引用" not in clip.read_text("utf-8")
        # And links again, by slug this time.
        _edit(tmp_path / "docs" / "vit.md", PAGES["vit.md"] + "\n参见 [[clip]]。\n")
        build(config_for(config_file, site, strict=False), dirty=True)
        # ViT is CLIP's next article: the backlink is said there, once.
        assert (
            '<a rel="next" href="../vit/"><span>下一篇</span> ViT 入门 '
            '<small class="zk-prevnext__cites">引用了本文</small></a>'
        ) in clip.read_text("utf-8")
    finally:
        first.plugins.on_shutdown()
