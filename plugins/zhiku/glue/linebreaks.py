"""``zhiku.glue.linebreaks``: a Markdown extension that keeps hand-wrapped Chinese
paragraphs free of stray spaces.

Listed in ``markdown_extensions``: after inline Markdown is read, it hands the page's
element tree to :func:`zhiku.text.linebreaks.join_wide_lines`, which removes a line
break between two Chinese (wide) characters, so ``有关。⏎当我们`` reads ``有关。当我们``
and not ``有关。 当我们`` (README, Line breaks).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from zhiku.text.linebreaks import join_wide_lines


class _WideLines(Treeprocessor):  # type: ignore[misc]  # Markdown ships no types
    def run(self, root: ET.Element) -> None:
        join_wide_lines(root)


class LineBreakExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline Markdown (20) made the paragraph's elements, so a break is judged
        # across <em> and links, and its formulas and code spans are elements by then.
        md.treeprocessors.register(_WideLines(md), "zhiku-linebreaks", 6)


def makeExtension(**kwargs: object) -> LineBreakExtension:
    return LineBreakExtension(**kwargs)
