"""A year of scrapes through the real ``zhiku ingest``, checked day by day.

    .venv/bin/python scripts/sim_ingest.py [--days 365] [--articles 5000] [--window 45]
        [--seed 1] [--work DIR] [--no-build]

Every day: a new dump of the LATEST UPDATES window (sometimes JSON Lines),
cut at random lengths, with metadata missing or broken and hostile characters
on some cards; hand edits to random files on some days; some runs killed with
SIGKILL (then the dump is ingested again), some days two runs at once. After
each day the content folder is checked against the pool of articles (issue 9's
invariants 1-6); at the end the site is built with ``mkdocs build --strict``
and every feed parsed. See ``scripts/sim_world.py`` for the world and the
checks. Exit status 1 when anything was violated.

Reported: wall time, peak memory of the child processes (the largest ingest,
then the build), and ingest throughput in cards per second against the anchor
of ``scripts/bench_ingest.py`` measured on the same dumps in the same run
(read + decode + jieba-segment every card).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sim_world import Scenario, simulate


def anchor(folder: Path) -> tuple[float, float]:
    """CPU seconds (to load jieba's dictionary, to read, decode and segment every dump).

    The second is ``scripts/bench_ingest.py``'s anchor minus the first: the floor of any
    jieba-based ingest, in one process. Every ``zhiku ingest`` run pays the first again.
    """
    from zhiku.ingest.decode import decode_dump
    from zhiku.text.segment import new_tokenizer

    start = time.process_time()
    tokenizer = new_tokenizer()
    tokenizer.initialize()
    loaded = time.process_time()
    for path in sorted(folder.iterdir()):
        for line in decode_dump(path.read_bytes()).splitlines():
            for _ in tokenizer.cut(line, HMM=False):
                pass
    return loaded - start, time.process_time() - loaded


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--window", type=int, default=45, help="cards per daily dump")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, help="keep the dumps, content and site here")
    parser.add_argument("--no-build", action="store_true", help="skip mkdocs build at the end")
    args = parser.parse_args()
    scenario = Scenario(
        days=args.days,
        articles=args.articles,
        window=args.window,
        seed=args.seed,
        build=not args.no_build,
    )
    with tempfile.TemporaryDirectory(prefix="zhiku-sim-") as tmp:
        work = args.work or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        result = simulate(scenario, work, lambda line: print(line, file=sys.stderr, flush=True))
        wall = time.perf_counter() - began
        dumps = work / "dumps"
        setup, floor = anchor(dumps)
        print(result.summary())
        print(
            f"days: {args.days}, pool: {args.articles} articles, window: {args.window}, "
            f"dumps: {len(result.dumps)}, ingest runs: {result.runs} "
            f"(+{result.coverage['kill:random'] + result.coverage['kill:writing']} killed), "
            f"cards ingested: {result.cards:,}, article files: {result.files:,}"
        )
        print(f"wall time: {wall / 60:.1f} min; ingest runs: {result.ingest_seconds:.0f} s")
        if result.build_seconds is not None:
            print(f"mkdocs build --strict: {result.build_seconds:.1f} s, feeds: {result.feeds}")
        peak = f"peak memory (max RSS of a child): ingest {result.peak_ingest_mib:.0f} MiB"
        if result.build_seconds is not None:
            peak += f", ingest or mkdocs build {result.peak_build_mib:.0f} MiB"
        print(peak)
        cpu = result.ingest_cpu_seconds
        rate = result.cards / cpu if cpu else 0.0
        floor_rate = result.dump_cards / floor if floor else 0.0
        per_run = cpu / max(1, result.runs)
        print(
            f"ingest: {rate:,.1f} cards per CPU second over {result.runs} runs "
            f"({per_run:.2f} CPU s a run, {result.ingest_seconds / max(1, result.runs):.2f} s "
            f"wall); anchor (read + decode + jieba-segment all {result.dump_cards:,} cards, "
            f"one process): {floor_rate:,.0f} cards per CPU second ({floor:.1f} s, + {setup:.1f} s "
            f"to load jieba's dictionary); ingest / anchor = "
            f"{(rate / floor_rate if floor_rate else 0):.3f}"
        )
        print(
            f"a run's fixed cost: the dictionary load alone is {setup:.1f} CPU s of its "
            f"{per_run:.2f}; cards per run: {result.cards / max(1, result.runs):.0f}"
        )
        runs = result.run_seconds
        if len(runs) >= 60:
            first, last = statistics.median(runs[:30]), statistics.median(runs[-30:])
            print(
                f"a run, median of the first 30: {first:.2f} s; of the last 30: {last:.2f} s "
                f"(content grew to {result.files:,} files)"
            )
        print(f"coverage: {dict(sorted(result.coverage.items()))}")
    return 1 if result.violations else 0


if __name__ == "__main__":
    sys.exit(main())
