"""``zhiku.glue.figures``: a Markdown extension for figures.

Listed in ``markdown_extensions``: after inline Markdown is read, it hands the page's
element tree to :func:`zhiku.text.figures.make_figures` (``![alt](src "caption")``
alone in a paragraph becomes a ``<figure>`` with its ``<figcaption>``; every image
gets ``loading="lazy"`` and ``decoding="async"``), and writes ``width`` and ``height``
on every image of the site's own files that has neither (read from the file's first
bytes by :func:`zhiku.text.figures.image_size`), so that a lazy image keeps its room
before it loads and nothing below it moves.

A page's HTML then depends on the sizes of the images it shows: :func:`image_inputs`
names them and gives their values, for whoever decides whether a page is current.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from html import unescape
from typing import Any
from urllib.parse import unquote, urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from zhiku.files import signature
from zhiku.text.figures import image_size, make_figures


def local_image(src: str, page_src_uri: str) -> str | None:
    """The docs-relative path of the site's own image at ``src`` as written on the page
    ``page_src_uri`` (``img/a.png``, ``../img/a.png``, ``/img/a.png``); None for an image
    on another host, a data: URL, or a path that leaves the docs folder."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        joined = path.lstrip("/")
    else:
        joined = posixpath.join(posixpath.dirname(page_src_uri), path)
    normal = posixpath.normpath(joined)
    if normal.startswith("../") or normal in ("..", "."):
        return None
    return normal


def image_input(file: Any) -> tuple[str, str]:
    """A page's input for one image it shows, as ``(name, value)``: the image's size is
    what its ``<img>`` carries, so a page is current while the size is the same (a
    re-encoded image of the same size changes nothing)."""
    size = _size_of(file)
    return f"image: {file.src_uri}", "" if size is None else f"{size[0]}x{size[1]}"


_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]*)\"")


def image_inputs(html: str, dest_uri: str, files: Any) -> dict[str, str]:
    """The inputs (:func:`image_input`) of a converted page's images: every ``<img>`` of
    ``html``, the page's HTML as written to ``dest_uri``, that shows a file of ``files``
    (a static file keeps its path, so a path relative to the page's output resolves as
    one relative to its source would). For a cache: a page's conversion is current while
    these are the same."""
    found: dict[str, str] = {}
    for src in _IMG_SRC.findall(html):
        path = local_image(unescape(src), dest_uri)
        file = files.get_file_from_path(path) if path else None
        if file is not None:
            name, value = image_input(file)
            found[name] = value
    return found


def current_image_inputs(recorded: Iterable[str], files: Any) -> dict[str, str]:
    """The values now of image inputs ``recorded`` earlier (names from
    :func:`image_inputs`): a page converted with ``{name: value}`` is current while this
    returns the same; an image gone is ``""``."""
    found: dict[str, str] = {}
    for name in recorded:
        if not name.startswith("image: "):
            continue
        file = files.get_file_from_path(name.removeprefix("image: "))
        found[name] = image_input(file)[1] if file is not None else ""
    return found


# Sizes read in this process, by the file's path and what its stat says (a build asks for
# every image of every page it checks; the bytes are read again only when they changed).
_SIZES: dict[tuple[str, tuple[int, int, int, int]], tuple[int, int] | None] = {}


def _size_of(file: Any) -> tuple[int, int] | None:
    path = getattr(file, "abs_src_path", None)
    key = None
    if path:
        found = signature(path)
        if found is None:
            return None  # MkDocs reports a file it cannot read when it copies it
        key = (path, found)
        if key in _SIZES:
            return _SIZES[key]
    try:
        data = file.content_bytes
    except OSError:
        return None
    size = image_size(data)
    if key is not None:
        _SIZES[key] = size
    return size


class _Figures(Treeprocessor):  # type: ignore[misc]  # Markdown ships no types
    def run(self, root: ET.Element) -> None:
        make_figures(root)
        self._sizes(root)

    def _sizes(self, root: ET.Element) -> None:
        # MkDocs hands each page's Markdown its own relative-path processor, which knows
        # the page and the site's files; outside MkDocs (or in the render cache's
        # workers, which have no files and leave pages with local images to MkDocs)
        # there is nothing to read sizes from.
        relpath = None
        if "relpath" in self.md.treeprocessors:  # a Registry: no .get()
            relpath = self.md.treeprocessors["relpath"]
        page = getattr(relpath, "file", None)
        files = getattr(relpath, "files", None)
        if page is None or files is None:
            return
        for image in root.iter("img"):
            if image.get("width") or image.get("height"):
                continue  # the author's own size stands (attr_list: { width=300 })
            path = local_image(image.get("src") or "", page.src_uri)
            found = files.get_file_from_path(path) if path else None
            size = _size_of(found) if found is not None else None
            if size is not None:
                image.set("width", str(size[0]))
                image.set("height", str(size[1]))


class FigureExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline Markdown (20) made the <img> elements and attr_list (8) read their
        # `{ … }`, so `![a](b "c"){ width=300 }` is still an image alone in its paragraph;
        # before MkDocs' relpath (0) rewrites image paths for the page's URL.
        md.treeprocessors.register(_Figures(md), "zhiku-figures", 7)


def makeExtension(**kwargs: object) -> FigureExtension:
    return FigureExtension(**kwargs)
