"""Feeds parse cleanly, carry absolute links, and keep hostile text as text."""

from __future__ import annotations

import datetime as dt
import json

import feedparser
import pytest
from listing_factories import entry

from zhiku.listing import FeedInfo, Urls, atom, json_feed, rss

INFO = FeedInfo(title="知库 & <朋友>", description="中文技术笔记", language="zh", author="")
URLS = Urls(True, "https://user.github.io/repo/")
ENTRIES = [
    entry(
        "qa.md",
        "2026-01-15",
        title="Q&A <研究> ]]> 问答",
        category="Q&A <研究>",
        tags=("<script>alert(1)</script>", "LoRA"),
        body="<img src=x onerror=alert(1)> 正文第一句。",
    ),
    entry("b/clip.md", "2026-01-11", title="CLIP算法原理", tags=("CLIP",), date_estimated=True),
]


# feedparser 6.0 (the current release) reads RSS and Atom but not JSON Feed; the JSON Feed
# is checked against the 1.1 specification's rules below.
@pytest.mark.parametrize("make", [rss, atom])
def test_feed_parses_cleanly_with_absolute_links(make) -> None:  # type: ignore[no-untyped-def]
    parsed = feedparser.parse(make(INFO, ENTRIES, URLS))
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "知库 & <朋友>"
    assert [e.title for e in parsed.entries] == ["Q&A <研究> ]]> 问答", "CLIP算法原理"]
    assert [e.link for e in parsed.entries] == [
        "https://user.github.io/repo/qa/",
        "https://user.github.io/repo/b/clip/",
    ]
    first = parsed.entries[0]
    assert first.published_parsed[:3] == (2026, 1, 15)
    assert "<script>alert(1)</script>" in [t.term for t in first.tags]


def test_rss_escapes_markup_in_text() -> None:
    xml = rss(INFO, ENTRIES, URLS).decode()
    assert "<script>" not in xml and "&lt;script&gt;" in xml
    assert "<img" not in xml


def test_json_feed_is_version_1_1() -> None:
    doc = json.loads(json_feed(INFO, ENTRIES, URLS))
    # Required by https://jsonfeed.org/version/1.1: version, title, items; each item an id
    # and content_html or content_text; URLs absolute; dates RFC 3339.
    assert doc["title"] == "知库 & <朋友>"
    assert [i["title"] for i in doc["items"]] == ["Q&A <研究> ]]> 问答", "CLIP算法原理"]
    for item in doc["items"]:
        assert item["id"] == item["url"] and item["url"].startswith("https://user.github.io/repo/")
        assert isinstance(item["content_text"], str)
        assert dt.datetime.fromisoformat(item["date_published"]).tzinfo is not None
    assert doc["version"] == "https://jsonfeed.org/version/1.1"
    assert doc["feed_url"] == "https://user.github.io/repo/feeds/feed.json"
    assert doc["items"][1]["tags"] == ["Large Model", "CLIP"]
    assert doc["items"][0]["date_published"] == "2026-01-15T00:00:00+00:00"


def test_atom_has_self_link_and_author() -> None:
    parsed = feedparser.parse(atom(INFO, ENTRIES, URLS))
    assert {link.rel: link.href for link in parsed.feed.links}["self"] == (
        "https://user.github.io/repo/feeds/atom.xml"
    )
    assert parsed.feed.author_detail.name == "知库 & <朋友>"


def test_feed_summaries_are_text_not_markdown() -> None:
    body = (
        "- 列表第一项提到 [[注意力机制|注意力]]，公式 $\\mathrm{softmax}(QK^T)$ 很关键。\n\n"
        "| 方法 | 显存 |\n|---|---|\n| 检查点 | 低 |\n\n<!-- more -->\n\n后文。"
    )
    one = [entry("n.md", "2026-01-15", title="注意力笔记", body=body)]
    expected = "列表第一项提到 注意力，公式 [公式] 很关键。 方法 显存 检查点 低"
    for make in (rss, atom):
        parsed = feedparser.parse(make(INFO, one, URLS))
        assert parsed.entries[0].summary == expected
    item = json.loads(json_feed(INFO, one, URLS))["items"][0]
    assert item["summary"] == item["content_text"] == expected


@pytest.mark.parametrize("make", [rss, atom])
def test_xml_feed_is_utf8_with_its_declaration(make) -> None:  # type: ignore[no-untyped-def]
    # Readers sniff the declaration; Han text is written as UTF-8, not character references.
    data = make(INFO, ENTRIES, URLS)
    assert data.startswith(b"<?xml version='1.0' encoding='utf-8'?>\n<")
    assert data.count(b"<?xml") == 1 and data.endswith(b">\n")
    assert "问答".encode() in data and b"&#" not in data
