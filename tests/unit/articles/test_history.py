"""更新于 from git for every file name git can hold: spaces, quotes, backslashes,
non-ASCII (git writes such names differently in its diff headers)."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from zhiku.articles.history import git_path, read_history

NAMES = ["plain.md", "with space.md", 'q"uote.md', "back\\slash.md", "中文 笔记.md", "tab\there.md"]


def git(folder: Path, *args: str, when: str) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "作者",
        "GIT_AUTHOR_EMAIL": "a@example.org",
        "GIT_COMMITTER_NAME": "作者",
        "GIT_COMMITTER_EMAIL": "a@example.org",
        "GIT_AUTHOR_DATE": f"{when}T12:00:00+00:00",
        "GIT_COMMITTER_DATE": f"{when}T12:00:00+00:00",
    }
    subprocess.run(("git", *args), cwd=folder, env=env, check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_body_edit_dates_every_file_name(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", when="2026-01-01")
    for name in NAMES:
        (tmp_path / name).write_text("---\ntitle: 笔记\n---\n正文\n", encoding="utf-8")
    git(tmp_path, "add", "-A", when="2026-01-01")
    git(tmp_path, "commit", "-qm", "add", when="2026-01-01")
    for name in NAMES:
        with (tmp_path / name).open("a", encoding="utf-8") as handle:
            handle.write("又一段。\n")
    git(tmp_path, "commit", "-qam", "edit", when="2026-02-03")
    dates = read_history(str(tmp_path), dict.fromkeys(NAMES, 3))
    assert dates == dict.fromkeys(NAMES, dt.date(2026, 2, 3))


@pytest.mark.parametrize(
    ("header", "path"),
    [
        ("b/plain.md", "b/plain.md"),
        ("b/with space.md\t", "b/with space.md"),
        ('"b/q\\"uote.md"', 'b/q"uote.md'),
        ('"b/back\\\\slash.md"', "b/back\\slash.md"),
        ('"b/tab\\there.md"', "b/tab\there.md"),
        ('"b/\\344\\270\\255.md"', "b/中.md"),  # octal bytes, as without core.quotepath=off
    ],
)
def test_diff_header_paths_are_unquoted(header: str, path: str) -> None:
    assert git_path(header) == path
