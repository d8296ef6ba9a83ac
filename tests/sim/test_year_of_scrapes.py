"""A short year of scrapes: 16 days of dumps through the real ``zhiku ingest`` CLI.

The simulation (``scripts/sim_world.py``, shared with ``scripts/sim_ingest.py``)
writes a sliding LATEST UPDATES window a day, cut at random lengths, with
metadata missing or broken and hostile characters on some cards and the card
shapes of unseen dumps (long opening sentences, near-duplicate cuts, arXiv
papers, lines glued together or spread over lines), edits files by hand between
runs, kills a run with SIGKILL, starts two runs at once, and after every day
checks the content folder against the pool of articles it drew the dumps from.
At the end it builds the site with ``mkdocs build --strict`` and parses every feed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from sim_world import (  # noqa: E402
    EDIT_KINDS,
    HOSTILE_KINDS,
    META_KINDS,
    SHAPE_KINDS,
    Scenario,
    simulate,
)

# Every kind of event at least once, on fixed days (the cards' own hazards are drawn
# from the seed and checked for coverage below).
EVENTS: dict[int, tuple[str, ...]] = {
    0: (),
    1: ("jsonl",),
    2: ("edit:title", "edit:tags"),
    3: ("kill",),
    4: ("edit:description", "edit:body", "edit:unknown"),
    5: ("jsonl",),
    6: ("concurrent",),
    7: (),
    8: ("jsonl", "edit:tags"),
    9: ("kill:writing",),
    10: ("edit:body",),
    11: ("concurrent", "jsonl"),
    12: ("edit:title", "edit:description"),
    13: ("jsonl", "edit:unknown"),
    14: (),
    15: ("jsonl",),
}
SCENARIO = Scenario(days=len(EVENTS), articles=90, window=14, seed=7, forced=EVENTS)


@pytest.mark.slow
def test_sixteen_days_of_scrapes_keep_every_invariant(tmp_path: Path) -> None:
    log: list[str] = []
    result = simulate(SCENARIO, tmp_path, log.append)

    met = result.coverage
    wanted = [*META_KINDS, *HOSTILE_KINDS, *SHAPE_KINDS, *(f"edit:{k}" for k in EDIT_KINDS)]
    wanted += ["concurrent", "bibtex"]
    assert [k for k in wanted if not met[k]] == [], f"the scenario missed some hazards: {met}"
    assert met["kill:random"] + met["kill:writing"] == 2
    assert result.feeds >= 3, "the site was not built"
    assert not result.violations, result.summary() + "\n" + "\n".join(log[-3:])
