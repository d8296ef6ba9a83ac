"""Paper pages: which notes are about or cite which paper, and the .bib of them all."""

from __future__ import annotations

from listing_factories import article

from zhiku.articles.model import Paper
from zhiku.listing.paperpages import bib_file, group_papers, papers_of, search_articles
from zhiku.text.arxiv import arxiv_ids

CLIP = Paper(
    arxiv="2103.00020",
    title="Learning Transferable Visual Models From Natural Language Supervision",
    authors=("Alec Radford", "Jong Wook Kim"),
    venue="ICML",
    year=2021,
    code="https://github.com/openai/CLIP",
)
NOTES = [  # newest first, as the site lists them
    article("clip-2.md", "2026-03-01", body="复现笔记。", paper=Paper(arxiv="2103.00020")),
    article(
        "survey.md",
        "2026-02-01",
        body="对比学习见 https://arxiv.org/abs/2103.00020v3 ，ViT 见 arXiv:2010.11929。\n\n"
        "`arxiv.org/abs/9999.99999` 在代码里，不算。\n",
    ),
    article("clip.md", "2026-01-15", paper=CLIP),
    article("tips.md", "2025-12-01", paper=Paper(title="A Recipe {for} Tips", year=2019)),
    article("nothing.md", "2025-11-01", paper=Paper(venue="ICLR")),
]


def test_notes_about_one_paper_and_notes_citing_it_meet_on_its_page() -> None:
    groups = {g.key: g for g in group_papers(NOTES)}
    clip = groups["2103.00020"]
    assert clip.about == ("clip-2.md", "clip.md")  # two notes about one paper, newest first
    assert clip.citing == ("survey.md",)  # by an arXiv link in its text
    # What the notes say, merged: the fuller front matter fills the bare one.
    assert clip.paper.title == CLIP.title and clip.paper.year == 2021
    assert clip.src_uri == "papers/2103.00020/index.md"


def test_inferred_ids_and_papers_without_an_id_get_pages() -> None:
    groups = {g.key: g for g in group_papers(NOTES)}
    vit = groups["2010.11929"]
    assert vit.about == () and vit.citing == ("survey.md",)
    assert vit.paper.arxiv == "2010.11929" and vit.paper.arxiv_inferred
    assert vit.name == "arXiv:2010.11929"
    assert groups["a-recipe-for-tips"].about == ("tips.md",)
    # Neither an id nor a title: no paper anyone could find; code is not a citation.
    assert set(groups) == {"2103.00020", "2010.11929", "a-recipe-for-tips"}


def test_papers_are_newest_first_by_year_then_by_their_newest_note() -> None:
    keys = [g.key for g in group_papers(NOTES)]
    assert keys == ["2103.00020", "a-recipe-for-tips", "2010.11929"]


def test_a_title_ties_a_note_without_an_id_to_the_paper_with_one() -> None:
    notes = [article("a.md", paper=Paper(title=CLIP.title.upper())), article("b.md", paper=CLIP)]
    (only,) = group_papers(notes)
    assert only.key == "2103.00020" and only.about == ("a.md", "b.md")


def test_the_bib_file_has_one_entry_per_paper_with_unique_keys_and_balanced_braces() -> None:
    twin = Paper(title="Learning Transferable Things", authors=("Alec Radford",), year=2021)
    notes = [*NOTES, article("twin.md", "2025-01-01", paper=twin)]
    groups = group_papers(notes)
    bib = bib_file(groups, {a.path: a for a in notes})
    heads = [line for line in bib.splitlines() if line.startswith("@")]
    assert len(heads) == len(groups) == 4
    keys = [head.split("{", 1)[1].rstrip(",") for head in heads]
    assert len(set(keys)) == 4 and "radford2021learningb" in keys
    assert "A Recipe \\{for\\} Tips" in bib
    depth = 0
    for char in bib.replace("\\{", "").replace("\\}", ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_a_categorys_papers_are_those_its_notes_are_about_or_cite() -> None:
    groups = group_papers(NOTES)
    assert [g.key for g in papers_of(groups, ["survey.md"])] == ["2103.00020", "2010.11929"]
    assert papers_of(groups, ["nothing.md"]) == []


def test_arxiv_ids_are_read_as_ingest_reads_them_every_one_once() -> None:
    text = "arxiv.org/pdf/1706.03762.pdf 与 arXiv:1706.03762v2，还有 arXiv 2005.14165。"
    assert arxiv_ids(text) == ("1706.03762", "2005.14165")
    assert arxiv_ids("```\narxiv.org/abs/1706.03762\n```\n") == ()


def test_search_gets_one_article_per_paper_page_naming_its_notes() -> None:
    found = {a.path: a for a in search_articles(NOTES)}
    clip = found["papers/2103.00020/index.md"]
    assert clip.title == f"论文：{CLIP.title}" and clip.paper is not None
    assert (
        "Alec Radford" in clip.body
        and "笔记：clip-2" in clip.body
        and "arXiv:2103.00020" in clip.body
    )
    assert clip.date.isoformat() == "2026-03-01"  # its newest note
