"""What a listing shows about one article: excerpt, reading time, keywords.

An :class:`Entry` is computed once per version of an article file and cached by
the plugin across rebuilds, so everything expensive (jieba) happens here.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass

from zhiku.articles import Article
from zhiku.text.chars import KEYWORD_STOPWORDS, is_han
from zhiku.text.excerpt import excerpt, excerpt_source, plain_text
from zhiku.text.reading import reading_minutes
from zhiku.text.segment import jieba, words

# Ingest's source link and "excerpt ends here" note say nothing about the article itself.
_SCRAPE_MARKS = re.compile(r'<(a|p)\b[^>]*class="zk-(?:source|truncated)"[^>]*>.*?</\1>', re.DOTALL)
_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
# Only the opening of a long article is read for the excerpt: it never needs more.
SAMPLE_CHARS = 1200
# Keywords come from the title, the tags (which ingest matched against the whole text),
# the headings and the excerpt: they name the topic, and jieba over every character of
# 3,000 articles would take longer than all the rest of the listing work together.
HEADINGS = 12


@dataclass(frozen=True, slots=True)
class Entry:
    """An article with what its cards need, computed once per file version."""

    article: Article
    excerpt: str
    minutes: int
    keywords: tuple[tuple[str, int], ...]  # (term, count), most frequent first

    @property
    def src_uri(self) -> str:
        return self.article.path


def _opening(body: str) -> str:
    """The first ~SAMPLE_CHARS of ``body``, cut at a block boundary outside code fences."""
    if len(body) <= SAMPLE_CHARS:
        return body
    cut = body.find("\n\n", SAMPLE_CHARS)
    head = body if cut < 0 else body[:cut]
    fences = list(_FENCE.finditer(head))
    if len(fences) % 2:
        head = head[: fences[-1].start()]
    return head


def _readable(markdown: str) -> str:
    """What a reader sees of ``markdown`` as running text, for an excerpt: no headings,
    formulas' TeX, scrape marks or boilerplate; the text before ``<!-- more -->``."""
    return excerpt_source(_SCRAPE_MARKS.sub(" ", markdown))


def _terms(text: str, tokenizer: jieba.Tokenizer | None) -> tuple[str, ...]:
    """Lower-cased jieba words of ``text`` that can carry a topic."""
    if tokenizer is None:
        # jieba cuts each of these blocks on its own, so a block's words do not depend on
        # its neighbours: each distinct block is segmented once per process.
        blocks = _JIEBA_BLOCK.split(text)
        if len(blocks) == 1:
            return _block_terms(text)
        terms_of = _block_terms
        return tuple(term for block in blocks if block for term in terms_of(block))
    return _filter_terms(text, tokenizer)


# jieba.cut's own block pattern (``jieba.re_han_default``): runs of Han, Latin and digits.
_JIEBA_BLOCK = jieba.re_han_default


@functools.lru_cache(maxsize=1 << 16)
def _block_terms(block: str) -> tuple[str, ...]:
    return _filter_terms(block, None)


def _filter_terms(text: str, tokenizer: jieba.Tokenizer | None) -> tuple[str, ...]:
    terms = []
    for word in words(text, tokenizer):
        term = word.lower()
        if term in KEYWORD_STOPWORDS or term.isdigit():
            continue
        if len(term) < 2 and (is_han(term) or term.isascii()):
            continue
        terms.append(term)
    return tuple(terms)


# Tag names and headings repeat across a site ("简介", "背景", "Transformer"): each distinct
# one is segmented once per process.
@functools.lru_cache(maxsize=1 << 14)
def _shared_terms(text: str) -> tuple[str, ...]:
    return _terms(text, None)


def keywords(
    title: str,
    tags: tuple[str, ...],
    text: str,
    tokenizer: jieba.Tokenizer | None = None,
    headings: tuple[str, ...] = (),
) -> Counter[str]:
    """Term counts for similarity: title and tags weigh three times as much as text."""
    counts: Counter[str] = Counter()

    def shared(text: str) -> tuple[str, ...]:
        return _shared_terms(text) if tokenizer is None else _terms(text, tokenizer)

    for term in _terms(title, tokenizer):
        counts[term] += 3
    for tag in tags:
        for term in shared(tag):
            counts[term] += 3
        counts[f"#{tag.lower()}"] += 3
    for heading in headings:
        for term in shared(heading):
            counts[term] += 1
    for term in _terms(text, tokenizer):
        counts[term] += 1
    return counts


def make_entry(
    article: Article, excerpt_length: int = 120, tokenizer: jieba.Tokenizer | None = None
) -> Entry:
    """Compute the card data and keywords of ``article``."""
    # A long table of contents or list of links can fill the opening: then the whole body.
    opening = _readable(_opening(article.body)) or _readable(article.body)
    # A description is written by hand, or by an importer from another tool: text too.
    description = plain_text(article.description) if article.description else ""
    summary = description or excerpt(opening, excerpt_length)
    headings = tuple(dict.fromkeys(_HEADING.findall(article.body)))[:HEADINGS]
    counts = keywords(article.title, article.tags, summary, tokenizer, headings)
    return Entry(
        article=article,
        excerpt=summary,
        minutes=reading_minutes(article.body),
        keywords=tuple(counts.most_common()),
    )
