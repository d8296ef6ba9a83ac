"""The build's one store: values by namespace, variants and pruning, and what it does with
a damaged file, another build writing, and a folder that cannot hold it."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from zhiku.build import store as stores
from zhiku.build.store import FILE_NAME, Store


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / ".cache" / "zhiku" / FILE_NAME


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    opened = Store.open(path)
    yield opened
    opened.close()


def reopened(store: Store) -> Store:
    """The same file as the next build's process sees it."""
    store.close()
    return Store.open(store.path)


def test_values_are_kept_per_namespace_across_processes(store: Store) -> None:
    store.put("catalogue", "k", b"articles")
    store.put("terms", "k", "词".encode())
    assert store.get("catalogue", "k") == b"articles"  # before the commit, in this build
    store.commit()
    again = reopened(store)
    try:
        assert again.get("catalogue", "k") == b"articles"
        assert again.get("terms", "k") == "词".encode()
        assert again.get("listing", "k") is None
        assert again.has("terms", "k") and not again.has("terms", "other")
    finally:
        again.close()


def test_put_only_leaves_one_value_in_its_namespace(store: Store) -> None:
    store.put("catalogue", "old code", b"1")
    store.put("listing", "old code", b"kept")
    store.put_only("catalogue", "new code", b"2")
    assert store.get("catalogue", "old code") is None
    assert store.get("catalogue", "new code") == b"2"
    assert store.get("listing", "old code") == b"kept"


def test_take_hands_a_value_over_once(store: Store) -> None:
    store.put("site", "record", b"what the site folder holds")
    store.commit()
    assert store.take("site", "record") == b"what the site folder holds"
    again = reopened(store)
    try:
        assert again.get("site", "record") is None  # gone even if this build never ends
    finally:
        again.close()


def test_a_full_build_prunes_what_it_did_not_use(store: Store) -> None:
    for key in ("a", "b", "c"):
        store.put("outputs", key, key.encode(), variant="build")
    store.put("catalogue", "k", b"not a render namespace")
    store.prune(("outputs",), "build")
    store.commit()

    store.get("outputs", "a")  # the next build reads a, writes d, never asks for b or c
    store.put("outputs", "d", b"d", variant="build")
    store.prune(("outputs",), "build")
    store.commit()
    assert [k for k in "abcd" if store.has("outputs", k)] == ["a", "d"]
    assert store.get("catalogue", "k") == b"not a render namespace"


def test_a_dirty_build_prunes_nothing(store: Store) -> None:
    store.put("outputs", "a", b"a", variant="build")
    store.prune(("outputs",), "build")
    store.forget_used(("outputs",))  # a serve rebuild of one page: the rest stay
    store.put("outputs", "b", b"b", variant="build")
    store.forget_used(("outputs",))
    store.commit()
    assert store.has("outputs", "a") and store.has("outputs", "b")


def test_only_the_most_recent_variants_are_kept(store: Store) -> None:
    variants = [f"config {n}" for n in range(Store.VARIANTS_KEPT + 1)]
    for variant in variants:
        store.put("outputs", variant, b"page", variant=variant)
        store.prune(("outputs",), variant)
        store.commit()
        time.sleep(0.01)  # variants are ordered by when they were last built
    kept = [v for v in variants if store.has("outputs", v)]
    assert kept == variants[1:]  # the oldest configuration went


