"""Search relevance on the judged query set: Zhiku's search against Pagefind's and
Material's, same run.

    .venv/bin/python scripts/bench_search_relevance.py [--content DIR] [--mixed 3000]
        [--engines zhiku,pagefind,material] [--pagefind BIN] [--cost-queries 12]
        [--real REPO [--real-articles 80]]

Builds the sample content with Zhiku's search and with Material's stock search
configured as Material documents it for Chinese (``search: {lang: zh}``, which
segments with jieba when it is installed), and runs Pagefind on the site Zhiku
built, serves each site on loopback, puts every query of
``scripts/bench_search_queries.json`` to each engine in headless Chromium and
scores the result list: MRR (reciprocal rank of the first relevant article),
recall@10, and how tight the lists are (results shown of the first ten, and the
share of them relevant). Zhiku's and Material's queries are typed into the header
search box and read from the rendered list.

Pagefind (the peer): its CJK build, ``pagefind_extended``, ships in the PyPI package
``pagefind_bin_extended`` (the npm package ``pagefind`` has the same binary in a
platform package). Install it outside the repository and pass the binary, or put
it on ``PATH``::

    pip install --no-deps --target ~/.cache/pagefind pagefind_bin_extended
    .venv/bin/python scripts/bench_search_relevance.py \
        --pagefind ~/.cache/pagefind/pagefind_bin_extended/pagefind_extended

Pagefind indexes the very pages Zhiku indexes: a copy of Zhiku's built site whose
article pages have their ``<article>`` marked ``data-pagefind-body`` (as Pagefind's
docs advise for a theme's content; without it Pagefind also indexes every listing,
navigation and footer). Its queries go through Pagefind's own JS API
(``pagefind.search``, then ``data()`` of the first ten results, as its UI does).

Cost, for the first ``--cost-queries`` judged queries, each on a fresh page (empty
cache): the bytes the server sent from page load to the first results (the page,
its styles and scripts included), and the milliseconds from the keystroke (Zhiku:
keydown to the rendered list; Pagefind: the search call to the first ten results'
data, no rendering) on that fresh page and on a page where search is already
open. And each engine's index on disk: files and bytes (Zhiku's ``search/``,
Pagefind's ``pagefind/`` folder, its scripts and WebAssembly included).

Pinyin as readers type it is measured on queries derived from the corpus itself,
not listed by hand: every article title's longest run of two or three adjacent
jieba words (four to eight Han characters, stop words excluded) typed as unspaced
full pinyin (``tidujianchadian``, kind ``pinyin``) and as initials (``tdjcd``,
kind ``initials``), each word read by pypinyin within the word as the indexer
reads it; the relevant articles are those whose title holds the phrase. The
judged Han queries made of Han words only are typed the same two ways too (kinds
``pinyin-judged`` and ``initials-judged``, relevant as judged). ``--no-pinyin``
skips them.

``--real REPO`` adds a real notes repository (a checkout, e.g. OI-wiki's): its notes
imported with ``zhiku import``, built (not strict: imported notes keep their authors'
broken links), indexed by Pagefind the same way, and queried with queries derived from
it, since nobody judged any there (see :func:`real_queries`): title and heading phrases
typed in Han, as unspaced pinyin and as initials.

``--mixed N`` (default 3,000; 0 to skip) does the same again on the sample
mixed among N notes from ``gen_corpus.py --reword-from``: half of their
sentences are the sample's, reworded, and their titles and tags are the
generator's topics that are not the sample's. The judged articles stay the
relevant ones; the notes are near-duplicate distractors.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))
from bench_search_scale import Ranged, material_plugins, measure  # noqa: E402
from bench_search_scale import serve as counting_serve  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS, build, copy_sample_config  # noqa: E402

QUERIES = ROOT / "scripts" / "bench_search_queries.json"
# Slugs of the result links, in the order Material's result list renders them.
RESULT_SLUGS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
  const a = li.querySelector('a.md-search-result__link');
  return a ? new URL(a.href).pathname.split('/').filter(Boolean).pop() || '' : '';
})"""


