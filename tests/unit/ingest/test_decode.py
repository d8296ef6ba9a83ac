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


def test_a_utf8_dump_with_an_emoji_cut_in_two_loses_only_the_broken_bytes() -> None:
    body = "简介 这是一段足够长的正文,用来说明只有被截断的字符会被丢掉。" * 3
    data = (body + "😀").encode("utf-8")[:-1] + b"...\n" + "第二行正文".encode()
    assert decode_dump(data) == body + "...\n第二行正文"


def test_a_gbk_dump_is_not_mistaken_for_broken_utf8() -> None:
    text = "LATEST UPDATES\nA long line of ASCII text with only 一个 Chinese word in it.\n"
    assert decode_dump(text.encode("gbk")) == text
