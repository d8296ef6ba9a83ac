"""A Notion export ("Markdown & CSV"): ids out of names, properties as front matter.

Notion names every exported page and folder with a 32-digit id
(``梯度下降 0123456789abcdef0123456789abcdef.md``, its images in the folder of the same
name) and writes a database page's properties as lines under its title::

    # 梯度下降

    Created: May 5, 2023 10:20 AM
    Tags: 优化, 机器学习
    Status: Done

    正文……

:func:`is_export` tells such a folder; :func:`plain_name` takes the id off a name (a
folder's, for the category); :func:`properties` reads the property lines into front
matter (the date, tags, category, a source link; other properties stay as a list) and
:func:`asides` turns Notion's callouts (``<aside>💡 …</aside>``) into admonitions.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Sequence

from zhiku.ingest.cards import parse_date

_ID = re.compile(r"\s+[0-9a-f]{32}\Z")
_PROPERTY = re.compile(
    r"^(?P<key>[^\s:：#>|!\[*-][^:：\n]{0,30}?)[ \t]*[:：][ \t]+(?P<value>\S.*?)[ \t]*$"
)
_DATE_KEYS = frozenset(
    {
        "created",
        "date",
        "created time",
        "created at",
        "date created",
        "published",
        "创建时间",
        "创建日期",
        "日期",
        "发布日期",
        "发布时间",
        "时间",
    }
)
_UPDATED_KEYS = frozenset(
    {"last edited time", "updated", "last edited", "更新时间", "最后编辑时间"}
)
_TAG_KEYS = frozenset({"tags", "tag", "标签", "keywords", "关键词"})
_CATEGORY_KEYS = frozenset({"category", "categories", "分类", "类别", "类型", "type"})
_URL_KEYS = frozenset({"url", "link", "source", "链接", "来源", "原文"})
_ASIDE = re.compile(r"^<aside>[ \t]*\n?(?P<body>.*?)\n?</aside>[ \t]*$", re.S | re.M)
_EMOJI = re.compile(r"\A(?:<img [^>]*>|[\U0001F300-\U0001FAFF\u2600-\u27BF]\ufe0f?)\s*")


def is_export(files: Sequence[str]) -> bool:
    """Whether the Markdown ``files`` are a Notion export: most are named with an id."""
    named = [f for f in files if _ID.search(posixpath.splitext(posixpath.basename(f))[0])]
    return bool(files) and len(named) * 2 > len(files)


def plain_name(name: str) -> str:
    """``name`` without Notion's id: ``机器学习 0123…cdef`` -> ``机器学习``."""
    return _ID.sub("", name).strip() or name


def properties(body: str) -> tuple[dict[str, object], str]:
    """The front matter a page's property lines give (right under its title), and the
    body without them; properties import does not know stay, as a list."""
    lines = body.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and _PROPERTY.match(lines[end]):
        end += 1
    if end == start or (end < len(lines) and lines[end].strip()):
        return {}, body  # no block of properties standing on its own
    meta: dict[str, object] = {}
    kept: list[str] = []
    for line in lines[start:end]:
        found = _PROPERTY.match(line)
        assert found is not None
        key, value = found["key"].strip().lower(), found["value"]
        day = parse_date(value)
        if key in _DATE_KEYS and day is not None and "date" not in meta:
            meta["date"] = day
        elif key in _UPDATED_KEYS and day is not None:
            meta["updated"] = day
        elif key in _TAG_KEYS:
            meta["tags"] = [t.strip() for t in re.split(r"[,，、]", value) if t.strip()]
        elif key in _CATEGORY_KEYS and value.strip():
            meta["category"] = re.split(r"[,，、]", value)[0].strip()
        elif key in _URL_KEYS and re.match(r"https?://\S+\Z", value):
            meta["source"] = value
        else:
            kept.append(f"- {found['key'].strip()}：{value}")
    if not meta:
        return {}, body
    rest = lines[end:]
    return meta, "\n".join([*kept, *rest]).lstrip("\n")


def asides(body: str) -> str:
    """Notion's callouts (``<aside>`` with an emoji) as admonitions the build renders."""

    def one(match: re.Match[str]) -> str:
        text = _EMOJI.sub("", match["body"].strip())
        inner = "\n".join("    " + x if x.strip() else "" for x in text.split("\n"))
        return f'!!! note ""\n{inner}'

    return _ASIDE.sub(one, body)
