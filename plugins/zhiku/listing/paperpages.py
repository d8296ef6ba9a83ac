"""Paper pages, pure: which papers the site's notes are about or cite, and their BibTeX.

A note is *about* the paper of its front matter ``paper:``, and *cites* every paper its
text links to on arXiv (``arxiv.org/abs/2103.00020``, ``arXiv:2103.00020``, read as ingest
reads them: :mod:`zhiku.text.arxiv`). :func:`group_papers` gathers, per paper, the notes
about it and the notes citing it; a paper is known by its arXiv id, else by its title
(a note that gives both ties the title to the id). Each paper gets a page at
``papers/<arXiv id>/`` (or ``papers/<slug of its title>/``); ``papers/`` lists them all,
newest first, and ``papers/papers.bib`` holds one BibTeX entry per paper (:func:`bib_file`),
as do one ``.bib`` per category and per tag.

Every field of a paper is untrusted: the markup escapes it (autoescaping templates) and
the BibTeX escapes LaTeX's specials (:func:`zhiku.listing.papers.escape`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from zhiku.articles.model import Article, Paper
from zhiku.listing.papers import bibtex
from zhiku.text.arxiv import arxiv_ids
from zhiku.text.slug import slugify, unique_slug

PAPERS_DIR = "papers"
INDEX = f"{PAPERS_DIR}/index.md"
BIB = f"{PAPERS_DIR}/papers.bib"
_FIELDS = ("title", "authors", "venue", "year", "code")


@dataclass(frozen=True, slots=True)
class PaperGroup:
    """One paper and the notes about it and citing it (source paths, newest first)."""

    key: str  # the arXiv id, or a slug of the title
    paper: Paper
    about: tuple[str, ...]  # notes whose paper: it is
    citing: tuple[str, ...]  # notes that only link to it

    @property
    def src_uri(self) -> str:
        return f"{PAPERS_DIR}/{self.key}/index.md"

    @property
    def notes(self) -> tuple[str, ...]:
        return self.about + self.citing

    @property
    def name(self) -> str:
        """What the paper is called where it is listed."""
        return self.paper.title or (f"arXiv:{self.paper.arxiv}" if self.paper.arxiv else self.key)


def _title_key(title: str) -> str:
    text = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"\W+", " ", text).strip()


def _merged(papers: Sequence[Paper]) -> Paper:
    """One paper from what several notes say of it: each field from the note that says
    the most (then the newest)."""
    fullest = sorted(
        papers, key=lambda p: -sum(bool(getattr(p, name)) for name in ("arxiv", *_FIELDS))
    )
    values = {
        name: next((getattr(p, name) for p in fullest if getattr(p, name)), getattr(Paper(), name))
        for name in ("arxiv", *_FIELDS)
    }
    inferred = bool(values["arxiv"]) and all(p.arxiv_inferred for p in papers if p.arxiv)
    return Paper(**values, arxiv_inferred=inferred)


def group_papers(articles: Iterable[Article]) -> tuple[PaperGroup, ...]:
    """Every paper ``articles`` (newest first) are about or cite, newest paper first (by
    its year, then by its newest note); a ``paper:`` with neither an arXiv id nor a title
    names no paper anyone could find, and is left out."""
    notes = list(articles)
    by_title: dict[str, str] = {}  # a title's key -> the arXiv id a note gives with it
    for a in notes:
        if a.paper is not None and a.paper.arxiv and a.paper.title:
            by_title.setdefault(_title_key(a.paper.title), a.paper.arxiv)
    said: dict[str, list[Paper]] = {}  # paper identity -> what notes about it say
    about: dict[str, list[str]] = {}
    citing: dict[str, list[str]] = {}
    newest: dict[str, dt.date] = {}
    titles: dict[str, str] = {}  # identity "title:…" -> the title, for its slug

    def note(identity: str, article: Article, into: dict[str, list[str]]) -> None:
        into.setdefault(identity, [])
        if article.path not in into[identity]:
            into[identity].append(article.path)
        newest[identity] = max(newest.get(identity, article.date), article.date)

    for a in notes:
        own = None
        if a.paper is not None:
            p = a.paper
            arxiv = p.arxiv or (by_title.get(_title_key(p.title)) if p.title else None)
            if arxiv:
                own = "arxiv:" + arxiv
            elif p.title:
                own = "title:" + _title_key(p.title)
                titles.setdefault(own, p.title)
            if own is not None:
                said.setdefault(own, []).append(dataclasses.replace(p, arxiv=arxiv))
                note(own, a, about)
        for arxiv in arxiv_ids(a.body):
            identity = "arxiv:" + arxiv
            if identity != own:
                said.setdefault(identity, [])
                note(identity, a, citing)
    taken: set[str] = set()
    groups = []
    for identity, papers in said.items():
        if identity.startswith("arxiv:"):
            key = identity.removeprefix("arxiv:")
            paper = _merged(papers) if papers else Paper(arxiv=key, arxiv_inferred=True)
        else:
            key = unique_slug(slugify(titles[identity]), taken)
            paper = _merged(papers)
        taken.add(key)
        cited = tuple(s for s in citing.get(identity, ()) if s not in about.get(identity, ()))
        groups.append(PaperGroup(key, paper, tuple(about.get(identity, ())), cited))
    order = {a.path: i for i, a in enumerate(notes)}

    def newest_first(group: PaperGroup) -> tuple[int, int, str]:
        year = group.paper.year or 0
        first_note = min(order[s] for s in group.notes)
        return -year, first_note, group.key

    return tuple(
        dataclasses.replace(
            g,
            about=tuple(sorted(g.about, key=order.__getitem__)),
            citing=tuple(sorted(g.citing, key=order.__getitem__)),
        )
        for g in sorted(groups, key=newest_first)
    )


def entry_of(group: PaperGroup, articles: Mapping[str, Article]) -> str:
    """The BibTeX entry of ``group``'s paper (its key from the paper, else from a note)."""
    return bibtex(group.paper, articles[group.notes[0]])


