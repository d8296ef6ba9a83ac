"""ASCII-safe URL slugs: pinyin for Han words, lower-case words joined by hyphens; and the
anchors of headings (their own words, Unicode kept)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container

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
    Not for file names (:func:`slugify` is)."""
    return str(_HEADING_SLUG(heading, "-"))
