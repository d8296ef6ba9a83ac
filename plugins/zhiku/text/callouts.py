"""Callouts (``> [!NOTE] 标题``) and containers (``::: tip 标题``) as admonitions, line for line.

Notes written in Obsidian or for GitHub mark a blockquote as a callout with its first
line::

    > [!TIP] 小技巧
    > 正文，可以有 **Markdown**、列表和代码。

Notes written for VuePress, VitePress or Docusaurus (many Chinese notes sites) fence
the same box with colons, a type and an optional title (``:::tip[标题]`` in
Docusaurus); ``details`` is a folded box, ``{open}`` opens it; an outer box may take
more colons than the one inside it::

    ::: warning 注意
    正文。
    :::

:func:`convert_callouts` rewrites each into the admonition syntax the site's Markdown
already reads (``!!! tip "小技巧"`` and four-space indented content), or into a folded
``???`` / open ``???+`` block for ``[!NOTE]-`` / ``[!NOTE]+`` / ``::: details``. A
container of another kind (VitePress's ``code-group``, a theme's ``center``) keeps its
content and loses its fences; in a ``code-group``, a fence's ``[label]`` becomes its
title. Every line stays on its line, so warnings about the page keep pointing at the
right line of the file. Fenced code is left alone; callouts and containers nest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Obsidian's types and aliases, which Material styles under the same names; anything
# else is a note (as Obsidian shows an unknown type), titled with its own name.
KNOWN_TYPES = frozenset(
    {
        "note",
        "abstract",
        "summary",
        "tldr",
        "info",
        "todo",
        "tip",
        "hint",
        "important",
        "success",
        "check",
        "done",
        "question",
        "help",
        "faq",
        "warning",
        "caution",
        "attention",
        "failure",
        "fail",
        "missing",
        "danger",
        "error",
        "bug",
        "example",
        "quote",
        "cite",
    }
)

# A callout without its own title is titled in Chinese (GitHub's Chinese wording for
# its five types); other types keep their name, as Obsidian shows it.
DEFAULT_TITLES = {
    "note": "备注",
    "tip": "提示",
    "important": "重要",
    "warning": "警告",
    "caution": "注意",
    "info": "信息",
    "abstract": "摘要",
    "summary": "摘要",
    "tldr": "摘要",
    "todo": "待办",
    "hint": "提示",
    "success": "成功",
    "check": "成功",
    "done": "完成",
    "question": "问题",
    "help": "帮助",
    "faq": "常见问题",
    "attention": "注意",
    "failure": "失败",
    "fail": "失败",
    "missing": "缺失",
    "danger": "危险",
    "error": "错误",
    "bug": "缺陷",
    "example": "示例",
    "quote": "引用",
    "cite": "引用",
    "details": "详细信息",
}

_QUOTE = re.compile(r"^(?P<indent> {0,3})>(?P<rest>.*)$")
_HEAD = re.compile(
    # Obsidian's metadata after a bar ([!infobox|wide]) is for its own CSS: ignored.
    r"^ ?\[!(?P<type>[A-Za-z][\w-]*)(?:\|[^\]]*)?\](?P<fold>[+-]?)(?:[ \t]+(?P<title>.*?))?[ \t]*$"
)
_FENCE = re.compile(r"^ {0,3}(?P<mark>`{3,}|~{3,})")
# ::: tip 标题, :::tip[标题], ::: details 标题 {open}; closed by a line of as many colons
# or more.
_CONTAINER = re.compile(
    r"^(?P<indent>[ \t]*)(?P<colons>:{3,})[ \t]*(?P<type>[A-Za-z][\w-]*)"
    r"(?:\[(?P<bracketed>[^\]\n]*)\])?(?P<title>[^{]*?)[ \t]*(?P<attrs>\{[^}]*\})?[ \t]*$"
)
_CONTAINER_END = re.compile(r"^(?P<indent>[ \t]*)(?P<colons>:{3,})[ \t]*$")
# Container types that are boxes: the callout types and details (a folded note).
_BOXES = KNOWN_TYPES | {"details"}
# Other names the same boxes go by: Yuque (语雀) exports write :::tips.
_CONTAINER_ALIASES = {"tips": "tip"}
_LABELLED_FENCE = re.compile(
    r"^(?P<fence>[ \t]*(?:`{3,}|~{3,})[ \t]*[\w+#.-]*)[ \t]*\[(?P<label>[^\]\n]+)\][ \t]*$"
)
# A line that starts a block of its own ends a quote instead of continuing its
# paragraph lazily (CommonMark's rule, for the blocks notes use).
_BLOCK_START = re.compile(r"^ {0,3}(?:#{1,6}(?:\s|$)|`{3,}|~{3,}|[-*_](?:\s*[-*_]){2,}\s*$|<)")


def convert_callouts(text: str) -> str:
    """Rewrite every callout blockquote of ``text`` (Markdown) as an admonition.

    Returns ``text`` itself when it holds no callout, and otherwise a text with the
    same number of lines, in which nothing is left to rewrite: a container whose closing
    line sat inside a callout closes once the callout is a box (each pass turns at least
    one marker line into a box, so the passes end)."""
    if "[!" not in text and ":::" not in text:
        return text
    lines = text.split("\n")
    out = _convert(lines)
    while True:
        again = _convert(out)
        if again == out:
            break
        out = again
    return text if out == lines else "\n".join(out)


def _convert(lines: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    fence: str | None = None
    # Inside a plain quote (or its lazy continuation) a [!TYPE] line is text: only a
    # quote's first line makes it a callout.
    in_quote = False
    while i < len(lines):
        line = lines[i]
        if fence is not None:
            out.append(line)
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            i += 1
            continue
        opened = _FENCE.match(line)
        if opened:
            in_quote = False
            fence = opened.group("mark")
            out.append(line)
            i += 1
            continue
        container = None if in_quote else _CONTAINER.match(line)
        end = _container_end(lines, i, container) if container else None
        if container is not None and end is not None:
            out.extend(_container(container, lines[i + 1 : end]))
            i = end + 1
            continue
        quote = _QUOTE.match(line)
        head = _HEAD.match(quote.group("rest")) if quote else None
        if quote is None or head is None or in_quote:
            in_quote = bool(quote) or (
                in_quote and bool(line.strip()) and not _BLOCK_START.match(line)
            )
            out.append(line)
            i += 1
            continue
        end = i + 1
        body: list[str] = []
        for rest in _quoted_lines(lines, i + 1):
            body.append(rest)
            end += 1
        indent = quote.group("indent")
        out.append(indent + _opener(head))
        out.extend(indent + "    " + inner if inner.strip() else "" for inner in _convert(body))
        i = end
    return out


def _container_end(lines: list[str], start: int, opener: re.Match[str]) -> int | None:
    """The line that closes the container opened at ``start`` (None: it is not closed,
    and the opener is text): the first line of at least as many colons, indented as the
    opener, that closes no container opened inside it, outside fenced code."""
    colons = len(opener.group("colons"))
    indent = opener.group("indent")
    depth = 0
    fence: str | None = None
    for j in range(start + 1, len(lines)):
        line = lines[j]
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        opened = _FENCE.match(line.lstrip(" \t"))
        if opened:
            fence = opened.group("mark")
            continue
        closing = _CONTAINER_END.match(line)
        if closing:
            if closing.group("indent") != indent:
                continue
            if depth:
                depth -= 1
            elif len(closing.group("colons")) >= colons:
                return j
        else:
            inner = _CONTAINER.match(line)
            if inner and inner.group("indent") == indent:
                depth += 1
    return None


def _container(opener: re.Match[str], body: list[str]) -> list[str]:
    """The lines of one container, opener to closer: an admonition, or its bare content."""
    indent = opener.group("indent")
    inner = [
        line[len(indent) :] if line.startswith(indent) else line.lstrip(" \t") for line in body
    ]
    kind = opener.group("type").lower()
    kind = _CONTAINER_ALIASES.get(kind, kind)
    if kind not in _BOXES:
        if kind == "code-group":
            inner = [_LABELLED_FENCE.sub(r'\g<fence> title="\g<label>"', line) for line in inner]
        return ["", *(indent + line if line.strip() else "" for line in _convert(inner)), ""]
    title = (opener.group("bracketed") or opener.group("title") or "").strip()
    title = title or DEFAULT_TITLES.get(kind, kind.capitalize())
    attrs = opener.group("attrs") or ""
    if kind == "details":
        marker, kind = ("???+" if "open" in attrs else "???"), "note"
    else:
        marker = "!!!"
    body_lines = (indent + "    " + line if line.strip() else "" for line in _convert(inner))
    return [f'{indent}{marker} {kind} "{title}"', *body_lines, ""]


def _quoted_lines(lines: list[str], start: int) -> Iterator[str]:
    """The lines of the blockquote that goes on at ``start``, without their ``>``.

    A line without ``>`` continues the quote only as a lazy continuation of a
    paragraph (CommonMark), so it never swallows a heading, fence or blank line."""
    previous_text = True
    for line in lines[start:]:
        quote = _QUOTE.match(line)
        if quote:
            rest = quote.group("rest")
            rest = rest[1:] if rest.startswith(" ") else rest
            previous_text = bool(rest.strip()) and not _FENCE.match(rest)
            yield rest
        elif previous_text and line.strip() and not _BLOCK_START.match(line):
            yield line
        else:
            return


def _opener(head: re.Match[str]) -> str:
    written = head.group("type")
    kind = written.lower()
    title = (head.group("title") or "").strip()
    if kind not in KNOWN_TYPES:
        title = title or written[:1].upper() + written[1:].lower()
        kind = "note"
    title = title or DEFAULT_TITLES.get(kind, kind.capitalize())
    fold = head.group("fold")
    marker = "!!!" if not fold else "???+" if fold == "+" else "???"
    # The admonition title is everything between the first and the last quote of
    # the line, so quotes inside it need no escaping.
    return f'{marker} {kind} "{title}"'
