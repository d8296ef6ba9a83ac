"""`zhiku import` of a Sphinx book in MyST Markdown, then `mkdocs build --strict`: the
chapters are one series in the book's order, MyST's admonitions and formulas show as the
theme's, references land on their targets, and the old .html addresses redirect."""

from __future__ import annotations

from pathlib import Path

import pytest
from feed_sites import broken_links, built
from test_import_build import imported_site

pytestmark = pytest.mark.slow


def test_a_sphinx_book_builds_strict_with_its_myst_shown_as_the_site_shows_it(
    tmp_path: Path,
) -> None:
    config_file = imported_site(tmp_path, "sphinx", "https://example.org/notes/")
    site = tmp_path / "site"
    built(config_file, site)
    assert broken_links(site, "/notes/") == []
    page = (site / "1-1-zhangliang/index.html").read_text(encoding="utf-8")
    assert "<h1" in page and "1.1 张量" in page
    assert '<div class="admonition note">' in page and '<div class="admonition tip">' in page
    assert "小贴士" in page and "{note}" not in page and ":::" not in page
    assert 'id="broadcast"' in page and 'id="eq-broadcast"' in page and 'id="fig-grad"' in page
    assert "math/tex; mode=display" in page or "arithmatex" in page
    assert (site / "assets/1-1-zhangliang/grad.png").is_file()
    assert '<span class="kn">import</span>' in page  # a code cell, highlighted as Python
    refs = (site / "1-2-zidong-qiudao/index.html").read_text(encoding="utf-8")
    assert 'href="../1-1-zhangliang/#broadcast"' in refs
    assert 'href="../1-1-zhangliang/#eq-broadcast"' in refs
    assert "{ref}" not in refs and "{eq}" not in refs
    chapter = (site / "diyizhang-zhangliang-yu-zidong-qiudao/index.html").read_text(
        encoding="utf-8"
    )
    assert 'href="../1-1-zhangliang/"' in chapter and "求导入门" in chapter
    assert "toctree" not in chapter
    series = (site / "series/shendu-xuexi-biji/index.html").read_text(encoding="utf-8")
    order = [series.find(t) for t in ("第一章：张量与自动求导", "1.1 张量", "1.2 自动求导")]
    assert -1 not in order and order == sorted(order)
    old = (site / "第一章/1.1 张量.html").read_text(encoding="utf-8")
    assert "1-1-zhangliang/" in old
