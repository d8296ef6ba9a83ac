"""A paper ingest found by itself has no invented metadata (README promise 7).

Its BibTeX holds only what is known (arXiv id, eprint, URL) until the front matter gives
a title and authors; the paper card says what is unknown. The article's title is the
note's, not the paper's: copying it into the citation would cite a paper that does not
exist.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from zhiku.articles import Article
from zhiku.articles.model import Paper
from zhiku.ingest.papers import with_paper
from zhiku.listing.papers import bibtex, unknown_fields

NOTE = Article(
    "chameleon.md",
    "Chameleon:生成理解统一模型的开山之作",
    dt.date(2026, 1, 11),
    "Chameleon 是一个既能做图像理解,又可以做图像或者文本生成任务的模型。",
)
SCRAPE = "Chameleon:生成理解统一模型的开山之作 🔖 https://arxiv.org/pdf/2405.09818 Chameleon 是…"


def test_a_found_paper_cites_only_its_arxiv_id() -> None:
    found = with_paper(NOTE, SCRAPE)
    assert found.paper is not None
    entry = bibtex(found.paper, found)
    assert entry.startswith("@misc{arxiv2405.09818,\n")
    assert "eprint = {2405.09818}" in entry
    assert "url = {https://arxiv.org/abs/2405.09818}" in entry
    # Nothing from the note: no title, no author, no year the scrape never said.
    assert "Chameleon" not in entry and "生成理解" not in entry
    assert "title" not in entry and "author" not in entry and "year" not in entry
    assert unknown_fields(found.paper) == ("标题", "作者")


def test_a_title_and_authors_from_front_matter_complete_the_citation() -> None:
    found = with_paper(NOTE, SCRAPE)
    assert found.paper is not None
    given = dataclasses.replace(
        found.paper,
        title="Chameleon: Mixed-Modal Early-Fusion Foundation Models",
        authors=("Chameleon Team",),
        year=2024,
    )
    entry = bibtex(given, dataclasses.replace(found, paper=given))
    assert "title = {{Chameleon: Mixed-Modal Early-Fusion Foundation Models}}" in entry
    assert "author = {Chameleon Team}" in entry and "eprint = {2405.09818}" in entry
    assert "开山之作" not in entry
    assert unknown_fields(given) == ()
    assert unknown_fields(Paper(arxiv="2405.09818", title="Chameleon")) == ("作者",)
