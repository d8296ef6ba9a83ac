"""Turning the bytes of an input file into text, or saying clearly why not."""

from __future__ import annotations

import codecs
import re

# Bytes that are not UTF-8, as "surrogateescape" decodes them.
_ESCAPED = re.compile("[\udc80-\udcff]")


class UnreadableInput(Exception):
    """An input that cannot be read as text; ``str()`` is ``what; what to do``."""


def decode_dump(data: bytes) -> str:
    """Decode a dump: UTF-8 with or without BOM (a few broken sequences dropped), else
    GB18030 (a superset of GBK/GB2312).

    CRLF and CR line ends become LF. Raises :class:`UnreadableInput` for empty,
    binary (NUL bytes) and undecodable inputs.
    """
    if not data.strip():
        return _fail("the file is empty; remove it from the inputs or re-export the dump")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            return _fail("the file starts like UTF-16 but does not decode; save it as UTF-8")
        return _normalise(text)
    if b"\x00" in data:
        return _fail(
            "binary file (NUL bytes), not a text or JSON Lines dump; remove it from the inputs"
        )
    try:
        return _normalise(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return _normalise(mostly)
    try:
        return _normalise(data.decode("gb18030"))
    except UnicodeDecodeError:
        pass
    return _fail("not UTF-8 or GB18030 text; save it as UTF-8")


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few broken sequences dropped (an excerpt cut inside an emoji),
    or None when too much is broken for the file to be UTF-8 at all.

    A GBK file read as UTF-8 breaks on nearly every non-ASCII byte; a UTF-8 scrape with a
    cut character breaks on a handful among thousands.
    """
    text = data.decode("utf-8", errors="surrogateescape")
    broken = len(_ESCAPED.findall(text))
    foreign = sum(1 for byte in data if byte >= 0x80)
    if broken * 20 > foreign:
        return None
    return _ESCAPED.sub("", text)


def _normalise(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return _fail("the file holds only whitespace; remove it from the inputs or re-export it")
    return text


def _fail(message: str) -> str:
    raise UnreadableInput(message)
