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


def test_worker_ends_when_the_build_is_killed(tmp_path: Path) -> None:
    # A build killed by a signal runs no cleanup; its indexing worker must not outlive it.
    import os
    import random
    import signal
    import subprocess
    import sys
    import time

    articles = tmp_path / "content"
    articles.mkdir()
    # Varied text, so that indexing takes far longer than the 3 s the worker is given to end.
    rng = random.Random(7)
    for n in range(1000):
        body = "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(3000))
        (articles / f"a{n}.md").write_text(ARTICLE + body, encoding="utf-8")
    build = f"""
import sys, time
from pathlib import Path
from zhiku.search.build import IndexJob, IndexWorker, Source
folder = Path({str(articles)!r})
paths = sorted(folder.glob("*.md"))
sources = tuple(Source(f"content/{{p.name}}", str(p), p.stem + "/") for p in paths)
worker = IndexWorker(IndexJob(sources, out_dir={str(tmp_path / "search")!r}, cache_file=None))
print(worker._process.pid, flush=True)
time.sleep(60)
"""
    parent = subprocess.Popen(
        [sys.executable, "-c", build], stdout=subprocess.PIPE, encoding="utf-8"
    )
    assert parent.stdout is not None
    worker_pid = int(parent.stdout.readline())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    parent.stdout.close()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        try:
            os.kill(worker_pid, 0)
        except ProcessLookupError:
            return
        # A finished but unreaped child of init shows as a zombie: gone for our purpose.
        status = Path(f"/proc/{worker_pid}/status")
        if status.exists() and "State:\tZ" in status.read_text(encoding="utf-8"):
            return
        time.sleep(0.2)
    os.kill(worker_pid, signal.SIGKILL)
    pytest.fail("the indexing worker outlived its killed build")
