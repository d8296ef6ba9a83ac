"""Golden files for import: each fixture tree under tests/fixtures/notes/<kind>/ imported
must give exactly tests/golden/import/<kind>/ (the content tree import writes, with
.zhiku/import-state.json and the copied images, and the JSON report).

The fixture is copied to a temporary folder outside git with every file's time set to
2024-01-02, so dates estimated from file times are the same on every machine. A
difference fails with a unified diff. After a deliberate change, regenerate them with

    .venv/bin/python -m tests.golden.import.regen

and review the diff in git before committing.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import shutil
from pathlib import Path

import pytest

from zhiku.importers.run import import_notes

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "notes"
GOLDEN = Path(__file__).resolve().parent
KINDS = sorted(p.name for p in FIXTURES.iterdir() if p.is_dir())
FILE_TIME = dt.datetime(2024, 1, 2, 12, tzinfo=dt.timezone.utc).timestamp()


def source_copy(kind: str, into: Path) -> Path:
    """The fixture of ``kind`` copied under ``into`` (no git, fixed file times); returns
    the copied notes folder."""
    (folder,) = [p for p in (FIXTURES / kind).iterdir() if p.is_dir()]
    copy = into / folder.name
    shutil.copytree(folder, copy)
    for path in [copy, *copy.rglob("*")]:
        os.utime(path, (FILE_TIME, FILE_TIME))
    return copy


def run_case(kind: str, out: Path, work: Path) -> None:
    """Import the ``kind`` fixture into ``out/content``; write ``out/report.json``."""
    folder = source_copy(kind, work)
    here = Path.cwd()
    os.chdir(work)  # the report names the source as the user typed it
    try:
        outcome = import_notes([folder.name], out / "content")
    finally:
        os.chdir(here)
    (out / "report.json").write_text(
        json.dumps(outcome.report(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("kind", KINDS)
def test_golden_import(kind: str, tmp_path: Path) -> None:
    run_case(kind, tmp_path / "out", tmp_path / "work")
    got, want = tree(tmp_path / "out"), tree(GOLDEN / kind)
    if got != want:
        diff: list[str] = []
        for name in sorted(set(got) | set(want)):
            if got.get(name) != want.get(name):
                old = want.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
                new = got.get(name, b"").decode("utf-8", "replace").splitlines(keepends=True)
                diff.extend(difflib.unified_diff(old, new, f"expected/{name}", f"got/{name}"))
        pytest.fail("import output differs from the golden files:\n" + "".join(diff))
