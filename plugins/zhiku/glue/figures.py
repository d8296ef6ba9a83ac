"""``zhiku.glue.figures``: a Markdown extension for figures.

Listed in ``markdown_extensions``: after inline Markdown is read, it hands the page's
element tree to :func:`zhiku.text.figures.make_figures` (``![alt](src "caption")``
alone in a paragraph becomes a ``<figure>`` with its ``<figcaption>``; every image
gets ``loading="lazy"`` and ``decoding="async"``).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from zhiku.text.figures import make_figures


class _Figures(Treeprocessor):  # type: ignore[misc]  # Markdown ships no types
    def run(self, root: ET.Element) -> None:
        make_figures(root)


class FigureExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline Markdown (20) made the <img> elements and attr_list (8) read their
        # `{ … }`, so `![a](b "c"){ width=300 }` is still an image alone in its paragraph.
        md.treeprocessors.register(_Figures(md), "zhiku-figures", 7)


def makeExtension(**kwargs: object) -> FigureExtension:
    return FigureExtension(**kwargs)
