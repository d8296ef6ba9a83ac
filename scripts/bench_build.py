"""Build benchmark: Zhiku against Material's blog plugin and Hugo, same corpus, one run.

    python scripts/bench_build.py --articles 1000 3000 10000 [--work DIR] [--json OUT]
                                  [--blog-max 3000] [--serve-at 3000] [--edits 3]
                                  [--variant default hexo-like …] [--repo NAME=GIT_DIR …]

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

``--variant`` names generated corpora shaped like other people's notes (``VARIANTS``:
dense math, ``$`` math, many tags from a long-tailed vocabulary, long articles, links,
images, tables and admonitions, and ``hexo-like`` which combines a Hexo blog's habits);
each is measured at every N. ``--repo NAME=GIT_DIR`` takes a real repository (a git
directory, e.g. a fetched mirror): checked out with ``git worktree add``, brought in
with ``zhiku import``, and the imported articles given to the blog plugin (as posts)
and Hugo (as content), so that the anchors build the same notes.

The render cache's counts for the warm build (pages converted, pages whose output came
from the cache) are read from outside the plugin: the build runs through this script's
``--child-build`` mode, which calls MkDocs' ``build`` and reads ``zhiku/cache``'s report.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from gen_corpus import Profile, blog_post, write_corpus

ROOT = Path(__file__).resolve().parent.parent
EDITED = "note-00010.md"

# Corpora shaped like other people's notes (issue 21, point 6): characters an article
# (low, high) and the generator's knobs. "default" is the corpus of every earlier figure.
VARIANTS: dict[str, tuple[int, int, Profile]] = {
    "default": (1500, 6000, Profile()),
    # Five times the formulas: derivation-heavy study notes.
    "dense-math": (1500, 6000, Profile(math_density=5.0)),
    # $…$ and $$…$$ only, as Hexo, Obsidian and Typora notes write them.
    "dollar-math": (1500, 6000, Profile(math_syntax="dollar")),
    # 5–12 tags an article from a 600-tag vocabulary with a long tail of one-off tags.
    "many-tags": (1500, 6000, Profile(tags_min=5, tags_max=12, tag_vocabulary=600)),
    # Long articles (6,000–15,000 characters), denser in formulas.
    "long": (6000, 15000, Profile(math_density=2.0)),
    # Links between articles and to their headings, images, tables, admonitions.
    "rich": (1500, 6000, Profile(links=0.3, images=1.5, tables=0.7, admonitions=0.7)),
    # A Hexo blog: $ math, <!-- more -->, 5–10 tags of 600, nested categories, links.
    "hexo-like": (
        1500,
        6000,
        Profile(
            math_syntax="dollar",
            more=True,
            tags_min=5,
            tags_max=10,
            tag_vocabulary=600,
            nested_categories=True,
            links=0.2,
        ),
    ),
}

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


def write_sites(work: Path, articles: int, blog: bool, variant: str) -> dict[str, Path]:
    """The corpus in each layout, and each tool's configuration; returns the config files."""
    low, high, profile = VARIANTS[variant]
    for layout in ("zhiku", "blog") if blog else ("zhiku",):
        shutil.rmtree(work / layout, ignore_errors=True)
        write_corpus(work / layout / "docs", articles, low, high, 1, layout, profile=profile)
    return write_configs(work)


def import_repo(work: Path, git_dir: Path) -> int:
    """A real repository, checked out (``git worktree add``) and brought in with
    ``zhiku import`` as the zhiku layout, and its articles as blog posts; the count."""
    from zhiku.articles import parse_article

    src = work / "src"
    if not src.exists():
        subprocess.run(
            ["git", "--git-dir", str(git_dir), "worktree", "add", "-f", "--detach", str(src)],
            check=True,
            capture_output=True,
        )
    for layout in ("zhiku", "blog"):
        shutil.rmtree(work / layout, ignore_errors=True)
    content = work / "zhiku" / "docs"
    for page in ("index.md", "category/index.md", "tags/index.md", "archive/index.md"):
        if (ROOT / "content" / page).exists():
            (content / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / "content" / page, content / page)
    zhiku = Path(sys.executable).with_name("zhiku")
    done = subprocess.run(
        [str(zhiku), "import", str(src), "--content", str(content)],
        env=env(),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    (work / "import.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if done.returncode not in (0, 1):  # 1: some notes were reported, the rest imported
        raise RuntimeError(f"zhiku import {src} failed: see {work / 'import.log'}")
    posts = work / "blog" / "docs" / "blog" / "posts"
    posts.mkdir(parents=True)
    (work / "blog" / "docs" / "index.md").write_text("# 知库\n", encoding="utf-8")
    (work / "blog" / "docs" / "blog" / "index.md").write_text("# 博客\n", encoding="utf-8")
    if (content / "assets").exists():
        shutil.copytree(content / "assets", posts / "assets")
    count = 0
    for path in sorted(content.glob("*.md")):
        article = parse_article(path.name, path.read_text(encoding="utf-8"))
        if article is None or path.name == "index.md":
            continue
        (posts / path.name).write_text(blog_post(article), encoding="utf-8")
        count += 1
    return count


def write_configs(work: Path) -> dict[str, Path]:
    """Each tool's configuration over ``work/zhiku/docs`` and ``work/blog/docs``."""
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
        path.write_text(
            yaml.dump(config, Dumper=_Dumper, allow_unicode=True, sort_keys=False), "utf-8"
        )
        paths[variant] = path
    paths["hugo"] = write_hugo(work / "hugo", work / "zhiku" / "docs")
    return paths


class _Loader(yaml.SafeLoader):
    """mkdocs.yml's ``!ENV [NAME, default]`` read as its default."""


_Loader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])


