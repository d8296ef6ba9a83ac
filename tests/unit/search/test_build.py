"""Indexing in a worker process: results, errors that name the article, no process left."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhiku.search.build import IndexJob, IndexWorker, SearchBuildError, Source, index_site
from zhiku.search.shards import read_manifest

ARTICLE = """---
title: 梯度检查点
date: 2025-01-02
category: 训练
tags: [显存]
---
梯度检查点用计算换显存。
"""


def source(folder: Path, name: str, text: str | bytes) -> Source:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return Source(f"content/{name}", str(path), name.removesuffix(".md") + "/")


def test_worker_indexes_articles_and_ends(tmp_path: Path) -> None:
    sources = (
        source(tmp_path, "a.md", ARTICLE),
        source(tmp_path, "index.md", "# 首页\n"),  # no date: not an article
    )
    job = IndexJob(sources, out_dir=str(tmp_path / "search"), cache_file=None)
    worker = IndexWorker(job)
    report = worker.result()
    assert (report.docs, report.segmented) == (1, 1)
    assert not worker.running  # nothing is left behind
    info = read_manifest((tmp_path / "search" / "search_index.json").read_text("utf-8"))
    assert info["docs"] == 1
    piece = json.loads((tmp_path / "search" / "d" / "0-0.json").read_text("utf-8"))
    assert (piece["u"], piece["t"]) == ("a/", "梯度检查点")


def test_worker_error_names_the_file_and_line(tmp_path: Path) -> None:
    bad = ARTICLE.replace("2025-01-02", "2025-13-01")
    job = IndexJob((source(tmp_path, "bad.md", bad),), str(tmp_path / "search"), None)
    worker = IndexWorker(job)
    with pytest.raises(SearchBuildError, match=r"^content/bad\.md:3: "):
        worker.result()
    assert not worker.running


def test_undecodable_article_names_the_file(tmp_path: Path) -> None:
    job = IndexJob((source(tmp_path, "gbk.md", ARTICLE.encode("gbk")),), str(tmp_path), None)
    with pytest.raises(SearchBuildError, match=r"^content/gbk\.md: cannot be read as UTF-8"):
        index_site(job)


def test_cache_spares_segmentation(tmp_path: Path) -> None:
    sources = (source(tmp_path, "a.md", ARTICLE),)
    cache = str(tmp_path / "cache" / "terms.json")
    first = index_site(IndexJob(sources, str(tmp_path / "one"), cache))
    second = index_site(IndexJob(sources, str(tmp_path / "two"), cache))
    assert (first.segmented, second.segmented) == (1, 0)
    one, two = tmp_path / "one", tmp_path / "two"
    assert {p.relative_to(one): p.read_bytes() for p in one.rglob("*.json")} == {
        p.relative_to(two): p.read_bytes() for p in two.rglob("*.json")
    }
