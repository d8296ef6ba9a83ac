"""Line breaks inside Chinese paragraphs: gone, not a space.

Chinese notes are often wrapped by hand, one sentence or one clause a line::

    在机器学习领域中，大多数任务都与预测有关。
    当我们想预测一个数值时，就会涉及到回归问题。

Markdown keeps such a break in the paragraph, and the browser shows it as a space:
Chromium (and so most readers) has not implemented CSS Text 3's rule that removes a
break between two East Asian characters, so a hand-wrapped Chinese page is sprinkled
with gaps a Chinese reader sees as typos. :func:`join_wide_lines` applies that rule to
the HTML, the way Pandoc's ``east_asian_line_breaks`` and markdown-it-cjk-breaks do: a
line break (with the spaces around it) whose characters on both sides are wide or
fullwidth (East Asian Width ``W``, ``F`` or ``H``; not Hangul, which is written with
spaces) is removed. A break next to a Latin word, a formula or an inline code span stays
a space, as does an explicit ``<br>``; code blocks, formulas and scripts are never
touched.

It works on the element tree Python-Markdown builds (plain ``xml.etree`` elements), so
it sees a paragraph's text across inline markup (``有关。\n<em>预测</em>``) and never
across blocks.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

# Inline elements whose text flows on with the paragraph's; any other element (a block,
# <br>, <img>) ends the run of text a break is judged in.
_INLINE = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "bdo",
        "cite",
        "del",
        "dfn",
        "em",
        "i",
        "ins",
        "mark",
        "q",
        "s",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "u",
    ]
)
# Their text is never changed: it is code, a formula or a script, and it counts as a
# character that is not wide (a break beside a formula or a code span stays a space).
_OPAQUE = frozenset({"code", "script", "style", "math", "kbd", "samp", "var"})
_SKIPPED_BLOCKS = frozenset({"pre", "script", "style", "textarea", "svg", "math"})
_BREAK = re.compile(r"[ \t]*\n[ \t]*")
_OPAQUE_CHAR = "a"  # what an opaque element reads as to its neighbours: not wide


@lru_cache(maxsize=4096)
def is_wide(char: str) -> bool:
    """True for a character whose line break CSS Text 3 removes: East Asian Width
    ``F``, ``W`` or ``H``, and not Hangul."""
    if unicodedata.east_asian_width(char) not in ("F", "W", "H"):
        return False
    return not unicodedata.name(char, "").startswith("HANGUL")


def join_wide_text(text: str) -> str:
    """``text`` (plain text, one paragraph) without its breaks between wide characters."""
    return _join(text, "", "")


def _join(text: str, before: str, after: str) -> str:
    """``text`` with its breaks between wide characters removed; ``before`` and ``after``
    are the characters just outside it ("" for none)."""
    if "\n" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        left = text[start - 1] if start else before
        right = text[end] if end < len(text) else after
        if left and right and is_wide(left) and is_wide(right):
            return ""
        return match.group()

    return _BREAK.sub(replace, text)


@dataclass(slots=True)
class _Slot:
    """One piece of a paragraph's text: an element's ``text`` or ``tail``, or an opaque
    element that only lends its neighbours a character."""

    element: ET.Element | None
    attr: str  # "text" | "tail" | "" (opaque)


def join_wide_lines(root: ET.Element) -> int:
    """Remove, in place, the line breaks between wide characters in the text under
    ``root``; return how many text pieces changed."""
    changed = 0
    for run in _runs(root):
        texts = [_value(slot) for slot in run]
        for index, slot in enumerate(run):
            if slot.element is None or "\n" not in texts[index]:
                continue
            before = next((t[-1] for t in reversed(texts[:index]) if t), "")
            after = next((t[0] for t in texts[index + 1 :] if t), "")
            joined = _join(texts[index], before, after)
            if joined != texts[index]:
                setattr(slot.element, slot.attr, joined)
                texts[index] = joined
                changed += 1
    return changed


def _value(slot: _Slot) -> str:
    if slot.element is None:
        return _OPAQUE_CHAR
    return getattr(slot.element, slot.attr) or ""


def _runs(root: ET.Element) -> Iterator[list[_Slot]]:
    """The runs of text under ``root`` that flow as one line of a paragraph: each ends
    at a block's edge, a ``<br>`` or an image."""
    run: list[_Slot] = []

    def walk(element: ET.Element) -> Iterator[list[_Slot]]:
        nonlocal run
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _OPAQUE or _is_formula(child):
                run.append(_Slot(None, ""))
            elif tag in _INLINE:
                run.append(_Slot(child, "text"))
                yield from walk(child)
            else:  # a block, <br>, <img>: the run before it ends, and one inside begins
                if run:
                    yield run
                run = []
                if tag not in _SKIPPED_BLOCKS:
                    run.append(_Slot(child, "text"))
                    yield from walk(child)
                    if run:
                        yield run
                    run = []
            run.append(_Slot(child, "tail"))

    run.append(_Slot(root, "text"))
    yield from walk(root)
    if run:
        yield run


def _is_formula(element: ET.Element) -> bool:
    return "arithmatex" in (element.get("class") or "").split()
