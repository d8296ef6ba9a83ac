"""Regenerate the import golden files: ``.venv/bin/python -m tests.golden.import.regen``."""

from __future__ import annotations

import importlib
import shutil
import tempfile
from pathlib import Path

# "import" is a keyword, so this package's modules are named, not imported, here.
golden = importlib.import_module("tests.golden.import.test_golden_import")


def main() -> None:
    for kind in golden.KINDS:
        expected = golden.GOLDEN / kind
        shutil.rmtree(expected, ignore_errors=True)
        expected.mkdir()
        with tempfile.TemporaryDirectory() as work:
            golden.run_case(kind, expected, Path(work))
        print(f"regenerated {expected}")


if __name__ == "__main__":
    main()
