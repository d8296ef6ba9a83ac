"""Images of an article as figures: captions, lazy loading.

:func:`make_figures` works on the element tree Python-Markdown builds (plain
``xml.etree`` elements): an image alone in its paragraph with a title,
``![注意力热图](heatmap.png "图 1：注意力热图")``, becomes a ``<figure>`` whose
``<figcaption>`` is the title, as Pandoc, Hexo and Typora render it; every image
loads lazily and decodes off the main thread, so a figure-heavy note opens as fast as
a short one.

:func:`image_size` reads an image's width and height from its first bytes (PNG, JPEG,
GIF, WebP, SVG), so that the build can write them on the ``<img>``: the browser then
keeps the image's room before it loads, and a lazy image never pushes the text down.
"""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET


def make_figures(root: ET.Element) -> int:
    """Turn captioned images under ``root`` into figures, in place; return how many."""
    made = 0
    for parent in list(root.iter()):
        for index, child in enumerate(list(parent)):
            if child.tag == "img":
                _lazy(child)
            if child.tag != "p" or len(child) != 1 or (child.text or "").strip():
                continue
            image = child[0]
            if image.tag != "img" or (image.tail or "").strip() or not image.get("title"):
                continue
            figure = ET.Element("figure", {"class": "zk-figure"})
            figure.tail = child.tail
            caption = image.attrib.pop("title")
            image.tail = None
            _lazy(image)
            figure.append(image)
            ET.SubElement(figure, "figcaption").text = caption
            parent.remove(child)
            parent.insert(index, figure)
            made += 1
    return made


def _lazy(image: ET.Element) -> None:
    # An author's own choice (attr_list: { loading=eager }) stands.
    image.attrib.setdefault("loading", "lazy")
    image.attrib.setdefault("decoding", "async")


def image_size(data: bytes) -> tuple[int, int] | None:
    """The width and height an image is shown at (CSS pixels at its natural size), read
    from its bytes; None for a format not read here or a file that is not what it says.

    A JPEG whose Exif orientation turns it a quarter (a phone photo) is shown turned, so
    its width and height are swapped. An SVG's come from its ``width`` and ``height`` in
    pixels (or without unit), else from its ``viewBox``.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        return _positive(*struct.unpack(">II", data[16:24]))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return _positive(*struct.unpack("<HH", data[6:10]))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    if data[:3] == b"\xff\xd8\xff":
        return _jpeg(data)
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<svg", b"<?xml", b"<!--", b"<!DOCTYPE")) and b"<svg" in head:
        return _svg(head.decode("utf-8", "replace"))
    return None


def _positive(width: int, height: int) -> tuple[int, int] | None:
    return (width, height) if width > 0 and height > 0 else None


def _webp(data: bytes) -> tuple[int, int] | None:
    kind = data[12:16]
    if kind == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return _positive(width & 0x3FFF, height & 0x3FFF)
    if kind == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return _positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if kind == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _positive(width, height)
    return None


# Start-of-frame markers: every SOFn but DHT (C4), JPG (C8) and DAC (CC).
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg(data: bytes) -> tuple[int, int] | None:
    turned = False
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        segment = data[at + 4 : at + 2 + length]
        if marker == 0xE1 and segment.startswith(b"Exif\x00\x00"):
            turned = _exif_orientation(segment[6:]) in (5, 6, 7, 8)
        if marker in _SOF and len(segment) >= 5:
            height, width = struct.unpack(">HH", segment[1:5])
            return _positive(height, width) if turned else _positive(width, height)
        if marker == 0xDA:  # the image data: no frame header came before it
            return None
        at += 2 + length
    return None


def _exif_orientation(tiff: bytes) -> int:
    """The Orientation tag (0x0112) of an Exif block's first directory; 1 when absent."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 1
    (first,) = struct.unpack(order + "I", tiff[4:8])
    if first + 2 > len(tiff):
        return 1
    (count,) = struct.unpack(order + "H", tiff[first : first + 2])
    for index in range(count):
        entry = first + 2 + 12 * index
        if entry + 12 > len(tiff):
            break
        tag, kind = struct.unpack(order + "HH", tiff[entry : entry + 4])
        if tag == 0x0112 and kind == 3:  # SHORT
            (value,) = struct.unpack(order + "H", tiff[entry + 8 : entry + 10])
            return int(value)
    return 1


_SVG_TAG = re.compile(r"<svg\b([^>]*)>", re.S)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PIXELS = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def _svg(head: str) -> tuple[int, int] | None:
    found = _SVG_TAG.search(head)
    if found is None:
        return None
    attributes = {
        m.group(1): m.group(2) or m.group(3) or "" for m in _ATTRIBUTE.finditer(found.group(1))
    }
    width = _PIXELS.match(attributes.get("width", ""))
    height = _PIXELS.match(attributes.get("height", ""))
    if width and height:
        return _positive(round(float(width.group(1))), round(float(height.group(1))))
    box = attributes.get("viewBox", "").replace(",", " ").split()
    if len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            return None
        if box_width <= 0 or box_height <= 0:
            return None
        if width:  # one side given: the other from the box's shape
            side = float(width.group(1))
            return _positive(round(side), round(side * box_height / box_width))
        if height:
            side = float(height.group(1))
            return _positive(round(side * box_width / box_height), round(side))
        return _positive(round(box_width), round(box_height))
    return None
