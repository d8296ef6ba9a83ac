"""``zhiku.glue.lists``: a Markdown extension that reads lists as CommonMark does.

Listed in ``markdown_extensions``: before any block is read,
:func:`zhiku.text.lists.reindent_lists` indents each list item's lines four spaces a
level, as deep as their editor (Typora, Obsidian, VS Code, Jupyter) nests them with two
or three; a block whose paragraph has a list right under it (``步骤如下：`` then
``1. 第一步``) is split there, as :func:`zhiku.text.lists.interrupting_list` says, and
so is an item's indented paragraph with the next item under it
(:func:`zhiku.text.lists.outdented_item`); and
Python-Markdown's own ``sane_lists`` keeps a numbered list after a bulleted one its own
list, numbered from where it starts (README, Lists).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension

from zhiku.glue.textpass import TextPass
from zhiku.text.lists import interrupting_list, outdented_item, reindent_lists


class _InterruptedParagraph(BlockProcessor):  # type: ignore[misc]  # Markdown ships no types
    def test(self, parent: ET.Element, block: str) -> bool:
        return interrupting_list(block.split("\n")) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        at = interrupting_list(lines)
        assert at is not None
        blocks[:0] = ["\n".join(lines[:at]), "\n".join(lines[at:])]


class _OutdentedItem(BlockProcessor):  # type: ignore[misc]
    def test(self, parent: ET.Element, block: str) -> bool:
        return outdented_item(block.split("\n")) is not None

    def run(self, parent: ET.Element, blocks: list[str]) -> None:
        lines = blocks.pop(0).split("\n")
        at = outdented_item(lines)
        assert at is not None
        blocks[:0] = ["\n".join(lines[:at]), "\n".join(lines[at:])]


class ListExtension(Extension):  # type: ignore[misc]
    def extendMarkdown(self, md: Markdown) -> None:
        SaneListExtension().extendMarkdown(md)
        # After whitespace is normalised (30), before callouts (28) and fenced code is
        # stashed (25): a fence inside a list item moves with the item.
        md.preprocessors.register(TextPass(md, reindent_lists), "zhiku-lists", 29)
        # Just above the paragraph's own processor (10): every other kind of block had
        # its turn at the block's first line.
        md.parser.blockprocessors.register(
            _InterruptedParagraph(md.parser), "zhiku-interrupted-paragraph", 11
        )
        # Before an indented block is read as the last item's content (90) or as code
        # (80): the next item under it starts its own block.
        md.parser.blockprocessors.register(_OutdentedItem(md.parser), "zhiku-outdented-item", 95)


def makeExtension(**kwargs: object) -> ListExtension:
    return ListExtension(**kwargs)
