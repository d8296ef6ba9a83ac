"""Build benchmark: Zhiku against Material's blog plugin and Hugo, same corpus, one run.

    python scripts/bench_build.py --articles 1000 3000 10000 [--work DIR] [--json OUT]
                                  [--blog-max 3000] [--serve-at 3000] [--edits 3]

For each N, generates N articles with ``scripts/gen_corpus.py`` (1,500–6,000 Han
characters, headings, math, code) in three layouts and measures, as fresh processes:

- ``zhiku``: the repository's own mkdocs.yml (theme overrides, zhiku/search, zhiku/feed,
  zhiku/cache);
- ``blog``: the same articles as posts of Material's ``blog`` plugin (with ``search``
  and ``tags``), skipped above ``--blog-max`` articles;
- ``hugo``: Debian's ``hugo`` with a minimal site of the same listings (home paginated
  10 a page, category and tag pages, an archive by month, previous/next and related
  articles on each article).

Figures per N: **cold** build (no ``.cache/``, no output folder): wall, CPU (user + sys of
the whole process tree) and peak memory (largest single process, ``ru_maxrss``);
**warm-one-edit**: ``mkdocs build`` again after appending a paragraph to one article, with
the cache and site folder of the previous build kept (``--edits`` times, the median run);
**serve reload**: ``mkdocs serve`` (the README's command) and
``mkdocs serve --dirtyreload``: an article's title and date are changed
and the time from the save until the new title shows both on the home page and on the
article that becomes its neighbour (previous/next) is taken, ``--edits`` times (median).
Ratios are taken against the anchors measured in the same run; absolute seconds move
with the load of the shared machine.

The render cache's counts for the warm build (pages converted, pages whose output came
from the cache) are read from outside the plugin: the build runs through this script's
``--child-build`` mode, which calls MkDocs' ``build`` and reads ``zhiku/cache``'s report.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_corpus import write_corpus

ROOT = Path(__file__).resolve().parent.parent
EDITED = "note-00010.md"

HUGO_CONFIG = """\
baseURL = "https://example.org/"
languageCode = "zh-cn"
title = "知库"
hasCJKLanguage = true
disableKinds = ["RSS"]
paginate = 10
[taxonomies]
  category = "categories"
  tag = "tags"
[markup.goldmark.renderer]
  unsafe = false
[related]
  includeNewer = true
  threshold = 20
  toLower = true
  [[related.indices]]
    name = "tags"
    weight = 100
  [[related.indices]]
    name = "categories"
    weight = 20
"""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="zh"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title></head><body>
<nav><a href="{{ "/" | relURL }}">最新</a> <a href="{{ "/categories/" | relURL }}">分类</a>
<a href="{{ "/tags/" | relURL }}">标签</a> <a href="{{ "/archive/" | relURL }}">归档</a></nav>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "partials/card.html": """<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p>{{ .Date.Format "2006-01-02" }} {{ range .Params.categories }}{{ . }}{{ end }}</p>
<p>{{ .Summary }}</p><p>{{ range .Params.tags }}<span>{{ . }}</span> {{ end }}</p></article>
""",
    "partials/pager.html": """{{ $p := .Paginator }}<nav>{{ if $p.HasPrev }}
