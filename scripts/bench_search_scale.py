"""Search at scale: index size, bytes and latency in Chromium, indexing share of the build.

    .venv/bin/python scripts/bench_search_scale.py [--articles 3000] [--queries 20]
                                                   [--anchor-queries 3] [--no-anchor]
    .venv/bin/python scripts/bench_search_scale.py --growth 1000,3000,10000 [--pagefind BIN]

Generates N articles with scripts/gen_corpus.py, builds them with Zhiku's
search and, as the anchor, with Material's stock search (``search: {lang: zh}``
with jieba), serves each site on loopback and, in headless Chromium:

- bytes from page load to the first rendered results (every response body the
  server sent, page, styles and scripts included), on a fresh page per query;
- time from the keystroke that commits a query to the rendered result list,
  on a fresh page (cold: the first query after load) and on a page where
  search is already open (warm: the shards of earlier queries may be cached);
- indexing against the whole ``mkdocs build``: the time the build is blocked
  on it (indexing runs in a worker process while MkDocs renders pages) and
  its CPU time (worker plus hooks).

Material's anchor gets fewer queries: each fresh page downloads and rebuilds
its whole index.

``--growth N,N,...`` builds no site: it indexes the first N generated articles
for each N (the indexer alone, every article segmented once thanks to the terms
cache) and prints how the index's files and bytes grow. With ``--pagefind`` (the
``pagefind_extended`` binary, see ``bench_search_relevance.py`` for how to get it)
Pagefind indexes pages holding the same articles' titles and text, side by side.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
from conftest import CHROMIUM, CHROMIUM_ARGS, copy_sample_config  # noqa: E402

# Material with its own search alone, as the anchor of both search benchmarks.
MATERIAL_PLUGINS = "plugins:\n  - search:\n      lang: zh\n"


def material_plugins(text: str) -> str:
    """The config with its ``plugins:`` block replaced by Material's search alone."""
    lines, out, inside = text.splitlines(keepends=True), [], False
    for line in lines:
        if line.startswith("plugins:"):
            inside = True
            out.append(MATERIAL_PLUGINS)
        elif inside and (line.startswith((" ", "\t")) or not line.strip()):
            continue
        else:
            inside = False
            out.append(line)
    return "".join(out)


# Words of the generated corpus as readers would type them: tags, topic words,
# sub-words, mixed Chinese/Latin, question phrasings, traditional characters.
QUERIES = [
    "注意力机制",
    "FlashAttention",
    "低秩分解",
    "KV Cache",
    "投机解码",
    "位置编码 外推",
    "Transformer模型",
    "什么是LoRA",
    "RoPE旋转矩阵",
    "扩散模型",
    "雅可比行列式",
    "梯度檢查點",
    "检查点",
    "FP8量化",
    "模式崩溃",
    "马尔可夫决策过程",
    "非极大值抑制",
    "如何使用装饰器",
    "InfoNCE",
    "张量并行和流水线并行",
    "余弦退火",
    "BPE子词",
    "贝尔曼方程",
    "协程 GIL",
    # Pinyin, initials and filters (typed as readers type them, and as the chips write them).
    "zhuyili jizhi",
    "kuosan moxing",
    "gsy",
    "标签:LoRA 低秩分解",
    "分类:Python 装饰器",
    "tag:GAN 判别器",
]

# What the search feature itself fetches (Zhiku's worker, engine and index; Material's
# worker and search_index.json).
SEARCH_PATHS = ("/search/", "/assets/zhiku/search/", "/assets/javascripts/workers/")

RESULTS_SETTLED = """() => {
  const meta = document.querySelector('.md-search-result__meta').textContent;
  return !meta.includes('初始化') &&
    (document.querySelector('.md-search-result__item') !== null || meta.includes('没有'));
}"""

INSTRUMENT = """() => {
  window.__zk = {t0: null, last: null};
  // The result list and the line above it (a miss renders only the line).
  const result = document.querySelector('.md-search-result');
  new MutationObserver(() => { window.__zk.last = performance.now(); })
    .observe(result, {childList: true, subtree: true, characterData: true});
  // The first key or text input starts the clock: the box searches on input too, so the
  // results of inserted text may render before the key that commits it.
  for (const name of ['keydown', 'beforeinput', 'input']) {
    document.addEventListener(name, () => {
      if (window.__zk.t0 === null) window.__zk.t0 = performance.now();
    }, true);
  }
}"""


