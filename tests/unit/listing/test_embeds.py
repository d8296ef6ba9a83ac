"""Embeds: which lines are embeds, which section they name, what the page then holds."""

from __future__ import annotations

from zhiku.listing.embeds import (
    MAX_DEPTH,
    embedded_sources,
    expand,
    find_embeds,
    relink,
    section_of,
    with_footnotes,
)
from zhiku.listing.links import make_index, rewrite

NOTE = (
    "# 注意力机制\n\n总述。\n\n## 缩放点积\n\n打分。\n\n```python\n## 不是标题\n```\n\n"
    "### 细节 {#detail}\n\n细节。\n\n## 多头\n\n多头。\n"
)
ARTICLES = {
    "ml/attention.md": ("注意力机制", NOTE),
    "notes/a.md": ("甲", "甲的正文\n\n![[乙]]\n"),
    "notes/b.md": ("乙", "乙的正文\n\n![[甲]]\n"),
}
INDEX = make_index((src, title) for src, (title, _) in ARTICLES.items())


def test_only_lines_of_their_own_outside_code_are_embeds() -> None:
    text = "![[甲]]\n\n文中 ![[乙]] 不算\n\n> ![[乙#节]]\n\n`![[甲]]`\n\n```\n![[甲]]\n```\n"
    found = find_embeds(text)
    assert [(e.line, e.prefix, e.target) for e in found] == [(1, "", "甲"), (5, "> ", "乙#节")]


def test_a_section_runs_to_the_next_heading_of_its_level_and_skips_code() -> None:
    part = section_of(NOTE, "缩放点积")
    assert part is not None
    assert part.startswith("打分。") and "## 不是标题" in part and "细节。" in part
    assert "多头" not in part
    assert section_of(NOTE, "细节") == "细节。"  # {#detail} is not part of its text
    assert section_of(NOTE, "没有这节") is None


def test_an_embed_shows_once_then_links() -> None:
    done = expand(
        "![[注意力机制#缩放点积]]\n\n![[ml/attention#缩放点积]]\n", "x.md", INDEX, ARTICLES
    )
    assert done.markdown.count('class="zk-embed"') == 1
    assert "见[《注意力机制 › 缩放点积》](ml/attention.md#缩放点积)" in done.markdown
    assert done.shown == ("ml/attention.md",)


def test_a_cycle_becomes_a_link_and_depth_is_bounded() -> None:
    done = expand(ARTICLES["notes/a.md"][1], "notes/a.md", INDEX, ARTICLES)
    assert "乙的正文" in done.markdown and "见[《甲》](a.md)" in done.markdown
    chain = {f"c{i}.md": (f"C{i}", f"第 {i} 层\n\n![[C{i + 1}]]\n") for i in range(10)}
    index = make_index((src, title) for src, (title, _) in chain.items())
    deep = expand("![[C0]]\n", "top.md", index, chain).markdown
    assert f"第 {MAX_DEPTH - 1} 层" in deep and f"第 {MAX_DEPTH} 层" not in deep
    assert f"见[《C{MAX_DEPTH}》]" in deep


def test_unknown_targets_and_headings_are_reported_by_line() -> None:
    done = expand("一\n\n![[无此文]]\n\n![[注意力机制#无此节]]\n", "x.md", INDEX, ARTICLES)
    assert [(m.line, m.target, m.heading) for m in done.missing] == [
        (3, "无此文", ""),
        (5, "注意力机制#无此节", "无此节"),
    ]
    assert "zk-wikilink--missing" in done.markdown


def test_relative_links_are_rewritten_for_the_page_they_show_on() -> None:
    text = "![图](img/a.png) [b](b.md#x) [外](https://e.org/a) [顶](#top)\n\n[r]: ../pdf/p.pdf\n"
    out = relink(text, "ml/attention.md", "notes/reading.md")
    assert "![图](../ml/img/a.png)" in out and "[b](../ml/b.md#x)" in out
    assert "(https://e.org/a)" in out and "(#top)" in out and "[r]: ../pdf/p.pdf" in out
    assert relink("`[a](b.md)`", "ml/a.md", "n/r.md") == "`[a](b.md)`"
    assert relink("[^1]: Vaswani 等", "ml/a.md", "n/r.md") == "[^1]: Vaswani 等"  # a footnote


def test_wiki_links_leave_embed_lines_and_make_inline_embeds_links() -> None:
    text, missing = rewrite("![[甲]]\n\n文中 ![[乙]]。\n", "notes/c.md", INDEX)
    assert text.startswith("![[甲]]\n") and "文中 [乙](b.md)。" in text and not missing


def test_the_sources_a_page_shows_are_followed_through_embeds() -> None:
    assert embedded_sources("![[甲]]\n", "top.md", INDEX, ARTICLES) == ("notes/a.md", "notes/b.md")
    assert embedded_sources("没有嵌入", "top.md", INDEX, ARTICLES) == ()


def test_an_embedded_section_keeps_its_footnotes_under_labels_of_its_own() -> None:
    body = (
        "## 甲\n\n见文献[^1]。\n\n## 乙\n\n别处[^2]。\n\n"
        "[^1]: Vaswani 等，2017。\n    第二行。\n[^2]: 另一条。\n"
    )
    part = section_of(body, "甲")
    assert part is not None
    out = with_footnotes(part, body, "ml/attention.md")
    assert "见文献[^ml-attention-1]。" in out
    assert "[^ml-attention-1]: Vaswani 等，2017。\n    第二行。" in out
    assert "另一条" not in out
