"""The static index: manifest, shards and postings."""

from __future__ import annotations

import json
import math
import pickle

import pytest

from zhiku.search.shards import (
    CHUNK,
    FILE_CHARS,
    FORMAT,
    SearchDoc,
    SearchIndexError,
    TermsCache,
    analyze,
    build_index,
    decode_varints,
    doc_key,
    dump_terms,
    encode_varints,
    fnv1a,
    headings,
    load_terms,
    read_index_file,
    read_manifest,
    shard_key,
    term_postings,
    unpack_text,
)
from zhiku.search.tokens import default_stopwords, t2s_table
from zhiku.text.segment import default_tokenizer

DOCS = [
    SearchDoc(
        "a/",
        "梯度检查点(Gradient Checkpointing)",
        "用计算换显存。梯度检查点只保存部分激活。",
        ("训练",),
    ),
    SearchDoc("b/", "CLIP算法原理", "CLIP 用对比学习对齐图像和文本。", ("多模态",)),
]


def build() -> dict[str, str]:
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in DOCS]
    return build_index(
        DOCS,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=default_stopwords(),
        t2s=t2s_table(),
    )


def lookup(files: dict[str, str], term: str) -> list:  # type: ignore[type-arg]
    info = read_manifest(files["search_index.json"])
    shard = read_index_file(files[f"t/{fnv1a(shard_key(term)) % info['shards']}.js"])
    entry = shard[term]
    return [entry[0], term_postings(entry, lambda path: files[path].encode())]


def test_varints_round_trip() -> None:
    values = [0, 1, 31, 32, 1023, 1024, 2**31]
    assert decode_varints(encode_varints(values)) == values


def test_a_term_lives_in_the_shard_its_first_character_names() -> None:
    files = build()
    freq, postings = lookup(files, "检查点")
    assert freq == default_tokenizer().FREQ["检查点"]
    doc, weight, first = decode_varints(postings)
    assert (doc, first) == (0, 1 + 4 * 2)  # document 0, in the title at offset 2
    assert weight > 0


def test_title_words_weigh_more_than_body_words() -> None:
    files = build()
    title_weight = decode_varints(lookup(files, "clip")[1])[1]
    body_weight = decode_varints(lookup(files, "显存")[1])[1]
    assert title_weight > body_weight


def test_documents_carry_url_title_and_text_for_snippets() -> None:
    doc = read_index_file(build()["d/1-0.js"])
    assert {**doc, "z": unpack_text(doc["z"])} == {
        "u": "b/",
        "t": "CLIP算法原理",
        "z": "CLIP 用对比学习对齐图像和文本。",
    }


def test_a_documents_text_ships_packed_in_few_files() -> None:
    """Most of an index's bytes are its documents' text: it is deflated, and an article
    of a few thousand characters is one file (Pagefind's fragments are gzipped too)."""
    text = "梯度检查点只保存少数层的输出，反向传播时重新计算其余部分。" * 200  # 5,800 chars
    docs = [SearchDoc("a/", "梯度检查点", text), SearchDoc("b/", "长文", text * 2)]
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    files = build_index(
        docs,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=default_stopwords(),
        t2s={},
    )
    assert sorted(p for p in files if p.startswith("d/")) == ["d/0-0.js", "d/1-0.js", "d/1-1.js"]
    packed = read_index_file(files["d/0-0.js"])["z"]
    assert unpack_text(packed) == text
    assert len(files["d/0-0.js"]) < len(text.encode("utf-8")) / 2
    pieces = [unpack_text(read_index_file(files[f"d/1-{k}.js"])["z"]) for k in (0, 1)]
    assert "".join(pieces) == text * 2 and len(pieces[0]) == CHUNK


def test_manifest_is_small_and_in_materials_shape() -> None:
    text = build()["search_index.json"]
    data = json.loads(text)
    assert data["docs"] == [] and data["config"]["separator"]
    assert read_manifest(text)["format"] == FORMAT
    assert len(text.encode("utf-8")) < 4096  # fetched on every page load


def test_an_index_of_another_format_is_rejected_by_name() -> None:
    data = json.loads(build()["search_index.json"])
    data["config"]["zhiku"]["format"] = FORMAT + 1
    with pytest.raises(SearchIndexError, match=f"format {FORMAT + 1} is not supported"):
        read_manifest(json.dumps(data))
    with pytest.raises(SearchIndexError):
        read_manifest('{"config": {"lang": ["en"]}, "docs": []}')  # Material's own index


def test_traditional_table_is_shipped_for_the_browser() -> None:
    files = build()
    info = read_manifest(files["search_index.json"])
    # In the shard the browser fetches for the traditional character itself.
    shard = read_index_file(files[f"t/{fnv1a('機') % info['shards']}.js"])
    assert shard[""]["機"] == "机"