class Ranged(http.server.SimpleHTTPRequestHandler):
    """Serves files, and one byte range of a file when asked (``Range: bytes=a-b``), as
    static hosts do (GitHub Pages, Netlify, S3): Python's own handler ignores ranges."""

    def do_GET(self) -> None:
        wanted = RANGE.fullmatch(self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if not wanted or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        start = int(wanted.group(1))
        end = min(len(data), int(wanted.group(2)) + 1) if wanted.group(2) else len(data)
        if start >= len(data) or end <= start:
            self.send_error(416)
            return
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {start}-{end - 1}/{len(data)}")
        self.send_header("Content-Length", str(end - start))
        self.end_headers()
        self.wfile.write(data[start:end])
        self.sent(self.path, data[start:end])

    def sent(self, url: str, body: bytes) -> None:
        """A range was sent (a hook for the counting server)."""

    def log_message(self, format: str, *args: Any) -> None:
        pass


RANGE = re.compile(r"bytes=(\d+)-(\d*)")


class Counting(Ranged):
    """Serves files and logs (path, raw bytes, gzip bytes) of each one sent."""

    log: list[tuple[str, int, int]] = []  # noqa: RUF012 (one log per server class)

    def do_GET(self) -> None:
        if RANGE.fullmatch(self.headers.get("Range", "").strip()):
            super().do_GET()  # logged by sent()
            return
        super().do_GET()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.is_file():
            self.log.append((self.path, path.stat().st_size, gzip_size(path)))

    def sent(self, url: str, body: bytes) -> None:
        self.log.append((url, len(body), len(gzip.compress(body, compresslevel=6))))


@functools.cache
def gzip_size(path: Path) -> int:
    """What the file weighs on the wire from a host that compresses, as GitHub Pages does."""
    return len(gzip.compress(path.read_bytes(), compresslevel=6))


def serve(folder: Path) -> tuple[str, type[Counting]]:
    handler = type("Handler", (Counting,), {"log": []})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/", handler


def build_timed(config_file: Path, site_dir: Path, strict: bool) -> dict[str, float]:
    """Build, timing how long the build waits on Zhiku's search hooks.

    Indexing runs in a worker process while MkDocs renders; the build is *blocked*
    only inside ``on_files`` (which starts the worker) and ``on_post_build`` (which
    waits for it). The worker's own CPU time is reported as ``worker_cpu``.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from zhiku.glue import search as glue

    spent = {"on_files": 0.0, "post_build": 0.0, "hooks_cpu": 0.0}
    original_files, original_post = glue.SearchPlugin.on_files, glue.SearchPlugin.on_post_build

    def timed(name: str, method: Any) -> Any:
        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return method(self, *args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
                spent["hooks_cpu"] += time.process_time() - cpu

        return wrapper

    glue.SearchPlugin.on_files = timed("on_files", original_files)  # type: ignore[method-assign]
    glue.SearchPlugin.on_post_build = timed("post_build", original_post)  # type: ignore[method-assign]
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        started, cpu = time.perf_counter(), time.process_time()
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
        spent["build"] = time.perf_counter() - started
        spent["build_cpu"] = time.process_time() - cpu
    finally:
        glue.SearchPlugin.on_files = original_files  # type: ignore[method-assign]
        glue.SearchPlugin.on_post_build = original_post  # type: ignore[method-assign]
    plugin = config.plugins.get("zhiku/search")
    report = getattr(plugin, "report", None)
    if report is not None:
        spent["worker_cpu"] = report.cpu_seconds
        spent["worker_wall"] = report.wall_seconds
        spent["segmented"] = report.segmented
    return spent


def indexing_line(t: dict[str, float]) -> str:
    """Blocked wall time and CPU time of indexing, each against the build."""
    blocked = t["on_files"] + t["post_build"]
    cpu = t["hooks_cpu"] + t["worker_cpu"]
    return (
        f"build {t['build']:.1f} s; indexing blocks the build {blocked:.1f} s "
        f"({t['on_files']:.1f} s on_files + {t['post_build']:.1f} s waiting in on_post_build) "
        f"= {blocked / t['build']:.0%} of the build; indexing CPU {cpu:.1f} s "
        f"(worker {t['worker_cpu']:.1f} s over {t['worker_wall']:.1f} s wall, "
        f"{t['segmented']:.0f} articles segmented) = {cpu / t['build']:.0%} of the build time, "
        f"{cpu / (t['build_cpu'] + t['worker_cpu']):.0%} of the build's CPU"
    )


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def type_query(page: Any, query: str) -> float:
    """Commit ``query`` with a keystroke; return ms from keydown to the last DOM update."""
    page.evaluate("() => { window.__zk.t0 = null; window.__zk.last = null; }")
    box = page.locator("input.md-search__input")
    box.focus()
    page.keyboard.insert_text(query)
    box.press("End")  # the key that commits the text; Material reads the box on keyup
    page.wait_for_function(RESULTS_SETTLED, timeout=120_000)
    # Let the result list settle (Material renders the first ten items at once).
    last = None
    while True:
        page.wait_for_timeout(150)
        now = page.evaluate("() => window.__zk.last")
        if now == last:
            break
        last = now
    t0, t1 = page.evaluate("() => [window.__zk.t0, window.__zk.last]")
    return float(t1 - t0)


def clear(page: Any) -> None:
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    page.wait_for_function("!document.querySelector('.md-search-result__item')")


def measure(browser: Any, site: Path, queries: list[str]) -> dict[str, Any]:
    base, handler = serve(site)
    cold_ms, first_bytes, first_gzip, search_bytes, pages = [], [], [], [], []
    for query in queries:
        context = browser.new_context()  # empty cache: a reader's first visit
        page = context.new_page()
        handler.log.clear()
        page.goto(base)
        page.wait_for_load_state("load")
        page.evaluate(INSTRUMENT)
        page.locator("input.md-search__input").click()
        cold_ms.append(type_query(page, query))
        first_bytes.append(sum(size for _, size, _ in handler.log))
        first_gzip.append(sum(size for _, _, size in handler.log))
        search_bytes.append(
            sum(size for path, size, _ in handler.log if path.startswith(SEARCH_PATHS))
        )
        pages.append(sorted(handler.log, key=lambda row: -row[1])[:6])
        context.close()
    context = browser.new_context()
    page = context.new_page()
    page.goto(base)
    page.evaluate(INSTRUMENT)
    page.locator("input.md-search__input").click()
    type_query(page, queries[0])  # search ready, as after a reader's first query
    warm_ms = []
    for query in queries[1:]:
        clear(page)
        warm_ms.append(type_query(page, query))
    context.close()
    return {
        "queries": len(queries),
        "bytes_to_first_results_median": statistics.median(first_bytes),
        "bytes_to_first_results_max": max(first_bytes),
        "search_bytes_median": statistics.median(search_bytes),
        "gzip_bytes_to_first_results_median": statistics.median(first_gzip),
        "largest_fetches": pages[0],
        "cold_ms_median": statistics.median(cold_ms),
        "warm_ms_median": statistics.median(warm_ms) if warm_ms else None,
        "warm_ms_max": max(warm_ms) if warm_ms else None,
    }


def plain_page(article: Any) -> str:
    """An HTML page holding an article's title and text, for Pagefind (built by etree)."""
    import xml.etree.ElementTree as ET

    from zhiku.search.shards import search_text

    root = ET.Element("html", lang="zh")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "meta", charset="utf-8")
    ET.SubElement(head, "title").text = article.title
    body = ET.SubElement(root, "body")
    ET.SubElement(body, "h1").text = article.title
    for line in search_text(article.body).splitlines():
        if line.strip():
            ET.SubElement(body, "p").text = line
    return "<!doctype html>\n" + ET.tostring(root, encoding="unicode", method="html")


