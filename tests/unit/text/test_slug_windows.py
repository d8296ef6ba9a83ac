"""Slugs become file and folder names: none may be a name Windows refuses."""

from __future__ import annotations

import pytest

from zhiku.text.slug import is_windows_reserved, slugify, unique_slug


@pytest.mark.parametrize(
    "title", ["CON", "con", "Nul", "PRN", "aux", "COM1", "com9", "LPT1", "lpt0", "com0"]
)
def test_a_reserved_device_name_never_becomes_a_slug(title: str) -> None:
    slug = unique_slug(slugify(title), set())
    assert slug == f"{title.lower()}-2"
    assert not is_windows_reserved(f"{slug}.md")


def test_the_next_article_with_that_name_counts_on() -> None:
    assert unique_slug("con", {"con-2"}) == "con-3"


@pytest.mark.parametrize("name", ["con.md", "CON.MD", "nul.tar.gz", "Aux", "com1 .md", "lpt9"])
def test_windows_refuses_these_names(name: str) -> None:
    assert is_windows_reserved(name)


@pytest.mark.parametrize(
    "name", ["con-2.md", "console.md", "com10", "lpt", "nullable.md", "icon.md", "auxiliary"]
)
def test_windows_accepts_these_names(name: str) -> None:
    assert not is_windows_reserved(name)
    assert unique_slug(name.split(".")[0], set()) == name.split(".")[0]


def test_ingest_writes_no_reserved_file_name(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from zhiku.ingest.run import ingest

    dump = tmp_path / "dump.jsonl"
    dump.write_text(
        '{"title": "CON", "date": "2026-01-20", "text": "控制台设备的历史与用法。"}\n'
        '{"title": "NUL", "date": "2026-01-19", "text": "空设备的历史与用法。"}\n',
        encoding="utf-8",
    )
    ingest([str(dump)], tmp_path / "content", progress=False)
    names = sorted(p.name for p in (tmp_path / "content").glob("*.md"))
    assert names == ["con-2.md", "nul-2.md"]
