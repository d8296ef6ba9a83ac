"""Paper cards: arXiv ids found by ingest, BibTeX generated and escaped."""

from __future__ import annotations

import dataclasses
import datetime as dt

from zhiku.articles import Article, dump_article, parse_article
from zhiku.articles.model import Paper
from zhiku.ingest.papers import find_arxiv, merge_paper, with_paper
from zhiku.listing.papers import bibtex, paper_search_text

ARTICLE = Article("clip.md", "CLIP算法原理", dt.date(2026, 1, 15), "正文。")


def test_arxiv_ids_are_found_in_links_and_citations() -> None:
    assert find_arxiv("见 https://arxiv.org/abs/2103.00020v2 。") == "2103.00020"
    assert find_arxiv("pdf: arxiv.org/pdf/1706.03762.pdf") == "1706.03762"
    assert find_arxiv("论文 arXiv:2005.14165 提出") == "2005.14165"
    assert find_arxiv("正文没有", "https://arxiv.org/abs/2106.09685") == "2106.09685"
    assert find_arxiv("版本号 2103.00020 不是链接") is None


def test_ingest_marks_a_found_id_inferred_and_keeps_what_the_file_has() -> None:
    found = with_paper(ARTICLE, "https://arxiv.org/abs/2103.00020")
    assert found.paper == Paper(arxiv="2103.00020", arxiv_inferred=True)
    assert "arxiv_inferred: true" in dump_article(found)
    hand = Paper(arxiv="1706.03762", title="Attention Is All You Need")
    edited = dataclasses.replace(ARTICLE, paper=hand)
    assert merge_paper(found, edited) == hand  # a hand edit wins
    assert merge_paper(found, ARTICLE) == found.paper  # nothing in the file: the guess
    again = parse_article("clip.md", dump_article(found))
    assert again is not None and again.paper == found.paper


def test_bibtex_is_generated_with_every_special_character_escaped() -> None:
    paper = Paper(
        arxiv="2103.00020",
        title="Learning {Transferable} Models & 50% of_x #1 $\\alpha$ ~ ^",
        authors=("Alec Radford", "Jong Wook Kim"),
        venue="ICML",
        year=2021,
        code="https://github.com/openai/CLIP",
    )
    text = bibtex(paper, ARTICLE)
    assert text.startswith("@inproceedings{radford2021learning,\n")
    assert (
        r"title = {{Learning \{Transferable\} Models \& 50\% of\_x \#1 "
        r"\$\textbackslash{}alpha\$ \textasciitilde{} \textasciicircum{}}}" in text
    )
    assert "author = {Alec Radford and Jong Wook Kim}" in text
    assert "eprint = {2103.00020}" in text and text.endswith("\n}")
    # Braces balance: the entry parses as one BibTeX record.
    assert text.replace("\\{", "").count("{") == text.replace("\\}", "").count("}")
    assert bibtex(Paper(arxiv="2103.00020"), ARTICLE).startswith("@misc{arxiv2103.00020,")


def test_search_text_holds_the_arxiv_id_and_the_paper_title() -> None:
    paper = Paper(arxiv="2103.00020", title="Learning Transferable Visual Models")
    text = paper_search_text(dataclasses.replace(ARTICLE, paper=paper))
    assert "2103.00020" in text and "Learning Transferable Visual Models" in text
