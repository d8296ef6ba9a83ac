"""The one digest and the one code version every stored value is keyed by."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import zhiku
from zhiku.build import keys


def test_digest_parts_are_length_prefixed() -> None:
    # Concatenation would make these the same key: a page "ab" in folder "c" and "a" in "bc".
    assert keys.digest("ab", "c") != keys.digest("a", "bc")
    assert keys.digest("a", "") != keys.digest("a")
    assert keys.digest("页面", b"x") == keys.digest("页面", "x")


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A stand-in for Zhiku's installed package folder, code version read afresh."""
    root = tmp_path / "zhiku"
    (root / "listing" / "templates").mkdir(parents=True)
    (root / "__init__.py").write_text("__version__ = '9'\n", encoding="utf-8")
    (root / "listing" / "templates" / "card.html").write_text("<p>{{ x }}</p>\n", "utf-8")
    monkeypatch.setattr(zhiku, "__file__", str(root / "__init__.py"))
    keys._code_version.cache_clear()
    yield root
    keys._code_version.cache_clear()


def test_code_version_changes_when_a_template_changes(package: Path) -> None:
    one = keys.code_version()
    (package / "listing" / "templates" / "card.html").write_text("<p>{{ y }}</p>\n", "utf-8")
    keys._code_version.cache_clear()
    assert keys.code_version() != one


@pytest.mark.parametrize(
    "added", ["search/assets/engine.mjs", "data/taxonomy.yml", "listing/feed.xml", "cards.py"]
)
def test_code_version_counts_every_file_zhiku_ships(package: Path, added: str) -> None:
    one = keys.code_version()
    (package / added).parent.mkdir(parents=True, exist_ok=True)
    (package / added).write_text("x\n", encoding="utf-8")
    keys._code_version.cache_clear()
    assert keys.code_version() != one


def test_code_version_ignores_bytecode_and_hidden_files(package: Path) -> None:
    one = keys.code_version()
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "cards.cpython-311.pyc").write_bytes(b"\x00")
    (package / "listing" / ".card.html.swp").write_bytes(b"\x00")
    keys._code_version.cache_clear()
    assert keys.code_version() == one


def test_code_version_is_read_once_a_process(package: Path) -> None:
    one = keys.code_version()
    (package / "cards.py").write_text("X = 1\n", encoding="utf-8")
    assert keys.code_version() == one  # a serve session keeps its keys until it restarts


def test_versions_name_the_packages_a_build_runs() -> None:
    found = dict(line.split(" ", 1) for line in keys.versions())
    assert {"python", "mkdocs", "mkdocs-material", "jieba", "markdown"} <= found.keys()
