"""Build-time benchmark: Zhiku against plain Material and Material's blog plugin, same corpus.

    python scripts/bench_build.py --articles 3000 [--runs 3] [--work DIR] [--no-reload]

Generates N articles with ``scripts/gen_corpus.py`` (once in Zhiku's layout, once in
Material's blog layout) and builds, interleaved, ``--runs`` times each:

(a) ``zhiku``  the repository's own mkdocs.yml (theme overrides, zhiku/search, zhiku/feed);
(b) ``plain``  the same pages and theme with Material's search only, no listing plugin;
(c) ``blog``   the same articles as blog posts, with Material's search, blog and tags plugins.

Each build is a fresh ``mkdocs build`` process; wall time and CPU time (user + sys of
the child, which is steadier on a shared machine) are reported as medians with ratios
against (c). Zhiku's plugin writes its own CPU timings (``ZHIKU_FEED_PROFILE``): the
listing and feed work inside the plugin, and the time MkDocs spends rendering the
generated listing pages through the theme; shares are of Zhiku's build CPU time.

Then, unless ``--no-reload``, it measures edit-to-reload: ``mkdocs serve --dirtyreload``
for (a), on 127.0.0.1; change an article's title and date, and poll the home page until
the new title shows, three times. The anchor is (c) under plain ``mkdocs serve`` (full
rebuilds), since the blog's listings stay stale under ``--dirtyreload`` (checked once).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml
from mkdocs.utils.yaml import yaml_load

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
VARIANTS = ("zhiku", "plain", "blog")


def configs(work: Path) -> dict[str, Path]:
    """One mkdocs.yml per variant, all derived from the repository's own."""
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as f:
        base = yaml_load(f)
    base["site_url"] = "https://example.org/"
    base["theme"]["custom_dir"] = str(ROOT / "theme_overrides")
    paths = {}
    for variant in VARIANTS:
        config = dict(base)
        layout = "blog" if variant == "blog" else "zhiku"
        config["docs_dir"] = str(work / layout / "docs")
        config["site_dir"] = str(work / variant / "site")
        if variant == "plain":
            config["plugins"] = ["search"]
            config.pop("nav", None)
        elif variant == "blog":
            config["plugins"] = ["search", "blog", "tags"]
            config.pop("nav", None)
            config["not_in_nav"] = "/*.md\n/blog/\n"
        path = work / variant / "mkdocs.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
        paths[variant] = path
    return paths


def env(profile: Path | None = None) -> dict[str, str]:
    result = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")
    if profile is not None:
        result["ZHIKU_FEED_PROFILE"] = str(profile)
    return result


