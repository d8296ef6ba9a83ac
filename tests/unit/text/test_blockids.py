"""Obsidian's block references: `^id` names a block, links and embeds find it."""

from __future__ import annotations

import markdown

from zhiku.listing.embeds import section_of
from zhiku.listing.links import make_index, rewrite
from zhiku.text.blockids import block_anchor, block_of

BODY = """梯度消失在深层网络里最常见。 ^grad-vanish

### 激活函数对比

^act-table

| 激活函数 | 导数上界 |
|---|---|
| sigmoid | 0.25 |

^table-1

- 项一 ^item-1
- 项二

价格 ^不是标记，`x ^code` 也不是。

## skim()
^skim-1
描述统计函数。
"""


def _html(text: str) -> str:
    return markdown.markdown(text, extensions=["zhiku.glue.blockids", "tables", "toc"])


def test_a_marked_paragraph_item_table_and_heading_carry_the_id_and_lose_the_mark() -> None:
    html = _html(BODY)
    assert '<p id="grad-vanish">梯度消失在深层网络里最常见。</p>' in html
    assert '<h3 id="_1"><span id="act-table"></span>激活函数对比</h3>' in html or (
        '<span id="act-table"></span>激活函数对比</h3>' in html
    ), "a heading keeps its own anchor; the block id is an anchor inside it"
    assert '<table id="table-1">' in html
    assert '<li id="item-1">项一</li>' in html
    assert "^grad-vanish" not in html and "^table-1" not in html and "^item-1" not in html
    assert "价格 ^不是标记" in html and "<code>x ^code</code>" in html
    assert '<span id="skim-1"></span>skim()</h2>\n<p>描述统计函数。</p>' in html, (
        "an id on the line right under a heading names the heading"
    )


def test_links_to_a_block_point_at_its_id() -> None:
    html = _html("见[说明](act.md#^grad-vanish)和[本页](#^item-1)。")
    assert 'href="act.md#grad-vanish"' in html and 'href="#item-1"' in html
    assert block_anchor("^x-1") == "x-1" and block_anchor("标题") == "标题"


def test_wiki_links_to_a_block_and_embeds_of_it() -> None:
    index = make_index([("act.md", "激活函数")])
    text, missing = rewrite("见 [[激活函数#^grad-vanish]]。", "notes.md", index)
    assert text == "见 [激活函数](act.md#grad-vanish)。" and not missing
    assert section_of(BODY, "^grad-vanish") == "梯度消失在深层网络里最常见。"
    assert section_of(BODY, "^table-1") == "| 激活函数 | 导数上界 |\n|---|---|\n| sigmoid | 0.25 |"
    assert block_of(BODY, "item-1") == "- 项一"
    assert block_of(BODY, "skim-1") == "## skim()"
    assert section_of(BODY, "^nothing") is None


def test_the_block_ids_a_note_defines_outside_code() -> None:
    from zhiku.text.blockids import block_ids

    text = BODY + "\n```\n代码里 ^not-an-id\n^nor-this\n```\n"
    assert block_ids(text) == {
        "^grad-vanish",
        "^act-table",
        "^table-1",
        "^item-1",
        "^skim-1",
    }
