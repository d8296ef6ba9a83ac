"""Lists as the notes' own editors draw them.

Typora, Obsidian, VS Code, Jupyter and every CommonMark renderer nest a list under an
item by the item's own width: two spaces under ``- 一级``, three under ``1. 第一步``::

    - 一级
      - 二级
    1. 第一步
       1. 子步骤

Python-Markdown, which MkDocs uses, wants four spaces a level, so such a list came out
flat (``二级`` a sibling of ``一级``), and a paragraph or code block two spaces under an
item fell out of it. :func:`reindent_lists` rewrites each list item's lines to the depth
CommonMark gives it, four spaces a level, keeping every line where it was (warnings
still name the writer's lines) and leaving text outside lists as it is.

:func:`interrupting_list` finds where a list starts right under a paragraph line without
a blank line between (``步骤如下：`` then ``1. 第一步``), which CommonMark reads as a list
and Python-Markdown as one run-on paragraph; the build splits the paragraph there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A list item's marker and the spaces after it (tabs are expanded before matching).
_ITEM = re.compile(r"(?P<marker>[-*+]|\d{1,9}[.)])(?P<gap>[ ]+|$)")
_RULE = re.compile(r"(?:(?:\*[ ]*){3,}|(?:-[ ]*){3,}|(?:_[ ]*){3,})$")
_FENCE = re.compile(r"(?P<mark>`{3,}|~{3,})")
LEVEL = 4  # spaces a nesting level takes in Python-Markdown


@dataclass(slots=True)
class _Item:
    marker: int  # the column of the item's marker, in the source
    content: int  # the column the item's content starts at, in the source
    depth: int  # 0 for a top-level item

    def target(self, column: int) -> int:
        """Where a line of this item's content at ``column`` goes: at the item's depth
        when it is text (any indentation up to 3 more reads the same), further in by what
        makes it an indented code block: as CommonMark counts it from the content
        (``- a`` then 6 spaces), or as Python-Markdown counts it when the writer wrote
        for it (8 spaces under ``- a``)."""
        base = LEVEL * (self.depth + 1)
        extra = column - self.content
        if extra < LEVEL:
            return base
        if column - self.marker >= 2 * LEVEL:
            return base + column - self.marker - LEVEL
        return base + extra


@dataclass(slots=True)
class _Fence:
    mark: str
    source: int  # the fence line's column in the source
    shift: int  # what is added to each of its lines' columns (may be negative)

    def closed_by(self, stripped: str) -> bool:
        """Whether ``stripped`` (a line without its indentation) closes this fence."""
        found = _FENCE.match(stripped)
        return bool(
            found
            and found["mark"][0] == self.mark[0]
            and len(found["mark"]) >= len(self.mark)
            and not stripped[len(found["mark"]) :].strip()
        )


def _expand(line: str) -> str:
    """``line`` with the tabs of its indentation as spaces to the next multiple of 4."""
    if "\t" not in line:
        return line
    stripped = line.lstrip(" \t")
    column = 0
    for char in line[: len(line) - len(stripped)]:
        column = column + 4 - column % 4 if char == "\t" else column + 1
    return " " * column + stripped


def _item(stripped: str) -> tuple[str, int] | None:
    """``(marker, content offset)`` when ``stripped`` (a line without its indentation)
    starts a list item; the offset is where its content starts, from the marker."""
    if _RULE.match(stripped):
        return None
    found = _ITEM.match(stripped)
    if found is None:
        return None
    marker, gap = found["marker"], found["gap"]
    # Five or more spaces after the marker: the content starts one space after it (the
    # rest is an indented code block's).
    width = len(marker) + (1 if not gap or len(gap) > 4 else len(gap))
    return marker, width


# A block whose body is indented four spaces under it: an admonition (`!!! note`,
# `??? tip`, `???+`) or a content tab (`=== "Python"`), as callouts become too.
# Only at the line's start: one indented further may belong to a list item, whose own
# re-indenting moves it.
_CONTAINER = re.compile(r"^(?P<indent>)(?:!!!|\?\?\?\+?|===\+?)[ \t]")
_QUOTE = re.compile(r"^>[ ]?")


def reindent_lists(text: str) -> str:
    """``text`` with every list item's lines indented four spaces a level, as deep as
    CommonMark nests them, also inside blockquotes, admonitions and content tabs; the
    same object when nothing changes."""
    lines = text.split("\n")
    if not any(_item(_expand(line).lstrip(" >")) for line in lines):
        return text  # no list, also in no quote
    changed = "\n".join(_list_lines(_inside_blocks(lines)))
    return text if changed == text else changed


def _inside_blocks(lines: list[str]) -> list[str]:
    """``lines`` with the lists inside top-level blockquotes and admonitions (and tabs)
    re-indented, each body read on its own as the block's parser will."""
    out: list[str] = []
    index = 0
    fence = ""
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip(" ")
        if stripped.startswith(("```", "~~~")) and len(line) - len(stripped) < LEVEL:
            mark = stripped[:3]
            fence = "" if fence == mark else (fence or mark)
        if fence:
            out.append(line)
            index += 1
            continue
        if _QUOTE.match(line):
            end = index
            while end < len(lines) and _QUOTE.match(lines[end]):
                end += 1
            body = [_QUOTE.sub("", x, count=1) for x in lines[index:end]]
            inner = reindent_lists("\n".join(body))
            if inner != "\n".join(body):
                out.extend("> " + x if x else ">" for x in inner.split("\n"))
            else:
                out.extend(lines[index:end])
            index = end
            continue
        opened = _CONTAINER.match(line)
        if opened:
            body_indent = len(opened["indent"]) + LEVEL
            end = index + 1
            while end < len(lines) and (
                not lines[end].strip()
                or len(_expand(lines[end])) - len(_expand(lines[end]).lstrip(" ")) >= body_indent
            ):
                end += 1
            while end > index + 1 and not lines[end - 1].strip():
                end -= 1
            body = [_expand(x)[body_indent:] if x.strip() else "" for x in lines[index + 1 : end]]
            inner = reindent_lists("\n".join(body))
            out.append(line)
            if inner != "\n".join(body):
                out.extend(" " * body_indent + x if x else x for x in inner.split("\n"))
            else:
                out.extend(lines[index + 1 : end])
            index = end
            continue
        out.append(line)
        index += 1
    return out


