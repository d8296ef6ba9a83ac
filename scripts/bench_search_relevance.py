"""Search relevance on the judged query set: Zhiku's search against Material's, same run.

    .venv/bin/python scripts/bench_search_relevance.py [--content DIR] [--only zhiku|material]
                                                       [--mixed 3000]

Builds the sample content twice, with Zhiku's search and with Material's stock
search configured as Material documents it for Chinese (``search: {lang: zh}``,
which segments with jieba when it is installed), serves each site on loopback,
types every query of ``scripts/bench_search_queries.json`` into the header
search box of headless Chromium and scores the rendered result list:
MRR (reciprocal rank of the first relevant article), recall@10, and how tight the
lists are (results shown of the first ten, and the share of them relevant).

Pinyin as readers type it is measured on queries derived from the corpus itself,
not listed by hand: every article title's longest run of two or three adjacent
jieba words (four to eight Han characters, stop words excluded) typed as unspaced
full pinyin (``tidujianchadian``, kind ``pinyin``) and as initials (``tdjcd``,
kind ``initials``), each word read by pypinyin within the word as the indexer
reads it; the relevant articles are those whose title holds the phrase. The
judged Han queries made of Han words only are typed the same two ways too (kinds
``pinyin-judged`` and ``initials-judged``, relevant as judged). ``--no-pinyin``
skips them.

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
from conftest import CHROMIUM, CHROMIUM_ARGS, build, copy_sample_config  # noqa: E402

QUERIES = ROOT / "scripts" / "bench_search_queries.json"
MATERIAL_PLUGINS = "plugins:\n  - search:\n      lang: zh\n"

# Slugs of the result links, in the order Material's result list renders them.
RESULT_SLUGS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
  const a = li.querySelector('a.md-search-result__link');
  return a ? new URL(a.href).pathname.split('/').filter(Boolean).pop() || '' : '';
})"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(folder: Path) -> str:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


def build_site(workdir: Path, content: Path, engine: str) -> Path:
    folder = workdir / engine
    folder.mkdir()
    config = copy_sample_config(folder, **{f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}"})
    if engine == "zhiku":
        return build(config, folder / "site")
    # Material's anchor: the nav names listing pages only zhiku/feed generates, hence not strict.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config.write_text(material_plugins(config.read_text("utf-8")), "utf-8")
    loaded = load_config(str(config), site_dir=str(folder / "site"), strict=False)
    loaded.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(loaded)
    loaded.plugins.on_shutdown()
    return folder / "site"


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
        if "初始化" not in meta and current == previous and (current[1] or "没有" in meta):
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
    sys.path.insert(0, str(ROOT / "scripts"))
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--only", choices=["zhiku", "material"])
    parser.add_argument("--mixed", type=int, default=3000, help="reworded notes (0: skip)")
    parser.add_argument("--no-sample", action="store_true", help="the mixed corpus only")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    parser.add_argument("--no-pinyin", action="store_true", help="no derived pinyin queries")
    args = parser.parse_args()
    queries = json.loads(QUERIES.read_text("utf-8"))["queries"]
    if not args.no_pinyin:
        queries += pinyin_queries(args.content.resolve(), queries)
    slugs = {p.stem for p in args.content.resolve().glob("*.md")}
    unknown = sorted({s for q in queries for s in q["relevant"]} - slugs)
    if unknown:
        raise SystemExit(f"{QUERIES}: relevant articles missing from {args.content}: {unknown}")

    from playwright.sync_api import sync_playwright

    figures: dict[str, Any] = {}
    engines = [args.only] if args.only else ["zhiku", "material"]
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        corpora = {} if args.no_sample else {"sample": args.content.resolve()}
        if args.mixed:
            corpora["mixed"] = mixed_content(Path(tmp), args.content.resolve(), args.mixed)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for corpus, folder in corpora.items():
            for engine in engines:
                workdir = Path(tmp) / corpus
                workdir.mkdir(exist_ok=True)
                site = build_site(workdir, folder, engine)
                page = browser.new_page()
                page.goto(serve(site))
                page.locator("input.md-search__input").click()
                started = time.monotonic()
                results = {q["query"]: run_query(page, q["query"]) for q in queries}
                key = f"{corpus}/{engine}"
                figures[key] = score(results, queries)
                figures[key]["seconds"] = round(time.monotonic() - started, 1)
                page.close()
                print(key, figures[key]["table"]["all"], file=sys.stderr, flush=True)
        browser.close()

    print(f"{len(queries)} judged queries; sample: {len(slugs)} articles in {args.content}")
    if args.mixed:
        print(f"mixed: the sample among {args.mixed:,} reworded notes (gen_corpus --reword-from)")
    kinds = list(next(iter(figures.values()))["table"])
    head = "".join(f"{k + ' MRR':>22}{'R@10':>6}{'shown':>6}{'prec':>6}" for k in figures)
    print(f"{'kind':<16}{'n':>4}" + head)
    for kind in kinds:
        row = f"{kind:<16}{next(iter(figures.values()))['table'][kind]['n']:>4}"
        for key in figures:
            t = figures[key]["table"][kind]
            row += f"{t['mrr']:>22.3f}{t['recall@10']:>6.3f}"
            row += f"{t['shown']:>6.2f}{t['precision']:>6.3f}"
        print(row)
    for key, data in figures.items():
        print(f"\n{key}: {len(data['misses'])} imperfect queries ({data['seconds']} s)")
        for miss in data["misses"]:
            print("  " + miss)
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=1), "utf-8")


if __name__ == "__main__":
    main()
