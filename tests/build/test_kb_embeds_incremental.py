"""A page that embeds another note's section is rebuilt when that note changes, says why,
and the warm site equals a cold build."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_build_incremental import assert_same_site, cold_tree, mkdocs_build
from test_rebuild_reasons import mkdocs_build_v
from test_render_cache import edit, tree, write_site

pytestmark = pytest.mark.slow


def embedding_site(root: Path) -> Path:
    config = write_site(root)
    # 戊 (2024) is far from 甲 (2026) in time: nothing else on its page shows 甲's text.
    with (root / "docs" / "e.md").open("a", encoding="utf-8") as file:
        file.write("\n回顾甲的背景：\n\n![[甲：注意力机制#背景]]\n")
    return config


def test_editing_an_embedded_section_rebuilds_the_embedder_naming_the_embed(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    embedding_site(root)
    mkdocs_build_v(root)
    mkdocs_build_v(root)  # the first build records its slugs (.zhiku/slugs.yml): a new file
    page = root / "site" / "e" / "index.html"
    assert "注意力的原理" in page.read_text("utf-8")
    edit(root / "docs" / "a.md", "注意力的原理", "注意力的新原理")
    lines = mkdocs_build_v(root)
    assert "rebuilt e/ (embed: a.md)" in lines, lines
    assert "注意力的新原理" in page.read_text("utf-8")


def test_a_warm_build_after_editing_an_embedded_section_equals_a_cold_one(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    config_file = embedding_site(root)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    mkdocs_build(config_file, site)  # the first build records its slugs: a new file
    edit(root / "docs" / "a.md", "注意力的原理", "注意力的新原理")
    rebuilt = mkdocs_build(config_file, site)
    assert "e/index.html" in rebuilt
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))