<a rel="prev" href="{{ $p.Prev.URL }}">上一页</a>{{ end }} {{ $p.PageNumber }}/{{ $p.TotalPages }}
{{ if $p.HasNext }}<a rel="next" href="{{ $p.Next.URL }}">下一页</a>{{ end }}</nav>
""",
    "index.html": """{{ define "main" }}{{ .Content }}
{{ $pages := where .Site.RegularPages "Section" "posts" }}
{{ range (.Paginate $pages.ByDate.Reverse).Pages }}{{ partial "card.html" . }}{{ end }}
{{ partial "pager.html" . }}{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ range .Paginator.Pages }}{{ partial "card.html" . }}{{ end }}
{{ partial "pager.html" . }}{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Data.Terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a>
{{ .Count }}</li>{{ end }}</ul>{{ end }}
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Date.Format "2006-01-02" }} {{ range .Params.categories }}{{ . }}{{ end }}
{{ range .Params.tags }}<span>{{ . }}</span> {{ end }} {{ .ReadingTime }} 分钟</p>
{{ .TableOfContents }}{{ .Content }}</article>
<nav>{{ with .PrevInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
{{ $related := .Site.RegularPages.Related . | first 5 }}{{ with $related }}<h2>相关文章</h2><ul>
{{ range . }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
{{ end }}
""",
    "archive/list.html": """{{ define "main" }}<h1>归档</h1>
{{ $posts := where .Site.RegularPages "Section" "posts" }}
{{ range $posts.GroupByDate "2006年1月" }}<h2>{{ .Key }}</h2><ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}{{ end }}
""",
}


# -- sites ---------------------------------------------------------------------------------


def write_sites(work: Path, articles: int, blog: bool) -> dict[str, Path]:
    """The corpus in each layout, and each tool's configuration; returns the config files."""
    for layout in ("zhiku", "blog") if blog else ("zhiku",):
        shutil.rmtree(work / layout, ignore_errors=True)
        write_corpus(work / layout / "docs", articles, 1500, 6000, 1, layout)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    base = yaml.load(text, Loader=_Loader)
    base["site_url"] = "https://example.org/"
    base["theme"]["custom_dir"] = str(ROOT / "theme_overrides")
    paths = {}
    for variant in ("zhiku", "blog"):
        config = dict(base)
        config["docs_dir"] = str(work / variant / "docs")
        config["site_dir"] = str(work / variant / "site")
        if variant == "blog":
            config["plugins"] = ["search", "blog", "tags"]
            config.pop("nav", None)
            config["not_in_nav"] = "/*.md\n/blog/\n"
        path = work / variant / "mkdocs.yml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
        paths[variant] = path
    paths["hugo"] = write_hugo(work / "hugo", work / "zhiku" / "docs")
    return paths


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's ``!ENV [NAME, default]`` read as its default."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


def write_hugo(site: Path, docs: Path) -> Path:
    shutil.rmtree(site, ignore_errors=True)
    for name, text in HUGO_LAYOUTS.items():
        (site / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (site / "layouts" / name).write_text(text, encoding="utf-8")
    (site / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    posts = site / "content" / "posts"
    posts.mkdir(parents=True)
    (site / "content" / "_index.md").write_text("---\ntitle: 知库\n---\n", encoding="utf-8")
    (site / "content" / "archive").mkdir()
    (site / "content" / "archive" / "_index.md").write_text(
        "---\ntitle: 归档\n---\n", encoding="utf-8"
    )
    for path in sorted(docs.glob("*.md")):
        if path.name == "index.md":
            continue
        posts.joinpath(path.name).write_text(hugo_post(path.read_text("utf-8")), "utf-8")
    return site


def hugo_post(text: str) -> str:
    _, head, body = text.split("---\n", 2)
    meta = yaml.safe_load(head)
    out = {
        "title": meta["title"],
        "date": str(meta["date"]),
        "categories": [meta.get("category", "未分类")],
        "tags": meta.get("tags", []),
    }
    return "---\n" + yaml.safe_dump(out, allow_unicode=True, sort_keys=False) + "---\n" + body


# -- measuring -----------------------------------------------------------------------------


@dataclass
class Run:
    wall: float
    cpu: float
    peak_mib: float
    stats: dict[str, int] | None = None


def env() -> dict[str, str]:
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONWARNINGS="ignore")


def measure(command: list[str], stats: Path | None = None) -> Run:
    """Wall, CPU of the process tree and the largest process's peak RSS, of one command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env(), stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"{command} failed with status {child.returncode}")
    found = json.loads(stats.read_text("utf-8")) if stats and stats.exists() else None
    # ru_maxrss is in KiB on Linux: the largest of the child and its reaped descendants.
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, found)


def mkdocs_build(config: Path, work: Path) -> Run:
    stats = work / "cache-stats.json"
    stats.unlink(missing_ok=True)
    command = [sys.executable, __file__, "--child-build", str(config), str(stats)]
    return measure(command, stats)


def hugo_build(site: Path) -> Run:
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / "resources", ignore_errors=True)
    return measure(["hugo", "--quiet", "-s", str(site), "-d", str(site / "public")])


def child_build(config_file: str, stats: str) -> int:
    """One ``mkdocs build``, then the render cache's report (the benchmark's own wrapper)."""
    from mkdocs.commands import build
    from mkdocs.config import load_config

    # As `mkdocs build` does (mkdocs/__main__.py): plugins may wrap build.build at startup.
    config = load_config(config_file)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build.build(config)
    finally:
        config.plugins.on_shutdown()
    cache = config.plugins.get("zhiku/cache")
    report = getattr(cache, "report", None)
    if report is not None:
        counts = {
            "converted": len(report.converted),
            "by_workers": report.by_workers,
            "conversions_reused": len(report.reused),
            "rendered": len(report.rendered),
            "outputs_reused": len(report.replayed),
        }
        Path(stats).write_text(json.dumps(counts), encoding="utf-8")
    return 0


def edit_body(path: Path) -> str:
    original = path.read_text(encoding="utf-8")
    path.write_text(original + "\n\n基准测试追加的一段文字，用来模拟一次保存。\n", "utf-8")
    return original


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


CARD_LINK = re.compile(r'<h2 class="zk-card__title"><a href="([^"]*)">')


def edit_to_reload(
    config: Path, article: Path, page: str, edits: int, timeout: float, flag: str, port: int
) -> list[float]:
    """Seconds from saving an edited article until the edit shows, per edit.

    Zhiku: on the home page and on the article that becomes the edited one's neighbour
    (the newest other article); the blog: on its home listing. ``inf`` after ``timeout``.
    """
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    command += [flag, "-f", str(config)]
    server = subprocess.Popen(
        command,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}/"
    original = article.read_text(encoding="utf-8")
    times: list[float] = []
    try:
        deadline = time.monotonic() + 3600  # the first build takes longest
        home = None
        while home is None:
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError(f"mkdocs serve did not come up for {config}")
            time.sleep(0.5)
            home = fetch(base + page)
        urls = [base + page]
        links = [link for link in CARD_LINK.findall(home) if article.stem not in link]
        if links:
            urls.append(base + links[0].lstrip("./"))
        for n in range(1, edits + 1):
            marker = f"重载标记{n}号{int(time.time())}"
            text = re.sub(r"(?m)^title: .*$", f"title: {marker}", original, count=1)
            text = re.sub(r"(?m)^date: .*$", f"date: 2027-0{n}-01", text, count=1)
            # Blog posts repeat the title as their first heading, which the blog shows.
            text = re.sub(r"(?m)^# .*$", f"# {marker}", text, count=1)
            time.sleep(2)  # let the watcher settle after the previous build
            article.write_text(text, encoding="utf-8")
            start = time.perf_counter()
            deadline = time.monotonic() + timeout
            pending = list(urls)
            while pending:
                body = fetch(pending[0])
                if body is not None and marker in body:
                    pending.pop(0)
                    continue
                if time.monotonic() > deadline:
                    print(f"{marker} did not show on {pending[0]}", file=sys.stderr)
                    times.append(float("inf"))
                    return times
                time.sleep(0.05)
            times.append(time.perf_counter() - start)
    finally:
        article.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    return times


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


# -- one N ---------------------------------------------------------------------------------


def bench(n: int, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    paths = write_sites(work, n, blog=n <= args.blog_max)
    result: dict[str, Any] = {"articles": n}
    variants = ["zhiku", "hugo"] + (["blog"] if n <= args.blog_max else [])

    def say(what: str, run: Run) -> None:
        print(
            f"N={n} {what}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
            f"{run.peak_mib:.0f} MiB, {run.stats or ''}",
            file=sys.stderr,
            flush=True,
        )

    for variant in variants:
        if variant == "hugo":
            run = hugo_build(paths["hugo"])
        else:
            shutil.rmtree(paths[variant].parent / ".cache", ignore_errors=True)
            shutil.rmtree(paths[variant].parent / "site", ignore_errors=True)
            run = mkdocs_build(paths[variant], work)
        result[f"cold_{variant}"] = asdict(run)
        say(f"cold {variant}", run)

    # Warm: one article's text changes, the cache of the last build is kept; --edits
    # times (each build after one more edit), the run of median wall time reported.
    note = work / "zhiku" / "docs" / EDITED
    original = note.read_text(encoding="utf-8")
    runs = []
    try:
        for _ in range(max(1, args.edits)):
            edit_body(note)
            run = mkdocs_build(paths["zhiku"], work)
            runs.append(asdict(run))
            say("warm-one-edit zhiku", run)
    finally:
        note.write_text(original, encoding="utf-8")
    runs.sort(key=lambda r: r["wall"])
    result["warm_zhiku"] = runs[len(runs) // 2]
    result["warm_zhiku_walls"] = [r["wall"] for r in runs]

    if not args.skip_serve and n in args.serve_at:
        port = free_port()  # one address for both: serve's site_url keys the cache
        for flag in ("--livereload", "--dirtyreload"):
            times = edit_to_reload(paths["zhiku"], note, "", args.edits, 600, flag, port)
            result[f"reload_zhiku{flag}"] = times
            print(f"N={n} zhiku serve {flag}: {times}", file=sys.stderr, flush=True)
        if "blog" in variants and not args.skip_blog_serve:
            post = work / "blog" / "docs" / "blog" / "posts" / EDITED
            timeout = max(600, 3 * result["cold_blog"]["wall"])
            times = edit_to_reload(
                paths["blog"], post, "blog/", 1, timeout, "--livereload", free_port()
            )
            result["reload_blog--livereload"] = times
            print(f"N={n} blog serve: {times}", file=sys.stderr, flush=True)
    return result


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        "| N | measure | Zhiku | Material blog | Hugo | Zhiku / blog | Zhiku / Hugo |",
        "|---:|---|---:|---:|---:|---:|---:|",
    ]

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}" if a is not None and b else "—"

    def num(value: float | None, unit: str) -> str:
        return f"{value:.1f} {unit}" if value is not None else "—"

    for r in results:
        n = r["articles"]
        for key, label, unit in (
            ("wall", "cold build, wall", "s"),
            ("cpu", "cold build, CPU", "s"),
            ("peak_mib", "cold build, peak memory (largest process)", "MiB"),
        ):
            z = r["cold_zhiku"][key]
            b = r.get("cold_blog", {}).get(key)
            h = r["cold_hugo"][key]
            rows.append(
                f"| {n:,} | {label} | {num(z, unit)} | {num(b, unit)} | {num(h, unit)} "
                f"| {ratio(z, b)} | {ratio(z, h)} |"
            )
        warm = r["warm_zhiku"]
        h = r["cold_hugo"]["wall"]
        rows.append(
            f"| {n:,} | warm build after one edit, wall | {warm['wall']:.1f} s | — | "
            f"(cold) {h:.1f} s | — | {ratio(warm['wall'], h)} |"
        )
        rows.append(
            f"| {n:,} | warm build after one edit, peak memory | {warm['peak_mib']:.0f} MiB "
            f"| — | — | — | — |"
        )
        for flag, label in (("--livereload", "`mkdocs serve`"), ("--dirtyreload", "`--dirty`")):
            z = r.get(f"reload_zhiku{flag}")
            b = r.get(f"reload_blog{flag}")
            zm = median(z) if z else None
            bm = median(b) if b else None
            rows.append(
                f"| {n:,} | {label}: save → reload (median) | {num(zm, 's')} | {num(bm, 's')} "
                f"| — | {ratio(zm, bm)} | {ratio(zm, h)} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--blog-max", type=int, default=3000, help="largest N for the blog")
    parser.add_argument("--skip-serve", action="store_true", help="no mkdocs serve figures")
    parser.add_argument(
        "--serve-at", type=int, nargs="+", default=[3000], help="the Ns to measure serve at"
    )
    parser.add_argument("--skip-blog-serve", action="store_true")
    parser.add_argument("--edits", type=int, default=3, help="edits per serve session")
    parser.add_argument("--json", type=Path, help="write the figures here (after each N)")
    parser.add_argument(
        "--child-build", nargs=2, metavar=("CONFIG", "STATS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child_build:
        return child_build(*args.child_build)
    if shutil.which("hugo") is None:
        parser.error("hugo is not installed: apt-get install -y hugo")

    work = args.work or Path(tempfile.mkdtemp(prefix="zhiku-bench-"))
    results = []
    for n in args.articles:
        results.append(bench(n, work / f"n{n}", args))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(table(results[-1:]), file=sys.stderr, flush=True)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
