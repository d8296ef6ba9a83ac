"""What import reads from a note's text: dates, Hexo tags, Obsidian tags, headings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zhiku.importers.hexo import convert_tags
from zhiku.importers.kinds import hugo_shortcodes, inline_tags
from zhiku.importers.markup import first_heading
from zhiku.importers.run import import_notes
from zhiku.importers.source import SourceError, parse_when, split_source

CST = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(
    ("written", "when"),
    [
        ("2021-06-29", dt.date(2021, 6, 29)),
        ("2021-06-29 01:52:57", dt.datetime(2021, 6, 29, 1, 52, 57)),
        ("2021-06-29 01:52", dt.datetime(2021, 6, 29, 1, 52)),
        ("2021-06-29T01:52:57Z", dt.datetime(2021, 6, 29, 1, 52, 57, tzinfo=dt.timezone.utc)),
        ("2024-03-01T10:00:00+08:00", dt.datetime(2024, 3, 1, 10, tzinfo=CST)),
        ("2019-04-01 20:30:00 +0800", dt.datetime(2019, 4, 1, 20, 30, tzinfo=CST)),
        ("2021/6/9", dt.date(2021, 6, 9)),
    ],
)
def test_dates_as_blogs_write_them(written: str, when: dt.date) -> None:
    assert parse_when(written) == when


@pytest.mark.parametrize("written", ["昨天", "2021-13-01", "2021-02-30 10:00", ""])
def test_what_is_no_date_is_none(written: str) -> None:
    assert parse_when(written) is None


def test_toml_and_yaml_front_matter_and_hexo_without_an_opening_fence() -> None:
    toml = split_source('+++\ntitle = "注意力"\ndraft = true\n+++\n正文\n')
    assert toml == ({"title": "注意力", "draft": True}, "正文\n", "toml")
    yaml_meta, body, _ = split_source("---\ndate: 2021-06-29 01:52:57\n---\n正文\n")
    assert yaml_meta == {"date": "2021-06-29 01:52:57"}  # dates stay as written
    assert body == "正文\n"
    bare = split_source("title: 旧文章\ndate: 2015-01-01\n---\n正文\n", bare=True)
    assert bare[0] == {"title": "旧文章", "date": "2015-01-01"}
    assert bare[1] == "正文\n"


def test_bad_front_matter_names_its_line() -> None:
    with pytest.raises(SourceError) as err:
        split_source("---\ntitle: ok\ntags: [a\n---\n")
    assert err.value.line >= 3


def test_hexo_tags_become_markdown_and_code_is_left_alone() -> None:
    body = (
        "{% note warning 小心 %}\n梯度会爆炸。\n{% endnote %}\n\n"
        "{% codeblock lang:python %}\nprint(1)\n{% endcodeblock %}\n\n"
        "{% asset_img diagram.png 结构图 %}\n\n"
        "{% raw %}{{ 原样 }}{% endraw %}\n\n"
        "```\n{% note %}不动{% endnote %}\n```\n\n"
        "{% timeline 2024 %}\n"
    )
    out, notes = convert_tags(body, "my-post")
    assert '!!! warning "小心"\n\n    梯度会爆炸。\n' in out
    assert "```python\nprint(1)\n```" in out
    assert "![结构图](my-post/diagram.png)" in out
    assert "{{ 原样 }}" in out and "{% raw %}" not in out
    assert "```\n{% note %}不动{% endnote %}\n```" in out
    assert "{% timeline 2024 %}" in out
    assert notes == ["{% timeline %} is not a tag import knows; kept as text"]


def test_an_unclosed_block_tag_is_kept_and_reported() -> None:
    out, notes = convert_tags("{% note info %}\n没有结束\n", "p")
    assert out.startswith("{% note info %}")
    assert notes and "never closed" in notes[0]


def test_obsidian_inline_tags_but_not_in_code_headings_links_or_urls() -> None:
    body = (
        "#数学 和 #线性代数/矩阵 的笔记。读完了。#日记\n"
        "## #不是标签\n"
        "`#code` 和 [锚点](#anchor) 以及 https://example.org/#frag 和 #2024\n"
        "```\n#shell-comment\n```\n"
    )
    assert inline_tags(body) == ["数学", "线性代数/矩阵", "日记"]


def test_the_first_heading_is_the_title_and_leaves_the_body() -> None:
    title, body = first_heading("\n# 线段树\n\n正文\n\n# 第二个\n")
    assert title == "线段树"
    assert body == "正文\n\n# 第二个\n"
    assert first_heading("```\n# 注释\n```\n正文\n") == (None, "```\n# 注释\n```\n正文\n")


def test_obsidian_tags_written_as_one_string_of_hashtags(tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    (vault / "笔记.md").write_text(
        '---\ntags: "#数学 #线性代数"\ncreated: 2023-05-04T21:15:33.250+08:00\n---\n正文\n',
        encoding="utf-8",
    )
    import_notes([str(vault)], tmp_path / "content")
    text = (tmp_path / "content" / "biji.md").read_text(encoding="utf-8")
    assert "tags: [数学, 线性代数]" in text
    assert "date: 2023-05-04 21:15:33+08:00" in text


def test_jekyll_liquid_links_urls_and_raw() -> None:
    from zhiku.importers.kinds import liquid

    body = (
        "![图]({{ '/assets/img/a.png' | relative_url }})\n"
        "[下一篇]({% post_url 2019-04-01-mle %})\n"
        "{% raw %}{{ 模板 }}{% endraw %}\n"
        "{% include toc.html %}\n"
    )
    out, notes = liquid(body)
    assert out == (
        "![图](/assets/img/a.png)\n[下一篇](note-ref:2019-04-01-mle)\n{{ 模板 }}\n"
        "{% include toc.html %}\n"
    )
    assert notes == ["Liquid include is not something import knows; kept as text"]


def test_an_abbrlink_is_computed_as_hexo_abbrlink_does_when_the_post_has_none() -> None:
    from zhiku.importers.kinds import abbrlink

    assert abbrlink("123456789", {}) == str(0xBB3D)  # CRC-16/ARC's check value, decimal
    assert abbrlink("123456789", {"alg": "crc32", "rep": "hex"}) == "cbf43926"


def test_hexo_permalink_with_abbrlink(tmp_path: Path) -> None:
    blog = tmp_path / "blog"
    (blog / "source" / "_posts").mkdir(parents=True)
    (blog / "_config.yml").write_text(
        "permalink: :year/:month/:day/post/:abbrlink.html\nabbrlink:\n  alg: crc32\n  rep: hex\n",
        encoding="utf-8",
    )
    (blog / "source" / "_posts" / "a.md").write_text(
        "---\ntitle: '123456789'\ndate: 2021-12-25 11:28:00\n---\n正文\n", encoding="utf-8"
    )
    (blog / "source" / "_posts" / "b.md").write_text(
        "---\ntitle: 另一篇\ndate: 2021-12-26\nabbrlink: 4a17b156\n---\n正文\n", encoding="utf-8"
    )
    import_notes([str(blog)], tmp_path / "content")
    a = (tmp_path / "content" / "a.md").read_text(encoding="utf-8")
    b = (tmp_path / "content" / "b.md").read_text(encoding="utf-8")
    assert "aliases: [/2021/12/25/post/cbf43926.html]" in a
    assert "aliases: [/2021/12/26/post/4a17b156.html]" in b


def test_butterfly_notes_keep_their_colour_and_drop_their_icons() -> None:
    out, notes = convert_tags("{% note red 'fas fa-fan' simple %}\n危险\n{% endnote %}\n", "p")
    assert out == "!!! danger\n\n    危险\n\n"
    assert notes == []


@pytest.mark.parametrize(
    ("written", "hierarchy", "category", "tags"),
    [
        (["机器学习", "强化学习"], True, "机器学习/强化学习", []),
        ([["机器学习", "强化学习"], ["笔记"]], True, "机器学习/强化学习", ["笔记"]),
        ([["机器学习", "强化学习"], "笔记"], True, "机器学习/强化学习", ["笔记"]),
        (["深度学习", "论文"], False, "深度学习", ["论文"]),
        ("C/C++", False, "C-C++", []),
        ([], True, None, []),
    ],
)
def test_categories_as_each_tool_means_them(
    written: object, hierarchy: bool, category: str | None, tags: list[str]
) -> None:
    from zhiku.importers.kinds import _category

    assert _category(written, hierarchy) == (category, tags)


def test_hugo_shortcodes_for_code_math_figures_and_links() -> None:
    body = (
        '{{< highlight go "linenos=table" >}}\nfmt.Println(1)\n{{< /highlight >}}\n'
        "{{< math >}}$x^2${{< /math >}}\n"
        '{{< figure src="a.png" caption="示意图" >}}\n'
        '[结构]({{< ref "posts/b.md" >}})\n'
        "{{< gist spf13 7896402 >}}\n"
    )
    out, notes = hugo_shortcodes(body)
    assert out == (
        "```go\nfmt.Println(1)\n```\n$x^2$\n![示意图](a.png)\n[结构](note-ref:posts/b.md)\n"
        "{{< gist spf13 7896402 >}}\n"
    )
    assert notes == ["{{< gist >}} is a shortcode import does not know; kept"]


def test_hexo_inline_link_and_centered_quote() -> None:
    body = "{% link 官网 https://hexo.io external %}\n{% cq %}名言{% endcq %}\n"
    out, notes = convert_tags(body, "p")
    assert out == "[官网](https://hexo.io)\n> 名言\n"
    assert notes == []


def test_theme_tags_of_next_butterfly_and_volantis_become_tabs_folds_and_text() -> None:
    """The tag plugins of the popular Chinese Hexo themes: tabs of code samples, folded
    answers, diagrams, styled words, buttons, check boxes and videos."""
    body = (
        "{% tabs 安装, 2 %}\n<!-- tab pip -->\n```bash\npip install torch\n```\n<!-- endtab -->\n"
        "<!-- tab conda @fab fa-python -->\n```bash\nconda install pytorch\n```\n"
        "<!-- endtab -->\n{% endtabs %}\n\n"
        "{% hideToggle 点击查看答案,bg,color %}\n答案是 $x=1$。\n{% endhideToggle %}\n\n"
        "{% folding cyan open, 已展开 %}\n内容\n{% endfolding %}\n\n"
        "{% mermaid %}\ngraph LR\n  A --> B\n{% endmermaid %}\n\n"
        "按 {% kbd Ctrl %}，{% label primary@重点 %}，"
        "{% btn https://example.org,官网,fa fa-link %}\n\n"
        "{% checkbox green checked 已完成 %}\n\n{% bilibili BV1xx411c7mD %}\n"
    )
    out, notes = convert_tags(body, "post")
    assert '=== "pip"\n\n    ```bash\n    pip install torch\n    ```\n' in out
    assert '=== "conda"\n\n    ```bash\n    conda install pytorch\n    ```\n' in out
    assert '??? note "点击查看答案"\n\n    答案是 $x=1$。' in out
    assert '???+ note "已展开"\n\n    内容' in out
    assert "```mermaid\ngraph LR\n  A --> B\n```" in out
    assert "按 `Ctrl`，重点，[官网](https://example.org)" in out
    assert "- [x] 已完成" in out
    assert "[bilibili：BV1xx411c7mD](https://www.bilibili.com/video/BV1xx411c7mD)" in out
    assert "{%" not in out
    assert notes == ["{% bilibili %}: a link to the video (a page here embeds no other site)"]


def test_hugo_note_themes_block_shortcodes_become_admonitions_tabs_and_math() -> None:
    """LoveIt/DoIt/FixIt's admonition, hugo-book's hint, tabs, details and katex."""
    body = (
        '{{< admonition type=warning title="注意" open=false >}}\n会震荡。\n{{< /admonition >}}\n\n'
        "{{< hint danger >}}\n**危险**\n{{< /hint >}}\n\n"
        '{{< tabs "install" >}}\n{{< tab "pip" >}}\n```bash\npip install torch\n```\n{{< /tab >}}\n'
        '{{< tab "conda" >}}\nconda 安装。\n{{< /tab >}}\n{{< /tabs >}}\n\n'
        '{{< details "答案" >}}\n是 42。\n{{< /details >}}\n\n'
        "行内 {{< katex >}}x^2{{< /katex >}} 公式。\n\n{{< bilibili BV1xx411c7mD >}}\n"
    )
    out, notes = hugo_shortcodes(body)
    assert '??? warning "注意"\n\n    会震荡。' in out
    assert "!!! danger\n\n    **危险**" in out
    assert '=== "pip"\n\n    ```bash\n    pip install torch\n    ```' in out
    assert '=== "conda"\n\n    conda 安装。' in out
    assert '??? note "答案"\n\n    是 42。' in out
    assert "行内 $x^2$ 公式。" in out
    assert "[bilibili：BV1xx411c7mD](https://www.bilibili.com/video/BV1xx411c7mD)" in out
    assert "{{<" not in out
    assert notes == ["{{< bilibili >}}: a link to the video (a page here embeds no other site)"]
