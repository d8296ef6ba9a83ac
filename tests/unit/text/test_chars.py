"""The Han range and the stop word lists have one home each: ``zhiku.text.chars``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from zhiku.listing.cards import keywords
from zhiku.text.chars import HAN, HAN_RANGES, KEYWORD_STOPWORDS, has_han, is_han
from zhiku.text.reading import count_units

PLUGINS = Path(__file__).resolve().parents[3] / "plugins" / "zhiku"
TOKENIZE_MJS = PLUGINS / "search" / "assets" / "tokenize.mjs"


@pytest.mark.parametrize(
    ("char", "han"),
    [
        *[("中", True), ("㐀", True), ("䶿", True), ("龥", True), ("鿿", True), ("豈", True)],
        *[("a", False), ("。", False), ("ア", False), ("䷀", False), ("가", False)],
    ],
)
def test_is_han(char: str, han: bool) -> None:
    assert is_han(char) is han


def test_has_han() -> None:
    assert has_han("Transformer 模型") and not has_han("Transformer, 2024!")


def test_every_user_counts_the_same_characters() -> None:
    # Extension A and compatibility ideographs are Han for reading time too.
    assert count_units("㐀豈中 abc") == (3, 1)


def test_the_browser_copy_of_the_range_is_the_same() -> None:
    # tokenize.mjs is served as is (no build step), so it keeps a literal copy; this test
    # keeps it equal to the Python one.
    line = re.search(r'^export const HAN = ("[^"]*");$', TOKENIZE_MJS.read_text("utf-8"), re.M)
    assert line is not None, "tokenize.mjs no longer exports HAN as a string literal"
    assert json.loads(line[1]) == HAN


def test_no_other_copy_of_the_han_range() -> None:
    written = re.compile(r"\\u4e00|\\u9fff|\\u3400|\\U00004e00|0x4e00|一-", re.I)
    copies = [
        f"{path.relative_to(PLUGINS)}:{n}"
        for path in sorted(PLUGINS.rglob("*"))
        if path.suffix in {".py", ".mjs", ".js"} and path not in {TOKENIZE_MJS}
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if written.search(line) and path.name != "chars.py"
    ]
    assert copies == [], "use zhiku.text.chars.HAN instead"
    assert [first for first, _ in HAN_RANGES] == [0x3400, 0x4E00, 0xF900]


def test_keyword_stop_words_never_become_keywords() -> None:
    counts = keywords("我们如何使用注意力", (), "我们可以通过注意力机制", headings=("方法",))
    assert not set(counts) & KEYWORD_STOPWORDS
    assert "注意力" in counts
