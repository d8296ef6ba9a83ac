"""Wiki links and backlinks, pure."""

from __future__ import annotations

import html as html_lib
import re

import pytest

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


def test_no_wiki_link_inside_math_or_code() -> None:
    from zhiku.listing.links import make_index, references, rewrite

    index = make_index([("x.md", "x"), ("i.md", "i")])
    body = "环 $R[[x]]$ 与 \\( a[[i]] \\)，\n$$\nF[[x]]\n$$\n`[[x]]`\n```\n[[x]]\n```\n见 [[x]]"
    out, missing = rewrite(body, "a.md", index)
    assert "$R[[x]]$" in out and "\\( a[[i]] \\)" in out and "F[[x]]" in out
    assert out.count("[[x]]") == 4 and out.endswith("见 [x](x.md)")
    assert missing == []
    assert references(body, "a.md").wiki == ("x",)


def test_missing_wiki_link_line_counts_lines_before_math() -> None:
    from zhiku.listing.links import make_index, rewrite

    _, missing = rewrite("$$\na\n$$\n\n[[无此文]]", "a.md", make_index([]))
    assert missing == [(5, "无此文")]


def test_link_line_finds_where_a_link_is_written() -> None:
    from zhiku.listing.links import link_line

    source = "---\ntitle: t\n---\n\n见 [上文](#失配指针)。\n\n[ref]: other.md#x\n"
    assert link_line(source, "#失配指针") == 5
    assert link_line(source, "other.md#x") == 7
    assert link_line(source, "#无") is None


def test_wiki_links_to_a_heading() -> None:
    from zhiku.listing.links import make_index, references, rewrite

    index = make_index([("ac.md", "AC 自动机"), ("cs.md", "C# 入门")])
    source = "[[AC 自动机#失配指针]]、[[ac#Fail Links|失配]]、[[#本页小节]] 与 [[C# 入门]]"
    text, missing = rewrite(source, "a.md", index)
    assert text == (
        "[AC 自动机 &gt; 失配指针](ac.md#失配指针)、[失配](ac.md#fail-links)、"
        "[本页小节](#本页小节) 与 [C&#35; 入门](cs.md)"
    )
    assert missing == []
    _, missing = rewrite("[[无此文#某节]]", "a.md", index)
    assert missing == [(1, "无此文#某节")]
    assert index.resolve("ac#失配指针") == "ac.md"
    assert references("[[AC 自动机#失配指针]]", "a.md").wiki == ("AC 自动机#失配指针",)


def test_link_line_finds_a_wiki_link_to_a_heading() -> None:
    from zhiku.listing.links import link_line

    source = "---\ntitle: t\n---\n\n正文\n见 [[AC 自动机#Fail Links]]。\n"
    assert link_line(source, "ac.md#fail-links") == 6


HOSTILE_TITLES = [
    '"<img src=x onerror=alert(1)>',
    "<script>alert(1)</script>",
    "*粗体* 与 _斜_ 与 <b> 与 $5 和 $10",
    "A & B <b>",
]


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_wiki_link_text_is_text_whether_or_not_it_resolves(title: str) -> None:
    """One escaping rule: a title (or a link's own text) shows as written, never as HTML,
    Markdown or math, for a link that resolves, one to a draft, and one to nothing."""
    import markdown

    index = make_index([("evil.md", title)])
    hidden = make_index([("draft.md", title + " 草稿")])
    shown = []
    for source in (f"[[{title}]]", f"[[{title} 草稿]]", f"[[{title} 不存在]]", f"[[evil|{title}]]"):
        text, _ = rewrite(source, "notes.md", index, hidden)
        html = markdown.markdown(text)
        assert "<img" not in html and "<script" not in html and "<b>" not in html, html
        assert "<em>" not in html and "<code>" not in html and "<h1" not in html, html
        shown.append(html)
    plain = [re.sub(r"<[^>]+>", "", h).replace("&amp;", "&") for h in shown]
    plain = [html_lib.unescape(p) for p in plain]
    assert plain[0] == title and plain[3] == title
    assert plain[1] == title + " 草稿" and plain[2] == title + " 不存在"


def test_vuepress_toc_mark_is_a_table_of_contents_not_a_link() -> None:
    index = make_index([("toc.md", "toc")])
    body = "[[toc]]\n\n## 第一节\n\n  [[TOC]]  \n\n见 [[toc]] 里。\n"
    out, missing = rewrite(body, "a.md", index)
    assert out.split("\n")[0] == "[TOC]"
    assert out.split("\n")[4] == "  [TOC]"
    assert missing == []
    assert references(body, "a.md").wiki == ()
    # Inside code it stays as written.
    code = "```md\n[[toc]]\n```\n"
    assert rewrite(code, "a.md", index)[0] == code
