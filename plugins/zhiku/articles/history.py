"""When each article's text last changed, from git: one ``git log`` for the whole folder.

An article's *updated* date is its ``updated:`` front matter when given, else the author
date of the last commit that changed its body. Commits that only touch front matter
(ingest rewriting a category, a tag, a flag) do not count, and neither does the commit
that added the file (writing is not updating). Outside a git checkout, or without git,
there is simply no date: nothing fails.

:func:`body_changes` is pure (it reads ``git log -p -U0`` text); :func:`read_history`
runs git once.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from collections.abc import Mapping

COMMIT = "\x01"
GIT_LOG = (
    "git",
    "-c",
    "core.quotepath=off",
    "log",
    "-p",
    "-U0",
    "--no-renames",
    "--no-merges",
    "--no-color",
    "--no-ext-diff",
    f"--format={COMMIT}%as",
    "--relative",
    "--",
    ".",
)
_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
# What a front matter line looks like: a fence, `key: value`, a list item, an indented
# continuation, or nothing.
_FRONT_LINE = re.compile(r"(---|\.\.\.|\s*|[\w-]+\s*:.*|\s*- .*|\s+.*)")
# Front matter grows or shrinks by a few lines between versions.
SLACK = 3


def body_changes(log: str, front_lines: Mapping[str, int]) -> dict[str, dt.date]:
    """Path -> date of the newest commit in ``log`` that changed the file's body.

    ``log`` is ``git log`` output as :data:`GIT_LOG` writes it (newest first);
    ``front_lines`` maps each file of interest to the number of lines its front matter
    takes now (0 for none). A changed line counts as front matter when it sits within
    those lines (plus :data:`SLACK`) and looks like front matter.
    """
    found: dict[str, dt.date] = {}
    date: dt.date | None = None
    path: str | None = None
    old_path = ""
    old_no = new_no = 0
    for line in log.splitlines():
        if line.startswith(COMMIT):
            try:
                date = dt.date.fromisoformat(line[1:11])
            except ValueError:
                date = None
            continue
        if line.startswith("diff --git "):
            path = None
            continue
        if line.startswith("--- "):
            old_path = git_path(line[4:])
            continue
        if line.startswith("+++ "):
            new_path = git_path(line[4:])
            path = None
            # A file added by this commit (old side /dev/null) is written, not updated.
            if new_path.startswith("b/") and old_path.startswith("a/"):
                candidate = new_path[2:]
                if candidate in front_lines and candidate not in found and date is not None:
                    path = candidate
            continue
        if path is None:
            continue
        hunk = _HUNK.match(line)
        if hunk:
            old_no, new_no = int(hunk.group(1)), int(hunk.group(2))
            continue
        if line.startswith("-"):
            number, old_no = old_no, old_no + 1
        elif line.startswith("+"):
            number, new_no = new_no, new_no + 1
        else:
            continue
        limit = front_lines[path] + SLACK if front_lines[path] else 0
        if number > limit or not _FRONT_LINE.fullmatch(line[1:]):
            assert date is not None
            found[path] = date
            path = None
    return found


_ESCAPES = {"a": 7, "b": 8, "t": 9, "n": 10, "v": 11, "f": 12, "r": 13, '"': 34, "\\": 92}


def git_path(text: str) -> str:
    """A path as a diff header writes it: git ends one holding a space with a tab, and
    quotes one holding ``"``, ``\\`` or a control character C-style (``"b/q\\"uote.md"``,
    octal bytes for the rest)."""
    text = text.removesuffix("\t")
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        return text
    out = bytearray()
    inner, i = text[1:-1], 0
    while i < len(inner):
        char = inner[i]
        if char != "\\" or i + 1 == len(inner):
            out += char.encode("utf-8", "surrogateescape")
            i += 1
        elif inner[i + 1] in _ESCAPES:
            out.append(_ESCAPES[inner[i + 1]])
            i += 2
        elif re.fullmatch(r"[0-7]{3}", inner[i + 1 : i + 4]):
            out.append(int(inner[i + 1 : i + 4], 8) & 0xFF)
            i += 4
        else:
            out += char.encode()
            i += 1
    return out.decode("utf-8", "replace")


def read_history(folder: str, front_lines: Mapping[str, int]) -> dict[str, dt.date]:
    """:func:`body_changes` of the git history of ``folder``; {} when it has none."""
    if not front_lines:
        return {}
    try:
        done = subprocess.run(
            GIT_LOG,
            cwd=folder,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except (OSError, subprocess.SubprocessError):
        return {}
    if done.returncode != 0:
        return {}
    return body_changes(done.stdout.decode("utf-8", "replace"), front_lines)


def head_commit(folder: str) -> str | None:
    """The checked-out commit of the repository holding ``folder``, or None."""
    try:
        done = subprocess.run(
            ("git", "rev-parse", "HEAD"), cwd=folder, capture_output=True, check=False, timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode().strip() or None if done.returncode == 0 else None
