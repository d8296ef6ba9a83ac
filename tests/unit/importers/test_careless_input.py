"""Careless input never breaks a reader: any text through the newer readers' rewrites
comes back as text, with nothing raised and the words of plain prose kept."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from zhiku.importers import docsify, logseq, notion
from zhiku.importers.hexo import convert_tags
from zhiku.text.blockids import block_ids, block_of

# Text made of the characters these formats treat specially, and Chinese words.
_pieces = st.sampled_from(
    [
        "- ",
        "\t",
        "  ",
        "\n",
        "#",
        "## ",
        "::",
        "title:: 标题",
        "id:: ",
        "((",
        "))",
        "{{embed [[页]]}}",
        "{{query x}}",
        "[[",
        "]]",
        "?> ",
        "!> ",
        ":id=x",
        "':include'",
        "](",
        ")",
        "![",
        "<aside>",
        "</aside>",
        "Created: ",
        "May 5, 2023",
        "Tags: 甲, 乙",
        "{% tabs a %}",
        "<!-- tab 甲 -->",
        "<!-- endtab -->",
        "{% endtabs %}",
        "{% hideToggle 乙 %}",
        "{% endhideToggle %}",
        "```",
        "^abc",
        " ^id-1",
        "TODO ",
        "DONE ",
        "梯度",
        "下降",
        "。",
        "$x$",
        "|",
        ":",
    ]
)
_text = st.lists(_pieces, max_size=40).map("".join)


@given(_text)
def test_logseq_reads_any_text(text: str) -> None:
    page = logseq.parse_page(text)
    problems: list[str] = []
    body = logseq.convert_page(page, logseq.block_texts([page]), problems)
    assert isinstance(body, str)
    logseq.read_page(text, "pages/a___b.md", {})


@given(_text)
def test_docsify_notion_hexo_and_block_ids_read_any_text(text: str) -> None:
    problems: list[str] = []
    assert isinstance(docsify.helpers(text, "docs/a.md", "docs", {}, problems), str)
    meta, body = notion.properties(text)
    assert isinstance(meta, dict) and isinstance(notion.asides(body), str)
    out, notes = convert_tags(text, "post")
    assert isinstance(out, str) and isinstance(notes, list)
    for found in block_ids(text):
        assert block_of(text, found[1:]) is not None, "a block id found is a block found"


@given(
    st.lists(st.sampled_from(["梯度", "下降", "学习率", "模型", "。", "，"]), min_size=1).map(
        "".join
    )
)
def test_plain_prose_keeps_its_words(prose: str) -> None:
    """A page of plain Chinese prose comes through every reader unchanged in its words."""
    body = logseq.convert_page(logseq.parse_page(prose), {}, [])
    assert re.sub(r"\s", "", body) == prose
    assert docsify.helpers(prose, "a.md", "", {}, []) == prose
    assert notion.properties(prose) == ({}, prose)
    assert convert_tags(prose, "p") == (prose, [])
