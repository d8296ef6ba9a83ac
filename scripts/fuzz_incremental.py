"""Run the warm-equals-cold fuzzer long: many edit sequences over several seeds.

    PYTHONPATH=plugins python scripts/fuzz_incremental.py --seeds 1 2 3 --steps 40 --runs 5
    PYTHONPATH=plugins python scripts/fuzz_incremental.py --serve --minutes 20

The state machines are the ones CI runs briefly (tests/build/test_fuzz_incremental.py):
after every edit a warm build is compared file for file with a cold build of the same
tree. Each seed runs ``--runs`` sequences of up to ``--steps`` edits; a divergence stops
its seed and is printed (with ``--shrink``, cut down to a short sequence). The summary
gives steps, seeds, failed builds (both warm and cold failed: strict warnings from broken
links, which is expected) and divergences.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "build"))

from hypothesis import HealthCheck, Phase, settings  # noqa: E402
from hypothesis.stateful import run_state_machine_as_test  # noqa: E402
from test_fuzz_incremental import BuiltSite, ServedSite  # noqa: E402


class Tally:
    steps = 0
    failed_builds = 0
    sequences = 0


def counted(machine: type[BuiltSite], seed: int) -> type[BuiltSite]:
    """``machine`` with a fixed seed, adding its steps to the tally as each run ends."""

    def teardown(self: Any) -> None:
        Tally.steps += self.steps
        Tally.failed_builds += self.failed
        Tally.sequences += 1
        machine.teardown(self)

    return type(
        f"{machine.__name__}Seed{seed}",
        (machine,),
        {"teardown": teardown, "_hypothesis_internal_use_seed": seed},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--runs", type=int, default=4, help="sequences per seed")
    parser.add_argument("--steps", type=int, default=30, help="most edits per sequence")
    parser.add_argument("--serve", action="store_true", help="under mkdocs serve, not build")
    parser.add_argument("--shrink", action="store_true", help="shrink a divergence (slow)")
    parser.add_argument("--minutes", type=float, default=0, help="stop starting seeds after")
    args = parser.parse_args(argv)
    machine = ServedSite if args.serve else BuiltSite
    phases = [Phase.generate, Phase.shrink] if args.shrink else [Phase.generate]
    config = settings(
        max_examples=args.runs,
        stateful_step_count=args.steps,
        deadline=None,
        database=None,
        phases=phases,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )
    started = time.monotonic()
    findings: list[tuple[int, str]] = []
    seeds_run = []
    for seed in args.seeds:
        if args.minutes and time.monotonic() - started > args.minutes * 60:
            break
        seeds_run.append(seed)
        before = Tally.steps
        try:
            run_state_machine_as_test(counted(machine, seed), settings=config)
            outcome = "equal"
        except Exception:  # a divergence: report it, go on with the next seed
            text = traceback.format_exc()
            findings.append((seed, text))
            outcome = "DIVERGED"
            print(text, file=sys.stderr)
        print(
            f"seed {seed}: {Tally.steps - before} steps, {outcome} "
            f"({time.monotonic() - started:.0f} s so far)",
            flush=True,
        )
    mode = "mkdocs serve" if args.serve else "mkdocs build"
    print(
        f"{mode}: {Tally.steps} steps in {Tally.sequences} sequences over seeds "
        f"{seeds_run}; {Tally.failed_builds} steps where warm and cold both failed; "
        f"{len(findings)} divergences; {time.monotonic() - started:.0f} s"
    )
    for seed, text in findings:
        print(f"--- seed {seed}:\n{text.strip().splitlines()[-1]}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