def growth(sizes: list[int], pagefind: str | None) -> None:
    """Index files and bytes for each size (see the module docstring)."""
    from gen_corpus import write_corpus
    from zhiku.articles import parse_article
    from zhiku.search.build import IndexJob, Page, index_site

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for n in sizes:
            content = work / f"content-{n}"
            write_corpus(content, n, 1500, 6000, 1, "zhiku")
            pages = []
            for path in sorted(content.glob("*.md")):
                article = parse_article(path.name, path.read_text("utf-8"))
                if article is not None:
                    pages.append(Page(f"{path.stem}/", str(path), article))
            out = work / f"zhiku-{n}"
            report = index_site(IndexJob(tuple(pages), str(out), str(work / "build.sqlite")))
            row = {"n": len(pages), "zhiku": folder_bytes(out), "seconds": report.wall_seconds}
            row["d"] = folder_bytes(out / "d")
            if pagefind:
                html = work / f"html-{n}"
                for page in pages:
                    folder = html / page.url
                    folder.mkdir(parents=True)
                    (folder / "index.html").write_text(plain_page(page.article), "utf-8")
                found = work / f"pagefind-{n}"
                subprocess.run(
                    [pagefind, "--site", str(html), "--output-path", str(found)],
                    check=True, stdout=subprocess.DEVNULL,
                )  # fmt: skip
                row["pagefind"] = folder_bytes(found)
            rows.append(row)
            print(row, file=sys.stderr, flush=True)
    print(
        "| articles | Zhiku files | Zhiku MB | of them text (d/) | Pagefind files | Pagefind MB |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in rows:
        files, size = row["zhiku"]
        d_files, d_size = row["d"]
        peer = row.get("pagefind")
        peer_cells = f"{peer[0]:,} | {peer[1] / 1e6:.1f}" if peer else "– | –"
        print(
            f"| {row['n']:,} | {files:,} | {size / 1e6:.1f} | "
            f"{d_files:,} files, {d_size / 1e6:.1f} MB | {peer_cells} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--growth", help="index sizes only, for these article counts: 1000,3000")
    parser.add_argument("--pagefind", help="the pagefind_extended binary, for --growth")
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--queries", type=int, default=len(QUERIES))
    parser.add_argument("--anchor-queries", type=int, default=3)
    parser.add_argument("--no-anchor", action="store_true")
    args = parser.parse_args()
    if args.growth:
        growth([int(n) for n in args.growth.split(",")], args.pagefind)
        return
    queries = QUERIES[: args.queries]

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content = work / "content"
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "gen_corpus.py"), str(content),
             "--articles", str(args.articles)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        config = copy_sample_config(
            work, **{f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}"}
        )
        sites = {"zhiku": work / "zhiku-site"}
        timing = {"zhiku": build_timed(config, sites["zhiku"], strict=True)}
        # The same site again: the terms cache (.cache/zhiku/build.sqlite) spares jieba.
        rebuild = build_timed(config, work / "zhiku-rebuild", strict=True)
        if not args.no_anchor:
            anchor = work / "material.yml"
            anchor.write_text(material_plugins(config.read_text("utf-8")), "utf-8")
            sites["material"] = work / "material-site"
            # Not strict: the nav names listing pages that only zhiku/feed generates.
            timing["material"] = build_timed(anchor, sites["material"], strict=False)

        figures: dict[str, Any] = {}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for engine, site in sites.items():
                n = len(queries) if engine == "zhiku" else min(args.anchor_queries, len(queries))
                figures[engine] = measure(browser, site, queries[:n])
            browser.close()

        print(f"N = {args.articles} generated articles")
        for engine, site in sites.items():
            report(engine, site, figures[engine], timing[engine])
        print(f"\nzhiku rebuild with the terms cache: {indexing_line(rebuild)}")


