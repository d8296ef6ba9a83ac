"""Which characters are Han, and which words say nothing: one home for each list.

Every regular expression, range check and stop list in Zhiku comes from here; the
browser's copy of the Han range (``search/assets/tokenize.mjs``) is checked against
:data:`HAN` by ``tests/unit/text/test_chars.py``, and the search stop words reach the
browser through the index manifest.
"""

from __future__ import annotations

import re

# CJK Unified Ideographs Extension A, CJK Unified Ideographs, CJK Compatibility Ideographs:
# the ideographs of Chinese technical prose (the supplementary planes are left out: they
# are rare, and JavaScript would need the "u" flag to match them).
HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
HAN = "".join(f"{chr(first)}-{chr(last)}" for first, last in HAN_RANGES)
"""The Han range as the inside of a regular-expression character class: ``f"[{HAN}]"``."""
_HAN_CHAR = re.compile(f"[{HAN}]")


def is_han(char: str) -> bool:
    """True when ``char`` (its first character) is a Han ideograph."""
    return bool(_HAN_CHAR.match(char))


def has_han(text: str) -> bool:
    """True when ``text`` holds at least one Han ideograph."""
    return _HAN_CHAR.search(text) is not None


# Words too common in technical notes to say what one is about: left out of the keywords
# that listings use for related articles. (Search has its own list, sent to the browser
# with the index: ``search/assets/stopwords.json``.)
_KEYWORD_STOPWORDS = """
我们 你们 他们 它们 这个 那个 这些 那些 一个 一种 一些 可以 能够 进行 通过 使用 如果 因为
所以 以及 或者 就是 还是 然后 那么 需要 其中 没有 不是 什么 如何 为什么 怎么 这样 这种
之间 已经 同时 由于 对于 关于 而且 但是 并且 其实 比如 例如 以下 以上 如下 之后 之前 问题
方法 时候 the and for are with that this from was were has have not but can will its into
than also which when where how what why our their there these those
"""
KEYWORD_STOPWORDS = frozenset(_KEYWORD_STOPWORDS.split())
