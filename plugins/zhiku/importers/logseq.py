"""A Logseq graph's pages and journals: outlines as the prose and lists they read as.

A Logseq graph is a folder with ``logseq/config.edn``, its pages in ``pages/`` and its
daily notes in ``journals/2024_05_05.md``. Every page is an outline, one block a
bullet, nested by tabs, with ``key:: value`` properties::

    title:: 梯度下降
    tags:: 优化, [[机器学习]]

    - ## 直觉
    - 沿负梯度方向走一小步。
        - 学习率太大会震荡
              id:: 6650a1b2-0c3d-4e5f-8a9b-0123456789ab
    - TODO 补上动量法
    - 见 ((6650a1b2-0c3d-4e5f-8a9b-0123456789ab))

:func:`convert_page` writes it as a note reads: the page's properties as front matter,
a top-level block as a heading or paragraph of its own, deeper blocks as the lists under
it, ``TODO``/``DONE`` as task items; block properties (``id::``, ``collapsed::``),
``SCHEDULED:`` lines and ``:LOGBOOK:`` drawers leave; a block reference ``((uuid))``
shows the block's words, ``{{embed [[页面]]}}`` becomes ``![[页面]]``; macros a page
cannot run (``{{query …}}``) leave and are reported.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote

CONFIG = "logseq/config.edn"
FOLDERS = ("pages", "journals")
_PROPERTY = re.compile(r"^(?P<key>[A-Za-z][\w-]*)::[ \t]*(?P<value>.*?)[ \t]*$")
_BLOCK = re.compile(r"^(?P<indent>[\t ]*)-(?:[ \t]+(?P<text>.*)|[ \t]*)$")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_REF = re.compile(r"\(\((?P<uuid>" + _UUID + r")\)\)")
_EMBED = re.compile(
    r"\{\{embed\s+(?:\[\[(?P<page>[^\]]+)\]\]|\(\((?P<uuid>" + _UUID + r")\)\))\s*\}\}"
)
_MACRO = re.compile(r"\{\{(?P<name>[\w-]+)(?:\s+(?P<args>[^}]*))?\}\}")
_TASK = re.compile(
    r"^(?P<marker>TODO|DOING|DONE|LATER|NOW|WAITING|WAIT|CANCELED|CANCELLED|IN-PROGRESS)\s+"
)
_PLANNING = re.compile(r"^(?:SCHEDULED|DEADLINE):\s*<[^>]*>\s*$")
# Logseq's size of an image, in EDN after it: ![图](a.png){:height 320, :width 363}
_IMAGE_SIZE = re.compile(r"(?P<image>!\[[^\]]*\]\([^)]*\))\{(?P<edn>[^{}]*)\}")
_TAG_BRACKETS = re.compile(r"#\[\[(?P<tag>[^\[\]]+)\]\]")
_JOURNAL = re.compile(r"\A(?P<y>\d{4})[_-](?P<m>\d{2})[_-](?P<d>\d{2})\Z")
_HIDDEN_PROPERTIES = frozenset(
    {
        "id",
        "collapsed",
        "heading",
        "background-color",
        "card-last-interval",
        "card-repeats",
        "card-ease-factor",
        "card-next-schedule",
        "card-last-reviewed",
        "card-last-score",
        "logseq.order-list-type",
        "hl-page",
        "hl-stamp",
        "ls-type",
        "hl-type",
        "hl-color",
    }
)


@dataclass(slots=True)
class Block:
    """One bullet: how deep it is, its lines (the bullet's own text first), and its
    properties."""

    depth: int
    lines: list[str]
    properties: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Page:
    """A page read: its properties and blocks."""

    properties: dict[str, str]
    blocks: list[Block]


def page_name(relative: str) -> str:
    """The page name a Logseq file holds, as links write it: ``pages/机器学习___梯度.md``
    (or ``机器学习%2F梯度.md``) -> ``机器学习/梯度``; a journal's day ``2024-05-05``."""
    stem = posixpath.splitext(posixpath.basename(relative))[0]
    journal = _JOURNAL.match(stem)
    if journal:
        return f"{journal['y']}-{journal['m']}-{journal['d']}"
    return unquote(stem.replace("___", "/")).replace("%2F", "/")


def journal_day(relative: str) -> dt.date | None:
    """The day of a journal page (``journals/2024_05_05.md``), else None."""
    if not relative.startswith("journals/"):
        return None
    stem = posixpath.splitext(posixpath.basename(relative))[0]
    found = _JOURNAL.match(stem)
    if found is None:
        return None
    try:
        return dt.date(int(found["y"]), int(found["m"]), int(found["d"]))
    except ValueError:
        return None


def parse_page(text: str) -> Page:
    """The properties and blocks of a page's text."""
    lines = text.replace("\r\n", "\n").split("\n")
    properties: dict[str, str] = {}
    index = 0
    while index < len(lines) and not _BLOCK.match(lines[index]):
        found = _PROPERTY.match(lines[index].strip())
        if found:
            properties[found["key"].lower()] = found["value"]
        elif lines[index].strip():
            break  # a page that starts with text, not properties: a block without a bullet
        index += 1
    blocks: list[Block] = []
    indents: list[int] = []
    loose: list[str] = []
    fence = ""
    for line in lines[index:]:
        found = _BLOCK.match(line) if not fence else None
        if found is not None:
            width = len(found["indent"].expandtabs(2))
            while indents and indents[-1] >= width:
                indents.pop()
            indents.append(width)
            blocks.append(Block(len(indents) - 1, [found["text"] or ""]))
            continue
        if not blocks:
            loose.append(line)
            continue
        block = blocks[-1]
        content = line.expandtabs(2)[indents[-1] + 2 :] if line.strip() else ""
        if content.lstrip().startswith(("```", "~~~")):
            mark = content.lstrip()[:3]
            fence = "" if fence == mark else (fence or mark)
        prop = _PROPERTY.match(content.strip()) if not fence else None
        if prop and len(block.lines) == 1 + sum(1 for x in block.lines[1:] if not x.strip()):
            block.properties[prop["key"].lower()] = prop["value"]
            continue
        if prop and prop["key"].lower() in _HIDDEN_PROPERTIES:
            block.properties[prop["key"].lower()] = prop["value"]
            continue
        block.lines.append(content)
    if loose and any(x.strip() for x in loose):
        blocks.insert(0, Block(0, loose))
    # Page properties written as the first block (`- title:: 梯度`), as older graphs do.
    if blocks and blocks[0].depth == 0 and not properties:
        first = [x for x in blocks[0].lines if x.strip()]
        props = [_PROPERTY.match(x.strip()) for x in first]
        if first and all(props):
            properties = {p["key"].lower(): p["value"] for p in props if p}
            blocks.pop(0)
    return Page(properties, blocks)


def block_texts(pages: Iterable[Page]) -> dict[str, str]:
    """``{uuid: the block's first line}`` of every block with an ``id::``."""
    found: dict[str, str] = {}
    for page in pages:
        for block in page.blocks:
            uuid = block.properties.get("id")
            if uuid:
                found[uuid.lower()] = _TASK.sub("", block.lines[0]).strip()
    return found


def names(value: str) -> list[str]:
    """The names of a property's value: ``优化, [[机器学习]], #笔记`` -> the three names."""
    parts = re.split(r"[,，]", value)
    out = []
    for part in parts:
        name = part.strip().strip("#").strip()
        if name.startswith("[[") and name.endswith("]]"):
            name = name[2:-2]
        if name:
            out.append(name)
    return out


def convert_page(page: Page, refs: Mapping[str, str], problems: list[str]) -> str:
    """The Markdown a page's blocks read as: a top-level block of several lines, or one
    standing alone, is a paragraph (a heading stays a heading); a run of one-line
    top-level blocks is a list, as Logseq shows them; deeper blocks are lists under them."""
    blocks: list[Block] = []
    for block in page.blocks:
        lines = [_inline(x, refs, problems) for x in _clean(block.lines)]
        if any(x.strip() for x in lines):
            blocks.append(Block(block.depth, lines, block.properties))
    listed = _listed(blocks)
    out: list[str] = []
    in_list = False  # the last top-level block was a list item: its children nest under it
    for index, block in enumerate(blocks):
        first, rest = block.lines[0], block.lines[1:]
        task = _TASK.match(first)
        if task:
            first = f"[{'x' if task['marker'] == 'DONE' else ' '}] " + first[task.end() :]
        if block.depth == 0 and not task and not listed[index]:
            if out and out[-1] != "":
                out.append("")
            out.extend([first, *rest, ""])
            in_list = False
            continue
        if block.depth == 0:
            in_list = True
        depth = block.depth if in_list else max(block.depth - 1, 0)
        pad = "    " * depth
        if out and out[-1] != "" and not out[-1].lstrip().startswith("- "):
            out.append("")
        out.append(f"{pad}- {first}")
        out.extend(f"{pad}    {x}" if x.strip() else "" for x in rest)
    return "\n".join(out).strip("\n") + "\n"


def _listed(blocks: list[Block]) -> list[bool]:
    """Which blocks are in a run of two or more one-line top-level blocks (no heading)."""
    simple = [
        b.depth == 0
        and len(b.lines) == 1
        and not re.match(r"#{1,6}[ \t]", b.lines[0])
        and not b.lines[0].lstrip().startswith(("```", "$$", "|", ">", "![", "<"))
        for b in blocks
    ]
    tops = [i for i, b in enumerate(blocks) if b.depth == 0]
    listed = [False] * len(blocks)
    for n, i in enumerate(tops):
        before = n > 0 and simple[tops[n - 1]]
        after = n + 1 < len(tops) and simple[tops[n + 1]]
        listed[i] = simple[i] and (before or after)
    return listed


def _clean(lines: list[str]) -> list[str]:
    """A block's lines without scheduling lines and ``:LOGBOOK:`` drawers."""
    kept: list[str] = []
    drawer = False
    for line in lines:
        stripped = line.strip()
        if re.fullmatch(r":[A-Z]+:", stripped):
            drawer = True
            continue
        if drawer:
            drawer = stripped != ":END:"
            continue
        if _PLANNING.match(stripped):
            continue
        kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    return kept


def _inline(text: str, refs: Mapping[str, str], problems: list[str]) -> str:
    def embed(match: re.Match[str]) -> str:
        if match["page"]:
            return f"![[{match['page']}]]"
        return refs.get(match["uuid"].lower(), "")

    def ref(match: re.Match[str]) -> str:
        found = refs.get(match["uuid"].lower())
        if found is None:
            problems.append(f"(({match['uuid']})): no block has that id; left out")
            return ""
        return found

    def macro(match: re.Match[str]) -> str:
        name, args = match["name"].lower(), (match["args"] or "").strip()
        if name in ("video", "youtube", "bilibili", "tweet", "twitter") and args:
            return f"<{args}>" if re.match(r"https?://", args) else args
        if name == "cloze":
            return args
        problems.append(f"{{{{{name}}}}}: Logseq runs it in the app; left out")
        return ""

    text = _IMAGE_SIZE.sub(_image_size, text)
    text = _EMBED.sub(embed, text)
    text = _REF.sub(ref, text)
    text = _MACRO.sub(macro, text)
    return _TAG_BRACKETS.sub(lambda m: "#" + m["tag"].replace(" ", "-"), text)


def read_page(
    note_body: str, relative: str, refs: Mapping[str, str]
) -> tuple[dict[str, object], str, list[str]]:
    """``(front matter, body, problems)`` of the page ``relative`` (``pages/…`` or
    ``journals/…``) holding ``note_body``."""
    page = parse_page(note_body)
    problems: list[str] = []
    body = convert_page(page, refs, problems)
    props = page.properties
    meta: dict[str, object] = {}
    name = page_name(relative)
    meta["title"] = props.get("title") or name
    day = journal_day(relative)
    if day is not None:
        meta["date"] = day
        meta["category"] = "日志"
    for key in ("date", "created", "created-at"):
        if props.get(key) and "date" not in meta:
            meta["date"] = props[key].strip("[]")
    category = names(props.get("category", "") or props.get("type", ""))
    if category:
        meta["category"] = category[0]
    elif "/" in name and day is None:
        meta["category"] = name.rsplit("/", 1)[0]
    tags = names(props.get("tags", "") or props.get("tag", ""))
    if tags:
        meta["tags"] = tags
    if props.get("public", "").strip().lower() == "false":
        meta["draft"] = True
    for key in ("description", "summary"):
        if props.get(key):
            meta["description"] = props[key]
            break
    return meta, body, problems


def _image_size(match: re.Match[str]) -> str:
    sizes = dict(re.findall(r":(width|height)\s+(\d+)", match["edn"]))
    if not sizes:
        return match["image"]
    return (
        match["image"]
        + "{ "
        + " ".join(f"{k}={v}" for k, v in sorted(sizes.items(), reverse=True))
        + " }"
    )
