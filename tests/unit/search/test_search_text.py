"""The text the index stores, which snippets are cut from, is what a reader reads."""

from __future__ import annotations

import re
from pathlib import Path

from zhiku.articles import parse_article
from zhiku.search.build import IndexJob, Page, index_site
from zhiku.search.shards import read_index_file, search_text, unpack_text

NOTE = """---
title: 最短路
date: 2024-03-01
category: 算法
---
> [!TIP] 前置知识
> 先读 [[图的存储|图的存储方式]] 与 [[BFS]]。

!!! note "复杂度"
    Dijkstra 的复杂度为 $O((n+m)\\log n)$，$\\alpha$ $\\beta$ 为常数。

| 算法 | 负权边 |
|:--|:--:|
| Dijkstra | 否 |
| Bellman-Ford | 是 |

- 单源最短路
- 全源最短路：见 \\[NOI2014\\] 的题解

```cpp
int dist[N]; // $x$ 不是公式
```
"""


def test_search_text_has_no_markdown_source() -> None:
    text = search_text(NOTE.split("---\n", 2)[2])
    assert text == (
        "先读 图的存储方式 与 BFS。 Dijkstra 的复杂度为 [公式] 为常数。 "
        "算法 负权边 Dijkstra 否 Bellman-Ford 是 单源最短路 全源最短路：见 [NOI2014] 的题解"
    )


def test_snippet_pieces_hold_the_clean_text(tmp_path: Path) -> None:
    article = parse_article("shortest.md", NOTE)
    assert article is not None
    page = Page("shortest/", "content/shortest.md", article)
    index_site(IndexJob((page,), str(tmp_path / "search"), None))
    packed = read_index_file((tmp_path / "search" / "d" / "0-0.js").read_text("utf-8"))["z"]
    piece = unpack_text(packed)
    assert "图的存储方式" in piece and "Bellman-Ford 是" in piece
    for source in ("[[", "|", "- ", "!!!", "[!TIP]", "$", "\\log", "dist[N]"):
        assert source not in piece, source
    assert not re.search(r"\[公式\]\W*\[公式\]", piece)
