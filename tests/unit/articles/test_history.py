"""更新于 from git for every file name git can hold: spaces, quotes, non-ASCII, renames."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from zhiku.articles.history import git_path, read_history

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

FRONT = "---\ntitle: t\ndate: 2026-01-10\n---\n"


def _commit(root: Path, message: str, date: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_DATE": f"{date}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{date}T12:00:00+00:00",
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    subprocess.run(["git", "add", "-A"], cwd=root, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", message], cwd=root, env=env, check=True)


NAMES = ["my note.md", 'say "hi".md', "反斜杠\\名.md", "中文 笔记.md", "tab\tname.md", "plain.md"]


@pytest.mark.parametrize("name", NAMES)
def test_a_body_edit_dates_any_file_name(tmp_path: Path, name: str) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    (tmp_path / name).write_text(FRONT + "第一版。\n", encoding="utf-8")
    _commit(tmp_path, "add", "2026-01-10")
    (tmp_path / name).write_text(FRONT + "第二版，多一句。\n", encoding="utf-8")
    _commit(tmp_path, "edit", "2026-03-03")
    dates = read_history(str(tmp_path), {name: 4})
    assert {k: v.isoformat() for k, v in dates.items()} == {name: "2026-03-03"}


def test_a_renamed_file_keeps_the_edits_made_under_its_old_name(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    old, new = tmp_path / "旧 名字.md", tmp_path / 'new "name".md'
    old.write_text(FRONT + "第一版正文，足够长以便 git 认出改名。\n" * 5, encoding="utf-8")
    _commit(tmp_path, "add", "2026-01-10")
    old.write_text(FRONT + "第二版正文，足够长以便 git 认出改名。\n" * 5, encoding="utf-8")
    _commit(tmp_path, "edit", "2026-02-02")
    old.rename(new)
    _commit(tmp_path, "rename", "2026-03-03")
    # A new file takes the old name afterwards: its history is its own.
    old.write_text(FRONT + "另一篇。\n", encoding="utf-8")
    _commit(tmp_path, "reuse the name", "2026-04-04")
    dates = read_history(str(tmp_path), {new.name: 4, old.name: 4})
    assert {k: v.isoformat() for k, v in dates.items()} == {new.name: "2026-02-02"}


def test_git_paths_are_read_back_to_the_file_name() -> None:
    assert git_path("a/my note.md\t") == "a/my note.md"
    assert git_path('"a/say \\"hi\\".md"\t') == 'a/say "hi".md'
    assert git_path('"a/\\344\\270\\255.md"') == "a/中.md"
    assert git_path('"a/tab\\tname.md"') == "a/tab\tname.md"
    assert git_path("a/plain.md") == "a/plain.md"
