"""mdBook (and GitBook) books: ``SUMMARY.md`` gives each chapter its title, its place and
its part; ``{{#include}}`` and its kin are filled in; rustdoc's code-block attributes
become a plain language. Pure: the shell reads files and hands their texts in."""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from zhiku.importers.markup import first_heading, headings, outside_code, prose_blocks
from zhiku.importers.model import Note, Skipped, Tree
from zhiku.text.callouts import (
    KNOWN_TYPES,
)  # Material's admonition types, which mdbook-admonish shares
from zhiku.text.slug import anchor_for

# How deep includes may nest before import stops following them (a file including itself).
MAX_DEPTH = 10

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HEADING = re.compile(r"^#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
_ITEM = re.compile(
    r"^(?P<indent>[ \t]*)(?:(?:[-*+]|\d+\.)[ \t]+)?"
    r"\[(?P<title>(?:\\.|[^\]\\])*)\]\((?P<target>[^)]*)\)\s*$"
)
# A list item that is only words: a section of a docsify sidebar (`* 2\. 预备知识`).
_GROUP = re.compile(r"^(?P<indent>[ \t]*)(?:[-*+]|\d+\.)[ \t]+(?P<title>\S.*?)\s*$")
_RULE = re.compile(r"^[ \t]*(?:-[ \t]*){3,}$|^[ \t]*(?:\*[ \t]*){3,}$")
# {{#name args}}; a backslash before it (\{{#include x}}) keeps it as written.
_HELPER = re.compile(r"(?P<escape>\\?)\{\{[ \t]*#(?P<name>[a-z_]+)(?P<args>[^}\n]*)\}\}")
_INCLUDES = ("include", "rustdoc_include", "playground", "playpen")
_ANCHOR_LINE = re.compile(r"ANCHOR(?:_END)?:\s*[\w-]+")
# rustdoc's attributes on a code block (```rust,editable,ignore): not a language.
RUSTDOC_ATTRIBUTES = frozenset(
    {
        "ignore",
        "editable",
        "noplayground",
        "noplaypen",
        "no_run",
        "should_panic",
        "compile_fail",
        "does_not_compile",
        "panics",
        "not_desired_behavior",
        "mdbook-runnable",
        "test_harness",
        "allow_fail",
        "hidelines",
    }
)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})(?P<info>[^`\n]*)$")
_SPAN = re.compile(
    r"^[ \t]*<span class=\"(?P<kind>filename|caption)\">(?P<text>.*?)</span>[ \t]*$", re.M
)
_OPENING = re.compile(r"\A\s*#{1,6}[ \t]+(?P<text>.+?)[ \t#]*(?:\n|\Z)")
_MATH_INLINE = re.compile(r"\\\\\((?P<tex>.+?)\\\\\)")
_MATH_BLOCK = re.compile(r"\\\\\[(?P<tex>.+?)\\\\\]", re.S)


@dataclass(frozen=True, slots=True)
class Chapter:
    """One chapter of ``SUMMARY.md``: its file (relative to the book's source folder), the
    link text that titles it, its parts and parent chapters (the category) and its place."""

    path: str
    title: str
    category: tuple[str, ...]
    order: int
    line: int


@dataclass(frozen=True, slots=True)
class Summary:
    """``SUMMARY.md`` read: the chapters in reading order, and the drafts (``[标题]()``)."""

    title: str | None = None
    chapters: tuple[Chapter, ...] = ()
    drafts: tuple[tuple[str, int], ...] = ()  # (title, line)
    problems: tuple[str, ...] = ()


def _unescape(text: str) -> str:
    """A title as plain text: ``切片 `&str` `` -> ``切片 &str``, ``\\[`` -> ``[``."""
    text = re.sub(r"`([^`]*)`|\*\*(.+?)\*\*", lambda m: m[1] if m[1] is not None else m[2], text)
    return re.sub(r"\\(.)", r"\1", text).strip()


def parse_summary(text: str, resolve: Callable[[str], str | None] | None = None) -> Summary:
    """The chapters ``SUMMARY.md`` lists: a heading before the first link is the book's
    title, a later one starts a part (the category of what follows); a nested link is
    filed under the chapters above it, and so is one under an item without a link (a
    docsify sidebar's ``* 2. 预备知识``); ``[标题]()`` is a draft, not a file.

    ``resolve`` maps a link's target to the file it names (None: not a page of the book,
    left out); by default the target is the path, relative to the summary's folder."""
    # Comments hide links (<!-- [Rust 周刊](weekly.md) -->); lines keep their numbers.
    text = _COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    title: str | None = None
    part: str | None = None
    seen_item = False
    stack: list[tuple[int, str]] = []
    chapters: list[Chapter] = []
    drafts: list[tuple[str, int]] = []
    problems: list[str] = []
    known: set[str] = set()
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or _RULE.match(line):
            continue
        heading = _HEADING.match(line)
        if heading:
            if not seen_item and title is None and part is None:
                title = _unescape(heading["text"])
            else:
                part = _unescape(heading["text"]).replace("/", "-")
                stack = []
            continue
        item = _ITEM.match(line)
        group = _GROUP.match(line) if item is None and "](" not in line else None
        if item is None and group is None:
            continue
        found = item or group
        assert found is not None
        seen_item = True
        indent = len(found["indent"].expandtabs(4))
        while stack and stack[-1][0] >= indent:
            stack.pop()
        name = _unescape(found["title"])
        category = (*([part] if part else []), *(t for _, t in stack))
        stack.append((indent, name.replace("/", "-")))
        if item is None:
            continue
        if resolve is not None:
            resolved = resolve(unquote(item["target"]))
            if resolved is None:
                continue
            path = resolved
        else:
            target = unquote(item["target"].strip().strip("<>").partition("#")[0])
            if not target:
                drafts.append((name, number))
                continue
            path = posixpath.normpath(target.removeprefix("./"))
        if path in known:
            problems.append(f"line {number}: {target} is listed twice; the first place kept")
            continue
        known.add(path)
        chapters.append(Chapter(path, name, category, len(chapters) + 1, number))
    return Summary(title, tuple(chapters), tuple(drafts), tuple(problems))


def _parse_target(args: str) -> tuple[str, str]:
    """``path:5:10`` -> (path, "5:10"); ``path:anchor`` -> (path, "anchor")."""
    args = args.strip().split()[0] if args.strip() else ""
    path, _, selector = args.partition(":")
    return path, selector


_GITBOOK_INCLUDE = re.compile(r"\{%-?\s*include\s+[\"'](?P<path>[^\"'\s]+)[\"']\s*-?%\}")
_GITBOOK_HINT = re.compile(
    r"^[ \t]*\{%-?\s*hint\s+style=[\"'](?P<style>\w+)[\"']\s*-?%\}[ \t]*\n"
    r"(?P<body>.*?)\n?^[ \t]*\{%-?\s*endhint\s*-?%\}[ \t]*$",
    re.S | re.M,
)
_GITBOOK_RAW = re.compile(r"\{%-?\s*(?:end)?raw\s*-?%\}")
_GITBOOK_TAG = re.compile(r"\{%-?\s*(?P<name>\w+)[^%]*%\}")
_HINT_STYLES = {"info": "info", "success": "success", "warning": "warning", "danger": "danger"}


def gitbook_includes(text: str) -> str:
    """GitBook's ``{% include "./x.md" %}`` written as mdBook's ``{{#include ./x.md}}``."""
    return _GITBOOK_INCLUDE.sub(lambda m: "{{#include " + m["path"] + "}}", text)


def gitbook_tags(text: str) -> tuple[str, list[str]]:
    """GitBook's tags in a chapter: ``{% include %}`` as mdBook's (filled in next),
    ``{% hint style="warning" %}`` as an admonition, ``{% raw %}`` dropped; any other
    tag kept as text and reported."""
    found: list[str] = []

    def hint(match: re.Match[str]) -> str:
        kind = _HINT_STYLES.get(match["style"].lower(), "note")
        inner = "\n".join(("    " + x) if x.strip() else "" for x in match["body"].split("\n"))
        return f"!!! {kind}\n\n{inner}"

    def convert(part: str) -> str:
        part = _GITBOOK_RAW.sub("", gitbook_includes(part))
        found.extend(
            f"{{% {m['name']} %}} is a GitBook tag import does not know; kept as text"
            for m in _GITBOOK_TAG.finditer(part)
        )
        return part

    text = outside_code(_GITBOOK_HINT.sub(hint, text), convert)
    return text, list(dict.fromkeys(found))


def include_targets(chapter: str, text: str, gitbook: bool = False) -> list[str]:
    """The files ``text`` (of the file ``chapter``, relative to the book's root) includes,
    relative to the root; those outside it are left out (the expansion reports them).
    ``gitbook``: GitBook's ``{% include %}`` counts too."""
    found = []
    text = gitbook_includes(text) if gitbook else text
    for match in _HELPER.finditer(text):
        if match["escape"] or match["name"] not in _INCLUDES:
            continue
        path, _ = _parse_target(match["args"])
        if path:
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(chapter), path))
            if not joined.startswith(".."):
                found.append(joined)
    return found


def gather(
    chapters: Mapping[str, str], read: Callable[[str], str | None], gitbook: bool = False
) -> dict[str, str | None]:
    """Every file the ``chapters`` (path -> text) include, nested includes too: path ->
    its text, or None when ``read`` cannot give it."""
    files: dict[str, str | None] = {}
    todo = [(path, text) for path, text in chapters.items()]
    for _ in range(MAX_DEPTH):
        more: list[tuple[str, str]] = []
        for path, text in todo:
            for target in include_targets(path, text, gitbook):
                if target in files:
                    continue
                if target in chapters:  # a chapter included by another: its text is known
                    files[target] = chapters[target]
                    continue
                files[target] = got = read(target)
                if got is not None:
                    more.append((target, got))
        if not more:
            break
        todo = more
    return files


def _select(text: str, selector: str) -> str | None:
    """The lines of ``text`` an include asks for: ``5:10``, ``5:``, ``:10``, ``5``, or
    the lines between ``ANCHOR: name`` and ``ANCHOR_END: name``; None for an anchor the
    file does not have. Anchor lines themselves never show."""
    lines = text.splitlines()
    if selector and not re.fullmatch(r"\d*(?::\d*)?", selector):
        start = next((i for i, x in enumerate(lines) if f"ANCHOR: {selector}" in x), None)
        if start is None:
            return None
        end = next(
            (i for i, x in enumerate(lines[start:], start) if f"ANCHOR_END: {selector}" in x),
            len(lines),
        )
        lines = lines[start + 1 : end]
    elif selector:
        first, colon, last = selector.partition(":")
        begin = max(int(first) - 1, 0) if first else 0
        stop = begin + 1 if not colon else int(last) if last else None
        lines = lines[begin:stop]
    return "\n".join(x for x in lines if not _ANCHOR_LINE.search(x))


@dataclass(slots=True)
class Expanded:
    """A chapter's text with its helpers done, the ``{{#title}}`` it gave, what to report."""

    text: str
    title: str | None = None
    problems: list[str] = field(default_factory=list)


def expand(
    chapter: str, text: str, files: Mapping[str, str | None], first_line: int = 1
) -> Expanded:
    """``text`` of ``chapter`` (relative to the book's root) with mdBook's helpers done:
    ``{{#include}}``/``{{#rustdoc_include}}`` (a range or an anchor) replaced by the
    lines they name, ``{{#playground}}`` by a code block, ``{{#title}}`` taken as the
    title. A file that is not there keeps its line as text and is reported with the
    line (counted from ``first_line``)."""
    out = Expanded(text)
    unknown: set[str] = set()

    def run(path: str, body: str, depth: int, line_of: Callable[[int], int] | None) -> str:
        def one(match: re.Match[str]) -> str:
            if match["escape"]:
                return match.group(0)[1:]
            name, args = match["name"], match["args"].strip()
            where = line_of(match.start()) if line_of else None
            at = f"line {where}: " if where else f"(included from {path}) "
            if name == "title":
                out.title = args or out.title
                return ""
            if name not in _INCLUDES:
                if name not in unknown:  # once a name: {{#each}} in a template's code is text
                    unknown.add(name)
                    out.problems.append(
                        f"{at}{{{{#{name}}}}} is not an mdBook helper import knows; kept as text"
                    )
                return match.group(0)
            target, selector = _parse_target(args)
            joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            got = files.get(joined) if not joined.startswith("..") else None
            if got is None or not target:
                out.problems.append(
                    f"{at}{{{{#{name} {args}}}}}: {target or 'no file named'} is not in the book; "
                    "kept the line as text"
                )
                return match.group(0)
            if depth >= MAX_DEPTH:
                out.problems.append(
                    f"{at}{{{{#{name} {args}}}}}: includes nest too deep; kept as text"
                )
                return match.group(0)
            chosen = _select(got, selector)
            if chosen is None:
                out.problems.append(
                    f"{at}{{{{#{name} {args}}}}}: {target} has no anchor {selector!r}; "
                    "kept the line as text"
                )
                return match.group(0)
            chosen = run(joined, chosen, depth + 1, None)
            if name in ("playground", "playpen"):
                return f"```rust\n{chosen.rstrip()}\n```"
            return chosen.rstrip("\n")

        return _HELPER.sub(one, body)

    starts = [m.start() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return first_line + bisect.bisect_left(starts, offset)

    out.text = run(chapter, text, 0, line_of)
    return out


def _language(info: str) -> str | None:
    """The plain language of a fence's info string written for mdBook (``rust,editable``,
    ``ignore``), or None when it needs no change."""
    words = [w for w in re.split(r"[,\s]+", info.strip()) if w]
    if not words or not any(w in RUSTDOC_ATTRIBUTES or w.startswith("edition") for w in words):
        return None if "," not in info else (words[0] if words else None)
    first = words[0]
    if first in RUSTDOC_ATTRIBUTES or first.startswith("edition"):
        return "rust"
    return first


def admonitions(text: str) -> str:
    """mdbook-admonish's blocks (```admonish warning title="小心"```) as admonitions
    (``!!! warning "小心"``, ``???`` when ``collapsible=true``); code stays code."""
    out: list[str] = []
    fence: str | None = None  # a code block's fence, or an admonition's (then `inside`)
    inside = ""
    for line in text.split("\n"):
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                fence = None
                if inside:
                    inside = ""
                    continue
            elif inside:
                out.append(inside + line if stripped else "")
                continue
            out.append(line)
            continue
        opened = _FENCE.match(line)
        if opened is None:
            out.append(line)
            continue
        fence = opened["mark"]
        info = opened["info"].strip()
        if not re.match(r"admonish\b", info):
            out.append(line)
            continue
        words = info.split()
        kind = words[1].lower() if len(words) > 1 and "=" not in words[1] else "note"
        kind = kind if kind in KNOWN_TYPES else "note"
        named = re.search(r"title=\"([^\"]*)\"|(?<![=\w])\"([^\"]*)\"", info)
        title = (named[1] if named[1] is not None else named[2]) if named else None
        mark = "???" if re.search(r"collapsible\s*=\s*true", info) else "!!!"
        head = f"{opened['indent']}{mark} {kind}" + (f' "{title}"' if title is not None else "")
        out.extend([head, ""])
        inside = opened["indent"] + "    "
    return "\n".join(out)


def plain_fences(text: str) -> tuple[str, int]:
    """Code blocks as a plain language (```rust,editable -> ```rust) and the lines
    mdBook hides in Rust code (``# use std::io;``) left out, as the book shows them.
    Returns the text and how many hidden lines went."""
    out: list[str] = []
    fence: str | None = None
    rust = False
    hidden = 0
    for line in text.split("\n"):
        if fence is None:
            opened = _FENCE.match(line)
            if opened:
                fence = opened["mark"]
                info = opened["info"]
                language = _language(info)
                if language is not None:
                    line = f"{opened['indent']}{fence}{language}"
                rust = (language or info.strip().split(",")[0].strip() or "") == "rust"
            out.append(line)
            continue
        stripped = line.strip()
        if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
            fence = None
        elif rust and (stripped == "#" or stripped.startswith("# ")):
            hidden += 1
            continue
        elif rust and stripped.startswith("##"):
            line = line.replace("##", "#", 1)  # mdBook's escape for a shown `#`
        out.append(line)
    return "\n".join(out), hidden


def _spans_and_math(text: str, mathjax: bool) -> str:
    """The book's ``<span class="filename">`` / ``caption`` lines as bold / italic
    text, and with ``mathjax-support`` its ``\\\\( \\\\)`` / ``\\\\[ \\\\]`` as ``$``."""

    def span(match: re.Match[str]) -> str:
        words = match["text"].strip()
        return f"**{words}**" if match["kind"] == "filename" else f"*{words}*"

    text = "".join(
        block if is_code else _SPAN.sub(span, block) for is_code, block in prose_blocks(text)
    )
    if not mathjax:
        return text

    def math(part: str) -> str:
        part = _MATH_BLOCK.sub(lambda m: f"$${m['tex'].strip()}$$", part)
        return _MATH_INLINE.sub(lambda m: f"${m['tex'].strip()}$", part)

    return outside_code(text, math)


def _drop_heading(body: str, title: str) -> str:
    """``body`` without its opening heading: a ``# `` one is the page's title in mdBook,
    and one of any level saying the chapter's title (``## 安装``) repeats it."""
    heading, rest = first_heading(body)
    if heading is not None and not body[: body.find("# ")].strip():
        return rest
    opening = _OPENING.match(body)
    if opening and _unescape(re.sub(r"\{#[^}]*\}", "", opening["text"])) == title:
        return body[opening.end() :].lstrip("\n")
    return body


def _own_links(text: str, tree: Tree, hosts: frozenset[str], problems: list[str]) -> str:
    """Links written as the book's own web address (``https://course.rs/basic/x.html``,
    the host from its ``cname``) to a chapter it has, as links to that chapter
    (``/basic/x.html``, which import then points at its article). An anchor no heading of
    the chapter answers to goes (the live site lands at the top of the page too)."""
    if not hosts:
        return text
    pattern = re.compile(
        r"(?P<head>\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?)https?://(?:www\.)?(?P<host>"
        + "|".join(re.escape(h) for h in sorted(hosts))
        + r")(?P<path>/[^\s)#>\"]*)?(?P<hash>#[^\s)>\"]*)?",
        re.M | re.I,
    )

    def local(match: re.Match[str]) -> str:
        path = unquote(match["path"] or "/").lstrip("/")
        if not path or path.endswith("/"):
            path += "index.html"
        page = posixpath.splitext(path)[0]
        names = [page + ".md"]
        if posixpath.basename(page) == "index":
            names.append(posixpath.join(posixpath.dirname(page), "README.md"))
        for name in names:
            source = posixpath.join(tree.base, name) if tree.base else name
            if source not in tree.texts:
                continue
            anchor = (match["hash"] or "")[1:]
            found = [(words, own) for _, words, own in headings(tree.texts[source])]
            if anchor and anchor_for(found, anchor) is None:
                problems.append(
                    f"link {match.group(0)[len(match['head']) :]}: {name} has no such heading; "
                    "linked the chapter"
                )
                anchor = ""
            where = "/" + page.replace(" ", "%20") + ".html"
            return f"{match['head']}{where}{'#' + anchor if anchor else ''}"
        return match.group(0)

    return outside_code(text, lambda part: pattern.sub(local, part))


def old_url(relative: str) -> str | None:
    """Where mdBook served a chapter: ``a/b.md`` at ``/a/b.html``, a ``README.md`` or
    ``index.md`` at its folder's ``index.html``; None for the book's first page, whose
    place (the site's home) the new site keeps for itself."""
    page = posixpath.splitext(relative)[0]
    if posixpath.basename(page) in ("README", "index"):
        if not posixpath.dirname(page):
            return None
        page = posixpath.join(posixpath.dirname(page), "index")
    return "/" + page + ".html"


def read_chapter(
    tree: Tree,
    note: Note,
    meta: dict[str, Any],
    relative: str,
    base: Callable[[Tree, Note, dict[str, Any], str], None],
) -> None:
    """One chapter of the book ``tree``: read by ``base`` (the Markdown reader: dates,
    tags, front matter), then titled and filed by ``SUMMARY.md``, its helpers done."""
    raw = tree.texts[note.source]
    first_line = raw[: len(raw) - len(note.body)].count("\n") + 1 if raw.endswith(note.body) else 1
    files: Mapping[str, str | None] = tree.config.get("mdbook_files", {})
    if tree.config.get("gitbook"):
        note.body, found = gitbook_tags(note.body)
        note.notes.extend(found)
    expanded = expand(note.source, note.body, files, first_line)
    note.body = expanded.text
    note.notes.extend(expanded.problems)
    note.body, hidden = plain_fences(admonitions(note.body))
    if hidden:
        lines = "line" if hidden == 1 else "lines"
        note.notes.append(f"{hidden} {lines} mdBook hides in Rust code (# …) left out")
    note.body = _spans_and_math(note.body, bool(tree.config.get("mathjax")))
    hosts = tree.config.get("hosts", frozenset())
    note.body = _own_links(note.body, tree, hosts, note.notes)
    base(tree, note, meta, relative)
    chapters: Mapping[str, Chapter] = tree.config.get("chapters", {})
    chapter = chapters.get(relative)
    title = expanded.title or (chapter.title if chapter else None)
    if title:
        # The chapter's opening `# heading` is what the title now says: it leaves the body.
        note.body = _drop_heading(note.body, title)
        if not meta.get("title"):
            note.title = title
    if chapter is not None:
        if not meta.get("category") and not meta.get("categories"):
            note.category = "/".join(chapter.category) or None
        note.series = tree.config.get("book_title") or note.series
        note.series_order = chapter.order
    elif chapters:
        note.notes.append("not in SUMMARY.md (mdBook does not build it); imported all the same")
    old = old_url(relative)
    if old and not note.draft:
        note.aliases.append(old)


def book_config(
    book: Mapping[str, Any], summary: str | None, cnames: tuple[str, ...] = ()
) -> dict[str, Any]:
    """What import keeps of a book's ``book.toml`` (or GitBook's ``book.json``) and its
    ``SUMMARY.md``: the title (the series), the chapters by path, math delimiters, the
    hosts that serve it (``cname``, ``site-url`` and the ``CNAME`` files ``cnames``)."""
    meta = book.get("book") if isinstance(book.get("book"), dict) else book
    html = (book.get("output") or {}).get("html") if isinstance(book.get("output"), dict) else None
    parsed = parse_summary(summary) if summary is not None else Summary()
    title = meta.get("title") if isinstance(meta, dict) else None
    return {
        "book_title": str(title).strip() if title else parsed.title,
        "summary": parsed,
        "chapters": {c.path: c for c in parsed.chapters},
        "mathjax": bool(isinstance(html, dict) and html.get("mathjax-support")),
        "hosts": frozenset(
            h.strip().lower().removeprefix("www.")
            for h in [
                *cnames,
                str(html.get("cname") or "") if isinstance(html, dict) else "",
                re.sub(r"\A[a-z]+://|/.*\Z", "", str(html.get("site-url") or ""))
                if isinstance(html, dict) and "://" in str(html.get("site-url") or "")
                else "",
            ]
            if h.strip() and "/" not in h.strip() and " " not in h.strip()
        ),
    }


def book_notes(
    base: str,
    notes: list[str],
    texts: Mapping[str, str],
    config: dict[str, Any],
    read: Callable[[str], str | None],
) -> tuple[list[str], list[Skipped]]:
    """The book's notes (paths relative to its root) without ``SUMMARY.md`` and the
    fragments chapters only include; what was left out and why. Fills
    ``config["mdbook_files"]`` with the text of every included file."""
    summary_path = posixpath.join(base, "SUMMARY.md") if base else "SUMMARY.md"
    summary: Summary = config.get("summary", Summary())
    skipped: list[Skipped] = []
    if summary_path in notes:  # else already left out as a list of links
        why = "the book's table of contents: it gives the chapters their titles, order and parts"
        skipped.append(Skipped(summary_path, why + "; not a note"))
    skipped.extend(
        Skipped(
            summary_path,
            f"line {line}: draft chapter 「{title}」 (its link names no file yet); not imported",
            line=line,
        )
        for title, line in summary.drafts
    )
    skipped.extend(Skipped(summary_path, problem) for problem in summary.problems)
    chapters = {n: texts[n] for n in notes if n != summary_path}
    gitbook = bool(config.get("gitbook"))
    files = gather(chapters, read, gitbook)
    config["mdbook_files"] = files
    prefix = base + "/" if base else ""
    listed = {prefix + path for path in config.get("chapters", {})}
    skipped.extend(
        Skipped(
            summary_path,
            f"line {chapter.line}: {chapter.path} is listed but not in the book "
            "(mdBook would create it empty); nothing to import",
            line=chapter.line,
        )
        for chapter in summary.chapters
        if prefix + chapter.path not in texts
    )
    included_by: dict[str, str] = {}
    for path, text in chapters.items():
        for target in include_targets(path, text, gitbook):
            included_by.setdefault(target, path)
    kept = []
    for path in chapters:
        if path in included_by and path not in listed:
            skipped.append(
                Skipped(path, f"a part of {included_by[path]}, which includes it; not a note")
            )
        else:
            kept.append(path)
    return kept, skipped
