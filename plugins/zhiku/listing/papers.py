"""A paper card's BibTeX, pure: generated from front matter ``paper:``, every value escaped."""

from __future__ import annotations

import re
import unicodedata

from zhiku.articles.model import Article, Paper

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIAL))
_STOP = {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with"}


def escape(text: str) -> str:
    """``text`` as a BibTeX field value (inside braces): LaTeX's specials escaped."""
    text = "".join(c for c in text if unicodedata.category(c)[0] != "C")
    return _SPECIAL_RE.sub(lambda m: _SPECIAL[m.group(0)], text)


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def cite_key(paper: Paper, article: Article) -> str:
    """``radford2021learning``; ``arxiv2103.00020`` or the article's slug when names fail."""
    last = _ascii_word(paper.authors[0].split()[-1]) if paper.authors else ""
    words = [_ascii_word(w) for w in (paper.title or "").split()]
    first = next((w for w in words if w and w not in _STOP), "")
    key = f"{last}{paper.year or ''}{first}"
    if last and (first or paper.year):
        return key
    if paper.arxiv:
        return "arxiv" + re.sub(r"[^0-9a-z.]", "", paper.arxiv.lower())
    return re.sub(r"[^0-9a-z-]", "", article.slug.rsplit("/", 1)[-1].lower()) or "paper"


def bibtex(paper: Paper, article: Article) -> str:
    """A BibTeX entry: ``@inproceedings`` with a venue, else ``@misc`` (an arXiv preprint).

    It holds only what front matter ``paper:`` says (an id ingest found gives eprint and
    URL); nothing is filled in from the article, whose title is the note's, not the paper's.
    """
    kind = "inproceedings" if paper.venue else "misc"
    # Only what is known: a paper ingest found by its arXiv link has no title until the
    # front matter gives one (the article's title is not the paper's: a wrong citation).
    fields: list[tuple[str, str]] = []
    if paper.title:
        fields.append(("title", f"{{{escape(paper.title)}}}"))
    if paper.authors:
        fields.append(("author", " and ".join(escape(a) for a in paper.authors)))
    if paper.venue:
        fields.append(("booktitle", escape(paper.venue)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.arxiv:
        fields += [
            ("eprint", escape(paper.arxiv)),
            ("archivePrefix", "arXiv"),
            ("url", f"https://arxiv.org/abs/{escape(paper.arxiv)}"),
        ]
    if paper.code:
        fields.append(("note", f"Code: \\url{{{escape(paper.code)}}}"))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{cite_key(paper, article)},\n{body}\n}}"


def unknown_fields(paper: Paper) -> tuple[str, ...]:
    """What a citation needs that ``paper`` does not say, in the words a reader reads:
    ("标题", "作者") for a paper ingest found by its arXiv link alone."""
    missing = []
    if not paper.title:
        missing.append("标题")
    if not paper.authors:
        missing.append("作者")
    return tuple(missing)


def paper_search_text(article: Article) -> str:
    """What search should find the article by: its paper's arXiv id and title."""
    paper = article.paper
    if paper is None:
        return ""
    parts = [f"arXiv:{paper.arxiv} {paper.arxiv}" if paper.arxiv else "", paper.title or ""]
    return " ".join(p for p in parts if p)
