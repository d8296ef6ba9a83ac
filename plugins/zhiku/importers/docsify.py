"""A docsify site's notes: its sidebar gives their order and sections, and docsify's own
Markdown helpers become what the build renders.

A docsify site is a folder with an ``index.html`` that sets ``window.$docsify`` and loads
a sidebar (``loadSidebar: true`` reads ``_sidebar.md``; ``loadSidebar: 'SUMMARY.md'``
that file), a nested list of links::

    * [阅读指南](read_guide.md)
    * 2\\. 预备知识
       * [2.1 环境配置](chapter02_prerequisite/2.1_install.md)

Import reads it as mdBook's ``SUMMARY.md`` is read (:func:`zhiku.importers.mdbook.
parse_summary`): a page's place is its ``series_order`` in a series named by the site's
``name``, and the items above it (``预备知识``, without its number) are its category. A
page keeps its own ``# `` heading as its title; the sidebar's words title a page that has
none. Docsify's helpers are rewritten: ``?> 提示`` and ``!> 注意`` paragraphs become
admonitions, ``### 标题 :id=intro`` an anchor, ``![图](a.png ':size=50%')`` a width,
``[示例](code.py ':include')`` the file's text, ``#/guide`` and ``guide?id=安装`` links
the page and heading they name; link options such as ``':target=_blank'`` leave.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zhiku.importers.markup import outside_code, prose_blocks, top_headings
from zhiku.importers.mdbook import Chapter, Summary, parse_summary
from zhiku.importers.model import MARKDOWN_SUFFIXES, Note, Tree

# The folders a docsify site's index.html is looked for in, and the config it sets.
SITE_FOLDERS = ("", "docs", "doc", "site", "website")
_CONFIG = re.compile(r"\$docsify\s*=\s*\{(?P<body>.*?)\}\s*;?\s*</script>", re.S)
_STRING_OPTION = r"(?:^|[\s,{])NAME\s*:\s*(?P<q>['\"`])(?P<value>.*?)(?P=q)"
_TRUE_OPTION = r"(?:^|[\s,{])NAME\s*:\s*true\b"
# `2. 预备知识`, `2.1 环境配置`, `第3章`, `03-基础`: a section's number, left out of its name.
_NUMBER = re.compile(r"\A\s*\d+(?:\.\d+)*(?:[.、:：)-]\s*|\s+)(?=\S)")
# `?> 提示` and `!> 重要` at a paragraph's start: docsify's tip and warning.
_HELPER_PARAGRAPH = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<mark>[?!])>[ \t]*(?P<text>.*)$")
# `### 安装 :id=install` (also `:id=install :class=x`), `## 说明 <!-- {docsify-ignore} -->`
_HEADING_ID = re.compile(r"^(?P<head>#{1,6}[ \t]+.*?)[ \t]+:id=(?P<id>[\w-]+)(?P<rest>.*)$")
_IGNORE_MARK = re.compile(r"[ \t]*<!--\s*\{docsify-ignore(?:-all)?\}\s*-->")
# A link or image with docsify options in its title: ](a.png ':size=50%'), ](x ':include').
_OPTIONED = re.compile(
    r"(?P<bang>!?)\[(?P<text>(?:\\.|[^\]\\])*)\]\((?P<target>[^)\s]+)"
    r"[ \t]+(?P<q>['\"])(?P<options>:[^'\"]*)(?P=q)\)"
)
_OPTION = re.compile(r":(?P<name>[a-z-]+)(?:=(?P<value>[^\s:]+))?")
_HASH_ROUTE = re.compile(r"\]\(#/(?P<path>[^)\s]*)")
_ID_QUERY = re.compile(r"\]\((?P<path>[^)\s?#]*)\?id=(?P<id>[^)\s&]+)")
MAX_INCLUDE = 200_000  # characters of one included file


@dataclass(frozen=True, slots=True)
class Site:
    """What import keeps of a docsify site: its folder, name and sidebar."""

    folder: str  # relative to the imported root: "" or "docs"
    name: str | None
    sidebar: str | None  # the sidebar file, relative to ``folder``
    summary: Summary


def site_config(html: str) -> tuple[str | None, str | None] | None:
    """``(name, sidebar file)`` from the ``window.$docsify = {…}`` of ``html``; None when
    the page sets no docsify configuration. The sidebar is None when none is loaded."""
    found = _CONFIG.search(html)
    if found is None:
        return None
    body = found["body"]
    name = re.search(_STRING_OPTION.replace("NAME", "name"), body)
    sidebar = re.search(_STRING_OPTION.replace("NAME", "loadSidebar"), body)
    loads = re.search(_TRUE_OPTION.replace("NAME", "loadSidebar"), body)
    file = sidebar["value"].strip() if sidebar else ("_sidebar.md" if loads else None)
    if file is not None and not file.endswith(MARKDOWN_SUFFIXES):
        file += ".md"
    return (re.sub(r"<[^>]*>", "", name["value"]).strip() or None) if name else None, file


def link_target(raw: str, folder: str, exists: Callable[[str], bool]) -> str | None:
    """The file (relative to the site's folder) a sidebar link names, as docsify routes
    it: ``#/guide``, ``/guide``, ``guide.md``, ``guide/`` (its README.md); an empty link
    is the home page. None for another site's page."""
    target = raw.strip().strip("<>")
    if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):
        return None
    target = target.removeprefix("#").split("?", 1)[0].partition("#")[0]
    target = target.strip("/") if target.strip("/") else "README.md"
    path = posixpath.normpath(target.removeprefix("./"))
    if path.endswith(MARKDOWN_SUFFIXES):
        return path
    for candidate in (path + ".md", posixpath.join(path, "README.md")):
        if exists(posixpath.join(folder, candidate)):
            return candidate
    return path + ".md"


