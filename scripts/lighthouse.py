#!/usr/bin/env python3
"""Lighthouse scores of the sample site: Zhiku's theme against stock Material.

Builds the repository's content twice in one run:
  - Zhiku: the repo's mkdocs.yml (theme_overrides, zhiku plugins, KaTeX from the site);
  - stock Material: the same content with Material as it is documented out of the
    box (Google Fonts, Material's search, MathJax from a CDN for the formulas);
serves both on loopback, and runs npm's Lighthouse (mobile emulation, Lighthouse's
default simulated throttling) with Debian's Chromium, pages served gzipped as
GitHub Pages serves them, on the home page, on an article with formulas and on an
article with a Mermaid diagram (the sample content has none: one note with a
diagram, dated before every other so the home page stays as it is, is added to a
copy of content/ that both sites are built from). Prints a table of performance / accessibility /
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
# MathJax from a CDN; Roboto from Google Fonts (Material's default font); Mermaid
# fences as Material's diagrams page says (Material then loads Mermaid from a CDN).
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
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          class: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
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


# The page with a diagram: a note as ML notes draw one (a model's data flow), with the
# text around it.
DIAGRAM_NOTE = """\
---
title: Transformer 编码器的数据流
date: 2019-01-01
category: Deep Learning
tags: [Transformer]
---

编码器的一层由多头自注意力和前馈网络组成，两者外面各包一层残差连接和层归一化。
下图画出一个词元的表示在一层里走过的路径。

```mermaid
graph TD
  X[输入表示] --> A[多头自注意力]
  X --> R1((+))
  A --> R1
  R1 --> N1[层归一化]
  N1 --> F[前馈网络]
  N1 --> R2((+))
  F --> R2
  R2 --> N2[层归一化]
  N2 --> Y[输出表示]
```

残差连接让梯度可以绕过子层直接回传，所以几十层的编码器仍然训练得动；
层归一化放在残差之后（Post-LN）是原论文的做法，许多后来的模型把它移到子层之前（Pre-LN）。

## 为什么要前馈网络

自注意力只在位置之间混合信息，每个位置上的非线性变换由前馈网络完成。
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
    """Static files as GitHub Pages serves them: text gzipped when the browser asks, and
    every response cacheable for ten minutes (GitHub Pages' ``Cache-Control``)."""

    _COMPRESS = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt")

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

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


def build(config_file: Path, site_dir: Path, site_url: str, docs_dir: Path) -> None:
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(
        str(config_file), site_dir=str(site_dir), site_url=site_url, docs_dir=str(docs_dir)
    )
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()


def first_page_with(site: Path, marker: str, what: str) -> str:
    """Path of the first article (by URL) of Zhiku's site whose HTML holds ``marker``."""
    for path in sorted(site.rglob("index.html")):
        html = path.read_text(encoding="utf-8")
        if marker in html and 'property="og:type" content="article"' in html:
            return path.parent.relative_to(site).as_posix() + "/"
    raise SystemExit(f"{site}: no article with {what}; is content/ empty?")


PAGES: dict[str, tuple[str, str] | None] = {
    "home": None,
    "article": ('type="math/tex', "formulas"),
    "diagram": ('class="zk-mermaid"', "a diagram"),
}


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
        docs = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", docs)
        (docs / "lighthouse-diagram.md").write_text(DIAGRAM_NOTE, encoding="utf-8")
        sites = {"Zhiku": Path(tmp) / "zhiku", "Material": Path(tmp) / "material"}
        servers = {}
        for name, site in sites.items():
            site.mkdir()
            servers[name] = serve(site)
        urls = {name: f"http://127.0.0.1:{servers[name].server_address[1]}/" for name in sites}
        # Build after the servers have their ports, so canonical URLs match where
        # the pages are served, as on a real host.
        build(ROOT / "mkdocs.yml", sites["Zhiku"], urls["Zhiku"], docs)
        stock = Path(tmp) / "material.yml"
        stock.write_text(
            STOCK_CONFIG.format(site_url=urls["Material"], docs_dir=docs),
            encoding="utf-8",
        )
        build(stock, sites["Material"], urls["Material"], docs)

        rows: list[tuple[str, str, dict[str, float]]] = []
        for page, wanted in PAGES.items():
            # The same article on both sites: the content is the same.
            path = "" if wanted is None else first_page_with(sites["Zhiku"], *wanted)
            for name in sites:
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
    zhiku_min = min(min(s.values()) for p, n, s in rows if n == "Zhiku" and p != "diagram")
    diagram = min(s["performance"] for p, n, s in rows if n == "Zhiku" and p == "diagram")
    print(f"\nZhiku's lowest score on home and article: {zhiku_min:g} (target: 98 each)")
    print(f"Zhiku's performance on the diagram page: {diagram:g} (target: 95)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
