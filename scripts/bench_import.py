"""Bring real notes in, build them, and check every article page in headless Chromium.

For each notes repository (a git directory and a pinned commit, fetched beforehand;
nothing here downloads anything), this script

1. clones the commit into a work folder (history kept: plain Markdown takes its dates
   from git),
2. runs ``zhiku import`` into a fresh site beside it (this repository's ``mkdocs.yml`` and
   theme, ``site_url`` on loopback), timing it and keeping its report,
3. builds the site with ``mkdocs build`` (not strict: the warnings are counted), and
4. opens every article page on a loopback server in Debian's Chromium and counts what a
   reader would see wrong:

   - formulas typeset, and KaTeX errors among them (``.katex-error``);
   - raw TeX or ``$`` left in the text (outside formulas, code and scripts);
   - pages whose ``<h1>`` is not the article's title;
   - in-site links to an anchor (``page/#id``) that names no element of that page, split
     into those whose heading exists in the source and the rest;
   - images that do not load, and console errors.

Usage (the pinned corpora of scripts/README.md, or any ``NAME=GITDIR@COMMIT[:SUBDIR]``)::

    .venv/bin/python scripts/bench_import.py --json build/bench-import.json
    .venv/bin/python scripts/bench_import.py --repo notes=/path/to/repo.git@abc123:docs

The figures go to stdout as a table (and to ``--json``).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from lighthouse import chromium_flags  # the browser tests' flags (scripts/ is on the path)

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path("/work/.mirror")
CHROMIUM = "/usr/bin/chromium"

# Public Chinese notes of three shapes, pinned (fetched with the search tool's fetch into
# /work/.mirror; none of their text is committed here).
CORPORA = {
    # A Hexo blog: source/_posts, Hexo tags, `<!-- more -->`, `$` math, 55 posts.
    "hexo": f"{MIRROR}/Ashitemaru+Ashitemaru.github.io/repo@cd8be652",
    # LaTeX-heavy study notes (docsify), 16 chapters of formula derivations.
    "latex-notes": f"{MIRROR}/datawhalechina+pumpkin-book/repo@a8d8b5b",
    # A MkDocs-Material wiki of algorithms: nav titles, admonitions, tabs, `$` math.
    "mkdocs-wiki": f"{MIRROR}/OI-wiki+OI-wiki/repo@76fa67c1e",
}

# Every image of the page loaded (lazy ones made eager) or failed, within 20 s.
IMAGES_LOADED = """() => Promise.race([
  Promise.all([...document.images].map(img => {
    img.loading = 'eager';
    return img.complete ? null : new Promise(done => {
      img.addEventListener('load', done, {once: true});
      img.addEventListener('error', done, {once: true});
    });
  })),
  new Promise(done => setTimeout(done, 20000)),
])"""

# Evaluated on each article page once its formulas are typeset.
PAGE_CHECK = r"""() => {
  const content = document.querySelector('.md-content') || document.body;
  const skip = el => el.closest(
    '.katex, .katex-display, .zk-math--error, code, pre, script, style, .zk-lost');
  const walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
  const raw = [];
  const tex = new RegExp('\\$[^$\\s][^$]*\\$|\\$\\$|\\\\(?:frac|begin|end|mathbf|mathrm|'
    + 'boldsymbol|sum|int|left|right|alpha|beta|partial|cdot|leq|geq)\\b');
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (skip(node.parentElement)) continue;
    const text = node.textContent;
    if (tex.test(text)) raw.push(text.trim().slice(0, 80));
  }
  const h1s = [...content.querySelectorAll('h1')].map(h => h.textContent.replace(/¶/g, '').trim());
  const anchors = [...content.querySelectorAll('a[href]')]
    .map(a => a.href).filter(h => h.includes('#') && h.startsWith(location.origin));
  const images = [...content.querySelectorAll('img')].map(img => ({
    src: img.currentSrc || img.src, ok: img.complete && img.naturalWidth > 0,
  }));
  return {
    formulas: content.querySelectorAll('.katex').length
      - content.querySelectorAll('.katex .katex').length
      + content.querySelectorAll('.zk-math--error').length,
    katex_errors: content.querySelectorAll('.katex-error, .zk-math--error').length,
    error_tex: [...content.querySelectorAll('.zk-math--error')].map(
      e => (e.title || '').slice(0, 100)),
    untypeset: content.querySelectorAll('script[type^="math/tex"]').length,
    raw_tex: raw,
    h1s,
    title: (document.querySelector('meta[property="og:title"]') || {}).content || '',
    anchors,
    images,
    ids: [...document.querySelectorAll('[id]')].map(el => el.id),
  };
}"""


@dataclass
class Corpus:
    name: str
    git_dir: Path
    commit: str
    subdir: str = ""

    @classmethod
    def parse(cls, spec: str) -> Corpus:
        name, _, rest = spec.partition("=")
        where, _, commit = rest.rpartition("@")
        commit, _, subdir = commit.partition(":")
        if not (name and where and commit):
            raise SystemExit(f"--repo {spec!r}: write NAME=GITDIR@COMMIT[:SUBDIR]")
        return cls(name, Path(where), commit, subdir)


@dataclass
class Figures:
    corpus: str
    commit: str
    source_files: int = 0
    imported: int = 0
    reported: int = 0
    import_seconds: float = 0.0
    import_exit: int = 0
    build_seconds: float = 0.0
    build_exit: int = 0
    build_warnings: int = 0
    pages_checked: int = 0
    formulas: int = 0
    katex_errors: int = 0
    untypeset: int = 0
    pages_with_raw_tex: int = 0
    wrong_title: int = 0
    dead_anchors: int = 0
    dead_anchors_in_source: int = 0
    images: int = 0
    broken_images: int = 0
    remote_images: int = 0  # on another host: this check runs offline, so not loaded
    console_errors: int = 0
    examples: dict[str, list[str]] = field(default_factory=dict)

    def example(self, kind: str, text: str) -> None:
        shown = self.examples.setdefault(kind, [])
        if len(shown) < 5:
            shown.append(text)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Any:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def checkout(corpus: Corpus, work: Path) -> Path:
    """The corpus at its commit, with history, under ``work/src``."""
    src = work / "src"
    subprocess.run(
        ["git", "clone", "-q", "--no-checkout", str(corpus.git_dir), str(src)], check=True
    )
    # Snapshots lack their largest files (and LFS content): write every blob the store
    # has, then point the index at the commit, so git log still dates each file.
    subprocess.run(["git", "-C", str(src), "reset", "-q", corpus.commit], check=True)
    listing = subprocess.run(
        ["git", "-C", str(src), "ls-tree", "-r", "-z", corpus.commit],
        check=True,
        capture_output=True,
    ).stdout
    for row in filter(None, listing.split(b"\0")):
        meta, _, name = row.partition(b"\t")
        mode, kind, sha = meta.split()
        if kind != b"blob" or mode == b"120000":
            continue
        blob = subprocess.run(
            ["git", "-C", str(src), "cat-file", "blob", sha.decode()], capture_output=True
        )
        if blob.returncode != 0:
            continue  # not in the snapshot
        target = src / name.decode("utf-8", "surrogateescape")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(blob.stdout)
    return src / corpus.subdir if corpus.subdir else src


def site_config(site: Path, url: str) -> Path:
    """This repository's mkdocs.yml, pointed at ``site/content`` and the repo's theme."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_url:.*$", f"site_url: {url}", text)
    text = re.sub(r"(?m)^docs_dir:.*$", f"docs_dir: {site / 'content'}", text)
    text = re.sub(r"(?m)^(\s*)custom_dir:.*$", rf"\1custom_dir: {ROOT / 'theme_overrides'}", text)
    site.mkdir(parents=True, exist_ok=True)
    config = site / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    content = site / "content"
    content.mkdir(parents=True, exist_ok=True)
    for page in ("index.md", "category/index.md", "tags/index.md", "archive/index.md"):
        target = content / page
        if not target.exists() and (ROOT / "content" / page).exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / "content" / page, target)
    for page in ("series/index.md",):
        if (ROOT / "content" / page).exists() and not (content / page).exists():
            (content / page).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(ROOT / "content" / page, content / page)
    return config


