"""The render cache (``zhiku/cache``): a warm build is byte for byte a cold build, and only
the pages an input change affects are converted or rendered again.

Each case builds a small site (warm cache), changes one kind of input, builds again with
the cache, then builds the same tree cold (cache moved aside) and compares: the warm build
must equal the cold one file for file, and the pages rendered again through the theme must
be exactly the pages whose output changed (plus, where the change is invisible, all of
them: the package version).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from feed_sites import article, built
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File

import zhiku
from zhiku.glue.render_cache import CacheReport

pytestmark = pytest.mark.slow

HOME = "---\ntitle: 测试站\n---\n\n# 测试站\n\n介绍。\n"
BODY = "## 背景\n\n{words}的原理。\\(a^2+b^2=c^2\\)\n\n```python\nprint({n})\n```\n"
ARTICLES = {
    "a.md": article("甲：注意力机制", "2026-01-15", "大模型", ["Transformer"], ""),
    "b.md": article("乙：扩散模型", "2026-01-12", "生成模型", ["扩散模型"], ""),
    "c.md": article("丙：变分自编码器", "2026-01-10", "生成模型", ["VAE"], ""),
    "d.md": article("丁：显存优化", "2025-06-01", "工程", ["显存"], ""),
    "e.md": article("戊：分词", "2024-03-01", "中文", ["分词"], ""),
}
SERVED = "http://127.0.0.1:8000/"
WORDS = {"a": "注意力", "b": "扩散", "c": "变分", "d": "显存", "e": "分词"}
OVERRIDE = (
    '{% extends "base.html" %}\n{% block content %}{{ super() }}<p>版本一</p>{% endblock %}\n'
)


def write_site(root: Path, workers: int = 1) -> Path:
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text(HOME, encoding="utf-8")
    for n, (name, text) in enumerate(ARTICLES.items()):
        body = BODY.format(words=WORDS[name[0]], n=n)
        (docs / name).write_text(text + body, encoding="utf-8")
    (root / "overrides").mkdir()
    (root / "overrides" / "main.html").write_text(OVERRIDE, encoding="utf-8")
    config = {
        "site_name": "测试站",
        "site_url": "https://example.org/",
        "docs_dir": "docs",
        "theme": {"name": "material", "language": "zh", "custom_dir": "overrides"},
        "markdown_extensions": [
            "attr_list",
            "md_in_html",
            "mdx_math",
            {"toc": {"permalink": True}},
        ],
        "plugins": [
            {"zhiku/feed": {"pagination_per_page": 2, "related_count": 2}},
            {"zhiku/cache": {"workers": workers, "workers_min_pages": 1}},
        ],
        "not_in_nav": "/*.md\n",
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    return root / "mkdocs.yml"


def run(config_file: Path, site: Path, **overrides: Any) -> CacheReport:
    report = built(config_file, site, **overrides).plugins["zhiku/cache"].report
    assert isinstance(report, CacheReport)
    return report


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def dest(src_uri: str) -> str:
    return File(src_uri, None, "", use_directory_urls=True).dest_uri


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def pages_of(files: dict[str, bytes]) -> set[str]:
    return {p for p in files if p.endswith(".html") and p != "404.html"}


def set_version(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    return lambda root: monkeypatch.setattr(zhiku, "__version__", "99.0.0")


CASES: dict[str, Callable[[Path], None]] = {
    "article text": lambda root: edit(root / "docs" / "e.md", "分词的原理", "分词的新原理"),
    "neighbour title": lambda root: edit(
        root / "docs" / "b.md", "乙：扩散模型", "乙：扩散模型新题"
    ),
    "tag": lambda root: edit(root / "docs" / "d.md", "- 显存", "- 显存优化"),
    "theme override": lambda root: edit(root / "overrides" / "main.html", "版本一", "版本二"),
    "mkdocs.yml": lambda root: edit(root / "mkdocs.yml", "site_name: 测试站", "site_name: 新站名"),
    "markdown settings": lambda root: edit(root / "mkdocs.yml", "permalink: true", "permalink: ¶"),
}


@pytest.mark.parametrize("kind", [*CASES, "package version"])
def test_a_changed_input_rebuilds_exactly_the_pages_it_affects(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config_file = write_site(tmp_path / "root")
    root = config_file.parent
    first = run(config_file, tmp_path / "before")
    assert first.reused == set() and first.replayed == set()
    again = run(config_file, tmp_path / "again")
    assert again.converted == set() and again.rendered == set(), "an unchanged site is reused"
    assert tree(tmp_path / "again") == tree(tmp_path / "before")

    change = set_version(monkeypatch) if kind == "package version" else CASES[kind]
    change(root)
    warm = run(config_file, tmp_path / "warm")
    shutil.move(root / ".cache", tmp_path / "warm-cache")
    cold = run(config_file, tmp_path / "cold")
    assert cold.reused == set() and cold.replayed == set()

    before, after = tree(tmp_path / "before"), tree(tmp_path / "warm")
    assert after == tree(tmp_path / "cold"), "the warm build differs from a cold build"
    changed = {p for p in pages_of(after) if before.get(p) != after[p]}
    # A retired tag's listing becomes a redirect page: a file written, not a page rendered.
    changed = {p for p in changed if b'http-equiv="refresh"' not in after[p]}
    rendered = {dest(src) for src in warm.rendered}
    all_pages = pages_of(after)
    expected: dict[str, Any] = {
        # The article, and the listings that show its excerpt; not its neighbours.
        "article text": lambda: {"e/index.html"} <= changed and "d/index.html" not in changed,
        # Its neighbours name it in previous/next, but their Markdown is not converted again.
        "neighbour title": lambda: (
            {"a/index.html", "c/index.html"} <= changed and not {"a.md", "c.md"} & warm.converted
        ),
        "tag": lambda: (
            {"d/index.html", "tags/index.html"} <= changed and "e/index.html" not in changed
        ),
        "theme override": lambda: changed == all_pages and warm.converted == set(),
        # Every page shows the site's name; no conversion reads it.
        "mkdocs.yml": lambda: changed == all_pages and warm.converted == set(),
        "markdown settings": lambda: warm.reused == set() and "e/index.html" in changed,
        "package version": lambda: changed == set() and warm.reused == set(),
    }
    assert expected[kind](), f"changed: {sorted(changed)}; converted: {sorted(warm.converted)}"
    if kind in ("package version", "markdown settings"):
        assert rendered == all_pages, "a new version or configuration renders every page again"
    else:
        assert rendered == changed, "pages rendered again are exactly the pages that changed"
        assert changed != all_pages or kind in ("theme override", "mkdocs.yml", "markdown settings")


def _with_links(config_file: Path) -> Path:
    """Pages that link to others, to a heading and to an image (workers resolve them)."""
    docs = config_file.parent / "docs"
    (docs / "img").mkdir()
    # A 3x2 PNG: its size is what the page's <img> carries.
    png = bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000003000000020806000000b8f5f9c6"
        "0000000d49444154789c636060606000000005000102d9a3e2b00000000049454e44ae426082"
    )
    (docs / "img" / "p.png").write_bytes(png)
    for name in ("a.md", "d.md"):
        edit(
            docs / name,
            "## 背景",
            "见 [乙](b.md)、[丙的背景](c.md#背景)。\n\n![图](img/p.png)\n\n## 背景",
        )
    return config_file


def test_worker_processes_convert_exactly_as_mkdocs_does(tmp_path: Path) -> None:
    one = run(_with_links(write_site(tmp_path / "one", workers=1)), tmp_path / "one-site")
    two = run(_with_links(write_site(tmp_path / "two", workers=2)), tmp_path / "two-site")
    assert one.by_workers == 0
    assert two.by_workers == len(two.converted) > 5
    assert tree(tmp_path / "two-site") == tree(tmp_path / "one-site")


def test_a_page_that_warns_is_converted_again_and_warns_again(tmp_path: Path) -> None:
    config_file = write_site(tmp_path / "root")
    page = config_file.parent / "docs" / "a.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[缺失](missing.md)\n", "utf-8")
    for strict in (False, True):
        config = load_config(str(config_file), site_dir=str(tmp_path / "site"), strict=strict)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            if strict:
                # The first build cached every other page; the warning is not forgotten.
                with pytest.raises(Abort, match="strict"):
                    build(config)
            else:
                build(config)
        finally:
            config.plugins.on_shutdown()
        report = config.plugins["zhiku/cache"].report
        assert "a.md" in report.converted
    assert "b.md" in report.reused


@pytest.mark.parametrize("dirty", [False, True], ids=["serve", "serve --dirty"])
def test_serve_reloads_leave_no_page_stale(dirty: bool, tmp_path: Path) -> None:
    """As ``mkdocs serve`` drives a build: one on_startup, a fresh config per reload."""
    config_file = write_site(tmp_path / "root")
    site = tmp_path / "served"

    def reload() -> CacheReport:
        config = load_config(str(config_file), site_dir=str(site), strict=not dirty)
        config.site_url = SERVED  # as mkdocs serve does
        build(config, serve_url=SERVED, dirty=dirty)
        report = config.plugins["zhiku/cache"].report
        assert isinstance(report, CacheReport)
        return report

    first = load_config(str(config_file), site_dir=str(site))
    first.plugins.on_startup(command="serve", dirty=dirty)
    try:
        reload()
        docs = config_file.parent / "docs"
        for n, title in enumerate(("乙：新标题", "乙：又一个标题"), start=1):
            edit(docs / "b.md", "乙：扩散模型" if n == 1 else "乙：新标题", title)
            edit(docs / "b.md", "扩散的原理", f"扩散的原理，第{n}次修改")
            report = reload()
            # Listings that show its card are converted again too; no other article is.
            assert report.converted & set(ARTICLES) == {"b.md"}
            for neighbour in ("a", "c"):
                page = (site / neighbour / "index.html").read_text(encoding="utf-8")
                assert title in page, f"{neighbour}'s previous/next link is stale"
    finally:
        first.plugins.on_shutdown()

    shutil.move(config_file.parent / ".cache", tmp_path / "served-cache")
    run(config_file, tmp_path / "cold", site_url=SERVED)
    cold, served = tree(tmp_path / "cold"), tree(site)
    for path in pages_of(cold):
        assert served[path] == cold[path], f"{path} is stale after the reloads"


def test_serving_in_between_keeps_the_built_sites_pages(tmp_path: Path) -> None:
    """`mkdocs serve` builds for another address; a build afterwards still finds its pages."""
    config_file = write_site(tmp_path / "root")
    run(config_file, tmp_path / "built")
    served = run(config_file, tmp_path / "served", site_url=SERVED)
    assert served.converted == set(), "conversions do not depend on the address"
    assert {dest(src) for src in served.rendered} == pages_of(tree(tmp_path / "served"))
    again = run(config_file, tmp_path / "again")
    assert again.converted == set() and again.rendered == set()
    assert tree(tmp_path / "again") == tree(tmp_path / "built")


def test_a_cache_folder_that_cannot_be_made_is_one_error_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config_file = write_site(tmp_path / "root")
    (config_file.parent / "blocked").write_text("a file, not a folder", encoding="utf-8")
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["plugins"][1]["zhiku/cache"]["cache_dir"] = "blocked/render"
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    config = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    with pytest.raises(Abort):
        build(config)
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    blocked = config_file.parent / "blocked"
    assert errors[-1].startswith(f"{blocked}: a file stands where Zhiku needs a folder; ")
    assert errors[-1].endswith(", or set zhiku/cache's cache_dir elsewhere")


def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path) -> None:
    """A compiled template damaged on disk (found by the fuzzer: an unknown opcode, a
    bad import, or a crashed interpreter) is compiled again, not run."""
    config_file = write_site(tmp_path / "root")
    run(config_file, tmp_path / "before")
    compiled = list((config_file.parent / ".cache").rglob("jinja/*/*"))
    assert compiled
    for path in compiled:
        data = path.read_bytes()
        path.write_bytes(data[:40] + bytes(range(256)) * (len(data) // 256 + 1))
    run(config_file, tmp_path / "after")
    assert tree(tmp_path / "after") == tree(tmp_path / "before")
