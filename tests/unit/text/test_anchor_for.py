"""Links written for another tool's heading anchors land on the same heading here."""

from __future__ import annotations

from zhiku.importers.markup import first_heading, headings
from zhiku.text.slug import anchor_for, heading_anchor

PAGE = [
    ("server.host", None),
    ("server.strictPort", "server-strictport"),
    ("失配指针", None),
    ("Build Options", None),
    ("1.5 版本", None),
    ("重复", None),
    ("重复", None),
]


def test_an_anchor_the_page_has_is_kept() -> None:
    assert anchor_for(PAGE, "server-strictport") == "server-strictport"
    assert anchor_for(PAGE, "失配指针") == "失配指针"
    assert anchor_for(PAGE, "%E5%A4%B1%E9%85%8D%E6%8C%87%E9%92%88") == (
        "%E5%A4%B1%E9%85%8D%E6%8C%87%E9%92%88"
    )
    assert anchor_for(PAGE, "重复_1") == "重复_1"


def test_vitepress_github_and_hexo_anchors_find_their_heading() -> None:
    assert anchor_for(PAGE, "server-host") == "serverhost"  # VitePress, Hexo: . is a -
    assert anchor_for(PAGE, "serverhost") == "serverhost"  # GitHub drops it
    assert anchor_for(PAGE, "Build-Options") == "build-options"
    assert anchor_for(PAGE, "_1-5-版本") == heading_anchor("1.5 版本")  # VitePress: no digit first


def test_no_heading_or_two_headings_answer_none() -> None:
    assert anchor_for(PAGE, "server-https") is None
    assert anchor_for([("a.b", None), ("a-b", None)], "a-b") == "a-b"
    assert anchor_for([("a.b", None), ("a,b", None)], "a-b") is None  # ab or ab_1?


def test_headings_read_levels_custom_ids_and_code() -> None:
    body = "# 标题 {#top}\n\n```md\n## 代码里的\n```\n\n## `server.host`\n\n### 学习率 { #lr .x }\n"
    assert headings(body) == [(1, "标题", "top"), (2, "server.host", None), (3, "学习率", "lr")]


def test_a_heading_title_loses_its_attribute_list() -> None:
    assert first_heading("# 开发服务器选项 {#server-options}\n\n正文\n")[0] == "开发服务器选项"


def test_runs_of_spaces_count_once_as_toc_reads_a_heading() -> None:
    assert heading_anchor("8.  判断一个数是不是 4 的 n 次方") == "8-判断一个数是不是-4-的-n-次方"
    # A table of contents written by a tool that kept the spaces still finds it.
    assert anchor_for([("8.  判断是不是 4 的 n 次方", None)], "8--判断是不是-4-的-n-次方") == (
        "8-判断是不是-4-的-n-次方"
    )


def test_old_github_anchors_keep_full_width_punctuation() -> None:
    page = [("2. 实现一个 Trie，用来求前缀和", None)]
    assert anchor_for(page, "2-实现一个-trie，用来求前缀和") == heading_anchor(page[0][0])
