"""Indexing in a worker process: results, errors that name the article, no process left."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from zhiku.articles import parse_article
from zhiku.build import store as stores
from zhiku.search.build import (
    IndexJob,
    IndexReport,
    IndexWorker,
    Page,
    SearchBuildError,
    index_site,
    keep_terms,
)
from zhiku.search.shards import read_index_file, read_manifest

ARTICLE = """---
title: 梯度检查点
date: 2025-01-02
category: 训练
tags: [显存]
---
梯度检查点用计算换显存。
"""


def indexed(job: IndexJob) -> IndexReport:
    """``index_site``, its terms cache kept in the job's store as the build keeps it."""
    report = index_site(job)
    assert job.terms_store is not None and report.terms is not None
    keep_terms(stores.shared(Path(job.terms_store)), report.terms)
    return report


def page(name: str, text: str) -> Page:
    article = parse_article(name, text)
    assert article is not None
    return Page(name.removesuffix(".md") + "/", f"content/{name}", article)


def test_worker_indexes_articles_and_ends(tmp_path: Path) -> None:
    job = IndexJob((page("a.md", ARTICLE),), out_dir=str(tmp_path / "search"), terms_store=None)
    worker = IndexWorker(job)
    report = worker.result()
    assert (report.docs, report.segmented) == (1, 1)
    assert not worker.running  # nothing is left behind
    info = read_manifest((tmp_path / "search" / "search_index.json").read_text("utf-8"))
    assert info["docs"] == 1
    piece = read_index_file((tmp_path / "search" / "d" / "0-0.js").read_text("utf-8"))
    assert (piece["u"], piece["t"]) == ("a/", "梯度检查点")


def test_worker_error_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zhiku.search.build as build

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("jieba fell over")

    monkeypatch.setattr(build, "analyze", broken)
    expected = r"^content/a\.md:1: could not index this article \(RuntimeError"
    with pytest.raises(SearchBuildError, match=expected):
        index_site(IndexJob((page("a.md", ARTICLE),), str(tmp_path / "search"), None))


def test_worker_reports_failure_as_one_line(tmp_path: Path) -> None:
    # The out folder cannot be made (a file is in the way): the build gets one line.
    (tmp_path / "search").write_text("", encoding="utf-8")
    job = IndexJob((page("a.md", ARTICLE),), str(tmp_path / "search"), None)
    worker = IndexWorker(job)
    with pytest.raises(SearchBuildError) as caught:
        worker.result()
    assert str(caught.value) == (
        f"{tmp_path / 'search'}: a file stands where Zhiku needs a folder; move or delete it"
    )
    assert not worker.running


def test_cache_spares_segmentation(tmp_path: Path) -> None:
    pages = (page("a.md", ARTICLE),)
    cache = str(tmp_path / "cache" / "build.sqlite")
    first = indexed(IndexJob(pages, str(tmp_path / "one"), cache))
    second = indexed(IndexJob(pages, str(tmp_path / "two"), cache))
    assert (first.segmented, second.segmented) == (1, 0)
    one, two = tmp_path / "one", tmp_path / "two"
    assert {p.relative_to(one): p.read_bytes() for p in one.rglob("*.js*")} == {
        p.relative_to(two): p.read_bytes() for p in two.rglob("*.js*")
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
from zhiku.articles import parse_article
from zhiku.search.build import IndexJob, IndexWorker, Page
folder = Path({str(articles)!r})
paths = sorted(folder.glob("*.md"))
pages = tuple(
    Page(p.stem + "/", f"content/{{p.name}}", parse_article(p.name, p.read_text("utf-8")))
    for p in paths
)
worker = IndexWorker(IndexJob(pages, out_dir={str(tmp_path / "search")!r}, terms_store=None))
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


def test_a_rebuild_rewrites_only_the_files_whose_text_changed(tmp_path: Path) -> None:
    """Under `mkdocs serve` the index is rebuilt after every save: the shards an edit does
    not touch stay as they are, and the index reads the same as one written afresh."""
    other = ARTICLE.replace("梯度检查点", "混合精度").replace("显存", "半精度")
    pages = (page("a.md", ARTICLE), page("b.md", other))
    out = tmp_path / "search"
    first = index_site(IndexJob(pages, str(out), None))
    assert first.written == first.files > 0
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    assert index_site(IndexJob(pages, str(out), None)).written == 0
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()} == stamps

    edited = (page("a.md", ARTICLE.replace("用计算换显存", "用重算换显存，省下激活")), pages[1])
    again = index_site(IndexJob(edited, str(out), None))
    assert 0 < again.written < again.files
    fresh = tmp_path / "fresh"
    index_site(IndexJob(edited, str(fresh), None))
    assert {p.relative_to(fresh): p.read_bytes() for p in fresh.rglob("*") if p.is_file()} == {
        p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()
    }


