"""Image sizes read from the first bytes of the files a note shows."""

from __future__ import annotations

import struct
import zlib

import pytest

from zhiku.glue.figures import local_image
from zhiku.text.figures import image_size


def _png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00" * (3 * width + 1) * height))
        + chunk(b"IEND", b"")
    )


def _jpeg(width: int, height: int, orientation: int | None = None) -> bytes:
    """A JPEG's markers as a camera writes them: Exif (APP1) first, then tables, then the
    frame header (SOF2, progressive) and the scan."""
    out = b"\xff\xd8"
    if orientation is not None:
        tiff = b"MM\x00\x2a" + struct.pack(">I", 8) + struct.pack(">H", 1)
        tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + b"\x00\x00\x00\x00"
        body = b"Exif\x00\x00" + tiff
        out += b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    table = bytes(65)
    out += b"\xff\xdb" + struct.pack(">H", len(table) + 2) + table
    frame = struct.pack(">BHHB", 8, height, width, 3) + bytes(9)
    out += b"\xff\xc2" + struct.pack(">H", len(frame) + 2) + frame
    return out + b"\xff\xda\x00\x02" + bytes(20) + b"\xff\xd9"


def test_png_gif_and_jpeg_give_their_size() -> None:
    assert image_size(_png(640, 360)) == (640, 360)
    assert image_size(b"GIF89a" + struct.pack("<HH", 320, 200) + bytes(20)) == (320, 200)
    assert image_size(_jpeg(1024, 768)) == (1024, 768)


@pytest.mark.parametrize(
    ("orientation", "expected"),
    [(1, (4032, 3024)), (3, (4032, 3024)), (6, (3024, 4032)), (8, (3024, 4032))],
)
def test_a_phone_photo_turned_by_exif_is_shown_turned(
    orientation: int, expected: tuple[int, int]
) -> None:
    assert image_size(_jpeg(4032, 3024, orientation)) == expected


def test_webp_in_its_three_forms() -> None:
    lossy = b"RIFF" + bytes(4) + b"WEBPVP8 " + bytes(4) + bytes(3) + b"\x9d\x01\x2a"
    lossy += struct.pack("<HH", 800, 450) + bytes(10)
    assert image_size(lossy) == (800, 450)
    bits = (800 - 1) | ((450 - 1) << 14)
    lossless = b"RIFF" + bytes(4) + b"WEBPVP8L" + bytes(4) + b"\x2f" + bits.to_bytes(4, "little")
    assert image_size(lossless) == (800, 450)
    extended = b"RIFF" + bytes(4) + b"WEBPVP8X" + bytes(4) + bytes(4)
    extended += (1920 - 1).to_bytes(3, "little") + (1080 - 1).to_bytes(3, "little")
    assert image_size(extended) == (1920, 1080)


@pytest.mark.parametrize(
    ("svg", "expected"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150">', (300, 150)),
        ('<?xml version="1.0"?>\n<svg width="120px" height="80px" viewBox="0 0 12 8">', (120, 80)),
        ("<svg viewBox='0 0 800 600' xmlns='http://www.w3.org/2000/svg'>", (800, 600)),
        ('<svg width="400" viewBox="0,0,800,600">', (400, 300)),
        # Relative sizes say nothing about pixels: the box's shape does.
        ('<svg width="100%" height="100%" viewBox="0 0 640 480">', (640, 480)),
        ('<svg width="10em" height="5em">', None),
        ('<svg viewBox="0 0 0 0">', None),
    ],
)
def test_svg_size_from_its_attributes_or_view_box(svg: str, expected: object) -> None:
    assert image_size(svg.encode() + b"<rect/></svg>") == expected


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image", b"\x89PNG\r\n\x1a\n" + bytes(8), b"\xff\xd8\xff\xe0\x00", _png(0, 5)],
)
def test_what_is_not_a_readable_image_has_no_size(data: bytes) -> None:
    assert image_size(data) is None


def test_a_truncated_jpeg_has_no_size() -> None:
    whole = _jpeg(640, 480)
    assert image_size(whole[: whole.index(b"\xff\xc2")]) is None


@pytest.mark.parametrize(
    ("src", "page", "expected"),
    [
        ("img/a.png", "notes/attn.md", "notes/img/a.png"),
        ("../img/a%20b.png", "notes/attn.md", "img/a b.png"),
        ("/img/a.png?v=2", "notes/attn.md", "img/a.png"),
        ("./a.png#x", "attn.md", "a.png"),
        ("../../outside.png", "notes/attn.md", None),
        ("https://example.org/a.png", "attn.md", None),
        ("//cdn.example.org/a.png", "attn.md", None),
        ("data:image/png;base64,AAAA", "attn.md", None),
        ("", "attn.md", None),
    ],
)
def test_which_images_are_the_sites_own(src: str, page: str, expected: str | None) -> None:
    assert local_image(src, page) == expected
