"""Pinyin keys of the index's Han terms: what lets a reader type ``zhuyili`` or ``zyl``.

Terms are jieba words (and their search-mode sub-words), so pypinyin sees each
polyphone inside the word it belongs to (``重庆`` -> ``chongqing``, ``长度`` ->
``changdu``): the word decides the reading, as jieba decided the word. Keys are
tone-less, ``ü`` written ``v`` (``绿色`` -> ``lvse``), as readers type on a
keyboard; the browser folds ``lü``, ``lǜ`` and tone digits (``lv4``) to the same.

Each key maps to the Han terms that read so, most documents first. Full pinyin
keys are made for terms of two or more characters; initials (``zyl``) for terms
of three to six characters. These are the words a typed pinyin word can name on
its own. Pinyin typed without spaces names several adjacent words at once
(``tidujianchadian`` is 梯度 and 检查点, ``zhuyilijz`` 注意力 and 机制): for
those, keys also list *parts*, terms that a typed word may name only beside
other words it is found adjacent to: single characters under their syllable
(``he`` -> 核) and two-character words under their two initials (``jz`` -> 机制).
Parts follow a key's whole words in its list, at most :data:`MAX_PARTS_PER_KEY`
of them; the browser tells them apart by length (one character, or two under a
two-letter key). Last come *phrases*, a character and a word jieba keeps apart but
a title or several articles put side by side (``gsy`` -> ``感受 野``): they let the
initials of 感受野 name it. A key lives in the pinyin shard of its first :data:`KEY_CHARS`
letters, so the browser fetches one small file per typed word.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping

from zhiku.text.chars import HAN

KEY_CHARS = 3  # letters of a key that pick its shard
MAX_TERMS_PER_KEY = 8  # the most-used terms that read so; the rest add bytes, not answers
# Parts (see the module docstring) are many per key ("ji": 机, 基, 积, 级 …); adjacency
# to the other words typed decides among them, so a key keeps more of them.
MAX_PARTS_PER_KEY = 16
MAX_PHRASES_PER_KEY = 4
MIN_INITIALS_CHARS = 3  # two letters ("sd") name too many words on their own: parts only
MAX_INITIALS_CHARS = 6
_HAN_ONLY = re.compile(f"^[{HAN}]+$")
_LETTERS = re.compile("^[a-z]+$")

Reading = Callable[[str], "tuple[str, str] | None"]


@functools.cache
def _pypinyin() -> tuple[Callable[..., list[str]], object]:
    from pypinyin import Style, lazy_pinyin  # imported here: only the indexer needs it

    return lazy_pinyin, Style.NORMAL


def reading(term: str) -> tuple[str, str] | None:
    """(full pinyin, initials) of a Han term, tone-less with ``v`` for ``ü``; None otherwise."""
    if not _HAN_ONLY.match(term):
        return None
    lazy_pinyin, normal = _pypinyin()
    syllables = lazy_pinyin(term, style=normal, errors="ignore")
    if len(syllables) != len(term):
        return None
    full = "".join(syllables)
    initials = "".join(s[0] for s in syllables)
    if not _LETTERS.match(full):
        return None
    return full, initials


def is_part(key: str, term: str) -> bool:
    """Whether ``term`` is listed under ``key`` only as a part of a longer typed phrase:
    a single character, or a two-character word under its two initials."""
    return len(term) == 1 or (len(term) == len(key) < MIN_INITIALS_CHARS)


def pinyin_keys(
    terms_df: Mapping[str, int],
    read: Reading = reading,
    phrases: Mapping[tuple[str, ...], int] | None = None,
) -> dict[str, list[str]]:
    """{pinyin key: Han terms that read so, most documents first (at most a few), then
    the parts that read so, then the phrases (see the module docstring)}.

    ``phrases`` are runs of adjacent terms jieba keeps apart ((感受, 野): documents); a
    phrase is listed as its terms joined by a space (``"感受 野"``), under the joined
    pinyin and initials of its terms, each read within itself.
    """
    said: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for phrase, df in (phrases or {}).items():
        readings = [read(part) for part in phrase]
        if any(r is None for r in readings):
            continue
        for key in ("".join(r[0] for r in readings if r), "".join(r[1] for r in readings if r)):
            said[key].append((-df, " ".join(phrase)))
    found: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for term, df in terms_df.items():
        keys = read(term)
        if keys is None:
            continue
        full, initials = keys
        found[full].append((-df, term))
        if 2 <= len(term) <= MAX_INITIALS_CHARS:
            found[initials].append((-df, term))
    out = {}
    for key in sorted(found.keys() | said.keys()):
        ranked = sorted(found.get(key, []))
        words = [term for _, term in ranked if not is_part(key, term)][:MAX_TERMS_PER_KEY]
        parts = [term for _, term in ranked if is_part(key, term)][:MAX_PARTS_PER_KEY]
        out[key] = words + parts + [p for _, p in sorted(said.get(key, []))[:MAX_PHRASES_PER_KEY]]
    return out


def key_shard(key: str) -> str:
    """The part of a pinyin key that picks its shard (``tokenize.mjs`` ``pinyinShardKey``)."""
    return key[:KEY_CHARS]