def zhiku(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("zhiku")), *args]


def run_import(src: Path, site: Path, figures: Figures) -> None:
    report = site / "import-report.json"
    started = time.perf_counter()
    done = subprocess.run(
        zhiku("import", str(src), "--content", str(site / "content"), "--report", str(report)),
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    figures.import_seconds = time.perf_counter() - started
    figures.import_exit = done.returncode
    (site / "import.log").write_text(done.stdout + done.stderr, encoding="utf-8")
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        files = data.get("files", [])
        figures.source_files = len(files)
        figures.imported = sum(1 for f in files if f.get("status") in {"created", "updated"})
        figures.reported = sum(1 for f in files if f.get("status") not in {"created", "updated"})


def run_build(config: Path, site: Path, figures: Figures) -> Path:
    out = site / "site"
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-f", str(config), "-d", str(out)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=site,
    )
    figures.build_seconds = time.perf_counter() - started
    figures.build_exit = done.returncode
    log = done.stdout + done.stderr
    (site / "build.log").write_text(log, encoding="utf-8")
    warnings = [line for line in log.splitlines() if line.startswith("WARNING")]
    figures.build_warnings = len(warnings)
    for line in warnings[:5]:
        figures.example("build warnings", line[:200])
    return out


def article_pages(built: Path) -> list[str]:
    """Site-relative URLs of the article pages (Zhiku marks them og:type article)."""
    pages = []
    for path in sorted(built.rglob("index.html")):
        head = path.read_text(encoding="utf-8", errors="replace")[:20000]
        if 'property="og:type" content="article"' in head:
            pages.append(path.parent.relative_to(built).as_posix() + "/")
    return pages


