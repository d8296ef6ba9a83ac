"""Notion exports: ids out of names, property lines as front matter, callouts rendered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zhiku.articles import parse_article
from zhiku.importers.notion import asides, is_export, plain_name, properties
from zhiku.importers.run import detect, import_notes

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "notes" / "notion" / "notion-export"


def test_an_export_is_told_by_its_ids_and_names_lose_them() -> None:
    assert is_export(
        ["a 0123456789abcdef0123456789abcdef.md", "b.md", "c 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md"]
    )
    assert not is_export(["a.md", "b.md", "c 1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d.md"])
    assert plain_name("机器学习 0123456789abcdef0123456789abcdef") == "机器学习"
    assert plain_name("2023 计划") == "2023 计划"


def test_property_lines_become_front_matter_and_others_a_list() -> None:
    meta, body = properties(
        "\nCreated: May 5, 2023 10:20 AM\nTags: 优化, 机器学习\nStatus: Done\n"
        "分类: 数学\n\n正文：第一段。\n"
    )
    assert meta == {"date": dt.date(2023, 5, 5), "tags": ["优化", "机器学习"], "category": "数学"}
    assert body == "- Status：Done\n\n正文：第一段。\n"
    prose = "\n注意: 这是一句话，不是属性。\n接着写。\n"
    assert properties(prose) == ({}, prose), "a paragraph with a colon is no property block"


def test_a_callout_is_an_admonition() -> None:
    assert (
        asides("<aside>\n💡 学习率太大会震荡。\n\n</aside>")
        == '!!! note ""\n    学习率太大会震荡。'
    )


def test_an_export_imports_with_dates_tags_folders_links_and_images(tmp_path: Path) -> None:
    assert detect(FIXTURE, None)[0] == "notion"
    outcome = import_notes([str(FIXTURE)], tmp_path / "content")
    assert not outcome.errors
    text = (tmp_path / "content" / "tidu-xiajiang.md").read_text(encoding="utf-8")
    article = parse_article("a.md", text)
    assert article.date == dt.date(2023, 5, 5) and list(article.tags) == ["优化", "机器学习"]
    assert article.category == "学习笔记", "the folder, without its id"
    assert "[注意力机制](zhuyili-jizhi.md)" in text and "assets/tidu-xiajiang/untitled.png" in text
    assert "Created:" not in text and "<aside>" not in text
