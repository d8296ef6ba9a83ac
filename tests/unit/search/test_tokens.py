"""Index-side terms: what a reader can type and still find the article."""

from __future__ import annotations

from zhiku.search.tokens import (
    MAX_QUERY_CHARS,
    default_stopwords,
    fold,
    index_terms,
    latin_terms,
    query_units,
    t2s_table,
)
from zhiku.text.segment import default_tokenizer


def terms(text: str) -> list[str]:
    return [t for t, _ in index_terms(text, default_tokenizer(), t2s_table(), default_stopwords())]


def test_search_mode_sub_words_are_indexed() -> None:
    assert {"神经网络", "网络", "神经"} <= set(terms("神经网络"))
    assert {"梯度", "检查点", "检查"} <= set(terms("梯度检查点"))


def test_camel_case_and_digits_index_whole_token_and_parts() -> None:
    assert latin_terms("FlashAttention") == ["flashattention", "flash", "attention"]
    assert {"qwen3vl", "qwen", "qwen3", "3", "vl"} <= set(latin_terms("Qwen3VL"))
    assert latin_terms("FP8") == ["fp8", "fp", "8"]


def test_mixed_text_without_spaces_splits_at_the_script_boundary() -> None:
    assert terms("Transformer模型") == ["transformer", "模型"]


def test_traditional_and_full_width_text_is_indexed_as_simplified_ascii() -> None:
    assert fold("注意力機制ＦＰ８", t2s_table()) == "注意力机制FP8"
    assert "机制" in terms("注意力機制")


def test_stop_words_and_question_words_are_dropped() -> None:
    assert terms("什么是注意力") == ["注意力", "注意"]


def test_terms_carry_their_offset_in_the_text() -> None:
    pairs = index_terms(
        "梯度检查点与FlashAttention", default_tokenizer(), t2s_table(), default_stopwords()
    )
    assert ("检查点", 2) in pairs and ("检查", 2) in pairs
    assert ("flashattention", 6) in pairs and ("attention", 11) in pairs


def test_unknown_names_are_indexed_as_bigrams_of_their_characters() -> None:
    # jieba (without HMM) cuts an unknown name into single characters.
    assert "鲲鹏" in terms("鲲鹏芯片")


def test_a_pasted_wall_of_text_is_cut_before_segmentation() -> None:
    freq = default_tokenizer().FREQ
    units = query_units("模型" * 5000, lambda w: freq.get(w) or None, 17.9, {}, default_stopwords())
    assert len(units) == MAX_QUERY_CHARS // 2
