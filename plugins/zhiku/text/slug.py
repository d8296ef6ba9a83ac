"""ASCII-safe URL slugs: pinyin for Han words, lower-case words joined by hyphens; and the
anchors of headings (their own words, Unicode kept)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container, Sequence
from urllib.parse import unquote

from pymdownx.slugs import slugify as pymdownx_slugify

from zhiku.text.segment import default_tokenizer

MAX_LENGTH = 60
_NON_WORD = re.compile(r"[^a-z0-9]+")
# Device names Windows refuses as a file or folder name, in any case and with any
# extension (``con.md``, ``Nul.txt``, a folder ``aux/``): a clone of content/ or an
# upload of site/ would fail there. ``con-2`` is fine.
WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
)


def is_windows_reserved(name: str) -> bool:
    """Whether Windows refuses ``name`` as a file name (``con``, ``COM1.md``, ``nul.tar.gz``)."""
    return name.split(".", 1)[0].rstrip(" ").lower() in WINDOWS_RESERVED


def slugify(text: str, max_length: int = MAX_LENGTH) -> str:
    """``CLIP算法原理`` -> ``clip-suanfa-yuanli``; never empty (``article`` as a last resort).

    Han words (segmented by jieba) become their pinyin run together, so a slug
    reads word by word: ``梯度检查点`` -> ``tidu-jianchadian``.
    """
    # Imported here: pypinyin loads its phrase dictionary on import (~45 MiB, 0.3 s), and
    # a build whose names all have recorded slugs (zhiku.listing.slugbook) never needs it.
    from pypinyin import Style, lazy_pinyin

    parts = [
        "".join(lazy_pinyin(word, style=Style.NORMAL, errors="default"))
        for word in default_tokenizer().cut(text, HMM=False)
    ]
    ascii_text = unicodedata.normalize("NFKD", " ".join(parts)).encode("ascii", "ignore").decode()
    slug = _NON_WORD.sub("-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else cut[:max_length]
    return slug.strip("-") or "article"


def unique_slug(base: str, taken: Container[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… whichever is not ``taken``.

    A name Windows reserves is never free: ``con`` becomes ``con-2``.
    """
    if base not in taken and not is_windows_reserved(base):
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


_HEADING_SLUG = pymdownx_slugify(case="lower")


def heading_anchor(heading: str) -> str:
    """The anchor of a heading as mkdocs.yml's ``toc`` makes it (pymdownx.slugs, lower
    case, Unicode kept): ``失配指针`` -> ``失配指针``, ``Hello World`` -> ``hello-world``.
    Not for file names (:func:`slugify` is). Runs of spaces count as one, as toc reads
    a heading (``8.  判断`` -> ``8-判断``)."""
    return str(_HEADING_SLUG(" ".join(heading.split()), "-"))


# What other tools make of a heading, for links written on them (see :func:`anchor_for`).
# VitePress/VuePress (markdown-it-anchor with their slugify) and Hexo: runs of spaces and
# ASCII punctuation become one hyphen.
_PUNCTUATION_RUN = re.compile(r"[\s~`!@#$%^&*()\-_+=\[\]{}|\\;:\"'“”‘’<>,.?/–—]+")
# GitHub and Hugo: punctuation goes, spaces become hyphens (older GitHub and the table of
# contents tools that copied it: ASCII punctuation only, "，" stays).
_NOT_SLUG = re.compile(r"[^\w\- ]")
_ASCII_PUNCTUATION = re.compile(r"[!-,./:-@\[-\^`{-~]")


def _other_anchors(heading: str) -> set[str]:
    lower = heading.strip().lower()
    dashed = _PUNCTUATION_RUN.sub("-", unicodedata.normalize("NFKC", lower)).strip("-")
    return {
        dashed,
        "_" + dashed if dashed[:1].isdigit() else dashed,  # VitePress: no leading digit
        _NOT_SLUG.sub("", lower).replace(" ", "-"),
        _ASCII_PUNCTUATION.sub("", lower).replace(" ", "-"),
        lower.replace(" ", "-"),  # Jupyter: the text with "-" for spaces (#2.1-创建Tagging函数)
    }


def anchor_for(headings: Sequence[tuple[str, str | None]], anchor: str) -> str | None:
    """The anchor a built page gives the heading that ``anchor`` names, when ``anchor`` was
    written for another tool's pages (GitHub, VitePress and VuePress, Hexo, Hugo, Jupyter), which
    make anchors their own way (``server.host``: ``server-host`` there, ``serverhost``
    here); ``anchor`` itself when the page has it. ``headings`` are the page's (text, its
    own ``{#id}`` or None), in order. None when no heading, or more than one, answers to it.
    """
    wanted = unquote(anchor)
    ours: list[str] = []
    seen: dict[str, int] = {}
    for text, own in headings:
        if own:
            ours.append(own)
            continue
        base = heading_anchor(text)
        n = seen.get(base, 0)
        seen[base] = n + 1
        ours.append(base if n == 0 else f"{base}_{n}")
    if wanted in ours:
        return anchor
    folded = wanted.lower()
    found = {ours[i] for i, (text, _) in enumerate(headings) if folded in _other_anchors(text)}
    return found.pop() if len(found) == 1 else None
