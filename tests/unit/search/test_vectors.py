"""The shared tokenizer vectors, Python side (tests/js/tokenize.test.mjs is the JavaScript side)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhiku.search.tokens import default_stopwords, query_units, t2s_table
from zhiku.text.segment import default_tokenizer

VECTORS = json.loads(
    (Path(__file__).resolve().parents[2] / "vectors" / "tokenizer.json").read_text(encoding="utf-8")
)
CASES = [c for c in VECTORS["cases"] if c["input"] not in VECTORS["skip"]["python"]]


def units(text: str, lookup, t2s) -> list[list[str]]:  # type: ignore[no-untyped-def]
    found = query_units(text, lookup, VECTORS["log_total"], t2s, default_stopwords())
    return [[u.whole, *u.parts] for u in found]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["input"])
def test_query_units_with_jiebas_full_dictionary(case: dict) -> None:
    freq = default_tokenizer().FREQ
    assert units(case["input"], lambda w: freq.get(w) or None, t2s_table()) == case["query"]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["input"])
def test_query_units_with_the_vectors_dictionary(case: dict) -> None:
    # The same result from the dictionary excerpt the JavaScript test uses: the excerpt
    # holds everything jieba's DAG looks at, so both sides run jieba's logic exactly.
    dictionary = VECTORS["dictionary"]
    assert units(case["input"], dictionary.get, VECTORS["t2s"]) == case["query"]


def test_segmentation_matches_jieba_cut() -> None:
    # segment_han over jieba's dictionary is jieba.cut(HMM=False): the browser's logic.
    from zhiku.search.tokens import segment_han

    jieba = default_tokenizer()
    text = "量化巨头幻方探索通用人工智能新组织深度求索在成立半年后发布的第一代大模型"
    import math

    assert segment_han(text, lambda w: jieba.FREQ.get(w) or None, math.log(jieba.total)) == list(
        jieba.cut(text, HMM=False)
    )
