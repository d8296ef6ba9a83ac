"""`zhiku import` of a d2lbook book, then `mkdocs build --strict`: the pages read as the
book did: every reference lands on an element that has its id (a heading, a figure, a
numbered formula, an entry of the references page), framework cells are tabs."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from feed_sites import broken_links, built
from test_import_build import imported_site

pytestmark = pytest.mark.slow


def _article(site: Path, page: str) -> str:
    html = (site / page).read_text(encoding="utf-8")
    return html[html.index("<article") : html.index("</article>")]


def test_a_d2lbook_book_builds_strict_with_every_reference_landing(tmp_path: Path) -> None:
    config_file = imported_site(tmp_path, "d2lbook", "https://example.org/notes/")
    site = tmp_path / "site"
    built(config_file, site)
    assert broken_links(site, "/notes/") == []
    page = _article(site, "tidu-xiajiang/index.html")
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", page) == ["梯度下降"]
    assert '<h2 id="subsec_gd_1d">' in page
    assert 'id="eq_gd_taylor"' in page and r"\tag{1.1.1}" in page
    assert re.search(r'<img[^>]*id="fig_gd_lr"[^>]*width="300px"', page)
    assert 'class="tabbed-set' in page and ">pytorch</label>" in page
    for text in (":label:", ":numref:", ":eqref:", ":cite:", "#@tab", ":begin_tab:"):
        assert text not in page
    # Every link with an anchor, on every page of the book, finds that id on its target.
    pages = ["tidu-xiajiang", "zhangliang", "adam-suanfa", "qianyan", "jichu"]
    checked = 0
    for name in pages:
        html = _article(site, f"{name}/index.html")
        for href in re.findall(r'<a href="([^"#]*)#([^"]+)"', html):
            target, anchor = href
            where = (site / name / target).resolve() / "index.html" if target else None
            text = where.read_text(encoding="utf-8") if where else html
            assert f'id="{unquote(anchor)}"' in text, (name, href)
            checked += 1
    assert checked >= 8
    references = _article(site, "cankaowenxian/index.html")
    assert '<p id="Kingma.Ba.2014">' in references
