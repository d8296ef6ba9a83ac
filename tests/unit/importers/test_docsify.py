"""docsify sites: the sidebar orders and files the pages, docsify's helpers become what
the build renders, and a site without a sidebar is still read as plain Markdown."""

from __future__ import annotations

from pathlib import Path

from zhiku.articles import parse_article
from zhiku.importers.docsify import helpers, link_target, read_sidebar, section_name, site_config
from zhiku.importers.run import detect, import_notes

INDEX = """<!DOCTYPE html><html><body><div id="app"></div>
<script>
  window.$docsify = {
    name: '<span>深度学习</span>笔记',
    loadSidebar: %s,
    search: { paths: 'auto' }
  };
</script>
<script src="//cdn.jsdelivr.net/npm/docsify/lib/docsify.min.js"></script>
</body></html>
"""

SIDEBAR = """\
* [简介]()
* 2\\. 预备知识
   * [2.1 环境配置](chapter02/install.md)
   * [2.2 数据操作](#/chapter02/tensor)
      * [2.2.1 广播](/chapter02/broadcast?id=规则)
* [GitHub](https://example.org/repo)
- 3、深度学习基础
  - [3.1 线性回归](chapter03/)
"""


def test_site_config_reads_name_and_sidebar_file() -> None:
    assert site_config(INDEX % "true") == ("深度学习笔记", "_sidebar.md")
    assert site_config(INDEX % "'SUMMARY.md'") == ("深度学习笔记", "SUMMARY.md")
    assert site_config(INDEX % "'nav'") == ("深度学习笔记", "nav.md")
    assert site_config(INDEX % "false") == ("深度学习笔记", None)
    assert site_config("<html><script>var x = {};</script></html>") is None


def test_sidebar_links_route_as_docsify_routes_them() -> None:
    files = {"docs/chapter03/README.md", "docs/chapter02/tensor.md"}

    def exists(path: str) -> bool:
        return path in files

    assert link_target("", "docs", exists) == "README.md"
    assert link_target("#/chapter02/tensor", "docs", exists) == "chapter02/tensor.md"
    assert link_target("/chapter02/broadcast?id=规则", "docs", exists) == "chapter02/broadcast.md"
    assert link_target("chapter03/", "docs", exists) == "chapter03/README.md"
    assert link_target("https://example.org/repo", "docs", exists) is None


def test_sidebar_gives_order_and_sections_without_their_numbers() -> None:
    summary = read_sidebar(SIDEBAR, "", lambda path: path == "chapter03/README.md")
    got = [
        (c.path, c.title, "/".join(section_name(s) for s in c.category), c.order)
        for c in summary.chapters
    ]
    assert got == [
        ("README.md", "简介", "", 1),
        ("chapter02/install.md", "2.1 环境配置", "预备知识", 2),
        ("chapter02/tensor.md", "2.2 数据操作", "预备知识", 3),
        ("chapter02/broadcast.md", "2.2.1 广播", "预备知识/数据操作", 4),
        ("chapter03/README.md", "3.1 线性回归", "深度学习基础", 5),
    ]
    assert section_name("第3章 线性网络") == "第3章 线性网络", "a word after the number stays"
    assert section_name("2019") == "2019"


def test_helpers_become_admonitions_anchors_sizes_and_included_code() -> None:
    problems: list[str] = []
    text = helpers(
        "?> 提示的话\n\n!> **重要** 的话\n\n### 安装 :id=install\n\n"
        "![图](a.png ':size=300x200')\n\n[源码](/demo/run.py ':include')\n\n"
        "[远程](https://example.org/a.md ':include')\n\n"
        "[新窗口](https://example.org ':target=_blank')\n\n"
        "```bash\n?> 代码里不是提示\n```\n",
        "docs/page.md",
        "docs",
        {"docs/demo/run.py": "print('你好')\n"},
        problems,
    )
    assert '!!! tip ""\n    提示的话' in text
    assert '!!! warning ""\n    **重要** 的话' in text
    assert "### 安装 {#install}" in text
    assert "![图](a.png){ width=300 height=200 }" in text
    assert "```py\nprint('你好')\n```" in text
    assert "[远程](https://example.org/a.md)" in text and "[新窗口](https://example.org)" in text
    assert "```bash\n?> 代码里不是提示\n```" in text
    assert problems == [
        "include of https://example.org/a.md: on another host, not fetched; kept as a link"
    ]


def _site(root: Path, sidebar: bool) -> Path:
    docs = root / "notes" / "docs"
    (docs / "chapter02").mkdir(parents=True)
    (docs / "index.html").write_text(INDEX % ("true" if sidebar else "false"), encoding="utf-8")
    if sidebar:
        (docs / "_sidebar.md").write_text(
            "* 2\\. 预备知识\n  * [环境](chapter02/install.md)\n", encoding="utf-8"
        )
    (docs / "chapter02" / "install.md").write_text("# 2.1 环境配置\n\n正文。\n", encoding="utf-8")
    (docs / "chapter02" / "extra.md").write_text("# 附录\n\n不在目录里。\n", encoding="utf-8")
    (root / "notes" / "other").mkdir()
    (root / "notes" / "other" / "a.md").write_text("# 另一处\n\n正文。\n", encoding="utf-8")
    return root / "notes"


def test_a_site_with_a_sidebar_is_docsify_and_files_its_pages(tmp_path: Path) -> None:
    notes = _site(tmp_path, sidebar=True)
    assert detect(notes, None)[:2] == ("docsify", "docs")
    outcome = import_notes([str(notes)], tmp_path / "content")
    assert not outcome.errors
    install = parse_article(
        "a.md", (tmp_path / "content" / "2-1-huanjing-peizhi.md").read_text("utf-8")
    )
    assert install.title == "2.1 环境配置", "the page's own heading wins over the sidebar's words"
    assert (install.category, install.series, install.series_order) == (
        "预备知识",
        "深度学习笔记",
        1,
    )
    extra = parse_article("b.md", (tmp_path / "content" / "fulu.md").read_text("utf-8"))
    assert extra.category == "预备知识", "a page outside the sidebar takes its folder's section"
    assert not (tmp_path / "content" / "ling-yichu.md").exists(), "only the site's folder"


def test_a_site_without_a_sidebar_stays_plain_markdown(tmp_path: Path) -> None:
    notes = _site(tmp_path, sidebar=False)
    assert detect(notes, None)[0] == "markdown"
    outcome = import_notes([str(notes)], tmp_path / "content")
    assert (tmp_path / "content" / "ling-yichu.md").exists(), "notes outside docs/ come in"
    assert not outcome.errors


def test_a_page_of_several_top_headings_takes_the_sidebars_words(tmp_path: Path) -> None:
    """Several `# ` headings are the page's sections (a book's chapter of 10.1, 10.2…):
    the sidebar's 第10章 降维 titles it, not its file name."""
    docs = tmp_path / "book" / "docs"
    (docs / "chapter10").mkdir(parents=True)
    (docs / "index.html").write_text(INDEX % "true", encoding="utf-8")
    (docs / "_sidebar.md").write_text("- [第10章 降维](chapter10/chapter10.md)\n", encoding="utf-8")
    (docs / "chapter10" / "chapter10.md").write_text(
        "# 10.1 主成分分析\n\n正文。\n\n# 10.2 流形学习\n\n正文。\n", encoding="utf-8"
    )
    import_notes([str(tmp_path / "book")], tmp_path / "content")
    (written,) = (tmp_path / "content").glob("*.md")
    assert parse_article("a.md", written.read_text("utf-8")).title == "第10章 降维"
