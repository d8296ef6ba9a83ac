"""Text that is safe everywhere it goes: files, YAML, JSON, and XML 1.0 feeds.

Scrapes carry what a page's bytes happened to hold: a lone UTF-16 surrogate
where an excerpt was cut inside an emoji, ESC and backspace bytes, a byte
order mark in the middle of a file, Unicode line and paragraph separators.
None of them means anything to a reader; some break the tools downstream (a
lone surrogate cannot be encoded as UTF-8, a control character makes a feed
not well-formed XML, U+2028 ends a line for ``str.splitlines``).
"""

from __future__ import annotations

import re

# What XML 1.0 forbids (everything outside #x9 | #xA | #xD | [#x20-#xD7FF] |
# [#xE000-#xFFFD] | [#x10000-#x10FFFF]), plus DEL and the C1 controls (NEL included), which it
# allows but discourages and which no text means to hold.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Characters that break a line or paragraph outside "\n": the scrape's text is one line.
_BREAKS = re.compile("[\x85\u2028\u2029]")


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids or discourages (controls, lone
    surrogates, U+FFFE/U+FFFF); tab, line feed and carriage return stay.

    Idempotent; a feed writer can call it on every string it emits.
    """
    return _XML_FORBIDDEN.sub("", text)


def clean_scraped(text: str) -> str:
    """A scraped string as ingest keeps it: :func:`xml_safe`, a byte order mark inside
    the text dropped, and NEL, U+2028 and U+2029 turned into spaces."""
    return xml_safe(_BREAKS.sub(" ", text.replace("\ufeff", "")))
