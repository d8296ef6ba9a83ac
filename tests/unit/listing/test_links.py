"""Wiki links and backlinks, pure."""

from __future__ import annotations

from zhiku.listing.links import backlinks, make_index, references, rewrite

INDEX = make_index([("clip.md", "CLIP算法原理"), ("notes/vit.md", "ViT 入门"), ("a.md", "A")])


def test_wiki_links_resolve_by_title_slug_and_own_text() -> None:
    text, missing = rewrite("见 [[CLIP算法原理]]、[[notes/vit|视觉]] 与 [[clip]]。", "a.md", INDEX)
    assert text == "见 [CLIP算法原理](clip.md)、[视觉](notes/vit.md) 与 [clip](clip.md)。"
    assert missing == []
    # Relative to the linking page's folder.
    text, _ = rewrite("[[clip]]", "notes/vit.md", INDEX)
    assert text == "[clip](../clip.md)"


def test_code_is_left_alone_and_misses_are_reported_with_their_line() -> None:
    source = "第一行\n```\n[[clip]]\n```\n`[[clip]]` 和 [[没有这篇]]\n"
    text, missing = rewrite(source, "a.md", INDEX)
    assert "```\n[[clip]]\n```" in text and "`[[clip]]`" in text
    assert missing == [(5, "没有这篇")]
    assert '<span class="zk-wikilink zk-wikilink--missing" title="找不到文章：没有这篇">' in text


def test_link_text_cannot_inject_markup() -> None:
    text, missing = rewrite("[[没有 <b>|<script>x</script>]]", "a.md", INDEX)
    assert "<script>" not in text and "&lt;script&gt;" in text and missing


def test_backlinks_count_wiki_and_markdown_links_once_and_never_self() -> None:
    refs = {
        "a.md": references("[[clip]] [CLIP](clip.md#intro) [[A]] [v](notes/vit.md)", "a.md"),
        "notes/vit.md": references("[上一级](../clip.md) [[不存在]]", "notes/vit.md"),
        "clip.md": references("`[[A]]`", "clip.md"),
    }
    assert backlinks(refs, INDEX) == {
        "clip.md": ("a.md", "notes/vit.md"),
        "notes/vit.md": ("a.md",),
    }
