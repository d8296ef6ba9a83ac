#!/usr/bin/env python3
"""Lighthouse scores of the sample site: Zhiku's theme against stock Material.

Builds the repository's content twice in one run:
  - Zhiku: the repo's mkdocs.yml (theme_overrides, zhiku plugins, KaTeX from the site);
  - stock Material: the same content with Material as it is documented out of the
    box (Google Fonts, Material's search, MathJax from a CDN for the formulas);
serves both on loopback, and runs npm's Lighthouse (mobile emulation, Lighthouse's
default simulated throttling) with Debian's Chromium, pages served gzipped as
GitHub Pages serves them, on the home page and on an
article with formulas. Prints a table of performance / accessibility /
best-practices / SEO (median of --runs runs) and writes the raw JSON reports
under build/lighthouse/reports/.

Nothing may leave the machine: pages that try to reach another host (stock
Material does) see their requests fail, as they would for a reader offline.

    .venv/bin/python scripts/lighthouse.py            # 3 runs per page
    .venv/bin/python scripts/lighthouse.py --runs 1   # quick look

Lighthouse is installed with npm into build/lighthouse/ (git-ignored) when it
is missing. 12.8.2 is the newest release that supports Node 20.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "lighthouse"
LIGHTHOUSE_VERSION = "12.8.2"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROMIUM = "/usr/bin/chromium"

# Stock Material as its documentation sets it up: arithmatex for the formulas and
# MathJax from a CDN; Roboto from Google Fonts (Material's default font).
STOCK_CONFIG = """\
site_name: 知库
site_description: 人工智能、机器学习与 Python 的中文技术笔记
site_url: {site_url}
docs_dir: {docs_dir}
use_directory_urls: true
theme:
  name: material
  language: zh
  palette:
    - media: "(prefers-color-scheme: light)"
      scheme: default
      toggle:
        icon: material/weather-night
        name: 切换到深色模式
    - media: "(prefers-color-scheme: dark)"
      scheme: slate
      toggle:
        icon: material/weather-sunny
        name: 切换到浅色模式
  features:
    - navigation.top
    - search.highlight
    - content.code.copy
markdown_extensions:
  - pymdownx.arithmatex:
      generic: true
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.details
  - pymdownx.superfences
  - pymdownx.highlight:
      anchor_linenums: true
  - pymdownx.inlinehilite
  - toc:
      permalink: true
extra_javascript:
  - https://unpkg.com/mathjax@3/es5/tex-mml-chtml.js
plugins:
  - search
not_in_nav: |
  /*.md
"""


def chromium_flags() -> list[str]:
    """The flags the browser tests launch Chromium with (tests/conftest.py)."""
    spec = importlib.util.spec_from_file_location(
        "_zhiku_test_conftest", ROOT / "tests" / "conftest.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.CHROMIUM_ARGS)


def lighthouse_bin() -> Path:
    binary = WORK / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        print(f"installing lighthouse@{LIGHTHOUSE_VERSION} into {WORK} ...", file=sys.stderr)
        subprocess.run(
            [
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(WORK),
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ],
            check=True,
        )
    return binary


class _Pages(http.server.SimpleHTTPRequestHandler):
    """Static files as GitHub Pages serves them: text gzipped when the browser asks."""

    _COMPRESS = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                super().do_GET()  # the base class redirects /dir to /dir/
                return
            path = path / "index.html"
        gzip_ok = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (gzip_ok and path.is_file() and path.suffix in self._COMPRESS):
            super().do_GET()
            return
        body = gzip.compress(path.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def serve(folder: Path) -> http.server.ThreadingHTTPServer:
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Pages, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(config_file: Path, site_dir: Path, site_url: str) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), site_url=site_url)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def article_with_math(site: Path) -> str:
    """Path of the first article (by URL) of Zhiku's site that has a formula."""
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if 'type="math/tex' in html and 'property="og:type" content="article"' in html:
            return path.parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"{site}: no article with math; is content/ empty?")


def run_lighthouse(binary: Path, url: str, out: Path, flags: list[str]) -> dict[str, float]:
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            "--screenEmulation.mobile",
            f"--chrome-flags={' '.join(flags)}",
        ],
        check=True,
        env=env,
    )
    report = json.loads(out.read_text(encoding="utf-8"))
    return {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per page (median)")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing; install Debian's chromium (./scripts/test does)")
    if shutil.which("npm") is None:
        raise SystemExit("npm is missing; install Node.js 20 (./scripts/test does)")
    binary = lighthouse_bin()
    flags = chromium_flags()
    reports = WORK / "reports"
    reports.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="zhiku-lighthouse-") as tmp:
        sites = {"Zhiku": Path(tmp) / "zhiku", "Material": Path(tmp) / "material"}
        servers = {}
        for name, site in sites.items():
            site.mkdir()
            servers[name] = serve(site)
        urls = {name: f"http://127.0.0.1:{servers[name].server_address[1]}/" for name in sites}
        # Build after the servers have their ports, so canonical URLs match where
        # the pages are served, as on a real host.
        build(ROOT / "mkdocs.yml", sites["Zhiku"], urls["Zhiku"])
        stock = Path(tmp) / "material.yml"
        stock.write_text(
            STOCK_CONFIG.format(site_url=urls["Material"], docs_dir=ROOT / "content"),
            encoding="utf-8",
        )
        build(stock, sites["Material"], urls["Material"])

        rows: list[tuple[str, str, dict[str, float]]] = []
        for page in ("home", "article"):
            for name in sites:
                # The same article on both sites: the content is the same.
                path = "" if page == "home" else article_with_math(sites["Zhiku"])
                runs = []
                for i in range(args.runs):
                    out = reports / f"{name.lower()}-{page}-{i + 1}.json"
                    runs.append(run_lighthouse(binary, urls[name] + path, out, flags))
                median = {c: statistics.median(r[c] for r in runs) for c in CATEGORIES}
                rows.append((page, name, median))
                print(f"{page:8} {name:9} {median}", file=sys.stderr)
        for server in servers.values():
            server.shutdown()

    print(f"\nLighthouse {LIGHTHOUSE_VERSION}, mobile emulation, median of {args.runs} run(s)\n")
    print("| page | site | performance | accessibility | best practices | SEO |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for page, name, scores in rows:
        cells = " | ".join(f"{scores[c]:g}" for c in CATEGORIES)
        print(f"| {page} | {name} | {cells} |")
    zhiku_min = min(min(s.values()) for _, n, s in rows if n == "Zhiku")
    print(f"\nZhiku's lowest score: {zhiku_min:g} (target: 98 each)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
