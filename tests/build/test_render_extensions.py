"""Markdown extensions a user adds in mkdocs.yml work on article pages, next to Zhiku's
own (header, title, anchors, math, wiki links)."""

from __future__ import annotations

import re
from pathlib import Path

from feed_sites import article, built
from render_sites import write_render_site

# footnotes, tasklist and tabbed are on in the project's mkdocs.yml; def_list is added.
EXTRA = ["def_list"]

BODY = r"""# 扩展一览

一句带脚注的话[^1]，还有公式 $a^2$。

[^1]: 脚注里的 $b$ 也是公式。

术语
:   它的解释。

=== "Python"

    ```python
    print("$x$")
    ```

=== "Shell"

    ```bash
    echo "# 不是标题"
    ```

!!! note "提示"
    提醒里的 $c$。

??? tip "展开"
    折叠的内容。

- [x] 已完成
- [ ] 未完成

见[脚注](#fn:1)。
"""


def test_user_extensions_work_on_an_article(tmp_path: Path) -> None:
    pages = {"ext.md": article("扩展一览", "2024-05-01", "工具", ["Markdown"], BODY)}
    built(write_render_site(tmp_path, pages, more=EXTRA), tmp_path / "site")
    html = (tmp_path / "site" / "ext" / "index.html").read_text(encoding="utf-8")
    content = html[html.index("md-content__inner") : html.index("</article>")]
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", content) == ["扩展一览"]
    assert '<div class="footnote">' in content and 'href="#fn:1"' in content
    assert "<dl>" in content and "<dd>" in content
    assert content.count('class="tabbed-set tabbed-alternate"') == 1
    assert '<div class="admonition note">' in content
    assert '<details class="tip">' in content
    assert content.count('class="task-list-item"') == 2
    inline = re.findall(r'<script type="math/tex">(.*?)</script>', content)
    assert inline == ["a^2", "c", "b"]  # the footnotes come last on the page
    assert "<h2" not in content  # the `#` in the code block is no heading


WRAPPED = """大多数任务都与*预测*
有关。当我们想预测一个数值时，
就会涉及到回归问题（regression）
and more.

```python
# 代码
# 换行
```
"""


def test_hand_wrapped_chinese_reads_without_stray_spaces(tmp_path: Path) -> None:
    """The project's mkdocs.yml removes a line break between Chinese characters, which
    Chromium would show as a space; code keeps its lines."""
    pages = {"wrap.md": article("换行", "2024-05-01", "工具", [], WRAPPED)}
    built(write_render_site(tmp_path, pages), tmp_path / "site")
    html = (tmp_path / "site" / "wrap" / "index.html").read_text(encoding="utf-8")
    content = html[html.index("md-content__inner") : html.index("</article>")]
    assert (
        "<em>预测</em>有关。当我们想预测一个数值时，就会涉及到回归问题（regression）\nand"
        in content
    )
    assert re.search(r"# 代码</span>\n(<a [^>]*></a>)?<span class=\"c1\"># 换行", content)


def test_obsidian_block_references_link_and_embed_under_a_strict_build(tmp_path: Path) -> None:
    """`^id` names a block; [[note#^id]], [text](note.md#^id) and ![[note#^id]] find it,
    and MkDocs' own anchor check (strict) agrees."""
    act = "梯度消失在深层网络里最常见。 ^grad-vanish\n\n## 对比\n\n^compare\n\n另一段。\n"
    notes = (
        "见 [[激活函数#^grad-vanish]] 和 [对比](act.md#^compare)。\n\n![[激活函数#^grad-vanish]]\n"
    )
    pages = {
        "act.md": article("激活函数", "2024-05-01", "工具", [], act),
        "notes.md": article("读书笔记", "2024-05-02", "工具", [], notes),
    }
    built(write_render_site(tmp_path, pages), tmp_path / "site")
    act_html = (tmp_path / "site" / "act" / "index.html").read_text(encoding="utf-8")
    assert '<p id="grad-vanish">梯度消失在深层网络里最常见。</p>' in act_html
    assert '<span id="compare"></span>对比' in act_html and "^compare" not in act_html
    page = (tmp_path / "site" / "notes" / "index.html").read_text(encoding="utf-8")
    assert 'href="../act/#grad-vanish">激活函数</a>' in page
    assert 'href="../act/#compare">对比</a>' in page
    embedded = page[page.index("zk-embed") :]
    assert "梯度消失在深层网络里最常见。" in embedded and "另一段" not in embedded


def test_highlight_and_strikethrough_render_and_a_range_with_tildes_stays_text(
    tmp_path: Path,
) -> None:
    body = "这是==重点==，这是~~删掉的话~~。\n\n训练 3~5天，评估 7~9天，约 1~2 周。\n"
    pages = {"marks.md": article("标记", "2024-05-01", "工具", [], body)}
    built(write_render_site(tmp_path, pages), tmp_path / "site")
    html = (tmp_path / "site" / "marks" / "index.html").read_text(encoding="utf-8")
    assert "<mark>重点</mark>" in html and "<del>删掉的话</del>" in html
    assert "训练 3~5天，评估 7~9天，约 1~2 周。" in html and "<sub>" not in html