def source_anchors(content: Path) -> set[str]:
    """Every heading text of the imported Markdown, normalised: an anchor "exists in the
    source" when some heading reads like it."""
    found = set()
    for md in content.rglob("*.md"):
        for line in md.read_text(encoding="utf-8", errors="replace").splitlines():
            heading = re.match(r"#{1,6}\s+(.+?)\s*#*\s*$", line)
            if heading:
                found.add(normal_anchor(heading.group(1)))
    return found


def normal_anchor(text: str) -> str:
    return re.sub(r"[\W_]+", "", unquote(text).lower())


def check_pages(built: Path, content: Path, figures: Figures, limit: int | None) -> None:
    from playwright.sync_api import sync_playwright

    pages = article_pages(built)[:limit]
    in_source = source_anchors(content)
    ids_of: dict[str, set[str]] = {}
    links: list[tuple[str, str, str]] = []  # (page, target path, fragment)
    with serve(built) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=chromium_flags())
        context = browser.new_context()
        aborted: list[str] = []  # remote requests refused (the check runs offline)

        def offline(route: Any) -> None:
            aborted.append(route.request.url)
            route.abort()

        context.route(re.compile(r"^(?!http://127\.0\.0\.1)"), offline)
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for url in pages:
            errors.clear()
            aborted.clear()
            page.goto(urljoin(base, url), wait_until="load")
            with contextlib.suppress(Exception):
                page.wait_for_function(
                    "() => !document.querySelector('script[type^=\"math/tex\"]')"
                    " || document.documentElement.dataset.zkMath === 'done'",
                    timeout=30000,
                )
            # Images are lazy: load every one now, and wait until each has loaded or failed.
            page.evaluate(IMAGES_LOADED)
            seen = page.evaluate(PAGE_CHECK)
            figures.pages_checked += 1
            figures.formulas += seen["formulas"]
            figures.katex_errors += seen["katex_errors"]
            figures.untypeset += seen["untypeset"]
            if seen["katex_errors"]:
                figures.example("katex errors", f"{url}: {seen['error_tex'][:1]}")
            if seen["raw_tex"]:
                figures.pages_with_raw_tex += 1
                figures.example("raw tex", f"{url}: {seen['raw_tex'][0]}")
            title = seen["title"].strip()
            if len(seen["h1s"]) != 1 or seen["h1s"][0] != title:
                figures.wrong_title += 1
                figures.example("wrong title", f"{url}: h1 {seen['h1s'][:2]} vs {title!r}")
            ids_of[url] = set(seen["ids"])
            for href in seen["anchors"]:
                parts = urlsplit(href)
                target = parts.path.removeprefix(urlsplit(base).path)
                links.append((url, target, unquote(parts.fragment)))
            figures.images += len(seen["images"])
            for image in seen["images"]:
                if image["ok"]:
                    continue
                if not image["src"].startswith(base):
                    figures.remote_images += 1
                    continue
                figures.broken_images += 1
                figures.example("broken images", f"{url}: {image['src']}")
            # A refused remote request logs one net::ERR_FAILED: the offline check's doing.
            refused = len(aborted)
            kept = []
            for text in errors:
                if refused and "net::ERR_FAILED" in text:
                    refused -= 1
                else:
                    kept.append(text)
            errors[:] = kept
            figures.console_errors += len(errors)
            for text in errors[:1]:
                figures.example("console errors", f"{url}: {text[:120]}")
        browser.close()
    for page_url, target, fragment in links:
        if not fragment:
            continue
        ids = ids_of.get(target)
        if ids is None:
            ids = ids_of[target] = ids_in(built, target)
        if fragment not in ids:
            figures.dead_anchors += 1
            if normal_anchor(fragment) in in_source:
                figures.dead_anchors_in_source += 1
                figures.example(
                    "dead anchors (heading in source)", f"{page_url} -> {target}#{fragment}"
                )


