"""toc's slugify in mkdocs.yml is a Python object; the render cache's key for it must be
the same in every process, or no `mkdocs build` would reuse a conversion."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

DIGEST = """
from mkdocs.config import load_config
from zhiku.glue.render_cache import conversion_digest
print(conversion_digest(load_config("mkdocs.yml")))
"""


def test_conversion_key_is_the_same_in_two_processes() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins"), "PYTHONHASHSEED": "random"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", DIGEST],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
        )
        for _ in range(2)
    ]
    keys = {run.stdout.strip() for run in runs}
    assert len(keys) == 1 and "" not in keys, [run.stderr[-2000:] for run in runs]