def test_a_rebuilt_index_rewrites_only_what_changed_and_removes_what_went(
    tmp_path: Path,
) -> None:
    """The index files a new build leaves are exactly a fresh build's, and an unchanged
    file is not rewritten (a serve reload keeps the files the browser may be fetching)."""
    cache = str(tmp_path / "cache" / "build.sqlite")
    out = tmp_path / "search"
    long_body = "梯度检查点用计算换显存。" * 400  # several text pieces (d/0-*.js)
    two = (page("a.md", ARTICLE + long_body), page("b.md", ARTICLE.replace("梯度", "混合精度")))
    indexed(IndexJob(two, str(out), cache))
    assert indexed(IndexJob(two, str(out), cache)).written == 0

    by_hand = out / "f.js"
    by_hand.write_text(by_hand.read_text("utf-8") + " ", encoding="utf-8")
    assert indexed(IndexJob(two, str(out), cache)).written == 1  # put right again

    one = (page("a.md", ARTICLE),)
    report = indexed(IndexJob(one, str(out), cache))
    assert 0 < report.written < report.files
    index_site(IndexJob(one, str(tmp_path / "fresh"), None))
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == {
        p.relative_to(tmp_path / "fresh"): p.read_bytes()
        for p in (tmp_path / "fresh").rglob("*")
        if p.is_file()
    }


OTHER = """---
title: 感受野的计算
date: 2025-01-03
category: 视觉
tags: [卷积]
---
## 感受野

卷积核越大，感受野越大。引用计数是另一回事。
"""


NEWER = """---
title: 元学习
date: 2025-02-01
category: 训练
---
元学习：学会学习。感受野与此无关。
"""


def test_a_cached_index_after_edits_is_the_index_built_from_nothing(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache" / "build.sqlite")
    warm = tmp_path / "warm"
    pages = [page("a.md", ARTICLE), page("b.md", OTHER)]
    indexed(IndexJob(tuple(pages), str(warm), cache))
    again = indexed(IndexJob(tuple(pages), str(warm), cache))
    assert (again.segmented, again.written) == (0, 0)

    def edit(change: Callable[[], None]) -> IndexReport:
        change()
        report = indexed(IndexJob(tuple(pages), str(warm), cache))
        cold = tmp_path / f"cold-{report.cpu_seconds}"
        index_site(IndexJob(tuple(pages), str(cold), None))
        assert {p.relative_to(warm): p.read_bytes() for p in warm.rglob("*.js*")} == {
            p.relative_to(cold): p.read_bytes() for p in cold.rglob("*.js*")
        }
        return report

    # A heading, a phrase, new words: readings, frequencies and phrases come from the cache.
    b = edit(lambda: pages.__setitem__(1, page("b.md", OTHER + "\n## 引用计数\n\n回收内存。\n")))
    assert b.segmented == 1
    assert edit(lambda: pages.__setitem__(1, page("b.md", OTHER + "\n元学习。\n"))).segmented == 1
    # A newer article: every document's number moves, so its text file is written again.
    assert edit(lambda: pages.append(page("c.md", NEWER))).segmented == 1
    # Text files deleted or changed behind the index's back are written again.
    edit(lambda: shutil.rmtree(warm / "d"))
    edit(lambda: (warm / "d" / "1-0.js").write_text('zhikuIndex("d/1-0.js",{});\n', "utf-8"))
    # A renamed article (same text, another URL) is another document.
    edit(lambda: pages.__setitem__(0, Page("a-renamed/", "content/a.md", pages[0].article)))
