"""When each article's text last changed, from git: one ``git log`` for the whole folder.

An article's *updated* date is its ``updated:`` front matter when given, else the author
date of the last commit that changed its body. Commits that only touch front matter
(ingest rewriting a category, a tag, a flag) do not count, and neither does the commit
that added the file (writing is not updating). A file keeps its history across renames.
Outside a git checkout, or without git, there is simply no date: nothing fails.

Every name git can hold works: git writes a name with a space followed by a tab in its
``---``/``+++`` lines, and one with a quote, a backslash or a control character in C-style
quotes (``"a/x\"y.md"``); both are read back to the file's own name.

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
    # Renames are followed (the file's older commits count under its new name).
    "-M",
    "--no-merges",
    "--no-color",
    "--no-ext-diff",
    f"--format={COMMIT}%as",
    "--relative",
    "--",
    ".",
)
_ESCAPE = re.compile(rb"\\(?:([0-7]{3})|(.))")
_ESCAPES = {b"a": 7, b"b": 8, b"t": 9, b"n": 10, b"v": 11, b"f": 12, b"r": 13}
_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")
# What a front matter line looks like: a fence, `key: value`, a list item, an indented
# continuation, or nothing.
_FRONT_LINE = re.compile(r"(---|\.\.\.|\s*|[\w-]+\s*:.*|\s*- .*|\s+.*)")
# Front matter grows or shrinks by a few lines between versions.
SLACK = 3


def git_path(text: str) -> str:
    """A path as git prints it in a diff header, back to the file's own name: C-style quotes
    undone (octal escapes are UTF-8 bytes), the tab git adds after a name with a space cut."""
    if not text.startswith('"'):
        return text.removesuffix("\t")
    end = text.rfind('"')
    quoted = text[1:end].encode("utf-8", "surrogateescape")

    def one(match: re.Match[bytes]) -> bytes:
        if match.group(1) is not None:
            return bytes((int(match.group(1), 8),))
        char = match.group(2)
        return bytes((_ESCAPES[char],)) if char in _ESCAPES else char

    return _ESCAPE.sub(one, quoted).decode("utf-8", "replace")


def body_changes(log: str, front_lines: Mapping[str, int]) -> dict[str, dt.date]:
    """Path -> date of the newest commit in ``log`` that changed the file's body.

    ``log`` is ``git log`` output as :data:`GIT_LOG` writes it (newest first);
    ``front_lines`` maps each file of interest to the number of lines its front matter
    takes now (0 for none). A changed line counts as front matter when it sits within
    those lines (plus :data:`SLACK`) and looks like front matter.
    """
    found: dict[str, dt.date] = {}
    # A name in older commits -> the name the file has now (filled as renames are met,
    # newest first, so a name reused after a rename is not confused with the old file).
    now_named: dict[str, str] = {}
    renames: dict[str, str] = {}  # this commit's renames, applied when the next one starts
    date: dt.date | None = None
    path: str | None = None
    old_path = ""
    old_no = new_no = 0
    for line in log.splitlines():
        if line.startswith(COMMIT):
            now_named.update(renames)
            renames = {}
            try:
                date = dt.date.fromisoformat(line[1:11])
            except ValueError:
                date = None
            continue
        if line.startswith("diff --git "):
            path = None
            old_path = ""
            continue
        if line.startswith("rename from "):
            old_path = "a/" + git_path(line[12:])
            continue
        if line.startswith("rename to ") and old_path:
            new_name = git_path(line[10:])
            renames[old_path[2:]] = now_named.get(new_name, new_name)
            continue
        if line.startswith("--- "):
            old_path = git_path(line[4:])
            continue
        if line.startswith("+++ "):
            new_path = git_path(line[4:])
            path = None
            # A file added by this commit (old side /dev/null) is written, not updated.
            if new_path.startswith("b/") and old_path.startswith("a/"):
                candidate = now_named.get(new_path[2:], new_path[2:])
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
