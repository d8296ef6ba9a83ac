"""One source note -> :class:`Note`, by the conventions of the tool that wrote it."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zlib
from typing import Any

from zhiku.importers import d2lbook, docsify, docusaurus, hugo, logseq, myst, notion
from zhiku.importers.hexo import convert_tags
from zhiku.importers.markup import (
    demote_html_h1,
    first_heading,
    hashes_as_text,
    outside_code,
    top_headings,
)
from zhiku.importers.mdbook import read_chapter
from zhiku.importers.model import Note, Skipped, Tree
from zhiku.importers.source import SourceError, day_of, names, parse_when, split_source

_JEKYLL_NAME = re.compile(r"\A(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})-(?P<name>.+)\Z")
# An inline Obsidian tag: `#` after a space or line start, then a name that is not all digits.
# Chinese text puts no space before it (“读完了。#日记”), so any other character may, but
# not one that makes it part of a URL, an entity, a link target or a word.
_INLINE_TAG = re.compile(r"(?<![\w#&/(\[:=.'\"`\\-])#(?P<tag>[\w/-]*[^\W\d_][\w/-]*)")
_DAY_NAME = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")
_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]|$)")
_URL_FIELDS = ("source", "canonical", "canonical_url", "canonicalURL", "original", "link")
JEKYLL_PERMALINKS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def _stem(path: str) -> str:
    return posixpath.splitext(posixpath.basename(path))[0]


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value).strip()
    return text or None


def _segment(name: str) -> str:
    return name.replace("/", "-").strip()


def _category(value: Any, hierarchy: bool) -> tuple[str | None, list[str]]:
    """(category, extra tags) from ``categories``: Hexo's list is a path and a list of lists
    several; elsewhere a list names several categories. The first counts, the others become
    tags (Zhiku has one category per article)."""
    if value is None:
        return None, []
    if isinstance(value, list) and any(isinstance(v, list) for v in value):
        # Hexo's several categories: [[机器学习, 强化学习], [笔记]] (a bare name is a path too)
        paths = [
            "/".join(
                _segment(str(s)) for s in (v if isinstance(v, list) else [v]) if str(s).strip()
            )
            for v in value
            if v is not None
        ]
        paths = [p for p in paths if p]
        return (paths[0] if paths else None), [p.rsplit("/", 1)[-1] for p in paths[1:]]
    items = names(value)
    if not items:
        return None, []
    if hierarchy:
        return "/".join(_segment(i) for i in items), []
    return _segment(items[0]), items[1:]


def _dated(note: Note, tree: Tree, meta: dict[str, Any], keys: tuple[str, ...]) -> bool:
    """Fill ``note.date`` from the first of ``keys`` the front matter has; False if none."""
    for key in keys:
        if key in meta and meta[key] is not None:
            when = parse_when(meta[key])
            if when is None:
                note.notes.append(f"{key} {meta[key]!r} is not a date; used the file's date")
                continue
            note.date = when
            return True
    return False


def _file_date(note: Note, tree: Tree) -> None:
    stem = _stem(note.source)
    if _DAY_NAME.match(stem):  # a daily note: its name is its day
        when = parse_when(stem)
        if when is not None:
            note.date = when
            return
    day, how = tree.dates.get(note.source, (dt.date(1970, 1, 1), "none"))
    note.date = day
    note.date_estimated = True
    note.notes.append(
        "no date in the note; "
        + ("dated by the commit that added it" if how == "git" else "dated by the file's time")
    )


def _common(note: Note, meta: dict[str, Any]) -> None:
    updated = next((meta[k] for k in ("updated", "lastmod", "modified") if meta.get(k)), None)
    if updated is not None:
        when = parse_when(updated)
        if when is None:
            note.notes.append(f"updated {updated!r} is not a date; left out")
        else:
            note.updated = when
    raw = meta.get("tags", meta.get("tag"))  # `tag:` in VuePress Theme Hope
    if isinstance(raw, str) and "#" in raw:  # Obsidian's `tags: "#数学 #笔记"`
        raw = [t for t in re.split(r"[\s,，]+", raw) if t.strip("#")]
    note.tags.extend(t.lstrip("#") for t in names(raw))
    if meta.get("draft") is True or meta.get("published") is False:
        note.draft = True
    sticky = meta.get("sticky")
    if any(meta.get(k) is True for k in ("pinned", "pin", "top", "sticky")) or (
        isinstance(sticky, int) and not isinstance(sticky, bool) and sticky > 0
    ):
        note.pinned = True
    series = names(meta.get("series"))
    if series:
        note.series = series[0]
    description = _text(meta.get("description") or meta.get("summary") or meta.get("excerpt"))
    if description:
        note.description = description
    for key in _URL_FIELDS:
        url = _text(meta.get(key))
        if url and re.match(r"https?://\S+\Z", url):
            note.url = url
            break


def _title(note: Note, meta: dict[str, Any], fallback: str) -> None:
    """Front matter's title, else the ``# `` heading when the body has one only (taken out
    of the body), else ``fallback``. A heading that repeats the title is taken out too."""
    title = _text(meta.get("title"))
    heading, rest = first_heading(note.body)
    if title is None and heading is not None and top_headings(note.body) > 1:
        # Several `# ` headings are the note's sections (# 题意, # 题解), not its title.
        heading = None
    if title is None and heading is not None:
        title, note.body = heading, rest
    elif heading is not None and heading == title and not note.body[: note.body.find("# ")].strip():
        note.body = rest
    note.title = title or fallback


# Kinds whose notes were written for a CommonMark renderer (Hexo's marked, Hugo's goldmark,
# Obsidian, Typora, docsify), not for Python-Markdown or kramdown.
COMMONMARK = frozenset(
    {
        "hexo",
        "hugo",
        "obsidian",
        "vuepress",
        "docusaurus",
        "mdbook",
        "docsify",
        "d2lbook",
        "sphinx",
        "logseq",
        "notion",
        "markdown",
    }
)


def read_note(tree: Tree, path: str) -> Note | Skipped:
    """The note at ``path`` (relative to the tree's root) of ``tree``."""
    text = tree.texts[path]
    try:
        meta, body, _ = split_source(text, bare=tree.kind == "hexo")
    except SourceError as err:
        return Skipped(path, f"{err.message}; fix it and run again", bad=True, line=err.line)
    if tree.kind == "vuepress" and (meta.get("home") is True or meta.get("layout") == "home"):
        return Skipped(path, "the site's home page (hero and features), not a note; not imported")
    note = Note(path, "", dt.date(1970, 1, 1), body.lstrip("\n"))
    relative = posixpath.relpath(path, tree.base) if tree.base else path
    reader = {
        "hexo": _hexo,
        "hugo": _hugo,
        "jekyll": _jekyll,
        "obsidian": _obsidian,
        "mkdocs": _mkdocs,
        "vuepress": _vuepress,
        "docusaurus": _docusaurus,
        "mdbook": _mdbook,
        "d2lbook": _d2lbook,
        "docsify": _docsify,
        "logseq": _logseq,
        "notion": _notion,
        "sphinx": _sphinx,
    }.get(tree.kind, _markdown)
    if tree.kind in COMMONMARK and tree.kind != "sphinx":  # a book's documents: already
        note.body, found = myst.convert_directives(note.body, relative)
        note.notes.extend(found)
    reader(tree, note, meta, relative)
    if tree.kind in COMMONMARK:
        note.body = hashes_as_text(note.body)
    note.body = demote_html_h1(note.body)
    if not note.title.strip():
        return Skipped(
            path, "no title found (front matter, heading or file name); add one", bad=True
        )
    note.tags = list(dict.fromkeys(t for t in note.tags if t))
    if note.draft:
        note.notes.append("a draft in the source; kept as draft: true")
    return note


def _folder_category(relative: str) -> str | None:
    folder = posixpath.dirname(relative)
    return "/".join(_segment(p) for p in folder.split("/")) if folder else None


def _hexo(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    _common(note, meta)
    inside = relative.split("/", 1)
    post = inside[1] if inside[0] in ("_posts", "_drafts") and len(inside) > 1 else relative
    if inside[0] == "_drafts":
        note.draft = True
    name = _stem(post)
    if name in ("index", "README") and "/" in post:  # a post as a folder: the folder names it
        name = posixpath.basename(posixpath.dirname(post))
    _title(note, meta, name)
    if not _dated(note, tree, meta, ("date",)):
        _file_date(note, tree)
    note.category, more = _category(meta.get("categories", meta.get("category")), True)
    if note.category is None:  # posts kept in folders: the folders, as a person filed them
        folder = posixpath.dirname(post)
        if posixpath.basename(post).startswith(("index.", "README.")):
            folder = posixpath.dirname(folder)
        note.category = _folder_category(folder + "/x") if folder else None
    note.tags.extend(more)
    note.slug = _text(meta.get("slug")) or name
    # {% asset_img %} names a file of the post's asset folder, beside it and named like it.
    note.body, found = convert_tags(note.body, _stem(post))
    note.notes.extend(found)
    if not note.draft:
        title = posixpath.splitext(post)[0]
        permalink = _text(meta.get("permalink"))
        if permalink:
            note.aliases.append("/" + permalink.lstrip("/"))
        else:
            pattern = _text(tree.config.get("permalink")) or ":year/:month/:day/:title/"
            values = _date_values(note.date) | {
                "title": title,
                "name": _stem(post),
                "post_title": title,
                "category": note.category or _text(tree.config.get("default_category")) or "",
                "abbrlink": _text(meta.get("abbrlink"))
                or (
                    abbrlink(note.title, tree.config.get("abbrlink"))
                    if ":abbrlink" in pattern
                    else ""
                ),
                "id": _text(meta.get("id")) or "",
            }
            alias = _fill(pattern, values)
            if alias:
                note.aliases.append("/" + alias.lstrip("/"))


def _crc16_arc(data: bytes) -> int:
    """CRC-16/ARC (reflected polynomial 0xA001, start 0), as hexo-abbrlink computes it."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def abbrlink(title: str, config: Any) -> str:
    """The ``abbrlink`` hexo-abbrlink gives a post that has none: a CRC of its title
    (``alg: crc16`` by default, or ``crc32``), in decimal or ``rep: hex``."""
    settings = config if isinstance(config, dict) else {}
    data = title.encode("utf-8")
    value = zlib.crc32(data) if settings.get("alg") == "crc32" else _crc16_arc(data)
    return f"{value:x}" if settings.get("rep") == "hex" else str(value)


def _date_values(when: dt.date | dt.datetime) -> dict[str, str]:
    day = day_of(when)
    moment = when if isinstance(when, dt.datetime) else None
    return {
        "year": f"{day.year:04d}",
        "month": f"{day.month:02d}",
        "day": f"{day.day:02d}",
        "i_month": str(day.month),
        "i_day": str(day.day),
        "y_day": f"{day.timetuple().tm_yday:03d}",
        "short_year": f"{day.year % 100:02d}",
        "hour": f"{moment.hour:02d}" if moment else "00",
        "minute": f"{moment.minute:02d}" if moment else "00",
        "second": f"{moment.second:02d}" if moment else "00",
    }


def _fill(pattern: str, values: dict[str, str]) -> str | None:
    """A permalink pattern (``:year/:month/:title/``) filled in; None when a value is missing."""
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        got = values.get(match.group(1))
        if got is None or got == "":
            missing = True
            return ""
        # A `#` or `?` in a file name is part of the path, as the old site served it.
        return got.replace("%", "%25").replace("#", "%23").replace("?", "%3F")

    filled = re.sub(r":(\w+)", value, pattern)
    return None if missing else re.sub(r"/{2,}", "/", filled)


_HUGO_REF = re.compile(r"\{\{[<%]\s*(?:rel)?ref\s+\"?(?P<path>[^\"\s>%]+)\"?\s*[>%]\}\}")
_HUGO_FIGURE = re.compile(r"\{\{[<%]\s*figure\s+(?P<args>.*?)\s*/?[>%]\}\}")
_HUGO_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*(?P<name>[\w-]+)[^}]*[>%]\}\}")
_HUGO_HIGHLIGHT = re.compile(
    r"\{\{[<%]\s*highlight\s+(?P<lang>[\w+#.-]+)[^}]*[>%]\}\}\n?(?P<code>.*?)\n?"
    r"\{\{[<%]\s*/highlight\s*[>%]\}\}",
    re.S,
)
# Wrappers themes put around formulas: the formula stays, the wrapper goes.
_HUGO_MATH = re.compile(r"\{\{[<%]\s*/?\s*(?:math|katex|mathjax)\b[^}]*[>%]\}\}")
_ATTR = re.compile(r"(\w+)\s*=\s*\"([^\"]*)\"")


def hugo_shortcodes(body: str) -> tuple[str, list[str]]:
    """Hugo's ``ref``/``relref`` and ``figure`` shortcodes and the note themes' block
    shortcodes (:mod:`zhiku.importers.hugo`) as Markdown; others reported."""
    body, found = hugo.block_shortcodes(body)

    def figure(match: re.Match[str]) -> str:
        attrs = dict(_ATTR.findall(match["args"]))
        alt = attrs.get("alt") or attrs.get("caption") or attrs.get("title") or ""
        return f"![{alt}]({attrs.get('src', '')})"

    def convert(text: str) -> str:
        text = _HUGO_HIGHLIGHT.sub(lambda m: f"```{m['lang']}\n{m['code']}\n```", text)
        text = _HUGO_MATH.sub("", text)
        text = _HUGO_REF.sub(lambda m: "note-ref:" + m["path"], text)
        text = _HUGO_FIGURE.sub(figure, text)
        for match in _HUGO_SHORTCODE.finditer(text):
            found.append(f"{{{{< {match['name']} >}}}} is a shortcode import does not know; kept")
        return text

    return outside_code(body, convert), list(dict.fromkeys(found))


def _hugo(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    _common(note, meta)
    note.body, found = hugo_shortcodes(note.body)
    note.notes.extend(found)
    bundle = posixpath.basename(relative) in ("index.md", "_index.md")
    stem = posixpath.basename(posixpath.dirname(relative)) if bundle else _stem(relative)
    _title(note, meta, stem)
    if not _dated(note, tree, meta, ("date", "publishDate", "pubdate", "published")):
        _file_date(note, tree)
    note.category, more = _category(meta.get("categories", meta.get("category")), False)
    note.tags.extend(more)
    note.slug = _text(meta.get("slug")) or stem
    if note.draft:
        return
    note.aliases.extend("/" + a.lstrip("/") for a in names(meta.get("aliases")))
    url = _text(meta.get("url"))
    if url:
        note.aliases.append("/" + url.lstrip("/"))
    else:
        folder = posixpath.dirname(posixpath.dirname(relative) if bundle else relative)
        section = folder.split("/")[0] if folder else ""
        pattern = (
            _text((tree.config.get("permalinks") or {}).get(section))
            if isinstance(tree.config.get("permalinks"), dict)
            else None
        )
        if pattern:
            values = _date_values(note.date) | {
                "slug": _text(meta.get("slug")) or stem,
                "filename": stem,
                "title": re.sub(r"\s+", "-", note.title.lower()),
                "section": section,
                "sections": folder,
                "contentbasename": stem,
            }
            alias = _fill(pattern, values)
            if alias:
                note.aliases.append("/" + alias.lstrip("/"))
        else:
            parts = [p for p in (folder, _text(meta.get("slug")) or stem) if p]
            note.aliases.append(("/" + "/".join(parts) + "/").lower())


_LIQUID_LINK = re.compile(r"\{%-?\s*(?:post_url|link)\s+(?P<path>[^\s%]+)\s*-?%\}")
_LIQUID_BASEURL = re.compile(r"\{\{-?\s*(?:site\.baseurl|site\.url)\s*-?\}\}")
_LIQUID_HIGHLIGHT = re.compile(
    r"\{%-?\s*highlight\s+(?P<lang>[\w+#.-]+)[^%]*%\}\n?(?P<code>.*?)\n?\{%-?\s*endhighlight\s*-?%\}",
    re.S,
)
_LIQUID = re.compile(r"\{[%{]-?\s*(?P<name>[\w.]+)")
_LIQUID_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(?P<inner>.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_LIQUID_URL = re.compile(
    r"\{\{-?\s*[\"'](?P<path>[^\"']+)[\"']\s*\|\s*"
    r"(?:relative_url|absolute_url|prepend:\s*site\.baseurl)\s*-?\}\}"
)


def liquid(body: str) -> tuple[str, list[str]]:
    """Jekyll's Liquid in a post: ``post_url``/``link`` to the post, ``site.baseurl``
    dropped, ``highlight`` as fenced code; anything else kept as text and reported."""
    found: list[str] = []

    def convert(text: str) -> str:
        out, last = [], 0
        for raw in _LIQUID_RAW.finditer(text):  # {% raw %} holds text Liquid must not read
            out.append(convert_liquid(text[last : raw.start()]))
            out.append(raw["inner"])
            last = raw.end()
        out.append(convert_liquid(text[last:]))
        return "".join(out)

    def convert_liquid(text: str) -> str:
        text = _LIQUID_HIGHLIGHT.sub(lambda m: f"```{m['lang']}\n{m['code']}\n```", text)
        text = _LIQUID_LINK.sub(lambda m: "note-ref:" + m["path"], text)
        text = _LIQUID_URL.sub(lambda m: m["path"], text)
        text = _LIQUID_BASEURL.sub("", text)
        found.extend(
            f"Liquid {m['name']} is not something import knows; kept as text"
            for m in _LIQUID.finditer(text)
        )
        return text

    return outside_code(body, convert), list(dict.fromkeys(found))


def _jekyll(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    _common(note, meta)
    note.body, found = liquid(note.body)
    note.notes.extend(found)
    if relative.split("/", 1)[0] == "_drafts":
        note.draft = True
    stem = _stem(relative)
    named = _JEKYLL_NAME.match(stem)
    title_part = named["name"] if named else stem
    _title(note, meta, title_part.replace("-", " ").strip() or stem)
    if not _dated(note, tree, meta, ("date",)):
        if named:
            try:
                note.date = dt.date(int(named["y"]), int(named["m"]), int(named["d"]))
            except ValueError:
                _file_date(note, tree)
        else:
            _file_date(note, tree)
    raw = meta.get("categories", meta.get("category"))
    if isinstance(raw, str):
        raw = raw.split()
    note.category, more = _category(raw, False)
    note.tags.extend(more)
    note.slug = _text(meta.get("slug")) or title_part
    if note.draft:
        return
    permalink = _text(meta.get("permalink"))
    if not permalink:
        configured = _text(tree.config.get("permalink")) or "date"
        permalink = JEKYLL_PERMALINKS.get(configured, configured)
        cats = [c for c in (names(raw) if raw else []) if c]
        values = _date_values(note.date) | {
            "categories": "/".join(c.lower().replace(" ", "-") for c in cats),
            "title": _text(meta.get("slug")) or title_part,
            "slug": _text(meta.get("slug")) or title_part,
            "output_ext": ".html",
            "name": title_part,
        }
        filled = re.sub(r":(\w+)", lambda m: values.get(m.group(1), m.group(0)), permalink)
        permalink = re.sub(r"/{2,}", "/", filled)
    note.aliases.append("/" + permalink.lstrip("/"))


def inline_tags(body: str) -> list[str]:
    """Obsidian's inline ``#tags`` in ``body``: not in code, not a heading's ``#``."""
    found: list[str] = []

    def collect(text: str) -> str:
        for line in text.splitlines():
            if _HEADING_LINE.match(line):
                continue
            found.extend(m["tag"] for m in _INLINE_TAG.finditer(line))
        return text

    outside_code(body, collect)
    return list(dict.fromkeys(found))


_OBSIDIAN_COMMENT = re.compile(r"%%.*?%%", re.S)


def _obsidian(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    # %% comments %% are hidden in Obsidian's reading view: private, never published.
    hidden: list[str] = []

    def strip(text: str) -> str:
        hidden.extend(_OBSIDIAN_COMMENT.findall(text))
        return _OBSIDIAN_COMMENT.sub("", text)

    note.body = outside_code(note.body, strip)
    if hidden:
        note.notes.append(f"{len(hidden)} %% comments %% left out (Obsidian hides them)")
    meta = dict(meta)
    meta.pop("aliases", None)  # Obsidian's aliases are other names, not old URLs
    _common(note, meta)
    note.title = _text(meta.get("title")) or _stem(relative)
    heading, rest = first_heading(note.body)
    if heading == note.title and not note.body[: note.body.find("# ")].strip():
        note.body = rest
    if not _dated(note, tree, meta, ("date", "created", "created_at", "creation date")):
        _file_date(note, tree)
    given, more = _category(meta.get("categories", meta.get("category")), False)
    note.category = given or _folder_category(relative)
    note.tags.extend(more)
    note.tags.extend(inline_tags(note.body))
    note.slug = ""


def _mkdocs(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    _common(note, meta)
    nav: dict[str, str] = tree.config.get("nav_titles", {})
    stem = _stem(relative)
    if stem in ("index", "README"):
        stem = (
            posixpath.basename(posixpath.dirname(relative))
            or _text(tree.config.get("site_name"))
            or "index"
        )
    if relative in nav:
        meta = {**meta, "title": nav[relative]}
    _title(note, meta, stem)
    # In MkDocs a page's opening `# heading` is its title, which the title above replaces.
    heading, rest = first_heading(note.body)
    if heading is not None and not note.body[: note.body.find("# ")].strip():
        note.body = rest
    if not _dated(note, tree, meta, ("date", "created")):
        _file_date(note, tree)
    given, more = _category(meta.get("categories", meta.get("category")), False)
    sections: dict[str, str] = tree.config.get("nav_sections", {})
    note.category = given or sections.get(relative) or _folder_category(relative)
    note.tags.extend(more)
    directory_urls = tree.config.get("use_directory_urls", True) is not False
    page = posixpath.splitext(relative)[0]
    if posixpath.basename(page) in ("index", "README"):
        old = posixpath.dirname(page) + "/" if posixpath.dirname(page) else ""
    else:
        old = page + "/" if directory_urls else page + ".html"
    if old and not note.draft:
        note.aliases.append("/" + old)


def _vuepress(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    """VuePress and VitePress (and their blog themes: Hope's ``category``/``tag``, reco's
    and vdoing's ``categories``/``tags``/``permalink``): a page is served at its path as
    ``.html``, a folder's ``README.md``/``index.md`` at the folder; both stay as aliases."""
    _markdown(tree, note, meta, relative)  # title, date, category, tags as for any notes
    if note.draft:
        return
    page = posixpath.splitext(relative)[0]
    if _stem(relative) in ("index", "README"):
        old = posixpath.dirname(page) + "/" if posixpath.dirname(page) else ""
    else:
        old = page + ".html"
    if old:
        note.aliases.append("/" + old)
    permalink = _text(meta.get("permalink"))
    if permalink and permalink.startswith("/") and permalink.strip("/"):
        note.aliases.append(permalink)


def _mdbook(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    read_chapter(tree, note, meta, relative, _markdown)  # SUMMARY.md's titles and parts


def _d2lbook(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    # The book's ```toc trees give order and chapters; d2lbook's roles become links.
    d2lbook.read_section(tree, note, meta, relative, _markdown)


def _notion(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    """A Notion export's page (see :mod:`zhiku.importers.notion`): named without
    Notion's ids, its property lines as front matter, its callouts as admonitions."""
    _common(note, meta)
    _title(note, meta, notion.plain_name(_stem(relative)))
    found, note.body = notion.properties(note.body)
    note.body = notion.asides(note.body)
    if isinstance(found.get("updated"), dt.date) and note.updated is None:
        note.updated = found["updated"]  # type: ignore[assignment]
    tags = found.get("tags")
    if isinstance(tags, list):
        note.tags.extend(str(t) for t in tags)
    if isinstance(found.get("source"), str) and not note.url:
        note.url = str(found["source"])
    merged = {**found, **meta}
    if not _dated(note, tree, merged, ("date", "created")):
        _file_date(note, tree)
    given, more = _category(merged.get("categories", merged.get("category")), False)
    folder = posixpath.dirname(relative)
    plain = "/".join(_segment(notion.plain_name(p)) for p in folder.split("/")) if folder else None
    note.category = given or plain
    note.tags.extend(more)


def _logseq(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    """A Logseq page or journal (see :mod:`zhiku.importers.logseq`): its outline as prose
    and lists, its ``key:: value`` properties as front matter (YAML front matter wins)."""
    found, note.body, problems = logseq.read_page(
        note.body, relative, tree.config.get("logseq_refs", {})
    )
    note.notes.extend(problems)
    merged = {**found, **meta}
    _common(note, merged)
    note.title = _text(merged.get("title")) or logseq.page_name(relative)
    if not _dated(note, tree, merged, ("date",)):
        _file_date(note, tree)
    given, more = _category(merged.get("categories", merged.get("category")), False)
    note.category = given
    note.tags.extend(more)


def _docsify(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    docsify.read_page(tree, note, meta, relative, _markdown)  # the sidebar's order and sections


def _sphinx(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    myst.read_document(tree, note, meta, relative, _markdown)  # the toctree's order and parts


def _docusaurus(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    """Docusaurus's docs and blog posts (see :mod:`zhiku.importers.docusaurus`): the title
    else the ``# `` heading else ``sidebar_label``, a blog post's day from its name, the
    folders by their ``_category_`` labels, the old URL (``slug``, ``id``) as an alias."""
    place = tree.config["places"][relative]
    meta = {**meta, "tags": docusaurus.tag_names(meta.get("tags"))}
    last = meta.get("last_update")  # a doc's `last_update: {date: …, author: …}`
    if isinstance(last, dict) and last.get("date") and not meta.get("updated"):
        meta["updated"] = last["date"]
    _common(note, meta)
    dated = docusaurus.blog_date(place.inner) if place.section.kind == "blog" else None
    name = posixpath.splitext(posixpath.basename(place.inner))[0]
    if name.lower() in ("index", "readme") and "/" in place.inner:
        name = posixpath.basename(posixpath.dirname(place.inner))
    name = dated[1] if dated else docusaurus.clean_name(name)
    _title(note, meta, _text(meta.get("sidebar_label")) or name)
    if not _dated(note, tree, meta, ("date",)):
        when = parse_when(dated[0]) if dated else None
        if when is not None:
            note.date = when
        else:
            _file_date(note, tree)
    folders = docusaurus.category(place, tree.config.get("category_labels", {}))
    note.category = "/".join(_segment(f) for f in folders) or None
    slug = _text(meta.get("slug"))
    note.slug = posixpath.basename(slug.strip("/")) if slug else _text(meta.get("id")) or ""
    note.body, found = docusaurus.convert_mdx(note.body)
    note.notes.extend(found)
    if meta.get("unlisted") is True:
        note.notes.append("unlisted in the source (hidden from its lists); published here")
    if not note.draft:
        note.aliases.append(docusaurus.old_url(place, meta, dated[0] if dated else None))


def _markdown(tree: Tree, note: Note, meta: dict[str, Any], relative: str) -> None:
    _common(note, meta)
    stem = _stem(relative)
    if stem in ("index", "README") and posixpath.dirname(relative):
        stem = posixpath.basename(posixpath.dirname(relative))
    _title(note, meta, stem)
    if not _dated(note, tree, meta, ("date", "created")):
        _file_date(note, tree)
    given, more = _category(meta.get("categories", meta.get("category")), False)
    note.category = given or _folder_category(relative)
    note.tags.extend(more)
    note.slug = _text(meta.get("slug")) or ""
