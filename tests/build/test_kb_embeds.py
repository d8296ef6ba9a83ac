"""``![[标题#小节]]`` embeds another note's section in a page: rendered, sourced, once."""

from __future__ import annotations

import os
import re
from html import unescape
from pathlib import Path

import pytest
from feed_sites import article, broken_links, build_once, config_for, write_site
from mkdocs.commands.build import build
from mkdocs.exceptions import Abort

ATTENTION = article(
    "注意力机制",
    "2026-02-01",
    "深度学习",
    ["Transformer"],
    "# 注意力机制\n\n总述。\n\n"
    "## 缩放点积\n\n"
    "打分是 \\(QK^\\top / \\sqrt{d_k}\\)，见下图：\n\n"
    "![打分示意](img/score.png)\n\n"
    "```python\n# 不是标题\nscores = q @ k.T\n```\n\n"
    "### 为什么除以根号\n\n方差保持为 1。\n\n"
    "## 多头\n\n多头把表示切成几份。\n",
)
READING = article(
    "Transformer 读书笔记",
    "2026-03-01",  # not a neighbour of 注意力机制 in time
    "读书笔记",
    ["笔记"],
    "先复习打分：\n\n![[注意力机制#缩放点积]]\n\n"
    "再看一遍也只出现一次：\n\n![[ml/attention#缩放点积]]\n\n"
    "代码里的不算：\n\n```\n![[注意力机制]]\n```\n",
)
LOOP_A = article("甲", "2026-02-04", "杂记", [], "甲的正文。\n\n![[乙]]\n")
LOOP_B = article("乙", "2026-02-05", "杂记", [], "乙的正文。\n\n![[甲]]\n")
PAGES = {
    "ml/attention.md": ATTENTION,
    "notes/reading.md": READING,
    "loop/a.md": LOOP_A,
    "loop/b.md": LOOP_B,
}


def write(root: Path, pages: dict[str, str]) -> Path:
    config = write_site(root, pages)
    image = root / "docs" / "ml" / "img" / "score.png"
    image.parent.mkdir(parents=True, exist_ok=True)
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    return config


def test_an_embedded_section_renders_in_a_sourced_box_once(tmp_path: Path) -> None:
    site = build_once(write(tmp_path, PAGES), tmp_path / "site")
    page = (site / "notes" / "reading" / "index.html").read_text("utf-8")
    box = page[page.index('<div class="zk-embed">') :].split("</div>")[0]
    assert '来自<a href="../../ml/attention/#缩放点积">《注意力机制 › 缩放点积》</a>' in box
    # The section as Markdown: math, code (whose # is no heading) and its sub-heading,
    # but not the next section of the same level.
    assert '<script type="math/tex">QK^\\top / \\sqrt{d_k}</script>' in box
    assert "scores" in box and "不是标题" in box
    assert "为什么除以根号" in box and "方差保持为 1" in box
    assert "多头" not in page.split("zk-embed")[1]
    # Its image still shows from this page's folder.
    assert 'src="../../ml/img/score.png"' in box
    assert not broken_links(site)
    # Embedded twice: shown once, then a link.
    assert page.count('class="zk-embed"') == 1
    assert '见<a href="../../ml/attention/#缩放点积">《注意力机制 › 缩放点积》</a>' in page
    assert "<code>![[注意力机制]]</code>" in page or "![[注意力机制]]\n</code>" in page


def test_the_embedded_article_lists_the_embedding_one_under_cited_by(tmp_path: Path) -> None:
    site = build_once(write(tmp_path, PAGES), tmp_path / "site")
    attention = (site / "ml" / "attention" / "index.html").read_text("utf-8")
    cited = attention[attention.index('<h2 id="zk-backlinks">被引用</h2>') :]
    assert "Transformer 读书笔记" in cited.split("</section>")[0]


def test_a_cycle_of_embeds_ends_in_a_link(tmp_path: Path) -> None:
    site = build_once(write(tmp_path, PAGES), tmp_path / "site")
    a = (site / "loop" / "a" / "index.html").read_text("utf-8")
    assert a.count('class="zk-embed"') == 1 and "乙的正文" in a
    assert '见<a href="./">《甲》</a>' in a  # B's embed of A, inside A: a link to A


def test_hostile_titles_stay_text(tmp_path: Path) -> None:
    evil = article("<script>alert(1)</script> & *强调*", "2026-02-06", "杂记", [], "正文。\n")
    page = article("引用者", "2026-02-07", "杂记", [], "![[evil]]\n")
    site = build_once(write(tmp_path, {"evil.md": evil, "user.md": page}), tmp_path / "site")
    html = (site / "user" / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    shown = re.search(r'来自<a href="../evil/">([^<]*)</a>', html)
    assert shown is not None
    assert unescape(shown.group(1)) == "《<script>alert(1)</script> & *强调*》"


@pytest.mark.parametrize(
    ("line", "said"),
    [("![[不存在的笔记]]", "names no article"), ("![[注意力机制#不存在]]", "names no heading")],
)
def test_an_unknown_embed_fails_a_strict_build_naming_its_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, line: str, said: str
) -> None:
    bad = article("坏嵌入", "2026-02-08", "杂记", [], f"第一行。\n\n{line}\n")
    with pytest.raises(Abort):
        build_once(write(tmp_path, {**PAGES, "bad.md": bad}), tmp_path / "site")
    number = bad.split("\n").index(line) + 1
    assert f"docs/bad.md:{number}: {line} {said}" in caplog.text


def test_an_embedded_section_follows_edits_under_dirty_reload(tmp_path: Path) -> None:
    config_file = write_site(tmp_path, PAGES, cache=True)
    site = tmp_path / "site"
    first = config_for(config_file, site)
    first.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config_for(config_file, site, strict=False), dirty=True)
        # A whole note embedded (no heading: no anchor links the two pages).
        page = site / "loop" / "a" / "index.html"
        assert "乙的正文。" in page.read_text("utf-8")
        source = tmp_path / "docs" / "loop" / "b.md"
        before = source.stat().st_mtime_ns
        source.write_text(LOOP_B.replace("乙的正文。", "乙的新正文。"), encoding="utf-8")
        os.utime(source, ns=(before + 10_000_000, before + 10_000_000))
        build(config_for(config_file, site, strict=False), dirty=True)
        assert "乙的新正文。" in page.read_text("utf-8")
    finally:
        first.plugins.on_shutdown()