def _list_lines(lines: list[str]) -> list[str]:
    """``lines`` with the list items of the top level re-indented (:func:`reindent_lists`)."""
    out: list[str] = []
    stack: list[_Item] = []
    fence: _Fence | None = None
    blank_before = True
    paragraph = False  # the line before is a paragraph's (a list may not start under it
    # unless it is a bullet or `1.`, and a line under it with less indentation is lazy)
    for raw in lines:
        line = _expand(raw)
        stripped = line.lstrip(" ")
        column = len(line) - len(stripped)
        if fence is not None:  # code moves with its item, its own indentation kept
            if stripped:
                shifted = max(0, column + fence.shift) if column >= fence.source else column
                out.append(" " * shifted + stripped if shifted != column else raw)
            else:
                out.append(raw)
            if fence.closed_by(stripped):
                fence = None
            continue
        if not stripped:
            out.append(raw)
            blank_before, paragraph = True, False
            continue
        found = _item(stripped) if not stack or column < stack[-1].content + LEVEL else None
        if found is not None and column >= LEVEL and not stack:
            found = None  # an indented code block, not a list
        if found is not None and not stack and paragraph:
            marker = found[0]
            if marker[0].isdigit() and marker[:-1] != "1":
                found = None  # `2. …` under a paragraph line continues the paragraph
        if found is not None:
            while stack and column < stack[-1].content:
                stack.pop()
            depth = len(stack)
            stack.append(_Item(column, column + found[1], depth))
            target = LEVEL * depth
            out.append(" " * target + stripped if target != column else raw)
            blank_before, paragraph = False, True
            continue
        if stack and (blank_before or not paragraph or _ends_paragraph(stripped)):
            while stack and column < stack[-1].content:
                stack.pop()
        opened = _FENCE.match(stripped)
        if not stack:
            out.append(raw)
            blank_before = False
            paragraph = not opened and not stripped.startswith(("#", ">", "|"))
            if opened:
                fence = _Fence(opened["mark"], column, 0)
            continue
        top = stack[-1]
        # A line less indented than the item's content is a lazy continuation line of
        # its paragraph: text at the item's depth too.
        target = top.target(column) if column >= top.content else LEVEL * (top.depth + 1)
        out.append(" " * target + stripped if target != column else raw)
        if opened:
            fence = _Fence(opened["mark"], column, target - column)
        blank_before = False
        paragraph = not opened
    return out


def _ends_paragraph(stripped: str) -> bool:
    """Whether a line ends the paragraph above it (and a list it is less indented than):
    a heading, a fence, a quote or a rule."""
    return bool(
        re.match(r"#{1,6}(?:[ \t]|$)", stripped)
        or _FENCE.match(stripped)
        or stripped.startswith(">")
        or _RULE.match(stripped)
    )


def interrupting_list(lines: list[str]) -> int | None:
    """The index of the first of ``lines`` (one block: no blank line in it) that starts a
    list right under a paragraph line, as CommonMark reads it (a bullet, or an ordered
    item numbered 1); None when the block opens with no paragraph or has no such line."""
    first = lines[0].lstrip(" ") if lines else ""
    if (
        not first
        or len(lines[0]) - len(first) >= LEVEL
        or _item(first)
        or first.startswith(("#", ">", "|", "<", "!!!", "???", "===", "[^", "```", "~~~", ":"))
    ):
        return None
    for index in range(1, len(lines)):
        line = _expand(lines[index])
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) >= LEVEL:
            continue
        found = _item(stripped)
        if found is None or not stripped[found[1] :].strip():
            continue  # an empty item does not interrupt a paragraph
        marker = found[0]
        if marker[0].isdigit() and marker[:-1] != "1":
            continue
        return index
    return None


def outdented_item(lines: list[str]) -> int | None:
    """The index of the first of ``lines`` (one block, opening with an indented line: the
    next part of a list item's content) that is a list item a level or more less
    indented, the next item of that list or of one around it (``    段落`` then
    ``2. 下一项``): CommonMark ends the item's paragraph there, Python-Markdown would
    read the item line as part of it."""
    first = _expand(lines[0]) if lines else ""
    indent = len(first) - len(first.lstrip(" "))
    if indent < LEVEL:
        return None
    for index in range(1, len(lines)):
        line = _expand(lines[index])
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > indent - LEVEL:
            continue
        found = _item(stripped)
        if found is not None and stripped[found[1] :].strip():
            return index
    return None