def ids_in(built: Path, target: str) -> set[str]:
    path = built / target
    if path.is_dir() or target.endswith("/") or not target:
        path = path / "index.html"
    if not path.is_file():
        return set()
    return set(re.findall(r'\bid="([^"]*)"', path.read_text(encoding="utf-8", errors="replace")))


def bench(corpus: Corpus, work: Path, limit: int | None) -> Figures:
    figures = Figures(corpus.name, corpus.commit)
    folder = work / corpus.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    src = checkout(corpus, folder)
    site = folder / "site-root"
    config = site_config(site, "http://127.0.0.1/")
    run_import(src, site, figures)
    built = run_build(config, site, figures)
    if built.is_dir():
        check_pages(built, site / "content", figures, limit)
    return figures


COLUMNS = [
    ("corpus", "corpus"),
    ("imported", "articles"),
    ("reported", "reported"),
    ("import_seconds", "import s"),
    ("build_seconds", "build s"),
    ("build_warnings", "warnings"),
    ("pages_checked", "pages"),
    ("formulas", "formulas"),
    ("katex_errors", "KaTeX errors"),
    ("pages_with_raw_tex", "pages w/ raw TeX"),
    ("wrong_title", "h1 ≠ title"),
    ("dead_anchors", "dead anchors"),
    ("dead_anchors_in_source", "…heading in source"),
    ("broken_images", "broken images"),
    ("remote_images", "remote images (offline)"),
    ("console_errors", "console errors"),
]


def table(results: list[Figures]) -> str:
    rows = ["| " + " | ".join(label for _, label in COLUMNS) + " |"]
    rows.append("|" + "---|" * len(COLUMNS))
    for result in results:
        cells = []
        for key, _ in COLUMNS:
            value = getattr(result, key)
            cells.append(f"{value:.1f}" if isinstance(value, float) else str(value))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", action="append", help="NAME=GITDIR@COMMIT[:SUBDIR]")
    parser.add_argument("--work", type=Path, help="work folder (default: a temporary one)")
    parser.add_argument("--limit", type=int, help="check at most this many pages a corpus")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args(argv)
    specs = args.repo or [f"{name}={spec}" for name, spec in CORPORA.items()]
    corpora = [Corpus.parse(spec) for spec in specs]
    missing = [c for c in corpora if not c.git_dir.exists()]
    if missing:
        names = ", ".join(f"{c.name} ({c.git_dir})" for c in missing)
        raise SystemExit(f"not fetched: {names}; fetch them first (see scripts/README.md)")
    work = args.work or Path(tempfile.mkdtemp(prefix="zhiku-import-bench-"))
    results = []
    for corpus in corpora:
        print(f"{corpus.name}: importing, building and checking ...", file=sys.stderr)
        results.append(bench(corpus, work, args.limit))
    print(table(results))
    for result in results:
        for kind, shown in result.examples.items():
            print(f"\n{result.corpus}, {kind}:")
            for line in shown:
                print(f"  {line}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2), "utf-8"
        )
    print(f"\nwork folder: {work}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