def test_terms_cache_round_trips_and_ignores_other_versions() -> None:
    tokenizer = default_tokenizer()
    entries = {
        doc_key(d, default_stopwords()): analyze(d, tokenizer, t2s_table(), default_stopwords())
        for d in DOCS
    }
    inputs = {"input": ("key", 1)}
    again = load_terms(dump_terms(TermsCache(entries, "code", inputs=inputs)))
    assert (again.docs, again.inputs, again.code) == (entries, inputs, "code")
    assert load_terms(pickle.dumps({"version": 0, "docs": entries})).docs == {}
    assert load_terms(b"not a pickle").docs == {}
    # Cut short, or its bytes changed after the mark: read as no cache, never raised.
    data = dump_terms(TermsCache(entries, "code", inputs=inputs))
    assert load_terms(data[: len(data) // 2]).docs == {}
    assert load_terms(data[:20] + b"\xff" * 40 + data[60:]).docs in ({}, entries)


def test_a_documents_key_changes_with_its_text() -> None:
    key = doc_key(DOCS[0], default_stopwords())
    assert key == doc_key(DOCS[0], default_stopwords())
    edited = SearchDoc(DOCS[0].url, DOCS[0].title, DOCS[0].text + "。", DOCS[0].tags)
    assert key != doc_key(edited, default_stopwords())


def test_a_formulas_place_is_not_indexed_as_the_word_formula() -> None:
    """Every article with math shows "[公式]" in its snippets; a search for 公式 must find
    the articles that talk about formulas, not all those that have one."""
    tokenizer = default_tokenizer()
    with_math = SearchDoc("m/", "注意力", "缩放点积为 [公式],其中 [公式] 是维度。", ())
    about = SearchDoc("f/", "推导", "这个公式说明了梯度的来源。", ())
    terms = {
        d.url: analyze(d, tokenizer, t2s_table(), default_stopwords()).body.terms
        for d in (with_math, about)
    }
    assert "公式" not in terms["m/"] and "维度" in terms["m/"]
    assert "公式" in terms["f/"]


def test_headings_are_the_bodys_atx_headings_outside_code() -> None:
    markdown = (
        "# 前缀函数\n正文。\n## **KMP** 与 [Z 函数](z.md) ##\n"
        "```python\n# 注释不是标题\n```\n#没有空格不是标题\n    # 缩进四格是代码\n"
    )
    assert headings(markdown) == ("前缀函数", "KMP 与 Z 函数")


def test_a_term_in_a_heading_is_flagged_and_weighs_more_than_in_the_body() -> None:
    text = "前缀函数\n对每个位置求最长相等真前缀与真后缀。"
    docs = [
        SearchDoc("a/", "笔记一", text, headings=("前缀函数",)),
        SearchDoc("b/", "笔记二", text),
    ]
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    files = build_index(
        docs,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=default_stopwords(),
        t2s={},
    )
    a_doc, a_weight, a_first, b_delta, b_weight, b_first = decode_varints(lookup(files, "前缀")[1])
    assert (a_doc, b_delta) == (0, 1)
    assert a_first == 2 + 4 * 0 + 2  # in the body at offset 0, and in a heading
    assert b_first == 2 + 4 * 0  # in the body only
    assert a_weight > b_weight


def test_a_common_terms_postings_are_a_byte_range_of_a_postings_file() -> None:
    """The dictionary a query fetches per character stays small: a term many articles
    hold points to its postings, the exact bytes of one JSON string in ``i/<n>.js`` that
    the browser asks for alone; a rare term's postings stay in its entry."""
    text = "梯度检查点只保存少数层的输出，反向传播时重新计算其余部分。"
    docs = [SearchDoc(f"n{i}/", f"笔记{i}", text + f"第{i}篇。") for i in range(40)]
    docs.append(SearchDoc("rare/", "元学习", "元学习：学会学习。"))
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    files = build_index(
        docs,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=default_stopwords(),
        t2s={},
    )
    info = read_manifest(files["search_index.json"])
    shard = read_index_file(files[f"t/{fnv1a(shard_key('梯度')) % info['shards']}.js"])
    freq, documents, number, start, end = shard["梯度"]
    assert documents == 40 and freq == tokenizer.FREQ["梯度"]
    raw = files[f"i/{number}.js"].encode("utf-8")
    assert json.loads(raw[start:end]) == read_index_file(files[f"i/{number}.js"])["梯度"]
    ids = decode_varints(term_postings(shard["梯度"], lambda path: files[path].encode()))[0::3]
    assert len(ids) == 40 and ids[0] == 0
    rare = read_index_file(files[f"t/{fnv1a(shard_key('学会')) % info['shards']}.js"])["学会"]
    assert len(rare) == 2 and decode_varints(rare[1])[0] == 40
    assert info["postings"] == len([p for p in files if p.startswith("i/")]) >= 1
    # No postings in the dictionary beyond the rare terms': it is a few bytes a term.
    dictionary = sum(len(v.encode()) for p, v in files.items() if p.startswith("t/"))
    assert dictionary < sum(len(v.encode()) for p, v in files.items() if p.startswith("i/"))


def test_a_site_of_many_rare_words_gets_no_more_index_files_than_its_bytes_call_for() -> None:
    """Code-heavy notes hold thousands of words said once (identifiers, numbers): their
    dictionary is large and their postings small, and small dictionary shards would be
    hundreds of files to deploy. Dictionary and postings stay within one file per
    FILE_CHARS of both, as format 4's shards did."""
    docs = [
        SearchDoc(f"n{i}/", f"笔记{i}", " ".join(f"var{i}x{j} 梯度" for j in range(400)))
        for i in range(40)
    ]
    tokenizer = default_tokenizer()
    terms = [analyze(d, tokenizer, t2s_table(), default_stopwords()) for d in docs]
    files = build_index(
        docs,
        terms,
        jieba_freq=tokenizer.FREQ,
        log_total=math.log(tokenizer.total),
        stopwords=default_stopwords(),
        t2s={},
    )
    index = [p for p in files if p.startswith(("t/", "i/"))]
    size = sum(len(files[p].encode()) for p in index)
    # (The budget is reckoned in characters before JSON quoting: a few files of slack.)
    assert len(index) <= max(16, 1.2 * size / FILE_CHARS)
    assert sum(p.startswith("t/") for p in index) < len(index)  # postings files too
    info = read_manifest(files["search_index.json"])
    shard = read_index_file(files[f"t/{fnv1a(shard_key('var3x7')) % info['shards']}.js"])
    assert decode_varints(shard["var3x7"][1])[0] == 3  # a rare word: its postings inline
