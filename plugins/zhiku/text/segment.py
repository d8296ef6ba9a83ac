"""Word segmentation with jieba, through a tokenizer Zhiku owns.

We never touch jieba's process-global dictionary (``jieba.add_word`` and friends
would leak into every other user of jieba in the process); callers that need
extra words build their own :func:`new_tokenizer`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator

import jieba

from zhiku.text.chars import has_han

# jieba logs "Building prefix dict..." at INFO on its own logger; keep builds quiet.
logging.getLogger("jieba").setLevel(logging.WARNING)
jieba.setLogLevel(logging.WARNING)


def new_tokenizer(words: Iterable[str] = ()) -> jieba.Tokenizer:
    """A fresh jieba tokenizer that also knows ``words`` (for example tag names)."""
    tokenizer = jieba.Tokenizer()
    for word in words:
        if word.strip():
            tokenizer.add_word(word.strip(), freq=None)
    return tokenizer


@functools.cache
def default_tokenizer() -> jieba.Tokenizer:
    """The shared tokenizer with jieba's stock dictionary (loaded once, on first use)."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def words(text: str, tokenizer: jieba.Tokenizer | None = None) -> Iterator[str]:
    """Meaningful words of ``text``: jieba words, without spaces and punctuation."""
    for word in (tokenizer or default_tokenizer()).cut(text, HMM=False):
        word = word.strip()
        if word and (word.isalnum() or has_han(word)):
            yield word
