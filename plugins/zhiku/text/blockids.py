"""Obsidian's block references: ``^id`` names a paragraph, list item or block.

Obsidian lets a writer name one block and link to it from another note::

    梯度消失在深层网络里最常见。 ^grad-vanish

    | 激活函数 | 导数上界 |
    |---|---|
    | sigmoid | 0.25 |

    ^table-1

and elsewhere ``[[激活函数#^grad-vanish]]``, ``[说明](act.md#^table-1)`` or
``![[激活函数#^grad-vanish]]`` (the block itself, embedded). :func:`mark_blocks` works
on the element tree Python-Markdown builds: the ``^id`` leaves the text and the block
gets that id (without the caret, which an address would have to escape); a heading,
whose own id is its anchor, gets an empty anchor element holding it instead.
:func:`block_anchor` turns a link's ``#^id`` into that anchor, and :func:`block_of`
finds the block's Markdown for an embed.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

# ` ^id` at the end of a block's last line; Obsidian's ids are letters, digits and dashes.
_TRAILING = re.compile(r"(?:(?<=\s)|^)\^(?P<id>[A-Za-z0-9-]+)\s*\Z")
_ALONE = re.compile(r"\A\s*\^(?P<id>[A-Za-z0-9-]+)\s*\Z")
_LEADING = re.compile(r"\A[ \t]*\^(?P<id>[A-Za-z0-9-]+)[ \t]*\n")
_LINE_MARK = re.compile(r"[ \t]\^(?P<id>[A-Za-z0-9-]+)[ \t]*$")
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_TEXT_BLOCKS = frozenset({"p", "li", "td", "th", "dd", "dt", *_HEADINGS})


def block_anchor(fragment: str) -> str:
    """The anchor a link's ``#fragment`` names: ``^grad-vanish`` -> ``grad-vanish``."""
    return fragment[1:] if fragment.startswith("^") and len(fragment) > 1 else fragment


def mark_blocks(root: ET.Element) -> int:
    """Give each block under ``root`` that ends with ``^id`` (or is followed by a
    paragraph that is only ``^id``) that id, in place; return how many."""
    marked = 0
    for parent in list(root.iter()):
        children = list(parent)
        for index, child in enumerate(children):
            alone = _ALONE.match(child.text or "") if child.tag == "p" and not len(child) else None
            leading = _LEADING.match(child.text or "") if child.tag == "p" else None
            if alone and index > 0:  # `^id` on its own after a table, list, quote or heading
                _name(children[index - 1], alone["id"])
                parent.remove(child)
                marked += 1
            elif leading and index > 0:  # `^id` right under a heading, the text after it
                _name(children[index - 1], leading["id"])
                child.text = (child.text or "")[leading.end() :]
                marked += 1
            elif child.tag in _TEXT_BLOCKS:
                found = _strip_trailing(child)
                if found is not None:
                    _name(child, found)
                    marked += 1
    return marked


def _strip_trailing(element: ET.Element) -> str | None:
    """Take a trailing `` ^id`` off ``element``'s own last text and return the id; None
    when there is none."""
    if len(element):
        last = element[-1]
        if last.tag in ("ul", "ol", "p", "pre", "div", "table", "blockquote"):
            return None  # the id belongs to the block inside, which is marked itself
        text, owner, attr = last.tail or "", last, "tail"
    else:
        text, owner, attr = element.text or "", element, "text"
    match = _TRAILING.search(text)
    if match is None:
        return None
    setattr(owner, attr, text[: match.start()].rstrip(" \t"))
    return match["id"]


def _name(element: ET.Element, block_id: str) -> None:
    if element.tag in _HEADINGS or element.get("id"):
        anchor = ET.Element("span", {"id": block_id})
        anchor.tail = element.text
        element.text = None
        element.insert(0, anchor)
    else:
        element.set("id", block_id)


def block_of(body: str, block_id: str) -> str | None:
    """The Markdown of the block of ``body`` named ``^block_id`` (its paragraph or list
    item, or the block before a line that is only the id), without the id; None when
    ``body`` names no such block."""
    lines = body.split("\n")
    for index, line in enumerate(lines):
        alone = _ALONE.match(line)
        if alone and alone["id"] == block_id:
            if index and lines[index - 1].lstrip().startswith("#"):
                return lines[index - 1]  # a heading's id, on the line under it
            end = index
            while end > 0 and not lines[end - 1].strip():
                end -= 1
            start = end
            while start > 0 and lines[start - 1].strip():
                start -= 1
            return "\n".join(lines[start:end]) or None
        mark = _LINE_MARK.search(line)
        if mark and mark["id"] == block_id:
            start = index
            item = re.match(r"\s*(?:[-*+]|\d+[.)])\s", line)
            while not item and start > 0 and lines[start - 1].strip():
                start -= 1
            return "\n".join([*lines[start:index], line[: mark.start()]])
    return None


def block_ids(body: str) -> frozenset[str]:
    """The block ids ``body`` defines, as a wiki link names them (``^grad-vanish``): a
    line ending with `` ^id``, or a line that is only ``^id``; not inside fenced code."""
    found: set[str] = set()
    fence = ""
    text_before = False  # a line of text above: what an id on a line of its own names
    for line in body.split("\n"):
        stripped = line.lstrip()
        if stripped.startswith(("```", "~~~")):
            mark = stripped[:3]
            fence = "" if fence == mark else (fence or mark)
            text_before = True
            continue
        if fence:
            continue
        alone = _ALONE.match(line)
        if alone and text_before:
            found.add("^" + alone["id"])
        elif not alone and (mark_at_end := _LINE_MARK.search(line)):
            found.add("^" + mark_at_end["id"])
        text_before = text_before or bool(stripped)
    return frozenset(found)