def build(config: Path, profile: Path | None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one ``mkdocs build``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)],
        check=True,
        env=env(profile),
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def edit_to_reload(
    config: Path,
    article: Path,
    page: str,
    edits: int,
    timeout: float,
    dirty: bool = True,
    profile: Path | None = None,
) -> list[float]:
    """Seconds from saving an edited article to the listing ``page`` showing it, per edit.

    ``inf`` when the listing still did not show the edit after ``timeout`` seconds.
    """
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "serve",
            "--dirtyreload" if dirty else "--livereload",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(config),
        ],
        env=env(profile),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/{page}"
    original = article.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        deadline = time.monotonic() + max(timeout, 1800)  # the first build takes longest
        while fetch(url) is None:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"mkdocs serve did not come up for {config}")
            time.sleep(0.5)
        for n in range(1, edits + 1):
            marker = f"重载标记{n}号{int(time.time())}"
            text = re.sub(r"(?m)^title: .*$", f"title: {marker}", original, count=1)
            text = re.sub(r"(?m)^date: .*$", f"date: 2027-0{n}-01", text, count=1)
            # Blog posts repeat the title as their first heading, which the blog shows.
            text = re.sub(r"(?m)^# .*$", f"# {marker}", text, count=1)
            time.sleep(1.5)  # let the watcher settle after the previous build
            article.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            deadline = time.monotonic() + timeout
            while True:
                body = fetch(url)
                if body is not None and marker in body:
                    times.append(time.perf_counter() - start)
                    break
                if time.monotonic() > deadline:
                    # A stale listing is a result too: say so instead of waiting forever.
                    print(f"{marker} did not show on {url} in {timeout:.0f} s", file=sys.stderr)
                    times.append(float("inf"))
                    return times
                time.sleep(0.05)
    finally:
        article.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=30)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--no-reload", action="store_true", help="skip the mkdocs serve part")
    parser.add_argument(
        "--no-blog-reload", action="store_true", help="measure edit-to-reload for Zhiku only"
    )
    parser.add_argument(
        "--warm", action="store_true", help="keep plugins' .cache/ folders between builds"
    )
    parser.add_argument("--reload-timeout", type=float, default=120)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="zhiku-bench-"))
    for layout in ("zhiku", "blog"):
        shutil.rmtree(work / layout, ignore_errors=True)
        write_corpus(work / layout / "docs", args.articles, 1500, 6000, 1, layout)
    paths = configs(work)
    profile = work / "profile.jsonl"
    profile.unlink(missing_ok=True)

    walls: dict[str, list[float]] = {v: [] for v in VARIANTS}
    cpus: dict[str, list[float]] = {v: [] for v in VARIANTS}
    for run in range(args.runs):
        for variant in VARIANTS:
            if not args.warm:
                # Cold builds, as on a fresh clone or in CI: no plugin's on-disk cache
                # (zhiku/search keeps one in .cache/ next to mkdocs.yml) survives a run.
                shutil.rmtree(paths[variant].parent / ".cache", ignore_errors=True)
            wall, cpu = build(paths[variant], profile if variant == "zhiku" else None)
            walls[variant].append(wall)
            cpus[variant].append(cpu)
            print(f"run {run + 1} {variant}: {wall:.1f} s wall, {cpu:.1f} s CPU", file=sys.stderr)

    records = [json.loads(line) for line in profile.read_text(encoding="utf-8").splitlines()]
    plugin = [r["plugin"] for r in records]
    rendered = [r.get("render_generated", 0) for r in records]
    results: dict[str, Any] = {
        "articles": args.articles,
        "runs": args.runs,
        "wall": {v: median(walls[v]) for v in VARIANTS},
        "cpu": {v: median(cpus[v]) for v in VARIANTS},
        "plugin_work": median(plugin),
        "generated_render": median(rendered),
        "generated_pages": records[-1]["generated_pages"],
    }
    if not args.no_reload:
        note = work / "zhiku" / "docs" / "note-00010.md"
        served = work / "serve-profile.jsonl"
        served.unlink(missing_ok=True)
        results["reload_zhiku"] = edit_to_reload(
            paths["zhiku"], note, "", 3, args.reload_timeout, profile=served
        )
        # The first record is the server's initial build; the rest are the reloads.
        reloads = [json.loads(line) for line in served.read_text("utf-8").splitlines()][1:]
        results["reload_plugin"] = median([r["plugin"] for r in reloads])
    if not args.no_reload and not args.no_blog_reload:
        post = work / "blog" / "docs" / "blog" / "posts" / "note-00010.md"
        timeout = args.reload_timeout
        # Material's blog listings go stale under --dirtyreload (checked here once);
        # its users reload with full rebuilds, which is the anchor.
        results["reload_blog_dirty"] = edit_to_reload(paths["blog"], post, "blog/", 1, timeout)
        results["reload_blog"] = edit_to_reload(
            paths["blog"], post, "blog/", 3, max(timeout, 3 * results["wall"]["blog"]), dirty=False
        )

    blog_wall, blog_cpu = results["wall"]["blog"], results["cpu"]["blog"]
    print(f"\nN = {args.articles}, median of {args.runs} runs\n")
    print("| build | wall (s) | CPU (s) | wall / blog | CPU / blog |")
    print("|---|---:|---:|---:|---:|")
    for v in VARIANTS:
        w, c = results["wall"][v], results["cpu"][v]
        print(f"| {v} | {w:.1f} | {c:.1f} | {w / blog_wall:.2f} | {c / blog_cpu:.2f} |")
    zc = results["cpu"]["zhiku"]
    print(
        f"\nzhiku/feed listing + feed work (CPU): {results['plugin_work']:.2f} s "
        f"({results['plugin_work'] / zc:.1%} of Zhiku's build CPU); MkDocs rendering its "
        f"{results['generated_pages']} generated pages: {results['generated_render']:.2f} s "
        f"({results['generated_render'] / zc:.1%})"
    )
    if "reload_zhiku" in results:
        print(
            f"edit-to-reload, median of 3: zhiku (serve --dirtyreload) "
            f"{median(results['reload_zhiku']):.2f} s (zhiku/feed's share of a reload: "
            f"{results['reload_plugin']:.2f} s CPU)"
        )
    if "reload_blog" in results:
        stale = results["reload_blog_dirty"][0] == float("inf")
        print(
            f"edit-to-reload, median of 3: blog (serve, full rebuild) "
            f"{median(results['reload_blog']):.2f} s; blog under --dirtyreload: "
            + ("listing stale" if stale else f"{results['reload_blog_dirty'][0]:.2f} s")
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
