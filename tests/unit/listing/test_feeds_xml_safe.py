"""Defence in depth: characters XML 1.0 forbids never reach a feed, whatever content holds."""

from __future__ import annotations

import json

import feedparser
import pytest
from listing_factories import entry

from zhiku.listing import FeedInfo, Urls, atom, json_feed, rss

INFO = FeedInfo(title="知库", description="中文技术笔记", language="zh", author="")
URLS = Urls(True, "https://user.github.io/repo/")


HOSTILE = "ESC\x1b[31m 退格\x08 空\x00 代理\ud800 非字符\ufffe C1\x85 制表\t保留"
DIRTY = [
    entry(
        "dirty.md",
        "2026-01-16",
        title=f"标题 {HOSTILE}",
        category="分类\x1b",
        tags=("标签\x07",),
        body=f"正文 {HOSTILE}。",
    )
]


@pytest.mark.parametrize("make", [rss, atom])
def test_characters_xml_forbids_are_dropped_so_the_feed_stays_well_formed(make) -> None:  # type: ignore[no-untyped-def]
    data = make(INFO, DIRTY, URLS)
    parsed = feedparser.parse(data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    item = parsed.entries[0]
    assert item.title == "标题 ESC[31m 退格 空 代理 非字符 C1 制表\t保留"
    assert "正文 ESC[31m 退格 空 代理 非字符 C1 制表 保留" in item.summary
    assert [t.term for t in item.tags] == ["分类", "标签"]


def test_json_feed_drops_them_too() -> None:
    doc = json.loads(json_feed(INFO, DIRTY, URLS))
    assert doc["items"][0]["title"] == "标题 ESC[31m 退格 空 代理 非字符 C1 制表\t保留"
    assert doc["items"][0]["tags"] == ["分类", "标签"]