def serve(folder: Path) -> str:
    """Serves ``folder`` on loopback, byte ranges included (as static hosts do)."""

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Ranged, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(workdir: Path, content: Path, engine: str, strict: bool = True) -> Path:
    folder = workdir / engine
    folder.mkdir()
    config = copy_sample_config(folder, **{f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}"})
    if engine == "zhiku" and strict:
        return build(config, folder / "site")
    # Material's anchor: the nav names listing pages only zhiku/feed generates, hence not strict.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    if engine != "zhiku":
        config.write_text(material_plugins(config.read_text("utf-8")), "utf-8")
    # Imported notes (--real) keep what their authors wrote: a link to a page the
    # repository lacks is a warning there, as bench_import.py counts them.
    loaded = load_config(str(config), site_dir=str(folder / "site"), strict=False)
    loaded.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(loaded)
    loaded.plugins.on_shutdown()
    return folder / "site"


# Pagefind, through its JS API: the search, then the data of the first ten results.
PAGEFIND_SEARCH = """async (query) => {
  const t0 = performance.now();
  window.__pf ??= await import(new URL("pagefind/pagefind.js", document.baseURI).href);
  const found = await window.__pf.search(query);
  const data = await Promise.all((found?.results ?? []).slice(0, 10).map((r) => r.data()));
  const slug = (url) => new URL(url, location.href).pathname.split("/").filter(Boolean).pop();
  const slugs = data.map((d) => slug(d.url) || "");
  return { slugs, ms: performance.now() - t0 };
}"""


def find_pagefind(given: str | None) -> str | None:
    """The pagefind_extended binary: the one given, else one on PATH."""
    import shutil

    if given:
        return str(Path(given).expanduser())
    return shutil.which("pagefind_extended")


def pagefind_site(zhiku_site: Path, content: Path, folder: Path, binary: str) -> Path:
    """A copy of Zhiku's built site (without Zhiku's index) indexed by Pagefind: each
    article page's ``<article>`` marked ``data-pagefind-body`` (see the module docstring)."""
    import shutil
    import subprocess

    site = folder / "site"
    shutil.copytree(zhiku_site, site, ignore=shutil.ignore_patterns("search"))
    marker = '<article class="md-content__inner md-typeset"'
    for path in content.glob("*.md"):
        page = site / path.stem / "index.html"
        if page.is_file():
            text = page.read_text("utf-8")
            marked = '<article data-pagefind-body class="md-content__inner md-typeset"'
            page.write_text(text.replace(marker, marked, 1), "utf-8")
    subprocess.run(
        [binary, "--site", str(site)], check=True, stdout=subprocess.DEVNULL
    )  # fmt: skip
    return site


def index_folder(engine: str, site: Path) -> tuple[int, int]:
    """Files and bytes of an engine's index on disk."""
    folder = site / ("pagefind" if engine == "pagefind" else "search")
    files = [p for p in folder.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def pagefind_cost(browser: Any, site: Path, queries: list[str]) -> dict[str, Any]:
    """Bytes and milliseconds to Pagefind's first results (see the module docstring)."""
    import statistics

    base, handler = counting_serve(site)
    cold, sent = [], []
    for query in queries:
        context = browser.new_context()
        page = context.new_page()
        handler.log.clear()
        page.goto(base)
        page.wait_for_load_state("load")
        cold.append(page.evaluate(PAGEFIND_SEARCH, query)["ms"])
        sent.append(sum(size for _, size, _ in handler.log))
        context.close()
    page = browser.new_page()
    page.goto(base)
    page.evaluate(PAGEFIND_SEARCH, queries[0])
    warm = [page.evaluate(PAGEFIND_SEARCH, query)["ms"] for query in queries[1:]]
    page.close()
    return {
        "bytes_median": statistics.median(sent),
        "bytes_max": max(sent),
        "cold_ms_median": statistics.median(cold),
        "warm_ms_median": statistics.median(warm) if warm else None,
    }


def zhiku_cost(browser: Any, site: Path, queries: list[str]) -> dict[str, Any]:
    """Bytes and milliseconds to the first rendered results in Material's box."""

    f = measure(browser, site, queries)
    return {
        "bytes_median": f["bytes_to_first_results_median"],
        "bytes_max": f["bytes_to_first_results_max"],
        "cold_ms_median": f["cold_ms_median"],
        "warm_ms_median": f["warm_ms_median"],
    }


def run_query(page: Any, query: str) -> list[str]:
    """Type ``query`` as a reader would and return the result slugs once they settle."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press("End")
    # Material's lunr over thousands of articles may still be busy with the last query.
    page.wait_for_function("!document.querySelector('.md-search-result__item')", timeout=120_000)
    box.press_sequentially(query)
    box.press("End")  # an IME commits Chinese text with a key; Material reads the box on keyup
    previous: Any = None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        page.wait_for_timeout(80)
        meta = page.inner_text(".md-search-result__meta")
        current = (meta, page.evaluate(RESULT_SLUGS))
        # A miss names its query in Zhiku's line (没有找到“…”): the last query's miss, still
        # on screen while this one is searched, is not this one's (Material's names none).
        miss = "没有" in meta and ("“" not in meta or f"“{query.strip()}”" in meta)
        if "初始化" not in meta and current == previous and (current[1] or miss):
            return list(current[1])
        previous = current
    return list(previous[1]) if previous else []


def score(results: dict[str, list[str]], queries: list[dict[str, Any]]) -> dict[str, Any]:
    """MRR, recall@10, and how tight the lists are: results shown (of the first ten) and
    the share of them that are relevant (a query with no result counts 0)."""
    by_kind: dict[str, list[tuple[float, float, int, float]]] = defaultdict(list)
    misses = []
    for q in queries:
        ranked, relevant = results[q["query"]], set(q["relevant"])
        rank = next((i + 1 for i, slug in enumerate(ranked) if slug in relevant), None)
        rr = 1 / rank if rank else 0.0
        recall = len(relevant & set(ranked[:10])) / len(relevant)
        shown = ranked[:10]
        precision = sum(slug in relevant for slug in shown) / len(shown) if shown else 0.0
        row = (rr, recall, len(shown), precision)
        by_kind[q["kind"]].append(row)
        by_kind["all"].append(row)
        if rr < 1 or recall < 1:
            misses.append(f"{q['query']!r}: first relevant at {rank}, recall@10 {recall:.2f}")
    table = {
        kind: {
            "n": len(rows),
            "mrr": round(sum(r[0] for r in rows) / len(rows), 3),
            "recall@10": round(sum(r[1] for r in rows) / len(rows), 3),
            "shown": round(sum(r[2] for r in rows) / len(rows), 2),
            "precision": round(sum(r[3] for r in rows) / len(rows), 3),
        }
        for kind, rows in by_kind.items()
    }
    return {"table": table, "misses": misses}


def mixed_content(workdir: Path, content: Path, notes: int) -> Path:
    """The sample's articles among ``notes`` reworded notes (gen_corpus.py --reword-from)."""
    import shutil

    from gen_corpus import write_corpus

    folder = workdir / "mixed-content"
    write_corpus(folder, notes, 1500, 6000, 1, "zhiku", reword_from=content)
    for path in content.glob("*.md"):
        shutil.copy(path, folder / path.name)
    return folder


def typed_pinyin(words: list[str]) -> tuple[str, str] | None:
    """(unspaced full pinyin, initials) of Han ``words``, each read within itself."""
    from zhiku.search.pinyin import reading

    readings = [reading(word) for word in words]
    if any(r is None for r in readings):
        return None
    return "".join(r[0] for r in readings if r), "".join(r[1] for r in readings if r)


def pinyin_queries(content: Path, judged: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Unspaced pinyin and initials queries derived from the corpus' titles and the
    judged Han queries (see the module docstring)."""
    import re

    from zhiku.articles import parse_article
    from zhiku.search.tokens import default_stopwords, fold, t2s_table
    from zhiku.text.chars import HAN
    from zhiku.text.segment import default_tokenizer

    tokenizer, table, stop = default_tokenizer(), t2s_table(), default_stopwords().han
    titles = {}
    for path in sorted(content.glob("*.md")):
        article = parse_article(path.name, path.read_text("utf-8"))
        if article:
            titles[path.stem] = fold(article.title, table)
    queries: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(words: list[str], relevant: list[str], suffix: str) -> None:
        typed = typed_pinyin(words)
        if typed is None:
            return
        for kind, query in zip(("pinyin", "initials"), typed, strict=True):
            if query not in seen and len(query) >= 3:
                seen.add(query)
                queries.append({"query": query, "kind": kind + suffix, "relevant": relevant})

    for title in titles.values():
        best: list[str] = []
        for run in re.findall(f"[{HAN}]+", title):
            words = list(tokenizer.cut(run, HMM=False))
            for size in (3, 2):
                for i in range(len(words) - size + 1):
                    window = words[i : i + size]
                    chars = sum(map(len, window))
                    if any(w in stop for w in window) or not 4 <= chars <= 8:
                        continue
                    if chars > sum(map(len, best)):
                        best = window
        if best:
            phrase = "".join(best)
            add(best, sorted(s for s, t in titles.items() if phrase in t), "")
    for q in judged:
        text = q["query"]
        if q["kind"] in ("traditional", "question") or not re.fullmatch(f"[{HAN}]{{2,}}", text):
            continue
        words = [w for w in tokenizer.cut(text, HMM=False) if w not in stop]
        add(words, q["relevant"], "-judged")
    return queries


def real_content(workdir: Path, repo: Path) -> Path:
    """The notes of a real repository, imported as a reader would (``zhiku import``)."""
    import shutil
    import subprocess

    folder = workdir / "real-content"
    done = subprocess.run(
        [sys.executable, "-c", "from zhiku.cli import main; main()", "import", str(repo),
         "--content", str(folder)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8",
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"zhiku import {repo} failed:\n{done.stderr}")
    # The site's own pages the sample's mkdocs.yml names (home, listings), not articles.
    for page in ("index.md", "category/index.md", "tags/index.md", "archive/index.md",
                 "series/index.md"):  # fmt: skip
        source, target = ROOT / "content" / page, folder / page
        if source.is_file() and not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    return folder


def real_queries(content: Path, limit: int) -> list[dict[str, Any]]:
    """Queries derived from a corpus nobody judged: for about ``limit`` articles each, the
    Han part of the title (kind ``title``) and the Han phrase of a section heading that at
    most :data:`SHARED_PAGES` articles have (kind ``heading``), both as readers type
    them in Han, unspaced pinyin and initials (kinds ``…-pinyin``, ``…-initials``). A
    title query's relevant articles are those whose title holds it; a heading query's,
    those whose title or a heading holds it."""
    import re

    from zhiku.articles import parse_article
    from zhiku.search.shards import headings
    from zhiku.search.tokens import default_stopwords, fold, t2s_table
    from zhiku.text.chars import HAN
    from zhiku.text.segment import default_tokenizer

    tokenizer, table, stop = default_tokenizer(), t2s_table(), default_stopwords().han
    titles, heads = {}, {}
    for path in sorted(content.glob("*.md")):
        article = parse_article(path.name, path.read_text("utf-8"))
        if article:
            titles[path.stem] = fold(article.title, table)
            heads[path.stem] = [fold(h, table) for h in headings(article.body)]

    def phrase(text: str) -> list[str]:
        """The longest Han run of ``text`` (2 to 8 characters), as jieba's words; none
        when a stop word is among them (树的直径: the reader's words are the text's)."""
        runs = [r for r in re.findall(f"[{HAN}]+", text) if 2 <= len(r) <= 8]
        if not runs:
            return []
        words = list(tokenizer.cut(max(runs, key=len), HMM=False))
        return [] if any(w in stop for w in words) else words

    queries: list[dict[str, Any]] = []
    seen: set[str] = set()

    def add(words: list[str], relevant: list[str], kind: str) -> None:
        typed = typed_pinyin(words)
        forms = [("", "".join(words))]
        if typed:
            forms += [("-pinyin", typed[0]), ("-initials", typed[1])]
        for suffix, query in forms:
            if query not in seen and len(query) >= 2 + bool(suffix):
                seen.add(query)
                queries.append({"query": query, "kind": kind + suffix, "relevant": relevant})

    slugs = sorted(titles)
    step = max(1, len(slugs) // limit)
    for slug in slugs[::step][:limit]:
        words = phrase(titles[slug])
        text = "".join(words)
        having = sorted(s for s, t in titles.items() if text in t)
        if len(text) >= 3 and len(having) <= SHARED_PAGES:
            add(words, having, "title")
        for heading in heads[slug]:
            words = phrase(heading)
            text = "".join(words)
            having = sorted(
                s for s in slugs if text in titles[s] or any(text in h for h in heads[s])
            )
            if len(text) >= 3 and len(having) <= SHARED_PAGES:
                add(words, having, "heading")
                break
    return queries


# A phrase that more articles share (算法, 习题, 参考资料) names no one answer.
SHARED_PAGES = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--engines", default="zhiku,pagefind,material")
    parser.add_argument("--only", choices=["zhiku", "pagefind", "material"], help="one engine")
    parser.add_argument("--pagefind", help="the pagefind_extended binary (default: on PATH)")
    parser.add_argument("--mixed", type=int, default=3000, help="reworded notes (0: skip)")
    parser.add_argument("--no-sample", action="store_true", help="the mixed corpus only")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--no-pinyin", action="store_true", help="no derived pinyin queries")
    parser.add_argument("--cost-queries", type=int, default=12, help="fresh pages for costs")
    parser.add_argument(
        "--real",
        type=Path,
        help="a real notes repository (a checkout): imported with `zhiku import`, built, "
        "and queried with queries derived from its titles and headings",
    )
    parser.add_argument("--real-articles", type=int, default=80, help="articles queried (--real)")
    args = parser.parse_args()
    queries = json.loads(QUERIES.read_text("utf-8"))["queries"]
    cost_queries = [q["query"] for q in queries[: args.cost_queries]]
    if not args.no_pinyin:
        queries += pinyin_queries(args.content.resolve(), queries)
    slugs = {p.stem for p in args.content.resolve().glob("*.md")}
    unknown = sorted({s for q in queries for s in q["relevant"]} - slugs)
    if unknown:
        raise SystemExit(f"{QUERIES}: relevant articles missing from {args.content}: {unknown}")
    engines = [args.only] if args.only else args.engines.split(",")
    binary = find_pagefind(args.pagefind) if "pagefind" in engines else None
    if "pagefind" in engines and not (binary and Path(binary).is_file()):
        raise SystemExit(
            "pagefind_extended not found: pip install --no-deps --target ~/.cache/pagefind "
            "pagefind_bin_extended, then pass --pagefind "
            "~/.cache/pagefind/pagefind_bin_extended/pagefind_extended "
            "(or --engines zhiku,material)"
        )

    from playwright.sync_api import sync_playwright

    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        corpora = {} if args.no_sample else {"sample": args.content.resolve()}
        if args.mixed:
            corpora["mixed"] = mixed_content(Path(tmp), args.content.resolve(), args.mixed)
        asked = dict.fromkeys(corpora, queries)
        costs = dict.fromkeys(corpora, cost_queries)
        if args.real:
            corpora["real"] = real_content(Path(tmp), args.real.resolve())
            asked["real"] = real_queries(corpora["real"], args.real_articles)
            costs["real"] = [q["query"] for q in asked["real"] if q["kind"] == "title"][
                : args.cost_queries
            ]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for corpus, folder in corpora.items():
            workdir = Path(tmp) / corpus
            workdir.mkdir(exist_ok=True)
            zhiku_site = None
            for engine in engines:
                if engine == "pagefind":
                    # Pagefind indexes the site Zhiku builds (built here if not yet).
                    if zhiku_site is None:
                        zhiku_site = build_site(workdir, folder, "zhiku", corpus != "real")
                    (workdir / "pagefind").mkdir()
                    site = pagefind_site(zhiku_site, folder, workdir / "pagefind", binary or "")
                else:
                    site = build_site(workdir, folder, engine, corpus != "real")
                    if engine == "zhiku":
                        zhiku_site = site
                key = f"{corpus}/{engine}"
                page = browser.new_page()
                page.goto(serve(site))
                started = time.monotonic()
                if engine == "pagefind":
                    results = {
                        q["query"]: page.evaluate(PAGEFIND_SEARCH, q["query"])["slugs"]
                        for q in asked[corpus]
                    }
                else:
                    page.locator("input.md-search__input").click()
                    results = {q["query"]: run_query(page, q["query"]) for q in asked[corpus]}
                figures[key] = score(results, asked[corpus])
                figures[key]["seconds"] = round(time.monotonic() - started, 1)
                page.close()
                figures[key]["index"] = index_folder(engine, site)
                if engine == "pagefind":
                    figures[key]["cost"] = pagefind_cost(browser, site, costs[corpus])
                elif engine == "zhiku":
                    figures[key]["cost"] = zhiku_cost(browser, site, costs[corpus])
                if args.json:  # as it goes: a later corpus that fails loses only itself
                    args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")
                print(
                    key,
                    figures[key]["table"]["all"],
                    figures[key].get("cost"),
                    file=sys.stderr,
                    flush=True,
                )
        browser.close()

    report(figures, queries, slugs, args)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")


def report(
    figures: dict[str, Any], queries: list[dict[str, Any]], slugs: set[str], args: Any
) -> None:
    print(f"{len(queries)} judged queries; sample: {len(slugs)} articles in {args.content}")
    if args.mixed:
        print(f"mixed: the sample among {args.mixed:,} reworded notes (gen_corpus --reword-from)")
    if args.real:
        print(f"real: the notes of {args.real}, imported; queries derived from them")
    for key, data in figures.items():
        print(f"\n{key}: MRR, recall@10, results shown of ten, share relevant")
        print(f"  {'kind':<16}{'n':>4}{'MRR':>7}{'R@10':>7}{'shown':>7}{'prec':>7}")
        for kind, t in data["table"].items():
            print(
                f"  {kind:<16}{t['n']:>4}{t['mrr']:>7.3f}{t['recall@10']:>7.3f}"
                f"{t['shown']:>7.2f}{t['precision']:>7.3f}"
            )
    print("\nindex on disk and cost to first results (fresh page each; warm: search open)")
    head = ("engine", "files", "MB", "KB med", "KB max", "ms cold", "ms warm")
    print(f"  {head[0]:<18}{head[1]:>7}{head[2]:>7}" + "".join(f"{h:>9}" for h in head[3:]))
    for key, data in figures.items():
        files, size = data["index"]
        cost = data.get("cost")
        row = f"  {key:<18}{files:>7,}{size / 1e6:>7.1f}"
        if cost:
            warm = cost["warm_ms_median"]
            row += (
                f"{cost['bytes_median'] / 1e3:>9.0f}{cost['bytes_max'] / 1e3:>9.0f}"
                f"{cost['cold_ms_median']:>9.0f}{warm if warm is not None else float('nan'):>9.0f}"
            )
        print(row)
    for key, data in figures.items():
        print(f"\n{key}: {len(data['misses'])} imperfect queries ({data['seconds']} s)")
        for miss in data["misses"]:
            print("  " + miss)


if __name__ == "__main__":
    main()
