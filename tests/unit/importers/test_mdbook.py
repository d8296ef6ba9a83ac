"""mdBook books: SUMMARY.md titles and files the chapters, helpers are filled in, code
blocks written for rustdoc read as plain Rust, and a GitBook book comes in the same way."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhiku.articles import parse_article
from zhiku.importers.mdbook import expand, parse_summary, plain_fences
from zhiku.importers.run import detect, import_notes

SUMMARY = """\
# Rust 学习笔记

[前言](README.md)

# 基础入门

- [变量与可变性](basic/variables.md)
- [所有权](basic/ownership/README.md)
    - [引用与借用](basic/ownership/borrowing.md)
        - [切片 `&str`](basic/ownership/slice.md)
- [生命周期]()

---

## 进阶

* [闭包](./advance/closure.md)
<!-- * [宏编程](advance/macro.md)
     还没写完 -->
* [模式 \\[match\\]](advance/match%20pattern.md)
"""


def test_summary_gives_titles_order_and_parts_as_categories() -> None:
    summary = parse_summary(SUMMARY)
    assert summary.title == "Rust 学习笔记"
    got = [(c.path, c.title, c.category, c.order) for c in summary.chapters]
    assert got == [
        ("README.md", "前言", (), 1),
        ("basic/variables.md", "变量与可变性", ("基础入门",), 2),
        ("basic/ownership/README.md", "所有权", ("基础入门",), 3),
        ("basic/ownership/borrowing.md", "引用与借用", ("基础入门", "所有权"), 4),
        ("basic/ownership/slice.md", "切片 &str", ("基础入门", "所有权", "引用与借用"), 5),
        ("advance/closure.md", "闭包", ("进阶",), 6),
        ("advance/match pattern.md", "模式 [match]", ("进阶",), 7),
    ]
    assert summary.drafts == (("生命周期", 11),)


def test_a_chapter_listed_twice_keeps_its_first_place() -> None:
    summary = parse_summary("- [一](a.md)\n- [二](b.md)\n- [又是一](a.md)\n")
    assert [c.path for c in summary.chapters] == ["a.md", "b.md"]
    assert summary.problems == ("line 3: a.md is listed twice; the first place kept",)


LISTING = """\
use std::io;
// ANCHOR: main
fn main() {
    // ANCHOR: read
    let mut guess = String::new();
    // ANCHOR_END: read
    println!("{guess}");
}
// ANCHOR_END: main
"""


@pytest.mark.parametrize(
    ("helper", "shown"),
    [
        (
            "{{#include ../listings/main.rs:main}}",
            'fn main() {\n    let mut guess = String::new();\n    println!("{guess}");\n}',
        ),
        ("{{#include ../listings/main.rs:read}}", "    let mut guess = String::new();"),
        ("{{#rustdoc_include ../listings/main.rs:1:1}}", "use std::io;"),
        ("{{#include ../listings/main.rs:7}}", '    println!("{guess}");'),
        ("{{#include ../listings/main.rs:8:}}", "}"),
        ("{{#include ../listings/main.rs::1}}", "use std::io;"),
    ],
)
def test_include_gives_the_lines_or_anchor_asked_for(helper: str, shown: str) -> None:
    files = {"listings/main.rs": LISTING}
    got = expand("src/ch02.md", f"```rust\n{helper}\n```\n", files)
    assert got.text == f"```rust\n{shown}\n```\n"
    assert got.problems == []


def test_a_missing_include_is_reported_with_its_line_and_kept() -> None:
    text = "# 猜数字\n\n正文\n\n{{#include ../listings/gone.rs}}\n"
    got = expand("src/ch02.md", text, {}, first_line=1)
    assert got.text == text
    assert got.problems == [
        "line 5: {{#include ../listings/gone.rs}}: ../listings/gone.rs is not in the book; "
        "kept the line as text"
    ]


def test_a_missing_anchor_is_reported_and_kept() -> None:
    got = expand("src/a.md", "{{#include x.rs:nope}}\n", {"src/x.rs": LISTING})
    assert got.text == "{{#include x.rs:nope}}\n"
    assert "x.rs has no anchor 'nope'" in got.problems[0]


def test_includes_nest_relative_to_the_included_file_and_escapes_stay() -> None:
    files = {
        "src/parts/tip.md": "> 提示：{{#include ../../listings/one.txt}}",
        "listings/one.txt": "运行 cargo run\n",
    }
    text = "{{#include parts/tip.md}}\n\n写法是 `\\{{#include file.rs}}`。\n"
    got = expand("src/a.md", text, files)
    assert got.text == "> 提示：运行 cargo run\n\n写法是 `{{#include file.rs}}`。\n"


def test_title_playground_and_unknown_helpers() -> None:
    text = "{{#title 猜数字游戏}}\n{{#playground main.rs editable}}\n{{#tera x}}\n{{#tera y}}\n"
    got = expand("src/a.md", text, {"src/main.rs": "fn main() {}\n"})
    assert got.title == "猜数字游戏"
    assert got.text == "\n```rust\nfn main() {}\n```\n{{#tera x}}\n{{#tera y}}\n"
    assert got.problems == ["line 3: {{#tera}} is not an mdBook helper import knows; kept as text"]


def test_rustdoc_fences_become_plain_rust_and_hidden_lines_go() -> None:
    text = (
        "```rust,editable\n# fn main() {\nlet x = 1;\n## 不是隐藏行\n"
        "#[derive(Debug)]\n#\n# }\n```\n"
        "```ignore\nlet y;\n```\n"
        "```toml,ignore\n# 注释\n```\n"
        "```sh\n# 这是 shell 注释\n```\n"
    )
    got, hidden = plain_fences(text)
    assert got == (
        "```rust\nlet x = 1;\n# 不是隐藏行\n#[derive(Debug)]\n```\n"
        "```rust\nlet y;\n```\n"
        "```toml\n# 注释\n```\n"
        "```sh\n# 这是 shell 注释\n```\n"
    )
    assert hidden == 3


def _book(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_an_mdbook_imports_by_its_summary(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "book",
        {
            "book.toml": '[book]\ntitle = "算法笔记"\nsrc = "docs"\n',
            "docs/SUMMARY.md": "# 目录\n\n# 基础\n\n- [二分查找](search/binary.md)\n"
            "    - [二分答案](search/answer.md)\n- [草稿]()\n- [还没写](todo.md)\n",
            "docs/search/binary.md": "# Binary Search\n\n见[二分答案](answer.html#二分答案)的"
            "[模板](answer.md#模板)。\n",
            "docs/search/answer.md": "## 二分答案\n\n## 模板\n\n先猜答案再检验。\n",
            "docs/extra.md": "# 没列进目录\n",
        },
    )
    assert detect(book)[:2] == ("mdbook", "docs")
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    assert outcome.errors == []
    articles = {
        p.name: parse_article(p.name, p.read_text(encoding="utf-8")) for p in content.glob("*.md")
    }
    binary = articles["erfen-chazhao.md"]
    assert (binary.title, binary.category, binary.series, binary.series_order) == (
        "二分查找",
        "基础",
        "算法笔记",
        1,
    )
    answer = articles["erfen-daan.md"]
    assert answer.category == "基础/二分查找" and answer.series_order == 2
    text = (content / "erfen-daan.md").read_text(encoding="utf-8")
    assert "## 二分答案" not in text  # the heading that repeats the title leaves
    # A link to the heading that became the title lands on the page, others on the heading.
    assert "见[二分答案](erfen-daan.md)的[模板](erfen-daan.md#模板)。" in (
        content / "erfen-chazhao.md"
    ).read_text(encoding="utf-8")
    report = outcome.report()["files"]
    reasons = {(r["source"].rsplit("/", 1)[-1], r.get("reason", "")) for r in report}
    assert (
        "SUMMARY.md",
        "line 7: draft chapter 「草稿」 (its link names no file yet); not imported",
    ) in reasons
    assert (
        "SUMMARY.md",
        "line 8: todo.md is listed but not in the book (mdBook would create it empty); "
        "nothing to import",
    ) in reasons
    extra = next(r for r in report if r["source"].endswith("extra.md"))
    assert "not in SUMMARY.md (mdBook does not build it); imported all the same" in extra["notes"]


def test_a_gitbook_book_reads_the_same_way(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "gitbook",
        {
            "book.json": '{"title": "前端笔记", "plugins": ["katex"]}',
            "SUMMARY.md": "# Summary\n\n## CSS\n\n"
            "* [盒模型](css/box.md)\n* [Flex 布局](css/flex.md)\n",
            "README.md": "# 前端笔记\n",
            "css/box.md": "# 盒子模型\n\n内容。\n",
            "css/flex.md": "Flex 的主轴与交叉轴。\n\n{% hint style='warning' %}\n"
            "IE 10 只支持旧语法。\n\n要加前缀。\n{% endhint %}\n\n"
            '{% include "../snippets/compat.md" %}\n\n{% raw %}{{ 原样 }}{% endraw %}\n'
            "{% youtube %}abc{% endyoutube %}\n",
            "snippets/compat.md": "兼容性见 caniuse。",
        },
    )
    assert detect(book)[:2] == ("mdbook", "")
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    flex = parse_article("x.md", (content / "flex-buju.md").read_text(encoding="utf-8"))
    assert (flex.title, flex.category, flex.series, flex.series_order) == (
        "Flex 布局",
        "CSS",
        "前端笔记",
        2,
    )
    assert not (content / "summary.md").exists()
    assert flex.body == (
        "Flex 的主轴与交叉轴。\n\n!!! warning\n\n    IE 10 只支持旧语法。\n\n    要加前缀。\n\n"
        "兼容性见 caniuse。\n\n{{ 原样 }}\n{% youtube %}abc{% endyoutube %}\n"
    )
    record = next(r for r in outcome.report()["files"] if r["source"].endswith("flex.md"))
    assert record["notes"][0] == "{% youtube %} is a GitBook tag import does not know; kept as text"
    assert not (content / "jianrongxing-jian-caniuse.md").exists()  # a part, not a note


def test_links_to_the_books_own_site_become_links_to_its_chapters(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "course",
        {
            "book.toml": '[book]\ntitle = "Rust 课程"\n',
            "assets/CNAME": "course.example.cn\n",
            "src/SUMMARY.md": "- [方法](basic/method.md)\n- [特征](basic/trait.md)\n",
            "src/basic/method.md": "# 方法\n\n## 关联函数\n\n正文。\n",
            "src/basic/trait.md": "# 特征\n\n见[关联函数](https://course.example.cn/basic/method.html"
            "#关联函数)、[方法](https://www.course.example.cn/basic/method.html#不存在)和"
            "[首页](https://course.example.cn/)。\n",
        },
    )
    content = tmp_path / "content"
    outcome = import_notes([str(book)], content)
    text = (content / "tezheng.md").read_text(encoding="utf-8")
    assert (
        "见[关联函数](fangfa.md#关联函数)、[方法](fangfa.md)和[首页](https://course.example.cn/)。"
        in text
    )
    record = next(r for r in outcome.report()["files"] if r["source"].endswith("trait.md"))
    assert any("has no such heading; linked the chapter" in n for n in record["notes"])


def test_numbered_items_nest_too() -> None:
    summary = parse_summary(
        "# 算法\n\n## 图论\n\n1. [最短路](sp.md)\n   1. [Dijkstra 算法](dij.md)\n"
    )
    assert [(c.title, c.category) for c in summary.chapters] == [
        ("最短路", ("图论",)),
        ("Dijkstra 算法", ("图论", "最短路")),
    ]


def test_a_fence_inside_a_list_item_is_made_plain_too() -> None:
    text = '1. 运行：\n\n    ```rust,no_run\n    # use std::fs;\n    fs::read("a");\n    ```\n'
    assert plain_fences(text) == ('1. 运行：\n\n    ```rust\n    fs::read("a");\n    ```\n', 1)


def test_from_mdbook_reads_a_bare_folder_with_a_summary(tmp_path: Path) -> None:
    book = _book(
        tmp_path / "notes",
        {
            "SUMMARY.md": "# 笔记\n\n- [第一章](one.md)\n",
            "one.md": "# 第 1 章 开始\n\n正文。\n",
        },
    )
    assert detect(book)[0] == "markdown"  # nothing says it is a book
    assert detect(book, "mdbook")[:2] == ("mdbook", "")
    content = tmp_path / "content"
    import_notes([str(book)], content, kind="mdbook")
    one = parse_article("x.md", (content / "diyizhang.md").read_text(encoding="utf-8"))
    assert (one.title, one.series, one.series_order) == ("第一章", "笔记", 1)


def test_mdbook_admonish_blocks_become_admonitions() -> None:
    from zhiku.importers.mdbook import admonitions

    text = (
        '````admonish warning title="所有权转移"\n'  # longer: it holds a code block
        "`s1` 赋给 `s2` 后不能再用。\n\n```rust,ignore\nlet s2 = s1;\n```\n````\n\n"
        "```admonish tip collapsible=true\n多读几遍。\n```\n\n"
        "````markdown\n```admonish info\n这是写法示例\n```\n````\n"
    )
    assert admonitions(text) == (
        '!!! warning "所有权转移"\n\n'
        "    `s1` 赋给 `s2` 后不能再用。\n\n    ```rust,ignore\n    let s2 = s1;\n    ```\n\n"
        "??? tip\n\n    多读几遍。\n\n"
        "````markdown\n```admonish info\n这是写法示例\n```\n````\n"
    )


def test_summary_md_is_one_skipped_record_whatever_it_looks_like(tmp_path: Path) -> None:
    for summary in ("- [一](a.md)\n", "# 书\n\n这本书的目录：\n\n- [一](a.md)\n"):
        book = _book(tmp_path / str(len(summary)), {"book.toml": "", "src/SUMMARY.md": summary})
        (book / "src" / "a.md").write_text("正文\n", encoding="utf-8")
        outcome = import_notes([str(book)], tmp_path / f"content{len(summary)}", dry_run=True)
        files = [r for r in outcome.report()["files"] if r["source"].endswith("SUMMARY.md")]
        assert len(files) == 1 and files[0]["status"] == "skipped"