def read_sidebar(text: str, folder: str, exists: Callable[[str], bool]) -> Summary:
    """The sidebar's pages in reading order, by :func:`link_target`."""
    return parse_summary(text, lambda raw: link_target(raw, folder, exists))


def section_name(name: str) -> str:
    """A sidebar section's name without its number: ``2. 预备知识`` -> ``预备知识``."""
    return _NUMBER.sub("", name, count=1).strip() or name.strip()


def read_page(
    tree: Tree,
    note: Note,
    meta: dict[str, Any],
    relative: str,
    base: Callable[[Tree, Note, dict[str, Any], str], None],
) -> None:
    """One page of the docsify site ``tree``: read by ``base`` (the Markdown reader), its
    helpers rewritten, then placed by the sidebar."""
    files: Mapping[str, str] = tree.config.get("docsify_files", {})
    note.body = helpers(note.body, note.source, tree.base, files, note.notes)
    base(tree, note, meta, relative)
    chapters: Mapping[str, Chapter] = tree.config.get("chapters", {})
    chapter = chapters.get(relative)
    if chapter is None:
        if chapters:
            note.notes.append("not in the sidebar; imported all the same")
        section = folder_sections(chapters.values()).get(posixpath.dirname(relative))
        if section and not meta.get("category") and not meta.get("categories"):
            note.category = section  # the section its folder's pages are in
        return
    # One `# ` heading is the page's title; none, or several (its sections): the sidebar's.
    if not meta.get("title") and top_headings(tree.texts[note.source]) != 1:
        note.title = chapter.title
    if not meta.get("category") and not meta.get("categories"):
        note.category = "/".join(section_name(c) for c in chapter.category) or note.category
    note.series = tree.config.get("site_name") or note.series
    note.series_order = chapter.order


def folder_sections(chapters: Iterable[Chapter]) -> dict[str, str]:
    """``{folder: category}`` for each folder whose sidebar pages are all in one section."""
    found: dict[str, set[str]] = {}
    for chapter in chapters:
        name = "/".join(section_name(c) for c in chapter.category)
        found.setdefault(posixpath.dirname(chapter.path), set()).add(name)
    return {
        folder: next(iter(names))
        for folder, names in found.items()
        if len(names) == 1 and "" not in names
    }


