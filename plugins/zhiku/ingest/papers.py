"""Ingest's guess at the paper an article is about: an arXiv id in its text or 🔖 source.

Only the id is filled (``paper.arxiv``, marked ``arxiv_inferred``); a person adds the
rest. :func:`merge_paper` keeps what the file already has: hand edits win, and an id found
before is kept on re-ingest.
"""

from __future__ import annotations

import dataclasses
import re

from zhiku.articles.model import Article, Paper

# arxiv.org/abs/2103.00020v2, arxiv.org/pdf/2103.00020.pdf, arXiv:2103.00020, arXiv 2103.00020
ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|\barxiv[:\s]\s*)(\d{4}\.\d{4,5})(?:v\d+)?",
    re.IGNORECASE,
)


def find_arxiv(text: str, source: str | None = None) -> str | None:
    """The first arXiv id in ``source`` (the 🔖 link), else in ``text``; None if none."""
    for where in (source or "", text):
        found = ARXIV.search(where)
        if found:
            return found.group(1)
    return None


def with_paper(article: Article, text: str) -> Article:
    """``article`` with ``paper.arxiv`` filled (inferred) when its text or source names one."""
    if article.paper is not None:
        return article
    arxiv = find_arxiv(text, article.source)
    if arxiv is None:
        return article
    return dataclasses.replace(article, paper=Paper(arxiv=arxiv, arxiv_inferred=True))


def merge_paper(new: Article, current: Article) -> Paper | None:
    """The paper to write on re-ingest: the file's own when it has one, else the new guess."""
    return current.paper if current.paper is not None else new.paper
