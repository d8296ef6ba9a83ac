"""``zhiku.glue.blockids``: a Markdown extension for Obsidian's block references.

Listed in ``markdown_extensions``: after inline Markdown is read, it hands the page's
element tree to :func:`zhiku.text.blockids.mark_blocks` (``梯度消失最常见。 ^grad`` gives
that paragraph the id ``grad``, and the ``^grad`` leaves the text) and points every link
written ``#^grad`` (``[说明](act.md#^grad)``) at that id, so MkDocs' own anchor check
finds it (README, Wiki links and backlinks).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from zhiku.text.blockids import block_anchor, mark_blocks


class _Blocks(Treeprocessor):  # type: ignore[misc]  # Markdown ships no types
    def run(self, root: ET.Element) -> None:
        mark_blocks(root)
        for link in root.iter("a"):
            href = link.get("href") or ""
            path, hash_mark, fragment = href.partition("#")
            if hash_mark and fragment.startswith("^"):
                link.set("href", f"{path}#{block_anchor(fragment)}")


class BlockIdExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        # After inline Markdown (20) made the links and the paragraphs' text; before the
        # table of contents (toc, 5) is read from the headings.
        md.treeprocessors.register(_Blocks(md), "zhiku-block-ids", 8)


def makeExtension(**kwargs: object) -> BlockIdExtension:
    return BlockIdExtension(**kwargs)
