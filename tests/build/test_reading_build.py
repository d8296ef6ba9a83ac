"""Reading features as `mkdocs build --strict` writes them: callouts, figures, Mermaid
fences, the theme's texts from mkdocs.yml, and the checks of `extra: comments:`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from feed_sites import article, built
from mkdocs.exceptions import Abort
from render_sites import write_render_site

ROOT = Path(__file__).resolve().parents[2]
THEME = {
    "name": "material",
    "custom_dir": str(ROOT / "theme_overrides"),
    "language": "zh",
    "font": False,
}

# An Obsidian note: callouts (one holding a fence and a diagram), a figure, a diagram.
NOTE = """一段开头。

> [!NOTE] 记号
> 下文的 $x_t$ 是第 t 步的样本。
> ```mermaid
> graph LR
>   a --> b
> ```

> [!caution]-
> 折叠的警告。

![注意力热图](heatmap.png "图 1：注意力热图")

```mermaid
sequenceDiagram
  A->>B: <script>alert(1)</script>
```

## 小节

见[小节](#小节)。
"""


def _site(tmp_path: Path, pages: dict[str, str], **settings: Any) -> Path:
    config = write_render_site(tmp_path, pages, theme=THEME, **settings)
    built(config, tmp_path / "site")
    return tmp_path / "site"


def _content(site: Path, slug: str) -> str:
    html = (site / slug / "index.html").read_text(encoding="utf-8")
    return html[html.index("md-content__inner") : html.index("</article>")]


def test_callouts_figures_and_diagrams_in_a_built_article(tmp_path: Path) -> None:
    pages = {
        "note.md": article("笔记", "2026-02-01", "AI", ["扩散模型"], NOTE),
        "plain.md": article("纯文字", "2026-01-01", "AI", [], "只有文字。"),
        "heatmap.png": "",
    }
    site = _site(tmp_path, pages)
    content = _content(site, "note")
    assert '<div class="admonition note">\n<p class="admonition-title">记号</p>' in content
    assert '<script type="math/tex">x_t</script>' in content, "math inside a callout"
    assert '<details class="caution">\n<summary>注意</summary>' in content
    assert content.count('<pre class="zk-mermaid"><code>') == 2
    # The diagram's source is text: markup in it is escaped, never run.
    assert "A-&gt;&gt;B: &lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert '<figure class="zk-figure"><img alt="注意力热图"' in content
    assert "<figcaption>图 1：注意力热图</figcaption>" in content
    page = (site / "note" / "index.html").read_text(encoding="utf-8")
    assert "assets/zhiku/diagrams.js" in page and "assets/zhiku/lightbox.js" in page
    # Material's own Mermaid (from a CDN) never sees a diagram.
    assert 'class="mermaid"' not in page
    plain = (site / "plain" / "index.html").read_text(encoding="utf-8")
    assert "diagrams.js" not in plain and "lightbox.js" not in plain
    assert "mermaid.min.js" not in plain


def test_a_callout_keeps_the_line_numbers_of_what_follows(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    body = "> [!TIP] 小技巧\n> 第一行\n> 第二行\n\n见[不存在](#不存在)。\n"
    text = article("提示", "2026-02-01", "AI", [], body)
    line = text.splitlines().index("见[不存在](#不存在)。") + 1
    config = write_render_site(tmp_path, {"tip.md": text}, theme=THEME)
    with pytest.raises(Abort):
        built(config, tmp_path / "site")
    assert f"tip.md:{line}: link to #不存在" in caplog.text


def test_theme_texts_come_from_mkdocs_yml(tmp_path: Path) -> None:
    texts = {
        "hero_kicker": "每日更新",
        "hero_title": "新文章",
        "hero_subtitle": "读书笔记",
        "feeds_label": "订阅本站",
        "not_found_kicker": "走丢了",
        "not_found_title": "没有这一页",
        "not_found_lead": "换个地址试试。",
    }
    site = _site(tmp_path, {}, extra={"zhiku": texts})
    home = (site / "index.html").read_text(encoding="utf-8")
    for key in ("hero_kicker", "hero_title", "hero_subtitle", "feeds_label"):
        assert texts[key] in home, key
    assert "Incoming transmission" not in home and "最新收录" not in home
    # Material's footer line says "Made with" in English whatever the language.
    assert "Made with" not in home and "构建" in home
    missing = (site / "404.html").read_text(encoding="utf-8")
    for key in ("not_found_kicker", "not_found_title", "not_found_lead"):
        assert texts[key] in missing, key
    assert "Signal lost" not in missing


def test_comments_are_off_by_default_and_on_articles_when_configured(tmp_path: Path) -> None:
    pages = {"a.md": article("文章", "2026-02-01", "AI", [], "正文。")}
    plain = _site(tmp_path / "off", pages)
    assert "zk-comments" not in (plain / "a" / "index.html").read_text(encoding="utf-8")
    comments = {"provider": "waline", "server_url": "https://comments.example.org"}
    site = _site(tmp_path / "on", pages, extra={"comments": comments})
    page = (site / "a" / "index.html").read_text(encoding="utf-8")
    assert 'id="zk-comments-config"' in page and "comments.example.org" in page
    assert "assets/zhiku/comments.js" in page
    # Nothing from another host in the markup itself: the widget comes on scroll.
    assert "unpkg.com" not in page
    assert "zk-comments" not in (site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"comments": {"provider": "disqus"}}, "provider 'disqus' is not one Zhiku knows"),
        ({"comments": {"provider": "giscus", "repo": "a/b"}}, "giscus needs repo_id, category"),
        ({"comments": "giscus"}, "extra: comments is not a mapping"),
        ({"zhiku": {"hero_kiker": "x"}}, "'hero_kiker' is not a text of the theme"),
        ({"zhiku": {"hero_title": 2026}}, "hero_title: 2026 is not text; quote it"),
    ],
)
def test_wrong_reading_settings_stop_the_build_in_one_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, extra: dict[str, Any], message: str
) -> None:
    config = write_render_site(tmp_path, {}, theme=THEME, extra=extra)
    with pytest.raises(Abort):
        built(config, tmp_path / "site")
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1, errors
    assert errors[0].startswith("mkdocs.yml: extra: ") and message in errors[0]
    assert "\n" not in errors[0]


# A note written for VuePress/VitePress: containers, a folded answer, a code group.
VUEPRESS_NOTE = """开头一段。

::: warning 学习建议
先读原论文，再看 $O(n^2)$ 的实现。
:::

::: details 点我看答案
答案是 **42**。
:::

::: code-group
```py [train.py]
print("训练")
```
:::

```js{2}
const a = 1
const b = 2
```

## 小节

见[小节](#小节)。
"""


def test_vuepress_containers_in_a_built_article(tmp_path: Path) -> None:
    pages = {"vp.md": article("容器", "2026-02-01", "AI", [], VUEPRESS_NOTE)}
    content = _content(_site(tmp_path, pages), "vp")
    assert '<div class="admonition warning">\n<p class="admonition-title">学习建议</p>' in content
    assert '<script type="math/tex">O(n^2)</script>' in content, "math inside a container"
    assert '<details class="note">\n<summary>点我看答案</summary>' in content
    assert "<strong>42</strong>" in content
    assert '<span class="filename">train.py</span>' in content
    assert ":::" not in content
    # VitePress's highlighted line: a highlighted block, not a line of inline code.
    assert '<span class="hll">' in content and "js{2}" not in content
