"""`zhiku import` of a Docusaurus site: which files are notes, the URLs they had, and MDX
turned into Markdown a reader of this site sees as the author meant it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from zhiku.importers.docusaurus import Place, Section, convert_mdx, old_url, places, read_config
from zhiku.importers.run import detect, import_notes

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "notes" / "docusaurus" / "ml-wiki"
TIME = 1704196800.0  # 2024-01-02 12:00 UTC

CONFIG_EN = """
module.exports = {
  i18n: { defaultLocale: 'en', locales: ['en', 'zh-Hans'] },
  presets: [['classic', { docs: { sidebarPath: './sidebars.js' }, blog: false }]],
  plugins: [
    ['./src/plugins/plugin-content-blog', { path: 'posts', routeBasePath: '/' }],
    ['@docusaurus/plugin-content-docs', { id: 'leetcode', path: 'leetcode', routeBasePath: 'lc' }],
  ],
};
"""


def site(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "site"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    for path in root.rglob("*"):
        os.utime(path, (TIME, TIME))
    return root


def fixture(tmp_path: Path) -> Path:
    copy = tmp_path / "src" / "ml-wiki"
    shutil.copytree(FIXTURE, copy)
    for path in copy.rglob("*"):
        os.utime(path, (TIME, TIME))
    return copy


def test_a_docusaurus_site_is_recognised_by_its_config_beside_docs_or_blog(
    tmp_path: Path,
) -> None:
    root = site(tmp_path, {"docusaurus.config.js": CONFIG_EN, "docs/a.md": "# 甲\n"})
    assert detect(root)[0] == "docusaurus"
    bare = site(tmp_path / "bare", {"docs/a.md": "# 甲\n"})
    assert detect(bare)[0] == "markdown"
    assert detect(bare, "docusaurus")[0] == "docusaurus"  # --from docusaurus


def test_the_config_names_the_folders_and_their_urls_even_through_a_wrapped_plugin() -> None:
    config = read_config(CONFIG_EN)
    assert config["default_locale"] == "en"
    assert sorted(config["sections"]) == [
        ("blog", "default", "posts", "/"),
        ("docs", "default", "docs", "docs"),
        ("docs", "leetcode", "leetcode", "lc"),
    ]


def test_the_presets_docs_wins_over_theme_settings_and_an_empty_route_is_the_root() -> None:
    config = read_config(
        """export default {
  themeConfig: { docs: { sidebar: { hideable: true } } },
  presets: [['classic', { docs: { path: '笔记', routeBasePath: '' } }]],
  plugins: [[require.resolve('@docusaurus/plugin-content-blog'), { path: '随笔' }]],
}"""
    )
    assert sorted(config["sections"]) == [
        ("blog", "default", "blog", "blog"),
        ("blog", "default", "随笔", "blog"),  # a blog plugin's URLs start at /blog by default
        ("docs", "default", "笔记", ""),
    ]
    assert config["default_locale"] == "en"  # Docusaurus's own default


def test_a_chinese_translation_is_imported_in_place_of_the_english_original() -> None:
    files = {
        "docs/intro.md",
        "docs/only-english.md",
        "i18n/zh-Hans/docusaurus-plugin-content-docs/current/intro.md",
        "i18n/zh-Hans/docusaurus-plugin-content-docs-leetcode/current/two-sum.md",
        "leetcode/two-sum.md",
        "i18n/ja/docusaurus-plugin-content-docs/current/intro.md",
        "src/pages/index.md",
        "i18n/zh-Hans/docusaurus-plugin-content-pages/about.md",
        "docs/_shared/安装步骤.mdx",
        "versioned_docs/version-1.0/intro.md",
    }
    chosen, skipped = places(read_config(CONFIG_EN), files)
    assert (
        chosen["i18n/zh-Hans/docusaurus-plugin-content-docs/current/intro.md"].inner == "intro.md"
    )
    assert "docs/only-english.md" in chosen  # not translated: the original is all there is
    assert "zh-Hans translation" in skipped["docs/intro.md"]
    assert "zh-Hans translation" in skipped["leetcode/two-sum.md"]
    assert (
        "the zh-Hans translation is imported"
        in skipped["i18n/ja/docusaurus-plugin-content-docs/current/intro.md"]
    )
    assert "src/pages" in skipped["src/pages/index.md"]
    assert "partial" in skipped["docs/_shared/安装步骤.mdx"]
    assert "older version" in skipped["versioned_docs/version-1.0/intro.md"]
    assert "site's own pages" in skipped["i18n/zh-Hans/docusaurus-plugin-content-pages/about.md"]


def test_old_urls_follow_docusaurus_ids_slugs_number_prefixes_and_blog_days() -> None:
    docs, blog = Section("docs", "docs", "/docs"), Section("blog", "blog", "/")
    assert old_url(Place(docs, "01-基础/02-梯度下降.md"), {}, None) == "/docs/基础/梯度下降/"
    assert old_url(Place(docs, "01-基础/02-梯度下降.md"), {"id": "gd"}, None) == "/docs/基础/gd/"
    assert old_url(Place(docs, "01-基础/index.md"), {}, None) == "/docs/基础/"
    assert old_url(Place(docs, "算法/算法.md"), {}, None) == "/docs/算法/"
    assert old_url(Place(docs, "a/b.md"), {"slug": "/c"}, None) == "/docs/c/"
    assert old_url(Place(docs, "a/b.md"), {"slug": "c"}, None) == "/docs/a/c/"
    assert old_url(Place(blog, "2021-08-01-welcome.md"), {}, "2021-08-01") == "/2021/08/01/welcome/"
    assert old_url(Place(blog, "2021-08-01-x/index.md"), {"slug": "hi"}, "2021-08-01") == "/hi/"
    assert old_url(Place(blog, "笔记/随想.md"), {}, None) == "/笔记/随想/"


def test_mdx_becomes_markdown_a_reader_sees() -> None:
    body = """import Tabs from '@theme/Tabs';
