"""Regenerate the ingest golden files: ``.venv/bin/python -m tests.golden.regen``."""

from __future__ import annotations

import shutil

from tests.golden.test_golden_ingest import CASES, run_case


def main() -> None:
    for case in sorted(p for p in CASES.iterdir() if p.is_dir()):
        expected = case / "expected"
        shutil.rmtree(expected, ignore_errors=True)
        expected.mkdir()
        run_case(case, expected)
        print(f"regenerated {expected}")


if __name__ == "__main__":
    main()
