"""Paper pages: papers/ lists every paper the notes are about or cite, papers/<id>/
gathers the notes of one, and .bib files export them (all, per category, per tag)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from feed_sites import article, broken_links, build_once, write_site
from test_build_incremental import assert_same_site, cold_tree, mkdocs_build
from test_render_cache import edit, tree

CLIP = {
    "arxiv": "2103.00020",
    "title": "Learning Transferable Visual Models From Natural Language Supervision",
    "authors": ["Alec Radford", "Jong Wook Kim"],
    "venue": "ICML",
    "year": 2021,
    "code": "https://github.com/openai/CLIP",
}
PAGES = {
    "clip.md": article("CLIP 算法原理", "2026-01-10", "多模态", ["CLIP"], "对比学习。", paper=CLIP),
    "clip-repro.md": article(
        "CLIP 复现记录", "2026-02-01", "工程", ["复现"], "跑通了。", paper={"arxiv": "2103.00020"}
    ),
    "survey.md": article(
        "视觉语言模型综述",
        "2026-03-01",
        "多模态",
        ["综述"],
        "CLIP 见 [arXiv](https://arxiv.org/abs/2103.00020v2)，ViT 见 arXiv:2010.11929。\n",
    ),
    "evil.md": article(
        "不怀好意的论文",
        "2026-01-05",
        "杂记",
        [],
        "正文。",
        paper={"title": "<script>alert(1)</script> {Unbalanced", "authors": ["O'Brien & Co"]},
    ),
    "plain.md": article("普通笔记", "2025-12-01", "杂记", ["随笔"], "与论文无关。"),
}


def braces_balanced(bib: str) -> bool:
    depth = 0
    for char in bib.replace("\\{", "").replace("\\}", ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("papers")
    return build_once(write_site(root, PAGES), root / "site")


def test_papers_lists_every_paper_newest_first_with_its_notes(site: Path) -> None:
    page = (site / "papers" / "index.html").read_text("utf-8")
    names = [
        unescape(n) for n in re.findall(r'class="zk-papers__title"><a [^>]*>([^<]*)</a>', page)
    ]
    # By year; papers of no known year by their newest note (survey.md cites ViT).
    assert names == [CLIP["title"], "arXiv:2010.11929", "<script>alert(1)</script> {Unbalanced"]
    clip_item = page.split('class="zk-papers__item"')[1]
    assert "CLIP 算法原理" in clip_item and "CLIP 复现记录" in clip_item
    assert "视觉语言模型综述" in clip_item  # by its arXiv link
    assert 'href="../papers/papers.bib" download' in page
    assert not broken_links(site)


def test_a_paper_page_gathers_its_notes_with_card_bibtex_and_code(site: Path) -> None:
    page = (site / "papers" / "2103.00020" / "index.html").read_text("utf-8")
    about = page[page.index("关于这篇论文的笔记") : page.index("提到它的笔记")]
    assert "CLIP 算法原理" in about and "CLIP 复现记录" in about
    assert "视觉语言模型综述" in page[page.index("提到它的笔记") :]
    assert 'href="https://arxiv.org/abs/2103.00020"' in page
    assert 'href="https://github.com/openai/CLIP"' in page
    assert "@inproceedings{radford2021learning," in page
    export = '<a href="../../papers/papers.bib" download type="application/x-bibtex">导出 BibTeX'
    assert export in page
    # The article's own card links to the paper page.
    clip = (site / "clip" / "index.html").read_text("utf-8")
    assert '<a class="zk-paper__link" href="../papers/2103.00020/">论文页</a>' in clip


def test_hostile_paper_fields_stay_text_in_pages_and_bibtex(site: Path) -> None:
    (page,) = (p for p in (site / "papers").glob("*/index.html") if "script" in p.parent.name)
    html = page.read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {Unbalanced" in html
    assert "O&#39;Brien &amp; Co" in html
    bib = (site / "papers" / "papers.bib").read_text("utf-8")
    assert "\\{Unbalanced" in bib and "O'Brien \\& Co" in bib


def test_the_bib_files_have_one_entry_per_paper_and_balanced_braces(site: Path) -> None:
    bib = (site / "papers" / "papers.bib").read_text("utf-8")
    heads = re.findall(r"^@(\w+)\{([^,]+),$", bib, re.MULTILINE)
    assert len(heads) == 3 and len({key for _, key in heads}) == 3
    assert braces_balanced(bib)
    # One per category and per tag, linked from its listing page.
    category = (site / "category" / "duo-motai" / "index.html").read_text("utf-8")
    link = re.search(r'<a href="([^"]+\.bib)" download', category)
    assert link is not None
    own = (site / "category" / "duo-motai" / link.group(1)).resolve().read_text("utf-8")
    assert len(re.findall(r"^@", own, re.MULTILINE)) == 2 and braces_balanced(own)
    tag = (site / "tags" / "fuxian" / "index.html").read_text("utf-8")
    assert "导出 BibTeX" in tag
    plain = (site / "category" / "zaji" / "index.html").read_text("utf-8")
    assert "导出 BibTeX" in plain  # evil.md's paper is in 杂记
    # A tag whose notes name no paper has no .bib.
    assert "导出 BibTeX" not in (site / "tags" / "suibi" / "index.html").read_text("utf-8")
    assert not (site / "papers" / "tags" / "suibi.bib").exists()


def test_a_warm_build_after_changing_a_notes_paper_equals_a_cold_one(tmp_path: Path) -> None:
    root = tmp_path / "root"
    config_file = write_site(root, PAGES, cache=True)
    site = tmp_path / "site"
    mkdocs_build(config_file, site)
    mkdocs_build(config_file, site)  # the first build records its slugs: a new file
    edit(root / "docs" / "clip-repro.md", "arxiv: '2103.00020'", "arxiv: '1706.03762'")
    rebuilt = mkdocs_build(config_file, site)
    assert {"papers/index.html", "papers/1706.03762/index.html"} <= rebuilt
    assert "papers/2103.00020/index.html" in rebuilt
    assert_same_site(tree(site), cold_tree(config_file, tmp_path))


def test_paper_pages_link_right_without_directory_urls_under_a_sub_path(tmp_path: Path) -> None:
    config = write_site(tmp_path, PAGES, site_url="https://example.org/repo/", directory_urls=False)
    site = build_once(config, tmp_path / "site")
    page = (site / "papers" / "2103.00020" / "index.html").read_text("utf-8")
    assert 'href="../../clip.html"' in page and 'href="../../papers/papers.bib"' in page
    clip = (site / "clip.html").read_text("utf-8")
    assert 'href="papers/2103.00020/index.html">论文页</a>' in clip
    assert not broken_links(site, "/repo/")
