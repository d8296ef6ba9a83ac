"""A build whose names all have recorded slugs does not pay for pypinyin's dictionaries."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_slug_helpers_leaves_pypinyin_unloaded() -> None:
    # pypinyin loads its phrase dictionary on import (~45 MiB in every warm build's main
    # process); only a name without a recorded slug needs it.
    code = (
        "import sys, zhiku.text.slug, zhiku.listing.slugbook\n"
        "assert 'pypinyin' not in sys.modules, 'pypinyin imported'\n"
        "from zhiku.text.slug import slugify\n"
        "assert slugify('CLIP算法原理') == 'clip-suanfa-yuanli'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8"
    )
    assert done.returncode == 0, done.stderr[-2000:]
