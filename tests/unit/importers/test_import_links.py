"""Links and images of real notes, rewritten where prose has them and nowhere else."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhiku.importers.markup import first_heading, hashes_as_text
from zhiku.importers.model import Tree
from zhiku.importers.resolve import Resolver, link_tables
from zhiku.importers.run import import_notes

POST = "source/_posts/xinhao.md"


def resolver(directory_urls: bool = True) -> Resolver:
    files = frozenset({POST, "source/_posts/other.md", "source/uploads/xinhao/1.png"})
    tree = Tree("blog", "hexo", files, (POST, "source/_posts/other.md"), {}, base="source")
    links = link_tables(tree, {POST: "xinhao.md", "source/_posts/other.md": "other.md"}, {}, {})
    return Resolver(tree, links, directory_urls=directory_urls)


def test_a_formula_or_code_that_looks_like_a_link_is_left_alone() -> None:
    body = "变换 $\\mathcal{F}[x](t)$ 与 `a[i](j)`，见[另一篇](other.md)。\n"
    done = resolver().resolve(POST, "xinhao", body)
    assert done.body == "变换 $\\mathcal{F}[x](t)$ 与 `a[i](j)`，见[另一篇](other.md)。\n"
    assert done.notes == []  # no "link t: not found"


def test_a_link_whose_words_hold_a_formula_is_still_rewritten() -> None:
    body = "见 [$O(n)$ 的证明](/uploads/xinhao/1.png)。\n"
    done = resolver().resolve(POST, "xinhao", body)
    assert done.body == "见 [$O(n)$ 的证明](assets/xinhao/1.png)。\n"


def test_a_lone_img_becomes_a_markdown_image_keeping_its_size() -> None:
    body = '图：\n\n<img src="/uploads/xinhao/1.png" width="50%" alt="频谱" />\n'
    done = resolver().resolve(POST, "xinhao", body)
    assert done.body == '图：\n\n![频谱](assets/xinhao/1.png){ width="50%" }\n'
    assert done.copies == {"assets/xinhao/1.png": "source/uploads/xinhao/1.png"}


@pytest.mark.parametrize(
    ("directory_urls", "image", "page"),
    [(True, "../assets/xinhao/1.png", "../other/"), (False, "assets/xinhao/1.png", "other.html")],
)
def test_html_in_an_html_block_names_its_targets_from_the_page_url(
    directory_urls: bool, image: str, page: str
) -> None:
    body = (
        '<div align="center">\n<img src="/uploads/xinhao/1.png">\n'
        '<a href="other.md">另一篇</a>\n</div>\n'
    )
    done = resolver(directory_urls).resolve(POST, "xinhao", body)
    assert done.body == (
        f'<div align="center">\n<img src="{image}">\n<a href="{page}">另一篇</a>\n</div>\n'
    )


def test_a_hash_without_a_space_stays_text() -> None:
    body = "- 训练集\n    - #1. 轨迹\n#标签 开头\n# 真标题\n```\n#include <x>\n```\n"
    assert hashes_as_text(body) == (
        "- 训练集\n    - \\#1. 轨迹\n\\#标签 开头\n# 真标题\n```\n#include <x>\n```\n"
    )
    style = "<style>\n#toc { color: red }\n</style>\n"
    assert hashes_as_text(style) == style


def test_a_readme_banner_h1_is_the_title() -> None:
    body = '<div align=center>\n<img src="logo.png">\n<h1>南瓜书</h1>\n</div>\n\n正文\n'
    title, rest = first_heading(body)
    assert title == "南瓜书"
    assert rest == '<div align=center>\n<img src="logo.png">\n\n</div>\n\n正文\n'
    assert first_heading("正文\n\n<h1>后面</h1>\n") == (None, "正文\n\n<h1>后面</h1>\n")


def test_an_image_inside_a_link_is_copied_too() -> None:
    body = "[![徽章](/uploads/xinhao/1.png)](https://example.org/)\n"
    done = resolver().resolve(POST, "xinhao", body)
    assert done.body == "[![徽章](assets/xinhao/1.png)](https://example.org/)\n"


def test_a_new_file_name_never_takes_another_pages_old_url(tmp_path: Path) -> None:
    # MkDocs serves docs/string/index.md at /string/; a page titled "string" elsewhere
    # must not be named string.md, or the redirect from /string/ would sit on it.
    wiki = tmp_path / "wiki"
    (wiki / "docs" / "lang").mkdir(parents=True)
    (wiki / "docs" / "string").mkdir()
    (wiki / "mkdocs.yml").write_text("site_name: 维基\n", encoding="utf-8")
    (wiki / "docs" / "lang" / "string.md").write_text("# string\n\n类。\n", encoding="utf-8")
    (wiki / "docs" / "string" / "index.md").write_text("# 字符串简介\n\n概览。\n", encoding="utf-8")
    import_notes([str(wiki)], tmp_path / "content")
    names = sorted(p.name for p in (tmp_path / "content").glob("*.md"))
    assert "string.md" not in names
    assert len(names) == 2


@pytest.mark.parametrize(
    ("kind", "base", "note", "asset"),
    [
        ("hugo", "content", "content/posts/a.md", "static/images/a.png"),
        ("jekyll", "", "_posts/2020-01-01-a.md", "images/a.png"),
        ("mkdocs", "docs", "docs/algo/a.md", "docs/images/a.png"),
    ],
)
def test_site_root_images_come_from_where_each_tool_serves_them(
    kind: str, base: str, note: str, asset: str
) -> None:
    tree = Tree("site", kind, frozenset({note, asset}), (note,), {}, base=base)
    found = Resolver(tree, link_tables(tree, {note: "a.md"}, {}, {})).resolve(
        note, "a", '![图](/images/a.png)\n\n<img src="/images/a.png" width="30%">\n'
    )
    assert found.body == '![图](assets/a/a.png)\n\n![](assets/a/a.png){ width="30%" }\n'
    assert found.copies == {"assets/a/a.png": asset}


def test_an_html_block_right_under_a_paragraph_is_still_an_html_block() -> None:
    # Python-Markdown ends the paragraph at a line opening with a block-level tag.
    body = '图如下：\n<p align="center"><img src="/uploads/xinhao/1.png"></p>\n'
    done = resolver().resolve(POST, "xinhao", body)
    assert done.body == '图如下：\n<p align="center"><img src="../assets/xinhao/1.png"></p>\n'


def test_an_obsidian_embed_of_a_note_or_its_section_stays_an_embed() -> None:
    note, other = "数学/矩阵.md", "数学/特征值.md"
    files = frozenset({note, other})
    tree = Tree("vault", "obsidian", files, (note, other), {})
    headings = {other: frozenset({"定义", "^abc123"})}
    links = link_tables(tree, {note: "juzhen.md", other: "tezhengzhi.md"}, {}, {}, headings)
    body = (
        "复习：\n\n![[特征值#定义]]\n\n![[特征值]]\n\n![[特征值#^abc123]]\n\n"
        "见 [[特征值#^abc123]]。\n\n![[特征值#^gone]]\n"
    )
    done = Resolver(tree, links).resolve(note, "juzhen", body)
    assert "![[tezhengzhi#定义]]\n\n![[tezhengzhi]]\n" in done.body
    # A block the note has: the build embeds it and links to it (zhiku.glue.blockids).
    assert "![[tezhengzhi#^abc123]]" in done.body
    assert "见 [[tezhengzhi#^abc123|特征值]]。" in done.body
    # A block it does not have: a link to the note, said in the report.
    assert "[[tezhengzhi|特征值]]" in done.body
    assert any("an embedded block; kept as a link" in n for n in done.notes)


def test_obsidian_image_sizes_become_the_images_width() -> None:
    from zhiku.importers.resolve import obsidian_size

    assert obsidian_size("图|300") == ("图", "{ width=300 }")
    assert obsidian_size("|640x480") == ("", "{ width=640 height=480 }")
    assert obsidian_size("特征值 | 2") == ("特征值", "{ width=2 }")
    assert obsidian_size("a|b") == ("a|b", ""), "words with a bar are words"
