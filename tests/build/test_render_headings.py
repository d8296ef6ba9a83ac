"""The title is the page's one h1; Chinese headings get readable anchors; a link to a
heading that does not exist fails `mkdocs build --strict` with its file and line."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from feed_sites import article, built
from mkdocs.exceptions import Abort
from render_sites import write_render_site

# Typora/Obsidian style: the note starts with its own title; Hexo style: `#` sections.
TYPORA = "# AC 自动机\n\n引言。\n\n## 失配指针\n\n正文。\n\n## 失配指针\n\n再谈。\n"
HEXO = "引言。\n\n# 原理\n\n## 细节\n\n# 参考文献\n\n- 某书\n\n```bash\n# 注释\n```\n"


def _content(html: str) -> str:
    return html[html.index("md-content__inner") : html.index("</article>")]


def test_title_is_the_one_h1_with_the_header_under_it(tmp_path: Path) -> None:
    pages = {
        "ac.md": article("AC自动机", "2024-03-01", "算法", ["字符串"], TYPORA),
        "hexo.md": article("一篇博文", "2024-03-02", "算法", [], HEXO),
    }
    built(write_render_site(tmp_path, pages), tmp_path / "site")
    for slug, title in (("ac", "AC自动机"), ("hexo", "一篇博文")):
        content = _content((tmp_path / "site" / slug / "index.html").read_text(encoding="utf-8"))
        assert re.findall(r"<h1[^>]*>(.*?)</h1>", content) == [title]
        # The header (date, category, tags) comes right after the title.
        assert re.search(r"</h1>\s*<header class=\"zk-article-header\"", content)
    hexo = _content((tmp_path / "site" / "hexo" / "index.html").read_text(encoding="utf-8"))
    assert re.findall(r"<h(\d) id=\"([^\"]+)\"", hexo) == [
        ("2", "原理"),
        ("3", "细节"),
        ("2", "参考文献"),
    ]
    assert "# 注释" in hexo  # a comment in code stays as written


def test_chinese_headings_get_their_own_words_as_anchors(tmp_path: Path) -> None:
    body = TYPORA + "\n见[上文](#失配指针)与[再谈](#失配指针_1)。\n"
    pages = {"ac.md": article("AC自动机", "2024-03-01", "算法", [], body)}
    built(write_render_site(tmp_path, pages), tmp_path / "site")
    content = _content((tmp_path / "site" / "ac" / "index.html").read_text(encoding="utf-8"))
    assert re.findall(r"<h2 id=\"([^\"]+)\"", content) == ["失配指针", "失配指针_1"]


def test_link_to_a_missing_heading_fails_strict_with_file_and_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other = article("另一篇", "2024-03-02", "算法", [], "## 存在\n\n正文。\n")
    body = (
        "第一行。\n\n见[这里](#不存在)。\n\n"
        "又见[那里](other.md#也不存在)与[好的](other.md#存在)。\n"
    )
    pages = {"x.md": article("某篇", "2024-03-01", "算法", [], body), "other.md": other}
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        built(write_render_site(tmp_path, pages), tmp_path / "site")
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    front = 7  # ---, title, date, category, tags, ---, blank
    same = [m for m in messages if "#不存在" in m]
    assert len(same) == 1
    assert f"docs/x.md:{front + 3}: link to #不存在 names no heading of this page; " in same[0]
    cross = [m for m in messages if "#也不存在" in m]
    assert len(cross) == 1
    assert f"docs/x.md:{front + 5}: link to #也不存在 names no heading of " in cross[0]
    assert "docs/other.md; " in cross[0]
    assert not [m for m in messages if "#存在" in m]


def test_wiki_link_to_a_heading_goes_there_and_to_a_missing_one_fails(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    ac = article("AC自动机", "2024-03-01", "算法", [], TYPORA)
    good = article("引用", "2024-03-02", "算法", [], "见 [[AC自动机#失配指针]]。\n")
    pages = {"ac.md": ac, "good.md": good}
    built(write_render_site(tmp_path / "ok", pages), tmp_path / "ok" / "site")
    html = (tmp_path / "ok" / "site" / "good" / "index.html").read_text(encoding="utf-8")
    assert '<a href="../ac/#失配指针">AC自动机 &gt; 失配指针</a>' in html

    bad = article("引用", "2024-03-02", "算法", [], "正文。\n\n见 [[AC自动机#没有这节]]。\n")
    with caplog.at_level(logging.WARNING), pytest.raises(Abort):
        built(write_render_site(tmp_path / "bad", {"ac.md": ac, "bad.md": bad}), tmp_path / "s")
    messages = [r.getMessage() for r in caplog.records if "没有这节" in r.getMessage()]
    assert len(messages) == 1
    assert "docs/bad.md:10: link to #没有这节 names no heading" in messages[0]


def test_a_warm_build_warns_of_a_missing_heading_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = "第一行。\n\n见[这里](#不存在)。\n"
    pages = {"x.md": article("某篇", "2024-03-01", "算法", [], body)}
    config = write_render_site(tmp_path, pages, cache=True)
    for _ in range(2):
        caplog.clear()
        with caplog.at_level(logging.WARNING), pytest.raises(Abort):
            built(config, tmp_path / "site")
        assert [r.getMessage() for r in caplog.records if "#不存在" in r.getMessage()], "warned"


def test_percent_encoded_anchor_copied_from_a_browser_finds_its_heading(tmp_path: Path) -> None:
    # What a browser's address bar gives for #失配指针.
    body = TYPORA + "\n见[上文](#%E5%A4%B1%E9%85%8D%E6%8C%87%E9%92%88)。\n"
    pages = {"ac.md": article("AC自动机", "2024-03-01", "算法", [], body)}
    built(write_render_site(tmp_path, pages), tmp_path / "site")  # strict: no warning
