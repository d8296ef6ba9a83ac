"""arXiv ids in text, pure: ``arxiv.org/abs/2103.00020v2``, ``arXiv:2103.00020``.

The same reading as ingest's guess at the paper an article is about
(:mod:`zhiku.ingest.papers`), for every id a text names, not only the first.
"""

from __future__ import annotations

import functools
import re

from zhiku.text.mathmark import Kind, protected_spans

# arxiv.org/abs/2103.00020v2, arxiv.org/pdf/2103.00020.pdf, arXiv:2103.00020, arXiv 2103.00020
ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html)/|\barxiv[:\s]\s*)(\d{4}\.\d{4,5})(?:v\d+)?",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1 << 16)
def arxiv_ids(text: str) -> tuple[str, ...]:
    """Every arXiv id ``text`` names outside code blocks, in order, each once, without
    its version. Remembered: every build asks it of every article's unchanged body, twice
    (paper pages, and their search entries); room for every article of a large site (a
    smaller memory, cycled through in order, would remember nothing)."""
    if "arxiv" not in text.lower():
        return ()
    found = []
    last = 0
    for span in protected_spans(text):
        if span.kind is Kind.FENCE or span.kind is Kind.CODE:
            found += ARXIV.findall(text, last, span.start)
            last = span.end
    found += ARXIV.findall(text, last)
    return tuple(dict.fromkeys(found))