def helpers(
    text: str, source: str, folder: str, files: Mapping[str, str], problems: list[str]
) -> str:
    """``text`` (of ``source``, in the site's ``folder``) with docsify's Markdown helpers
    as Markdown the build renders; ``files`` holds the text of files it includes."""
    text = _paragraph_helpers(text)
    text = _heading_ids(text)
    text = _HASH_ROUTE.sub(lambda m: f"](/{m['path']}", text)
    text = _ID_QUERY.sub(lambda m: f"]({m['path']}#{m['id']}", text)

    def optioned(match: re.Match[str]) -> str:
        options = {m["name"]: m["value"] for m in _OPTION.finditer(match["options"])}
        target = match["target"]
        if "include" in options and not match["bang"]:
            path = include_path(source, folder, target)
            included = _include(path, target, options, files, problems)
            if included is not None:
                return included
        attrs = []
        size = options.get("size")
        if size:
            width, _, height = size.partition("x")
            attrs.append(f"width={_css(width)}")
            if height:
                attrs.append(f"height={_css(height)}")
        elif "width" in options or "height" in options:
            attrs.extend(
                f"{k}={_css(options[k] or '')}" for k in ("width", "height") if options.get(k)
            )
        link = f"{match['bang']}[{match['text']}]({target})"
        return link + ("{ " + " ".join(attrs) + " }" if attrs and match["bang"] else "")

    return outside_code(text, lambda part: _OPTIONED.sub(optioned, part))


def _css(value: str) -> str:
    value = value.strip()
    return value if re.fullmatch(r"\d+(?:px)?", value) else f'"{value}"'


def _paragraph_helpers(text: str) -> str:
    def rewrite(block: str) -> str:
        out: list[str] = []
        for line in block.split("\n"):
            found = _HELPER_PARAGRAPH.match(line)
            if found is None:
                out.append(line)
                continue
            kind = "tip" if found["mark"] == "?" else "warning"
            out.append(f'{found["indent"]}!!! {kind} ""')
            out.append(f"{found['indent']}    {found['text']}")
        return "\n".join(out)

    return _outside_fences(text, rewrite)


def _heading_ids(text: str) -> str:
    def heading(line: str) -> str:
        line = _IGNORE_MARK.sub("", line)
        found = _HEADING_ID.match(line)
        return f"{found['head']} {{#{found['id']}}}" if found else line

    return _outside_fences(
        text,
        lambda block: "\n".join(
            heading(line) if line.startswith("#") else line for line in block.split("\n")
        ),
    )


def _outside_fences(text: str, change: Callable[[str], str]) -> str:
    """``text`` with ``change`` applied to each stretch of lines outside code blocks."""
    return "".join(part if is_code else change(part) for is_code, part in prose_blocks(text))


def include_path(source: str, folder: str, target: str) -> str | None:
    """The file (relative to the imported root) an ``':include'`` of ``target`` in
    ``source`` embeds; None for a file on another host."""
    if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):
        return None
    path = target.split("#")[0].split("?")[0]
    if path.startswith("/"):
        return posixpath.normpath(posixpath.join(folder, path.lstrip("/")))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), path))


def include_targets(source: str, folder: str, text: str) -> list[str]:
    """The files ``source``'s ``':include'`` links embed (to be read before its pages)."""
    found = []
    for match in _OPTIONED.finditer(text):
        if not match["bang"] and re.search(r":include\b", match["options"]):
            path = include_path(source, folder, match["target"])
            if path is not None:
                found.append(path)
    return found


def _include(
    path: str | None,
    target: str,
    options: Mapping[str, str | None],
    files: Mapping[str, str],
    problems: list[str],
) -> str | None:
    """The text of the file ``path`` a ``':include'`` link embeds, or None to keep the
    link (a file on another host is not fetched: import never needs the network)."""
    if path is None:
        problems.append(f"include of {target}: on another host, not fetched; kept as a link")
        return None
    text = files.get(path)
    if text is None:
        problems.append(f"include of {target}: no such file; kept as a link")
        return None
    text = text[:MAX_INCLUDE]
    kind = options.get("type")
    if kind == "code" or (kind is None and not path.endswith(MARKDOWN_SUFFIXES)):
        language = posixpath.splitext(path)[1].lstrip(".")
        fence = "````" if "```" in text else "```"
        return f"\n{fence}{language}\n{text.rstrip()}\n{fence}\n"
    return "\n" + text.strip("\n") + "\n"