@dataclass(frozen=True)
class _Python:
    """A ``!!python/…`` value of mkdocs.yml (the toc's slugify), written back as it was."""

    suffix: str
    value: dict[str, Any]


_PYTHON = "tag:yaml.org,2002:python/"
_Loader.add_multi_constructor(
    _PYTHON,
    lambda loader, suffix, node: _Python(suffix, loader.construct_mapping(node, deep=True)),
)


class _Dumper(yaml.SafeDumper):
    """Safe dumping, plus :class:`_Python` values."""


_Dumper.add_representer(
    _Python, lambda dumper, data: dumper.represent_mapping(_PYTHON + data.suffix, data.value)
)


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
    category = meta.get("category", "未分类")
    out = {
        "title": meta["title"],
        "date": str(meta["date"]),
        # A nested category ([Large Model, 推理加速]) is a list of terms for Hugo.
        "categories": category if isinstance(category, list) else [category],
        "tags": meta.get("tags") or [],
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
            # Today: newer than every article, so it tops the home page, and not in the
            # future, which would schedule the article and hide it.
            text = re.sub(r"(?m)^date: .*$", f"date: {dt.date.today()}", text, count=1)
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


def bench(n: int, work: Path, args: argparse.Namespace, variant: str) -> dict[str, Any]:
    paths = write_sites(work, n, n <= args.blog_max, variant)
    return bench_sites(n, variant, paths, work, args, EDITED)


def bench_repo(name: str, git_dir: Path, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    """A real repository, imported; the blog and Hugo take the imported articles."""
    n = import_repo(work, git_dir)
    paths = write_configs(work)
    notes = sorted(p.name for p in (work / "zhiku" / "docs").glob("*.md") if p.name != "index.md")
    return bench_sites(n, name, paths, work, args, notes[min(9, len(notes) - 1)])


def bench_sites(
    n: int, variant: str, paths: dict[str, Path], work: Path, args: argparse.Namespace, edited: str
) -> dict[str, Any]:
    result: dict[str, Any] = {"articles": n, "variant": variant}
    variants = ["zhiku", "hugo"] + (["blog"] if n <= args.blog_max else [])

    def say(what: str, run: Run) -> None:
        print(
            f"{variant} N={n} {what}: {run.wall:.1f} s wall, {run.cpu:.1f} s CPU, "
            f"{run.peak_mib:.0f} MiB, {run.stats or ''}",
            file=sys.stderr,
            flush=True,
        )

    for tool in variants:
        try:
            if tool == "hugo":
                run = hugo_build(paths["hugo"])
            else:
                shutil.rmtree(paths[tool].parent / ".cache", ignore_errors=True)
                shutil.rmtree(paths[tool].parent / "site", ignore_errors=True)
                run = mkdocs_build(paths[tool], work)
        except RuntimeError as error:
            if tool == "zhiku":
                raise
            print(f"{variant} N={n} cold {tool}: {error}", file=sys.stderr, flush=True)
            continue  # an anchor that cannot take the corpus is reported as missing
        result[f"cold_{tool}"] = asdict(run)
        say(f"cold {tool}", run)

    # Warm: one article's text changes, the cache of the last build is kept; --edits
    # times (each build after one more edit), the run of median wall time reported.
    note = work / "zhiku" / "docs" / edited
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
    # The first warm build after the cold one apart: it is the one a fresh clone or a CI
    # build is followed by, and it alone pays for whatever the cold build left different.
    result["warm_zhiku_first"] = runs[0]
    runs.sort(key=lambda r: r["wall"])
    result["warm_zhiku"] = runs[len(runs) // 2]
    result["warm_zhiku_walls"] = [r["wall"] for r in runs]

    real = variant not in VARIANTS
    if not args.skip_serve and (n in args.serve_at or (real and args.serve_repos)):
        port = free_port()  # one address for both: serve's site_url keys the cache
        for flag in ("--livereload", "--dirtyreload"):
            times = edit_to_reload(paths["zhiku"], note, "", args.edits, 600, flag, port)
            result[f"reload_zhiku{flag}"] = times
            print(f"{variant} N={n} zhiku serve {flag}: {times}", file=sys.stderr, flush=True)
        if "cold_blog" in result and not args.skip_blog_serve:
            post = work / "blog" / "docs" / "blog" / "posts" / edited
            timeout = max(600, 3 * result["cold_blog"]["wall"])
            times = edit_to_reload(
                paths["blog"], post, "blog/", 1, timeout, "--livereload", free_port()
            )
            result["reload_blog--livereload"] = times
            print(f"{variant} N={n} blog serve: {times}", file=sys.stderr, flush=True)
    return result


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        "| corpus | N | measure | Zhiku | Material blog | Hugo | Zhiku / blog | Zhiku / Hugo |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]

    def ratio(a: float | None, b: float | None) -> str:
        return f"{a / b:.2f}" if a is not None and b else "—"

    def num(value: float | None, unit: str) -> str:
        return f"{value:.1f} {unit}" if value is not None else "—"

    for r in results:
        n = f"{r.get('variant', 'default')} | {r['articles']:,}"
        for key, label, unit in (
            ("wall", "cold build, wall", "s"),
            ("cpu", "cold build, CPU", "s"),
            ("peak_mib", "cold build, peak memory (largest process)", "MiB"),
        ):
            z = r["cold_zhiku"][key]
            b = r.get("cold_blog", {}).get(key)
            h = r.get("cold_hugo", {}).get(key)
            rows.append(
                f"| {n} | {label} | {num(z, unit)} | {num(b, unit)} | {num(h, unit)} "
                f"| {ratio(z, b)} | {ratio(z, h)} |"
            )
        warm = r["warm_zhiku"]
        h = r.get("cold_hugo", {}).get("wall")
        rows.append(
            f"| {n} | warm build after one edit, wall {r['warm_zhiku_walls']} | "
            f"{warm['wall']:.1f} s | — | (cold) {num(h, 's')} | — | {ratio(warm['wall'], h)} |"
        )
        first = r.get("warm_zhiku_first")
        if first is not None:
            rows.append(
                f"| {n} | first warm build after the cold one, wall / CPU | "
                f"{first['wall']:.1f} s / {first['cpu']:.1f} s, converted "
                f"{(first.get('stats') or {}).get('converted', '?')} | — | (cold CPU) "
                f"{num(r.get('cold_hugo', {}).get('cpu'), 's')} | — | "
                f"{ratio(first['cpu'], r.get('cold_hugo', {}).get('cpu'))} (CPU) |"
            )
        rows.append(
            f"| {n} | warm build after one edit, rendered / converted | "
            f"{(warm.get('stats') or {}).get('rendered', '?')} / "
            f"{(warm.get('stats') or {}).get('converted', '?')} | — | — | — | — |"
        )
        rows.append(
            f"| {n} | warm build after one edit, peak memory | {warm['peak_mib']:.0f} MiB "
            f"| — | — | — | — |"
        )
        for flag, label in (("--livereload", "`mkdocs serve`"), ("--dirtyreload", "`--dirty`")):
            z = r.get(f"reload_zhiku{flag}")
            b = r.get(f"reload_blog{flag}")
            zm = median(z) if z else None
            bm = median(b) if b else None
            if zm is None:
                continue
            rows.append(
                f"| {n} | {label}: save → reload (median) | {num(zm, 's')} | {num(bm, 's')} "
                f"| — | {ratio(zm, bm)} | {ratio(zm, h)} |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument(
        "--variant",
        nargs="+",
        default=["default"],
        choices=sorted(VARIANTS),
        help="generated corpora to measure (each at every --articles N)",
    )
    parser.add_argument(
        "--repo",
        nargs="+",
        default=[],
        metavar="NAME=GIT_DIR",
        help="real repositories, imported with `zhiku import` (e.g. "
        "oi=/work/.mirror/OI-wiki+OI-wiki/repo); measured once, at their own size",
    )
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--blog-max", type=int, default=3000, help="largest N for the blog")
    parser.add_argument("--skip-serve", action="store_true", help="no mkdocs serve figures")
    parser.add_argument(
        "--serve-at", type=int, nargs="+", default=[3000], help="the Ns to measure serve at"
    )
    parser.add_argument("--skip-blog-serve", action="store_true")
    parser.add_argument("--serve-repos", action="store_true", help="serve figures for --repo")
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
    runs: list[tuple[str, Any]] = [(v, n) for v in args.variant for n in args.articles]
    runs += [(spec.partition("=")[0], Path(spec.partition("=")[2])) for spec in args.repo]
    for name, what in runs:
        if isinstance(what, Path):
            results.append(bench_repo(name, what, work / f"repo-{name}", args))
        else:
            results.append(bench(what, work / f"{name}-n{what}", args, name))
        if args.json:
            args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
        print(table(results[-1:]), file=sys.stderr, flush=True)
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
