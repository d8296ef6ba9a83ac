import codecs

import pytest

from zhiku.ingest.decode import UnreadableInput, decode_dump

TEXT = "LATEST UPDATES\n概述 注意力机制\n"


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("gbk"),
        TEXT.encode("gb18030"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r\n").encode("gbk"),
        TEXT.encode("utf-16"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "crlf", "gbk-crlf", "utf16"],
)
def test_every_supported_encoding_reads_the_same(data: bytes) -> None:
    assert decode_dump(data) == TEXT


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\t\n", "the file is empty"),
        (b"PK\x03\x04\x00\x00binary", "binary file (NUL bytes)"),
        (b"\x81\x30\x81", "not UTF-8 or GB18030 text"),
    ],
)
def test_unreadable_inputs_say_what_and_what_to_do(data: bytes, message: str) -> None:
    with pytest.raises(UnreadableInput) as info:
        decode_dump(data)
    assert str(info.value).startswith(message)
    assert ";" in str(info.value)  # what is wrong; what to do