def bib_file(groups: Sequence[PaperGroup], articles: Mapping[str, Article]) -> str:
    """A ``.bib`` with one entry per paper, each citation key used once (``…b``, ``…c``
    after the first)."""
    taken: set[str] = set()
    entries = []
    for group in groups:
        entry = entry_of(group, articles)
        head, _, rest = entry.partition("\n")
        kind, _, key = head.rstrip(",").partition("{")
        unique = key
        n = 1
        while unique in taken:
            n += 1
            unique = f"{key}{chr(ord('a') + n - 1) if n <= 26 else n}"
        taken.add(unique)
        entries.append(f"{kind}{{{unique},\n{rest}")
    return "\n\n".join(entries) + "\n" if entries else ""


def papers_of(groups: Sequence[PaperGroup], notes: Iterable[str]) -> list[PaperGroup]:
    """The papers (of ``groups``, in their order) that any of ``notes`` is about or cites."""
    wanted = set(notes)
    return [g for g in groups if wanted.intersection(g.notes)]


def search_articles(articles: Iterable[Article]) -> tuple[Article, ...]:
    """Each paper page as search should index it: an article at the page's source path,
    titled by the paper, whose text names its authors, venue, year, arXiv id and the notes
    about and citing it (and whose ``paper`` lets search find it by id and title), dated by
    its newest note. For ``zhiku/search``, which indexes articles."""
    notes = sorted(articles, key=lambda a: (a.date, a.path), reverse=True)
    by_path = {a.path: a for a in notes}
    found = []
    for g in group_papers(notes):
        p = g.paper
        lines = [
            g.name,
            "、".join(p.authors),
            " ".join(str(x) for x in (p.venue, p.year) if x),
            f"arXiv:{p.arxiv}" if p.arxiv else "",
            *(f"笔记：{by_path[s].title}" for s in g.notes),
        ]
        found.append(
            Article(
                path=g.src_uri,
                title=f"论文：{g.name}",
                date=max(by_path[s].date for s in g.notes),
                body="\n\n".join(line for line in lines if line) + "\n",
                category="论文",
                paper=p,
            )
        )
    return tuple(found)
