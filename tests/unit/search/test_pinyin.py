"""Pinyin keys of index terms: full pinyin and initials, polyphones read within the word."""

from __future__ import annotations

import json
import math

from zhiku.search.pinyin import MAX_PARTS_PER_KEY, is_part, key_shard, pinyin_keys, reading
from zhiku.search.shards import (
    SearchDoc,
    analyze,
    build_index,
    char_phrases,
    fnv1a,
    read_index_file,
    read_manifest,
    unpack_text,
)
from zhiku.search.tokens import default_stopwords, t2s_table
from zhiku.text.segment import default_tokenizer


def test_full_pinyin_and_initials_are_toneless_with_v_for_u_umlaut() -> None:
    assert reading("注意力") == ("zhuyili", "zyl")
    assert reading("绿色") == ("lvse", "ls")
    assert reading("梯度检查点") == ("tidujianchadian", "tdjcd")


def test_a_polyphone_is_read_within_its_word() -> None:
    assert reading("重庆") == ("chongqing", "cq")
    assert reading("长度")[0] == "changdu"  # type: ignore[index]
    assert reading("成长")[0] == "chengzhang"  # type: ignore[index]


def test_only_han_terms_have_keys() -> None:
    assert reading("注") == ("zhu", "z")
    assert reading("transformer") is None
    assert reading("GPT模型") is None


def test_keys_name_the_most_used_terms_first_and_initials_need_three_characters() -> None:
    keys = pinyin_keys({"注意力": 5, "主义": 1, "梯度": 3, "注意": 9})
    assert keys["zhuyili"] == ["注意力"]
    assert keys["zyl"] == ["注意力"]
    assert keys["tidu"] == ["梯度"]
    # Two initials name too many words to stand alone: 梯度 is only a part under "td",
    # found when a typed phrase puts it beside another word ("tdjcd").
    assert keys["td"] == ["梯度"] and is_part("td", "梯度")
    assert not is_part("tidu", "梯度") and not is_part("zyl", "注意力")


def test_single_characters_are_parts_listed_after_the_words_that_read_so() -> None:
    keys = pinyin_keys({"核": 50, "和": 90, "何": 3, "合": 7, "禾": 1})
    assert keys["he"] == ["和", "核", "合", "何", "禾"]
    assert all(is_part("he", t) for t in keys["he"])
    keys = pinyin_keys({"先": 40, "西安": 2, "线": 30})
    assert keys["xian"] == ["西安", "先", "线"]  # the word first, however rare


def test_parts_are_capped_per_key_apart_from_words() -> None:
    many = {chr(0x4E00 + i): 100 - i for i in range(40)}
    keys = pinyin_keys(many, lambda t: ("ji", "j"))
    assert keys["ji"] == [chr(0x4E00 + i) for i in range(MAX_PARTS_PER_KEY)]


def test_the_index_ships_pinyin_shards_and_facets_as_scripts_that_parse_as_json() -> None:
    docs = [
        SearchDoc("a/", "注意力机制", "注意力让模型关注重要部分。", ("注意力",), "Deep Learning"),
        SearchDoc("b/", "梯度检查点", "用计算换显存。", ("显存", "训练"), "Python"),
    ]
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    files = build_index(
        docs,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=default_stopwords(),
        t2s=t2s_table(),
        read_pinyin=reading,
    )
    info = read_manifest(files["search_index.json"])
    shard = read_index_file(files[f"p/{fnv1a(key_shard('zhuyili')) % info['pinyin_shards']}.js"])
    assert shard["zhuyili"] == ["注意力"]
    facets = json.loads(unpack_text(read_index_file(files["f.js"])["z"]))
    assert facets["c"] == ["Deep Learning", "Python"]
    assert facets["g"] == ["显存", "注意力", "训练"]
    assert facets["d"] == [[0, 1], [1, 0, 2]]
    # One file per piece of data: a script a page opened from disk loads, whose JSON the
    # worker parses over http. Only the manifest has a twin (Material reads __index).
    assert [p for p in files if p.endswith(".json")] == ["search_index.json"]
    manifest = files["search_index.json"]
    call = 'typeof zhikuIndex==="function"&&zhikuIndex("search_index.json",__index);'
    assert files["search_index.js"] == f"var __index={manifest};\n{call}\n"
    for path, text in files.items():
        if path.startswith(("t/", "p/", "d/", "f.")):
            assert text.startswith(f"zhikuIndex({json.dumps(path)},")
            assert text.endswith(");\n")
            data = json.dumps(read_index_file(text), ensure_ascii=False, separators=(",", ":"))
            assert text == f"zhikuIndex({json.dumps(path)},{data});\n"


def test_a_character_beside_a_word_is_a_phrase_under_their_joined_keys() -> None:
    keys = pinyin_keys({"感受": 3, "野": 2, "视野": 4}, phrases={("感受", "野"): 2})
    assert keys["ganshouye"] == ["感受 野"]
    assert keys["gsy"] == ["感受 野"]
    assert keys["ye"] == ["野"]  # the character alone stays a part


def test_phrases_are_what_titles_or_several_bodies_put_side_by_side() -> None:
    docs = [
        SearchDoc("a/", "感受野的计算", "卷积核越大，感受野越大。"),
        SearchDoc("b/", "卷积", "小卷积核堆叠。"),
        SearchDoc("c/", "笔记", "元学习很有趣。"),  # one body only: chance, not a phrase
    ]
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    phrases = char_phrases(terms)
    assert phrases[("感受", "野")] == 1  # in a title
    assert phrases[("卷积", "核")] == 2  # in two bodies
    assert ("元", "学习") not in phrases


def test_any_two_or_three_words_side_by_side_in_a_title_are_a_phrase() -> None:
    docs = [SearchDoc("a/", "引用计数机制", "垃圾回收的一种做法。")]
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    phrases = char_phrases(terms)
    assert phrases[("引用", "计数")] == 1
    assert phrases[("引用", "计数", "机制")] == 1
    assert ("垃圾", "回收") not in phrases  # in a body, words beside words are no phrase
    keys = pinyin_keys({}, phrases=phrases)
    assert keys["yyjs"] == ["引用 计数"] and keys["yyjsjz"] == ["引用 计数 机制"]
