"""Golden files for ingest: each case's input/ ingested must give exactly expected/.

expected/ holds the whole content tree ingest writes (articles and
.zhiku/ingest-state.json) and the JSON report. A difference fails with a
unified diff. After a deliberate change, regenerate them all with

    .venv/bin/python -m tests.golden.regen

and review the diff in git before committing.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

import pytest

from zhiku.ingest.run import ingest

CASES = Path(__file__).resolve().parent / "ingest"


def run_case(case: Path, out: Path) -> None:
    """Ingest ``case/input`` into ``out/content`` and write ``out/report.json``."""
    here = Path.cwd()
    os.chdir(case)  # the report names inputs as the user typed them: input/…
    try:
        outcome = ingest(["input"], out / "content", progress=False)
    finally:
        os.chdir(here)
    (out / "report.json").write_text(
        json.dumps(outcome.report(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden_case(case: str, tmp_path: Path) -> None:
    run_case(CASES / case, tmp_path)
    got, want = tree(tmp_path), tree(CASES / case / "expected")
    if got != want:
        diff = []
        for name in sorted(set(got) | set(want)):
            if got.get(name) != want.get(name):
                diff.extend(
                    difflib.unified_diff(
                        want.get(name, "").splitlines(keepends=True),
                        got.get(name, "").splitlines(keepends=True),
                        f"expected/{name}",
                        f"got/{name}",
                    )
                )
        pytest.fail(
            "ingest output differs from the golden files "
            "(regenerate with `.venv/bin/python -m tests.golden.regen` if intended):\n"
            + "".join(diff)
        )
