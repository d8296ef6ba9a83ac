"""Scenario sites for the feed plugin's build tests (pytest puts this folder on sys.path).

Each test writes a tiny site into a temporary folder, builds it through MkDocs'
own ``load_config`` -> ``build`` and looks at the files it wrote.
"""

from __future__ import annotations

import html.parser
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

HOME = """---
title: 测试站
---

# 测试站

站点自己的介绍文字。
"""


def article(title: str, date: str, category: str, tags: list[str], body: str, **more: Any) -> str:
    meta = {"title": title, "date": date, "category": category, "tags": tags, **more}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n" + body


def write_site(
    root: Path,
    pages: dict[str, str],
    site_url: str = "https://example.org/",
    directory_urls: bool = True,
    plugin: dict[str, Any] | None = None,
    cache: bool = False,
) -> Path:
    """Write ``mkdocs.yml`` and ``docs/`` under ``root``; returns the config file."""
    docs = root / "docs"
    for path, text in {"index.md": HOME, **pages}.items():
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text(text, encoding="utf-8")
    config = {
        "site_name": "测试站",
        "site_url": site_url,
        "use_directory_urls": directory_urls,
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "font": False},
        "markdown_extensions": ["attr_list", "md_in_html", "mdx_math", "toc"],
        "plugins": [{"zhiku/feed": plugin or {}}, *(["zhiku/cache"] if cache else [])],
        "not_in_nav": "/*.md\n",
    }
    path = root / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def config_for(config_file: Path, site_dir: Path, strict: bool = True) -> MkDocsConfig:
    return load_config(str(config_file), site_dir=str(site_dir), strict=strict)


def built(config_file: Path, site_dir: Path, **overrides: Any) -> MkDocsConfig:
    """One strict `mkdocs build`, as the command runs it; returns its configuration (the
    plugins on it keep what they reported)."""
    config = load_config(str(config_file), site_dir=str(site_dir), strict=True, **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return config


def build_once(config_file: Path, site_dir: Path) -> Path:
    built(config_file, site_dir)
    return site_dir


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.append((tag, dict(attrs)))


def tags(page: Path) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.links


def html_pages(site: Path) -> Iterator[Path]:
    for page in sorted(site.rglob("*.html")):
        if "assets" not in page.relative_to(site).parts and page.name != "404.html":
            yield page


def resolve(site: Path, page: Path, href: str, site_path: str = "/") -> Path | None:
    """The built file an internal ``href`` on ``page`` points at (None when external)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "data:")):
        return None
    path = unquote(parts.path)
    if not path:
        return page
    if path.startswith("/"):
        assert path.startswith(site_path), f"{href} on {page} leaves the site's path {site_path}"
        target = site / path[len(site_path) :]
    else:
        target = page.parent / path
    target = Path(posixpath.normpath(target.as_posix()))
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


def broken_links(site: Path, site_path: str = "/") -> list[str]:
    """Every internal a/link/script/img reference on every page that finds no built file."""
    broken = []
    for page in html_pages(site):
        for tag, attrs in tags(page):
            ref = attrs.get("href") if tag in ("a", "link") else attrs.get("src")
            if tag not in ("a", "link", "script", "img") or not ref:
                continue
            target = resolve(site, page, ref, site_path)
            if target is not None and not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref}")
    return broken


def card_titles(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r'<h2 class="zk-card__title"><a href="[^"]*">([^<]*)</a>', text)


def card_links(page: Path) -> list[str]:
    text = page.read_text(encoding="utf-8")
    return re.findall(r'<h2 class="zk-card__title"><a href="([^"]*)">', text)
