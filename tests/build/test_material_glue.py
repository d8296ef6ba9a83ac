"""What Zhiku does for Material, from glue/material.py: an empty sitemap beside the feeds,
``search: exclude`` on generated listings, Zhiku's worker in place of lunr."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from feed_sites import article, build_once, write_site

from zhiku.glue import material

pytestmark = pytest.mark.slow
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ARTICLES = {
    "a.md": article("甲：注意力机制", "2026-01-15", "Large Model", ["Transformer"], "甲。"),
    "b.md": article("乙：扩散模型", "2026-01-12", "Generative Model", ["扩散模型"], "乙。"),
}
Built = tuple[Path, dict[str, dict[str, object]]]
# A hook (MkDocs' `hooks:` option) that writes down each page's front matter as the
# theme and Material's plugins see it.
HOOK = """
import json, pathlib
seen = {}
def on_page_context(context, page, config, nav):
    seen[page.file.src_uri] = page.meta
    return context
def on_post_build(config):
    pathlib.Path(config.config_file_path).with_name("meta.json").write_text(
        json.dumps(seen, ensure_ascii=False), encoding="utf-8")
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    root = tmp_path_factory.mktemp("material")
    config_file = write_site(root, ARTICLES)
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["plugins"] = ["zhiku/search", *config["plugins"]]
    config["hooks"] = ["hook.py"]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (root / "hook.py").write_text(HOOK, encoding="utf-8")
    site = build_once(config_file, root / "site")
    return site, json.loads((root / "meta.json").read_text(encoding="utf-8"))


def test_the_feeds_have_an_empty_sitemap_beside_them(built: Built) -> None:
    site, _ = built
    beside = ET.parse(site / "feeds" / "sitemap.xml").getroot()
    assert beside.tag == f"{SITEMAP}urlset" and list(beside) == []
    # The site's own sitemap still lists every page.
    assert len(ET.parse(site / "sitemap.xml").getroot().findall(f"{SITEMAP}url")) > 2
    for feed in ("rss.xml", "atom.xml", "feed.json"):
        assert (site / "feeds" / feed).is_file()


def test_generated_listings_are_excluded_from_materials_search(built: Built) -> None:
    _, meta = built
    listings = [src for src in meta if src.startswith(("category/", "tags/", "archive/"))]
    assert listings
    for src in listings:
        assert meta[src]["search"] == {"exclude": True}, src
    assert "search" not in meta["a.md"]


def test_zhikus_worker_replaces_lunr(built: Built) -> None:
    site, _ = built
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    [worker] = (site / "assets" / "javascripts" / "workers").glob("search.*.min.js")
    assert worker.read_bytes() == (material.ASSETS / "worker.js").read_bytes()
    assert (site / material.SEARCH_MANIFEST).is_file()


def test_feeds_in_two_folders_have_no_one_sitemap() -> None:
    assert material.alternate_sitemap(["f/rss.xml", "f/atom.xml"])[0] == "f/sitemap.xml"
    with pytest.raises(ValueError, match="one folder"):
        material.alternate_sitemap(["f/rss.xml", "g/atom.xml"])
