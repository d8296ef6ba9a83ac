"""The one atomic writer: whole or absent, no temporary file left, normal permissions."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from zhiku import files


def test_writes_text_as_utf8_with_lf_and_creates_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "文.md"
    files.write_atomic(target, "中文\n第二行\n")
    assert target.read_bytes() == "中文\n第二行\n".encode()
    files.write_atomic(target, b"\x00bytes")
    assert target.read_bytes() == b"\x00bytes"
    assert sorted(p.name for p in target.parent.iterdir()) == ["文.md"]


@pytest.mark.parametrize("durable", [True, False])
def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, durable: bool
) -> None:
    target = tmp_path / "x.md"
    target.write_text("old", encoding="utf-8")

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "replace", full)
    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError, match=r"x\.md: no space left on the disk; free some space"):
        files.write_atomic(target, "new", durable=durable)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.md"]


def test_new_files_get_0666_minus_the_umask_and_old_files_keep_their_mode(
    tmp_path: Path,
) -> None:
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "new.md", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o640
    (tmp_path / "new.md").chmod(0o604)
    files.write_atomic(tmp_path / "new.md", "y")
    assert (tmp_path / "new.md").stat().st_mode & 0o777 == 0o604


def test_stale_temps_of_the_given_targets_go_and_nothing_else(tmp_path: Path) -> None:
    stale = [tmp_path / ".a.md.abc_1234.tmp", tmp_path / "sub" / ".s.json.zzzzzzzz.tmp"]
    kept = [
        tmp_path / ".a.txt.abc_1234.tmp",  # another target
        tmp_path / "a.md.abc_1234.tmp",  # not hidden
        tmp_path / ".a.md.toolong123.tmp",  # not mkstemp's 8 characters
        tmp_path / ".a.md.tmp",
    ]
    for path in (*stale, *kept):
        path.parent.mkdir(exist_ok=True)
        path.write_text("x", encoding="utf-8")
    assert files.remove_stale_temps(tmp_path, (".md", ".json")) == sorted(stale)
    assert [p for p in (*stale, *kept) if p.exists()] == kept
    assert files.remove_stale_temps(tmp_path / "missing") == []