def report(engine: str, site: Path, f: dict[str, Any], t: dict[str, float]) -> None:
    count, size = folder_bytes(site / "search")
    print(f"\n{engine}:")
    line = f"  build {t['build']:.1f} s"
    if engine == "zhiku":
        line = "  " + indexing_line(t)
    print(line)
    print(f"  search/ folder: {count} files, {size / 1e6:.1f} MB")
    print(
        f"  bytes from page load to first results ({f['queries']} queries, fresh page each): "
        f"median {f['bytes_to_first_results_median'] / 1e3:.0f} KB raw, "
        f"max {f['bytes_to_first_results_max'] / 1e3:.0f} KB; "
        f"median {f['gzip_bytes_to_first_results_median'] / 1e3:.0f} KB gzip-compressed; "
        f"search's own part median {f['search_bytes_median'] / 1e3:.0f} KB raw"
    )
    largest = ", ".join(f"{path} {raw / 1e3:.0f} KB" for path, raw, _ in f["largest_fetches"])
    print(f"  largest fetches of the first query: {largest}")
    print(
        "  keystroke -> rendered results, first query on a fresh page: "
        f"median {f['cold_ms_median']:.0f} ms"
    )
    if f["warm_ms_median"] is not None:
        print(
            f"  keystroke -> rendered results, search open: median {f['warm_ms_median']:.0f} ms, "
            f"max {f['warm_ms_max']:.0f} ms"
        )


if __name__ == "__main__":
    main()
