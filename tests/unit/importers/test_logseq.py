"""Logseq graphs: outlines read as prose and lists, properties as front matter, block
references as the block's words; Logseq's own folder stays out."""

from __future__ import annotations

from zhiku.importers.logseq import (
    block_texts,
    convert_page,
    journal_day,
    page_name,
    parse_page,
    read_page,
)

PAGE = """title:: 梯度下降
tags:: 优化, [[机器学习]], #笔记
public:: false

- ## 直觉
- 沿负梯度方向走一小步，
  步长由学习率决定。
\t- 学习率太大会震荡
\t  id:: 6650a1b2-0c3d-4e5f-8a9b-0123456789ab
\t  collapsed:: true
\t\t- 太小则收敛慢
- TODO 补上动量法
  SCHEDULED: <2024-05-06 Mon>
- DONE 画图
  :LOGBOOK:
  CLOCK: [2024-05-05 Sun 10:00]--[2024-05-05 Sun 10:30] =>  00:30:00
  :END:
- 代码：
  ```python
  - 这行在代码里，不是块
  key:: 也不是属性
  ```
"""


def test_properties_blocks_and_depths() -> None:
    page = parse_page(PAGE)
    assert page.properties == {
        "title": "梯度下降",
        "tags": "优化, [[机器学习]], #笔记",
        "public": "false",
    }
    assert [(b.depth, b.lines[0]) for b in page.blocks][:4] == [
        (0, "## 直觉"),
        (0, "沿负梯度方向走一小步，"),
        (1, "学习率太大会震荡"),
        (2, "太小则收敛慢"),
    ]
    assert page.blocks[2].properties["id"] == "6650a1b2-0c3d-4e5f-8a9b-0123456789ab"
    assert block_texts([page]) == {"6650a1b2-0c3d-4e5f-8a9b-0123456789ab": "学习率太大会震荡"}


def test_an_outline_reads_as_headings_paragraphs_lists_and_tasks() -> None:
    problems: list[str] = []
    body = convert_page(parse_page(PAGE), {}, problems)
    assert body.startswith("## 直觉\n\n沿负梯度方向走一小步，\n步长由学习率决定。\n\n")
    assert "- 学习率太大会震荡\n    - 太小则收敛慢\n" in body
    assert "- [ ] 补上动量法\n- [x] 画图\n" in body
    assert "SCHEDULED" not in body and "LOGBOOK" not in body and "CLOCK" not in body
    assert "id::" not in body and "collapsed::" not in body
    assert "```python\n- 这行在代码里，不是块\nkey:: 也不是属性\n```" in body
    assert not problems


def test_front_matter_from_properties_names_and_journals() -> None:
    meta, _, _ = read_page(PAGE, "pages/梯度下降.md", {})
    assert meta["title"] == "梯度下降" and meta["tags"] == ["优化", "机器学习", "笔记"]
    assert meta["draft"] is True, "public:: false keeps the page out of the site"
    assert page_name("pages/机器学习___动量法.md") == "机器学习/动量法"
    assert page_name("pages/机器学习%2F动量法.md") == "机器学习/动量法"
    assert read_page("- 正文\n", "pages/机器学习___动量法.md", {})[0]["category"] == "机器学习"
    journal, _, _ = read_page("- 今天\n", "journals/2024_05_05.md", {})
    assert (
        journal["date"] == journal_day("journals/2024_05_05.md") and journal["category"] == "日志"
    )


def test_references_embeds_and_macros() -> None:
    refs = {"6650a1b2-0c3d-4e5f-8a9b-0123456789ab": "学习率太大会震荡"}
    problems: list[str] = []
    text = (
        "- 见 ((6650a1b2-0c3d-4e5f-8a9b-0123456789ab))\n- {{embed [[梯度下降]]}}\n"
        "- {{query (task TODO)}}\n- 缺 ((00000000-0000-0000-0000-000000000000))\n"
        "- {{video https://example.org/v}} #[[学习 笔记]]\n"
    )
    body = convert_page(parse_page(text), refs, problems)
    assert "见 学习率太大会震荡" in body and "![[梯度下降]]" in body
    assert "query" not in body and "<https://example.org/v> #学习-笔记" in body
    assert problems == [
        "{{query}}: Logseq runs it in the app; left out",
        "((00000000-0000-0000-0000-000000000000)): no block has that id; left out",
    ]


def test_a_run_of_one_line_blocks_is_a_list_a_lone_or_long_block_a_paragraph() -> None:
    text = (
        "- ## 原则\n- 没有失败的测试就不写代码\n- 只写刚好通过测试的代码\n\t- 红、绿、重构\n"
        "- 一段较长的说明，\n  写了两行。\n- ![图](../assets/a.png){:height 320, :width 363}\n"
    )
    body = convert_page(parse_page(text), {}, [])
    assert body == (
        "## 原则\n\n- 没有失败的测试就不写代码\n- 只写刚好通过测试的代码\n    - 红、绿、重构\n\n"
        "一段较长的说明，\n写了两行。\n\n![图](../assets/a.png){ width=363 height=320 }\n"
    )
