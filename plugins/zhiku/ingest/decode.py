"""Turning the bytes of an input file into text, or saying clearly why not."""

from __future__ import annotations

import codecs


class UnreadableInput(Exception):
    """An input that cannot be read as text; ``str()`` is ``what; what to do``."""


def decode_dump(data: bytes) -> str:
    """Decode a dump: UTF-8 with or without BOM, else GB18030 (a superset of GBK/GB2312).

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
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _normalise(text)
    return _fail("not UTF-8 or GB18030 text; save it as UTF-8")


def _normalise(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return _fail("the file holds only whitespace; remove it from the inputs or re-export it")
    return text


def _fail(message: str) -> str:
    raise UnreadableInput(message)
