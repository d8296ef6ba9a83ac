"""Benchmark `zhiku ingest` on a few thousand generated LATEST UPDATES dumps.

    .venv/bin/python scripts/bench_ingest.py [--dumps 3000] [--runs 3] [--seed 1]

The dumps look like the real seeds: page chrome, 12 cards each, newest first,
a sliding window over a feed (each article appears in about three dumps, so
most cards are duplicates to merge), metadata on a third of the dumps with
the first card's cut off, excerpts built from the seed articles' sentences
(math, 🔖 links, 💡 tips, [代码] holes), most cut with "...".

Reported: articles per second and cards per second for a first ingest into an
empty content folder (median of --runs), the same for a re-ingest that changes
nothing, and as the anchor, in the same run, the floor any jieba-based ingest
pays: reading and decoding every dump and segmenting every card with jieba.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
CARDS_PER_DUMP = 12
STEP = 4  # the feed moves on by this many articles between two scrapes
NEWEST = dt.date(2026, 1, 15)


def seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) < 40:
                continue
            line = re.sub(r"(?:\.\.\.|…)+$", "", line)
            sentences.extend(s for s in re.split(r"(?<=[。！？])\s*", line) if len(s) > 12)
    return sorted(set(sentences))


def make_articles(count: int, rng: random.Random) -> list[tuple[str, str, dt.date]]:
    """(category, excerpt, date) for ``count`` articles, newest first."""
    sentences = seed_sentences()
    categories = ["Large Model", "Generative Model", "Self-Supervised", "Python", "Deep Learning"]
    openings = ["简介 ", "概述 ", "背景 ", "", "", "💡 ", "🔖 https://example.org/{n} "]
    articles = []
    for n in range(count):
        topic = rng.choice(["注意力", "扩散模型", "显存优化", "生成器", "强化学习"])
        heading = f"第{n}号笔记:{topic}"
        body = " ".join(rng.sample(sentences, 4))
        if rng.random() < 0.3:
            body += " 如下代码所示 [代码] 其中 \\(x_i\\) 满足 [公式]"
        text = rng.choice(openings).format(n=n) + heading + " " + body
        if rng.random() < 0.95:
            text = text[: rng.randint(300, 480)] + "..."
        articles.append((rng.choice(categories), text, NEWEST - dt.timedelta(days=n // 6)))
    return articles


def write_dumps(folder: Path, dumps: int, seed: int) -> int:
    """Write ``dumps`` dump files; return the number of distinct articles in them."""
    rng = random.Random(seed)
    count = (dumps - 1) * STEP + CARDS_PER_DUMP
    articles = make_articles(count, rng)
    for d in range(dumps):
        window = articles[d * STEP : d * STEP + CARDS_PER_DUMP]
        with_meta = d % 3 == 0
        lines = ["INCOMING TRANSMISSION", "", "LATEST UPDATES"]
        for i, (category, text, date) in enumerate(window):
            if with_meta and i > 0:  # the scrape cut the first card's metadata
                lines += [category, date.isoformat()]
            lines.append(text)
        (folder / f"{d:05d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return count


def anchor(folder: Path) -> float:
    """Read, decode and jieba-segment every card: the floor of any jieba-based ingest."""
    from zhiku.ingest.decode import decode_dump
    from zhiku.text.segment import new_tokenizer

    start = time.perf_counter()
    tokenizer = new_tokenizer()
    tokenizer.initialize()
    for path in sorted(folder.iterdir()):
        for line in decode_dump(path.read_bytes()).splitlines():
            for _ in tokenizer.cut(line, HMM=False):
                pass
    return time.perf_counter() - start


def timed_ingest(dumps: Path, content: Path) -> tuple[float, int, int]:
    from zhiku.ingest.run import ingest

    start = time.perf_counter()
    outcome = ingest([str(dumps)], content, progress=False)
    elapsed = time.perf_counter() - start
    return elapsed, len(outcome.plan.articles), len(outcome.plan.cards)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dumps", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="zhiku-bench-") as tmp:
        dumps = Path(tmp) / "dumps"
        dumps.mkdir()
        expected = write_dumps(dumps, args.dumps, args.seed)
        first, again, floor = [], [], []
        for run in range(args.runs):
            content = Path(tmp) / f"content-{run}"
            elapsed, articles, cards = timed_ingest(dumps, content)
            first.append(elapsed)
            again.append(timed_ingest(dumps, content)[0])
            floor.append(anchor(dumps))
            shutil.rmtree(content)
            print(
                f"run {run + 1}: first {elapsed:.2f} s, re-ingest {again[-1]:.2f} s, "
                f"anchor {floor[-1]:.2f} s",
                file=sys.stderr,
            )
        if articles != expected:
            sys.exit(f"expected {expected} distinct articles, ingest wrote {articles}")
        t_first, t_again, t_floor = (statistics.median(x) for x in (first, again, floor))
        print(f"dumps: {args.dumps}, cards: {cards}, distinct articles: {articles}")
        print(
            f"first ingest: {t_first:.2f} s = {articles / t_first:,.0f} articles/s "
            f"({cards / t_first:,.0f} cards/s)"
        )
        print(f"re-ingest (no change): {t_again:.2f} s = {articles / t_again:,.0f} articles/s")
        print(
            f"anchor (read + decode + jieba-segment every card): {t_floor:.2f} s; "
            f"first ingest = {t_first / t_floor:.1f}x the anchor"
        )


if __name__ == "__main__":
    main()