def test_a_failed_build_adds_nothing(store: Store) -> None:
    store.put("conversions", "k", b"half a build")
    store.abandon()
    store.commit()
    assert store.get("conversions", "k") is None


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"this is not a database, just text\n" * 200, id="garbage"),
        pytest.param(None, id="truncated"),
    ],
)
def test_a_damaged_file_is_replaced_and_reported(path: Path, damage: bytes | None) -> None:
    first = Store.open(path)
    for n in range(400):
        first.put("outputs", f"page {n}", os.urandom(512), variant="v")
    first.commit()
    first.close()
    data = path.read_bytes()
    path.write_bytes(damage if damage is not None else data[: len(data) // 3])

    store = Store.open(path)  # never raises for damage
    found = [store.get("outputs", f"page {n}") for n in range(400)]
    store.put("outputs", "new", b"x", variant="v")
    store.commit()  # a damaged file is replaced at the end of the build
    notes = store.take_notes()
    assert any("is damaged" in note and "started afresh" in note for note in notes), notes
    assert notes[0].startswith(str(path))
    assert found.count(None) > 0
    store.put("outputs", "after", b"y", variant="v")
    store.commit()
    again = reopened(store)
    try:
        assert again.get("outputs", "after") == b"y"
        assert again.take_notes() == []
    finally:
        again.close()


def test_a_value_with_bytes_overwritten_on_disk_is_never_handed_out(path: Path) -> None:
    first = Store.open(path)
    value = "一篇文章的卡片：摘要、阅读时间、关键词。".encode() * 40
    first.put("catalogue", "k", value)
    first.close()
    data = bytearray(path.read_bytes())
    at = data.find(value) + 100
    data[at : at + 8] = b"\xff" * 8  # inside the value: SQLite itself sees nothing wrong
    path.write_bytes(bytes(data))

    assert stores.peek(path, "catalogue", "k") is None
    store = Store.open(path)
    try:
        assert store.get("catalogue", "k") is None
        assert any("checksum mismatch" in note for note in store.take_notes())
    finally:
        store.close()


def test_another_build_writing_makes_this_one_add_nothing_without_waiting(
    store: Store, path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.put("outputs", "before", b"kept", variant="v")
    store.commit()
    other = sqlite3.connect(path, isolation_level=None)  # another process's build, writing
    other.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        for plugin in ("cache", "catalogue", "feed", "search"):  # each writes, then commits
            for n in range(20):
                store.put("outputs", f"{plugin} {n}", b"x", variant="v")
            store.commit()
        store.prune(("outputs",), "v")
        store.commit()
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert waited < stores.BUSY_SECONDS + 0.5  # one short timeout, not one per write
    notes = store.take_notes()
    assert len(notes) == 1 and "is busy" in notes[0] and "adds nothing" in notes[0]
    assert store.get("outputs", "before") == b"kept"  # reading goes on
    assert not store.has("outputs", "cache 0") and not store.has("outputs", "search 0")

    monkeypatch.setattr(stores, "BUSY_BACKOFF", 0.0)  # a while later: the lock is gone
    store.put("outputs", "next build", b"x", variant="v")
    store.commit()
    assert store.has("outputs", "next build") and store.take_notes() == []


def test_a_worker_reads_what_the_build_committed(store: Store, path: Path) -> None:
    store.put("terms", "site", b"terms")
    assert stores.peek(path, "terms", "site") is None  # not committed yet
    store.commit()
    assert stores.peek(path, "terms", "site") == b"terms"
    assert stores.peek(path.parent / "missing.sqlite", "terms", "site") is None
    assert not (path.parent / "missing.sqlite").exists()


def test_a_file_where_the_folder_should_be_is_one_sentence(tmp_path: Path) -> None:
    (tmp_path / ".cache").write_text("a file", encoding="utf-8")
    with pytest.raises(OSError) as caught:
        Store.open(tmp_path / ".cache" / "zhiku" / FILE_NAME)
    assert str(caught.value) == (
        f"{tmp_path / '.cache'}: a file stands where Zhiku needs a folder; move or delete it"
    )


def test_a_folder_where_the_file_should_be_is_one_sentence(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(OSError) as caught:
        Store.open(path)
    assert str(caught.value) == (
        f"{path}: a folder stands where Zhiku writes a file; move or delete it"
    )


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="root writes in a read-only folder anyway"
)
def test_a_folder_that_cannot_be_written_is_one_sentence(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.parent.chmod(0o500)
    try:
        with pytest.raises(OSError) as caught:
            Store.open(path)
    finally:
        path.parent.chmod(0o755)
    assert "permission denied; make the folder writable" in str(caught.value)


def test_a_full_disk_is_an_error_naming_the_file(store: Store) -> None:
    store.put("outputs", "small", b"x", variant="v")
    store.commit()
    (pages,) = store._db.execute("PRAGMA page_count").fetchone()
    store._db.execute(f"PRAGMA max_page_count = {pages + 2}")  # SQLite's own SQLITE_FULL
    store.put("outputs", "big", os.urandom(64 * 1024), variant="v")
    store.put("outputs", "next", b"y", variant="v")  # no second error, no traceback
    with pytest.raises(OSError) as caught:
        store.commit()
    assert str(caught.value) == (
        f"{store.path}: no space left on the disk; free some space and build again"
    )
    assert store.get("outputs", "small") == b"x"  # what earlier builds kept stays
    assert not store.has("outputs", "big")


def test_one_store_per_file_per_process(path: Path) -> None:
    one = stores.shared(path)
    try:
        assert stores.shared(path.parent / ".." / "zhiku" / FILE_NAME) is one
        one.close()
        again = stores.shared(path)  # closed by one plugin, opened again for another
        assert again is not one and not again.closed
        again.put("catalogue", "k", b"v")
        again.commit()
        for part in path.parent.iterdir():  # rm -rf .cache/zhiku under a serve session
            part.unlink()
        fresh = stores.shared(path)
        assert fresh is not again and fresh.get("catalogue", "k") is None
        fresh.put("catalogue", "k", b"w")
        fresh.commit()
        assert stores.peek(path, "catalogue", "k") == b"w"
    finally:
        stores.close_shared()


def test_old_cache_files_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / ".cache" / "zhiku"
    for name in ("catalogue.pickle", "listing.pickle", "search/terms.pickle"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(b"old")
    (folder / "render" / "jinja" / "abc").mkdir(parents=True)
    (folder / "render" / "pages-3.sqlite").write_bytes(b"old")
    (folder / "mine.txt").write_text("the user's", encoding="utf-8")
    stores.shared(folder / FILE_NAME)
    stores.close_shared()
    assert sorted(p.relative_to(folder).as_posix() for p in folder.iterdir()) == [
        FILE_NAME,
        "mine.txt",
    ]


def test_a_folder_set_by_hand_keeps_its_files(tmp_path: Path) -> None:
    folder = tmp_path / "my-notes"  # cache_dir: . (mkdocs.yml's own folder)
    (folder / "render" / "jinja").mkdir(parents=True)
    (folder / "catalogue.pickle").write_bytes(b"the user's own")
    stores.shared(folder / FILE_NAME)
    stores.close_shared()
    assert (folder / "catalogue.pickle").read_bytes() == b"the user's own"
    assert (folder / "render" / "jinja").is_dir()