import {
  Highlight,
} from '@site/src/components/Highlight';
export const meta = { a: 1 };

开头。{/* 私下的批注 */}

{/* truncate */}

```js
import x from 'y'
```

<Tabs values={[{label: '甲方案', value: 'a'}, {label: '乙方案', value: 'b'}]}>
<TabItem value="a">

外层甲。

<Tabs>
  <TabItem value="x" label="内层">

  内层文字。

  </TabItem>
</Tabs>

</TabItem>
<TabItem value="b">乙。</TabItem>
</Tabs>

见 <Highlight color="red">重点</Highlight> 和 `<Tabs>`。
"""
    text, notes = convert_mdx(body)
    assert "@theme" not in text and "export const" not in text and "Highlight,\n" not in text
    assert "```js\nimport x from 'y'\n```" in text  # code is code
    assert "私下的批注" not in text and "<!-- more -->" in text
    assert '=== "甲方案"\n\n    外层甲。\n\n    === "内层"\n\n        内层文字。\n' in text
    assert '=== "乙方案"\n\n    乙。\n' in text
    assert "TabItem" not in text
    assert '&lt;Highlight color="red">重点&lt;/Highlight>' in text and "`<Tabs>`" in text
    assert notes == [
        "MDX component <Highlight> has no Markdown form; kept as the text it was written as"
    ]


def test_the_fixture_site_comes_in_with_labels_days_aliases_and_images(tmp_path: Path) -> None:
    content = tmp_path / "content"
    outcome = import_notes([str(fixture(tmp_path))], content)
    assert not outcome.errors
    gradient = (content / "gradient-descent.md").read_text(encoding="utf-8")
    assert "category: 机器学习基础\n" in gradient  # _category_.json's label
    assert "tags: [优化, 数学]\n" in gradient  # a {label, permalink} tag by its label
    assert "aliases: [/docs/基础/gradient-descent/]" in gradient
    assert "![示意图](assets/gradient-descent/logo.png)" in gradient  # @site/static/
    assert '```python title="gd.py" showLineNumbers' in gradient
    linear = (content / "xianxing-huigui.md").read_text(encoding="utf-8")
    assert "![](assets/xianxing-huigui/logo.png)" in linear  # /img/ from static/
    assert "[梯度下降](gradient-descent.md)" in linear  # a link to an .mdx note
    assert "updated: 2024-05-01\n" in linear  # last_update.date
    deep = (content / "zhuyili-jizhi.md").read_text(encoding="utf-8")
    assert "category: 深度学习\n" in deep and "draft: true" in deep  # _category_.yml
    post = (content / "rl-first-steps.md").read_text(encoding="utf-8")
    assert "date: 2023-11-21 10:00:00\n" in post  # front matter wins over the folder's day
    assert "aliases: [/posts/rl-first-steps/]" in post
    dated = (content / "du-transformer-lunwen-de-biji.md").read_text(encoding="utf-8")
    assert "date: 2024-03-01\n" in dated and "date_estimated" not in dated
    assert "aliases: [/posts/2024/03/01/transformer-note/]" in dated
    home = (content / "jiqi-xuexi-biji-daodu.md").read_text(encoding="utf-8")
    assert "aliases: [/docs/]" in home  # slug: / is the docs' home
    reasons = {r.source.split("ml-wiki/", 1)[-1]: r.reason for r in outcome.plan.records}
    assert (
        "default locale (zh-Hans)"
        in reasons["i18n/en/docusaurus-plugin-content-docs/current/intro.md"]
    )
    assert "src/pages" in reasons["src/pages/about.md"]


def test_tabs_split_around_code_in_mdx_code_block_fences_are_tabs_too() -> None:
    body = """```mdx-code-block
<Tabs>
<TabItem value="get" label="查询">
```

```python
requests.get(url)
```

```mdx-code-block
</TabItem>
<TabItem value="post" label="提交">
```

```python
requests.post(url)
```

```mdx-code-block
</TabItem>
</Tabs>
```
"""
    text, _ = convert_mdx(body)
    assert "mdx-code-block" not in text and "TabItem" not in text
    assert '=== "查询"\n\n    ```python\n    requests.get(url)\n    ```\n' in text
    assert '=== "提交"\n\n    ```python\n    requests.post(url)\n    ```\n' in text


def test_a_monorepo_keeps_its_site_in_website_and_its_notes_beside_it(tmp_path: Path) -> None:
    root = site(
        tmp_path,
        {
            "website/docusaurus.config.js": (
                "module.exports = { presets: [['classic', { docs: { path: '../docs' } }]] };"
            ),
            "docs/快速上手.md": "---\nid: quick-start\n---\n\n# 快速上手\n\n![界面](/img/ui.png)\n",
            "website/static/img/ui.png": "PNG",
            "website/i18n/en/docusaurus-plugin-content-docs/current/快速上手.md": "# Quick\n",
            "README.md": "# 项目\n",
        },
    )
    content = tmp_path / "content"
    outcome = import_notes([str(root)], content)
    assert not outcome.errors
    text = (content / "quick-start.md").read_text(encoding="utf-8")
    assert "aliases: [/docs/quick-start/]" in text
    assert "![界面](assets/quick-start/ui.png)" in text  # website/static/
    reasons = {r.source.split("site/", 1)[-1]: r.reason or "" for r in outcome.plan.records}
    assert (
        "default locale (en)"
        in reasons["website/i18n/en/docusaurus-plugin-content-docs/current/快速上手.md"]
    )
    assert "outside the site's notes (docs/)" in reasons["README.md"]
