"""Sphinx and Jupyter Book books written in MyST Markdown: the ```{toctree}`` fences (or
Jupyter Book's ``_toc.yml``) give each document its place in one series and its chapter
(the category); MyST's directives and roles become the Markdown the site reads
(``!!! note``, ``$$…$$``, links with the target's title, fenced code). Pure: the shell
reads the files and hands their texts in."""

from __future__ import annotations

import ast
import fnmatch
import posixpath
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from zhiku.importers.markup import LINK, first_heading, prose_blocks, top_headings
from zhiku.importers.model import Note, Tree
from zhiku.importers.source import SourceError, load_yaml, split_source
from zhiku.text.callouts import KNOWN_TYPES

# Folders of a Sphinx source that are not documents: build output, the theme's own files.
BUILD_FOLDERS = frozenset({"_build", "jupyter_execute", ".ipynb_checkpoints"})
# A toctree caption that names the list itself ("Contents"), not a part of the book.
_CONTENTS = frozenset({"目录", "目錄", "contents", "table of contents", "toc", "索引"})

_OPEN = re.compile(
    r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,}|:{3,})[ \t]*"
    r"\{(?P<name>[\w:.+-]+)\}[ \t]*(?P<args>.*?)[ \t]*$"
)
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<mark>`{3,}|~{3,})(?P<info>[^`]*)$")
_OPTION = re.compile(r"^:(?P<key>[\w-]+):(?:[ \t]+(?P<value>.*?))?[ \t]*$")
_LABEL = re.compile(r"^\((?P<label>[^()\s][^()]*)\)=[ \t]*$")
_HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$")
_DISPLAY_MATH = re.compile(r"^\$\$[ \t]*(?:\((?P<label>[^()\s]+)\))?[ \t]*$")
_DISPLAY_END = re.compile(r"^(?P<tex>.*?)\$\$[ \t]*(?:\((?P<label>[^()\s]+)\))?[ \t]*$")
_ROLE = re.compile(r"\{(?P<role>[\w:.+-]+)\}`(?P<content>[^`\n]+)`")
_EXPLICIT = re.compile(r"\A(?P<text>.*?)\s*<(?P<target>[^<>]+)>\Z", re.S)
_CONF_STRING = re.compile(
    r"^(?P<key>project|html_title|master_doc|root_doc)\s*=\s*(?P<value>[rubf]*(?:'[^'\n]*'|\"[^\"\n]*\"))",
    re.M,
)
_CONF_LIST = re.compile(r"^exclude_patterns\s*=\s*(?P<value>\[[^\]]*\])", re.M)

# MyST admonitions and what the site's theme calls them (Material's types).
ADMONITIONS = {
    "note": "note",
    "tip": "tip",
    "hint": "tip",
    "important": "important",
    "warning": "warning",
    "caution": "warning",
    "attention": "warning",
    "danger": "danger",
    "error": "error",
    "seealso": "info",
    "admonition": "note",
    "margin": "note",
    "sidebar": "note",
    "topic": "abstract",
    "exercise": "question",
    "solution": "success",
    "dropdown": "note",
    "todo": "todo",
    "versionadded": "info",
    "versionchanged": "info",
    "deprecated": "warning",
}
_SEE_ALSO = {
    "seealso": "参见",
    "versionadded": "新增",
    "versionchanged": "变更",
    "deprecated": "弃用",
}
_FOLDED = frozenset({"solution", "dropdown"})
_CODE = frozenset({"code-cell", "code-block", "code", "sourcecode", "literalinclude-inline"})
# Directives whose contents are Markdown kept as it is, without the fence around them.
_CONTAINERS = frozenset(
    {"div", "container", "only", "card", "grid-item-card", "grid-item", "cssclass"}
)
# Directives that show nothing on the page (Sphinx's index, notebook settings).
_INVISIBLE = frozenset(
    {
        "index",
        "glue:any",
        "glue:figure",
        "glue:math",
        "nb-exec-table",
        "bibliography",  # needs the .bib files and sphinxcontrib-bibtex
        "contents",  # the page's own table of contents, which the theme shows
        "highlight",  # sets the default language of code blocks
        "tableofcontents-local",
    }
)
# sphinx-proof's directives (``{prf:theorem} 标题``) and the words that head them.
PROOF_WORDS = {
    "theorem": "定理",
    "lemma": "引理",
    "definition": "定义",
    "proof": "证明",
    "example": "例",
    "algorithm": "算法",
    "corollary": "推论",
    "proposition": "命题",
    "remark": "注",
    "axiom": "公理",
    "conjecture": "猜想",
    "criterion": "准则",
    "observation": "观察",
    "property": "性质",
    "assumption": "假设",
}
_CODE_ROLES = frozenset(
    {"code", "samp", "file", "command", "program", "envvar", "option", "kbd", "literal", "regexp"}
)
_TEXT_ROLES = frozenset({"term", "abbr", "dfn", "sub", "sup", "subscript", "superscript", "sc"})
_PY_LANGUAGES = {
    "ipython3": "python",
    "ipython": "python",
    "ipython2": "python",
    "python3": "python",
}


@dataclass(frozen=True, slots=True)
class Chapter:
    """A document's place in the book: its path (relative to the source folder), the
    parts and chapters above it (the category) and its place in reading order."""

    path: str
    category: tuple[str, ...]
    order: int


@dataclass(frozen=True, slots=True)
class Label:
    """A cross-reference target (``(label)=``, ``:label:``, ``:name:``): the document, the
    anchor on its page ("" for the top) and the words a reference shows."""

    path: str
    anchor: str
    title: str | None


@dataclass(slots=True)
class Book:
    """What import keeps of a Sphinx or Jupyter Book project."""

    title: str | None = None
    root: str = "index"
    chapters: dict[str, Chapter] = field(default_factory=dict)
    children: dict[str, list[tuple[str | None, str]]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    exclude: tuple[str, ...] = ()
    toc_file: str = ""  # the file that gives the order: "_toc.yml", or "" (toctree fences)
    root_path: str | None = None  # the root document's file
    includes: dict[str, str] = field(default_factory=dict)  # included file -> its text


@dataclass(frozen=True, slots=True)
class Toctree:
    """One ```{toctree}`` fence: its caption, whether it is hidden, and its entries as
    (explicit title or None, target as written)."""

    caption: str | None
    hidden: bool
    glob: bool
    entries: tuple[tuple[str | None, str], ...]


def conf_values(text: str) -> dict[str, Any]:
    """What import reads of a Sphinx ``conf.py`` without running it: ``project``,
    ``html_title``, ``root_doc``/``master_doc`` and ``exclude_patterns`` when written as
    plain literals."""
    found: dict[str, Any] = {}
    for match in _CONF_STRING.finditer(text):
        try:
            value = ast.literal_eval(match["value"].lstrip("f"))
        except (ValueError, SyntaxError):
            continue
        if isinstance(value, str) and value.strip():
            found.setdefault(match["key"], value.strip())
    listed = _CONF_LIST.search(text)
    if listed:
        try:
            patterns = ast.literal_eval(listed["value"])
        except (ValueError, SyntaxError):
            patterns = []
        found["exclude_patterns"] = [p for p in patterns if isinstance(p, str)]
    return found


def _document(path: str, docs: Mapping[str, str] | frozenset[str]) -> str | None:
    """The document a toctree or ``{doc}`` target names (``a/b`` or ``a/b.md``)."""
    path = posixpath.normpath(path).lstrip("/")
    for candidate in (path, path + ".md", path + ".ipynb", path + ".rst", path + ".markdown"):
        if candidate in docs:
            return candidate
    return None


def _split(text: str) -> tuple[dict[str, Any], str]:
    try:
        meta, body, _ = split_source(text)
    except SourceError:
        return {}, text
    return meta, body


def doc_title(text: str) -> str | None:
    """A MyST document's title: its first ``# `` heading (after its front matter)."""
    meta, body = _split(text)
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    heading, _ = first_heading(body)
    if heading is None or top_headings(body) != 1:
        return None
    return _ROLE.sub(lambda m: _plain(m["content"]), heading)


def _plain(content: str) -> str:
    """A role's words as a reader sees them (``OOP <single: OOP>`` -> ``OOP``)."""
    explicit = _EXPLICIT.match(content)
    return explicit["text"].strip() if explicit and explicit["text"].strip() else content


def toctrees(text: str) -> list[Toctree]:
    """The ```{toctree}`` (or ``:::{toctree}``) fences of a document, in order."""
    found: list[Toctree] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        opened = _OPEN.match(lines[i])
        plain = _FENCE.match(lines[i]) if opened is None else None
        if plain is not None:
            i = _close(lines, i, plain["mark"]) + 1
            continue
        if opened is None:
            i += 1
            continue
        end = _close(lines, i, opened["mark"])
        if opened["name"] == "toctree":
            options, content = _options([line.strip() for line in lines[i + 1 : end]])
            entries = []
            for line in content:
                if not line or line.startswith(("#", "%")):
                    continue
                explicit = _EXPLICIT.match(line)
                if explicit:
                    entries.append((explicit["text"].strip() or None, explicit["target"].strip()))
                else:
                    entries.append((None, line))
            found.append(
                Toctree(
                    options.get("caption") or None,
                    "hidden" in options,
                    "glob" in options,
                    tuple(entries),
                )
            )
        i = end + 1
    return found


_RST_TOCTREE = re.compile(r"^(?P<indent>[ \t]*)\.\.[ \t]+toctree::[ \t]*$")
_RST_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+.:_])\1{2,}[ \t]*$")


def rst_toctrees(text: str) -> list[Toctree]:
    """The ``.. toctree::`` directives of a reStructuredText document (a Sphinx book whose
    root is ``index.rst`` and whose chapters are MyST), in order."""
    found: list[Toctree] = []
    lines = text.splitlines()
    for i, line in enumerate(lines):
        opened = _RST_TOCTREE.match(line)
        if opened is None:
            continue
        block: list[str] = []
        for inner in lines[i + 1 :]:
            if inner.strip() and len(inner) - len(inner.lstrip()) <= len(opened["indent"]):
                break
            block.append(inner.strip())
        options, content = _options([b for b in block if b])
        entries = []
        for entry in content:
            explicit = _EXPLICIT.match(entry)
            entries.append(
                (explicit["text"].strip() or None, explicit["target"].strip())
                if explicit
                else (None, entry)
            )
        found.append(
            Toctree(
                options.get("caption") or None,
                "hidden" in options,
                "glob" in options,
                tuple(entries),
            )
        )
    return found


def rst_title(text: str) -> str | None:
    """A reStructuredText document's title: the first line underlined (``标题\n====``)."""
    lines = text.splitlines()
    for i in range(1, len(lines)):
        if (
            _RST_UNDERLINE.match(lines[i])
            and lines[i - 1].strip()
            and not _RST_UNDERLINE.match(lines[i - 1])
        ):
            return lines[i - 1].strip()
    return None


def _close(lines: list[str], start: int, mark: str) -> int:
    """The line that closes the fence opened at ``start`` (or the last line)."""
    for j in range(start + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and set(stripped) == {mark[0]} and len(stripped) >= len(mark):
            return j
    return len(lines)


def _options(content: list[str]) -> tuple[dict[str, str], list[str]]:
    """A directive's options (``:key: value`` lines, or a ``---`` YAML block) and the
    rest of its content."""
    options: dict[str, str] = {}
    if content and content[0].strip() == "---":
        for j in range(1, len(content)):
            if content[j].strip() == "---":
                try:
                    data = load_yaml("\n".join(content[1:j]))
                except SourceError:
                    data = {}
                if isinstance(data, dict):
                    options = {str(k): "" if v is None else str(v) for k, v in data.items()}
                return options, content[j + 1 :]
        return options, content
    j = 0
    while j < len(content):
        match = _OPTION.match(content[j].strip())
        if match is None:
            break
        options[match["key"]] = (match["value"] or "").strip()
        j += 1
    return options, content[j:]


def _glob(pattern: str, docs: list[str]) -> list[str]:
    wanted = pattern if posixpath.splitext(pattern)[1] else pattern + ".*"
    return sorted(d for d in docs if fnmatch.fnmatchcase(d, wanted))


def order_from_toctrees(book: Book, texts: Mapping[str, str], docs: list[str]) -> None:
    """``book``'s chapters from the toctree fences, from the root document down: depth
    first, as Sphinx numbers and lists them."""
    order = 0
    seen: set[str] = set()

    def visit(path: str, category: tuple[str, ...]) -> None:
        nonlocal order
        if path in seen:
            return
        seen.add(path)
        order += 1
        book.chapters[path] = Chapter(path, tuple(p for p in category if p), order)
        if path not in texts:  # a notebook: its own toctrees are not read
            return
        under = () if path == book.root_path else (*category, book.titles.get(path) or "")
        here = posixpath.dirname(path)
        listed: list[tuple[str | None, str]] = []
        found_trees = (
            rst_toctrees(texts[path]) if path.endswith(".rst") else toctrees(_split(texts[path])[1])
        )
        for tree in found_trees:
            caption = tree.caption
            part = (
                under
                if not caption or caption.strip().lower() in _CONTENTS
                else (
                    *under,
                    caption.replace("/", "-").strip(),
                )
            )
            for title, target in tree.entries:
                if target == "self" or re.match(r"[a-z]+://", target):
                    continue
                joined = (
                    target.lstrip("/") if target.startswith("/") else posixpath.join(here, target)
                )
                found = (
                    _glob(posixpath.normpath(joined), docs)
                    if tree.glob and any(c in target for c in "*?[")
                    else [_document(joined, frozenset(docs)) or ""]
                )
                for doc in found:
                    if not doc:
                        book.problems.append(
                            f"{path}: the toctree names {target}, not in the book; left out"
                        )
                        continue
                    if not tree.hidden:
                        listed.append((title, doc))
                    visit(doc, tuple(p for p in part if p))
        book.children[path] = listed
        if listed and path != book.root_path:  # a chapter is filed with the sections it lists
            book.chapters[path] = Chapter(
                path, tuple(p for p in under if p), book.chapters[path].order
            )

    if book.root_path:
        visit(book.root_path, ())


def order_from_toc(book: Book, toc: Mapping[str, Any], docs: list[str]) -> None:
    """``book``'s chapters from Jupyter Book's ``_toc.yml``: ``root``, then ``chapters``
    or ``parts`` (each with a ``caption``, the category) and nested ``sections``."""
    order = 0
    known = frozenset(docs)

    def add(entry: Any, category: tuple[str, ...], parent: str | None) -> None:
        nonlocal order
        if not isinstance(entry, dict):
            return
        if entry.get("file") is not None:
            doc = _document(str(entry["file"]), known)
            if doc is None:
                book.problems.append(
                    f"{book.toc_file} names {entry['file']}, which is not in the book; left out"
                )
                return
            if doc not in book.chapters:
                order += 1
                book.chapters[doc] = Chapter(doc, tuple(p for p in category if p), order)
            named = _text(entry.get("title"))
            if parent is not None:
                book.children.setdefault(parent, []).append((named, doc))
            inner = (*category, named or book.titles.get(doc) or "")
            if _list(entry.get("sections")):  # a chapter is filed with its sections
                order_kept = book.chapters[doc].order
                book.chapters[doc] = Chapter(doc, tuple(p for p in inner if p), order_kept)
            for child in _list(entry.get("sections")):
                add(child, inner, doc)
            return
        if entry.get("glob") is not None:
            for doc in _glob(str(entry["glob"]), docs):
                add({"file": doc}, category, parent)
            return
        caption = entry.get("caption")
        inner = (*category, str(caption).strip()) if caption else category
        for key in ("chapters", "sections"):
            for child in _list(entry.get(key)):
                add(child, inner, parent)

    root = book.root_path
    if root is not None:
        order += 1
        book.chapters[root] = Chapter(root, (), order)
    for part in _list(toc.get("parts")):
        add(part, (), root)
    for key in ("chapters", "sections"):
        for entry in _list(toc.get(key)):
            add(entry, (), root)


def _project(text: str) -> dict[str, Any]:
    try:
        loaded = load_yaml(text)
    except SourceError:
        return {}
    project = loaded.get("project") if isinstance(loaded, dict) else None
    return project if isinstance(project, dict) else {}


def _toc_of_myst(toc: Any) -> dict[str, Any] | None:
    """Jupyter Book 2's ``project.toc`` (``file``, ``title`` with ``children``,
    ``pattern``) in ``_toc.yml``'s shape: the first file is the root."""
    if not isinstance(toc, list) or not toc:
        return None

    def entry(item: Any) -> Any:
        if not isinstance(item, dict):
            return item
        children = [entry(c) for c in _list(item.get("children"))]
        if item.get("file") is not None:
            return {"file": item["file"], "title": item.get("title"), "sections": children}
        if item.get("pattern") is not None:
            return {"glob": item["pattern"]}
        return {"caption": item.get("title"), "chapters": children}

    first = toc[0]
    if isinstance(first, dict) and first.get("file") is not None and not first.get("children"):
        return {"root": first["file"], "chapters": [entry(t) for t in toc[1:]]}
    return {"root": "index", "chapters": [entry(t) for t in toc]}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def book_config(
    texts: Mapping[str, str],
    docs: list[str],
    conf: str | None = None,
    toc: str | None = None,
    config: str | None = None,
    rst: Mapping[str, str] | None = None,
    includes: Mapping[str, str] | None = None,
    myst_yml: str | None = None,
) -> Book:
    """The book: ``texts`` are its MyST documents by path (relative to the source folder),
    ``docs`` every document Sphinx would build (Markdown, notebooks, reStructuredText);
    ``conf`` the text of ``conf.py``, ``toc``/``config`` of ``_toc.yml``/``_config.yml``;
    ``rst`` the reStructuredText documents (their toctrees and titles count for the order),
    ``includes`` the files MyST documents include; ``myst_yml`` the text of Jupyter Book
    2's ``myst.yml`` (its ``project.title`` and ``project.toc``)."""
    book = Book()
    settings = conf_values(conf) if conf else {}
    jb: dict[str, Any] = {}
    if config:
        try:
            loaded = load_yaml(config)
        except SourceError:
            loaded = None
        jb = loaded if isinstance(loaded, dict) else {}
    book.title = (
        _text(jb.get("title")) or settings.get("html_title") or settings.get("project") or None
    )
    book.root = settings.get("root_doc") or settings.get("master_doc") or "index"
    book.exclude = tuple(settings.get("exclude_patterns") or jb.get("exclude_patterns") or ())
    for path, text in texts.items():
        stem = posixpath.splitext(posixpath.basename(path))[0]
        if stem in ("index", "README") and "/" in path:
            stem = posixpath.basename(posixpath.dirname(path))
        book.titles[path] = doc_title(text) or stem
    for path, text in (rst or {}).items():
        book.titles[path] = rst_title(text) or posixpath.splitext(posixpath.basename(path))[0]
    book.includes = dict(includes or {})
    parsed: dict[str, Any] | None = None
    project = _project(myst_yml) if myst_yml is not None else {}
    if project:
        book.title = _text(project.get("title")) or book.title
        parsed = _toc_of_myst(project.get("toc"))
    if toc is not None and parsed is None:
        try:
            loaded = load_yaml(toc)
        except SourceError as err:
            book.problems.append(f"_toc.yml: {err.message}; the order is the files' own")
            loaded = None
        parsed = loaded if isinstance(loaded, dict) else None
    if parsed is not None:
        book.toc_file = "myst.yml" if project else "_toc.yml"
        book.root = str(parsed.get("root") or "index")
        book.root_path = _document(book.root, frozenset(docs))
        order_from_toc(book, parsed, docs)
    else:
        book.root_path = _document(book.root, frozenset(docs))
        order_from_toctrees(book, {**(rst or {}), **texts}, docs)
    for path, text in texts.items():
        collect = Context(path, book, "python", collecting=True)
        convert(_split(text)[1], collect)
    return book


def _text(value: Any) -> str | None:
    return str(value).strip() or None if isinstance(value, str | int | float) else None


@dataclass(slots=True)
class Context:
    """What converting one document needs and finds."""

    path: str  # relative to the source folder
    book: Book
    language: str  # the kernel's language, for code cells that name none
    collecting: bool = False  # gather labels only
    problems: list[str] = field(default_factory=list)
    dropped: dict[str, int] = field(default_factory=dict)
    title_done: bool = False
    depth: int = 0  # how deep in includes

    def link(self, target: str, anchor: str = "") -> str:
        """``target`` (a document of the book) as a link target relative to this one."""
        relative = posixpath.relpath(target, posixpath.dirname(self.path) or ".")
        whole = relative + ("#" + anchor if anchor else "")
        return f"<{whole}>" if re.search(r"[\s()<>]", whole) else whole


def _anchor(label: str) -> str:
    """A label as an HTML id (attr_list takes letters, digits, ``-_.:``)."""
    return re.sub(r"[^\w\-.:\u0080-\uffff]+", "-", label.strip()).strip("-") or "label"


def _span(anchor: str) -> str:
    element = ET.Element("span", id=anchor)
    return ET.tostring(element, encoding="unicode", short_empty_elements=False)


def _escape(text: str) -> str:
    return re.sub(r"([\\\[\]*_`])", r"\\\1", text)


def _indent(lines: list[str], by: str) -> list[str]:
    return [by + line if line.strip() else "" for line in lines]


def convert(body: str, ctx: Context) -> str:
    """A MyST document's body as the Markdown the site reads (see the module's doc)."""
    text = "\n".join(_single_blanks(_blocks(body.split("\n"), ctx)))
    return "".join(
        part if is_code else _label_links(_roles(part, ctx), ctx)
        for is_code, part in prose_blocks(text)
    )


def _single_blanks(lines: list[str]) -> list[str]:
    """``lines`` without the runs of blank lines the conversion leaves (code kept)."""
    out: list[str] = []
    fence: str | None = None
    for line in lines:
        opened = _FENCE.match(line)
        if opened is not None:
            mark = opened["mark"]
            if fence is None:
                fence = mark
            elif mark[0] == fence[0] and len(mark) >= len(fence) and not opened["info"].strip():
                fence = None
        elif fence is None and not line.strip() and out and not out[-1].strip():
            continue
        out.append(line)
    return out


def _label_links(text: str, ctx: Context) -> str:
    """MyST's Markdown links to a label (``[练习](factorial_exercise)``, ``[](#fib)``)
    as links to where the label is."""
    if ctx.collecting:
        return text

    def one(match: re.Match[str]) -> str:
        raw = match["target"]
        target = raw[1:-1] if raw.startswith("<") else raw
        name = target.removeprefix("project:").removeprefix("#")
        if match["bang"] or not name or re.search(r"[/.:]", name):
            return match.group(0)
        found = ctx.book.labels.get(name.lower())
        if found is None:
            return match.group(0)
        words = match["text"] or _escape(found.title or name)
        return f"[{words}]({ctx.link(found.path, found.anchor)})"

    return LINK.sub(one, text)


def _blocks(lines: list[str], ctx: Context) -> list[str]:
    out: list[str] = []
    i = 0
    pending: str | None = None  # a (label)= waiting for what it names
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        opened = _OPEN.match(line)
        plain = _FENCE.match(line) if opened is None else None
        if plain is not None:
            end = _close(lines, i, plain["mark"])
            if pending is not None:
                out.extend([_span(_anchor(pending)), ""])
                pending = None
            out.extend(lines[i : end + 1])
            i = end + 1
            continue
        if opened is not None:
            end = _close(lines, i, opened["mark"])
            indent = opened["indent"]
            content = [
                row[len(indent) :] if row.startswith(indent) else row.lstrip()
                for row in lines[i + 1 : end]
            ]
            name = opened["name"].lower()
            if name in ("exercise-start", "solution-start"):
                # sphinx-exercise's gated form: the exercise runs to its -end fence.
                stop = _gate_end(lines, end + 1, name.replace("-start", "-end"))
                options, _ = _options(content)
                inner = lines[end + 1 : stop[0]]
                key = name.removesuffix("-start")
                out.extend(_admonition(key, "", options, inner, indent, ctx, pending))
                pending = None
                i = stop[1] + 1
                continue
            out.extend(_directive(opened["name"], opened["args"], content, indent, ctx, pending))
            if not _shows_nothing(name, opened["args"]):
                pending = None
            i = end + 1
            continue
        label = _LABEL.match(stripped) if not line.startswith((" ", "\t")) else None
        if label is not None:
            pending = label["label"].strip()
            i += 1
            continue
        if stripped.startswith("%") and not line.startswith((" ", "\t")):
            i += 1  # a MyST comment
            continue
        if re.match(r"^\+\+\+(?:[ \t]*\{.*\})?[ \t]*$", stripped) and not line.startswith(
            (" ", "\t")
        ):
            i += 1  # a block break (with a notebook cell's metadata)
            continue
        math = _DISPLAY_MATH.match(stripped)
        if math is not None or (stripped.startswith("$$") and stripped.count("$$") == 1):
            end = i
            tex: list[str] = [stripped[2:].strip()] if math is None else []
            label_found = math["label"] if math is not None else None
            for j in range(i + 1, len(lines)):
                closing = _DISPLAY_END.match(lines[j].strip())
                if closing is not None:
                    tex.append(closing["tex"])
                    label_found = closing["label"] or label_found
                    end = j
                    break
                tex.append(lines[j])
            else:
                out.append(line)
                i += 1
                continue
            out.extend(_math([t for t in tex if t.strip()], label_found or pending, None, ctx, ""))
            pending = None
            i = end + 1
            continue
        heading = _HEADING.match(line)
        if heading is not None:
            first = heading["marks"] == "#" and not ctx.title_done
            if heading["marks"] == "#":
                ctx.title_done = True
            if pending is not None:
                words = re.sub(r"\s*\{[^{}]*\}\s*$", "", heading["text"])
                if first:
                    _labelled(ctx, pending, "", words)
                else:
                    anchor = _anchor(pending)
                    _labelled(ctx, pending, anchor, words)
                    line = f"{heading['marks']} {heading['text']} {{#{anchor}}}"
                pending = None
            out.append(line)
            i += 1
            continue
        if pending is not None and stripped:
            anchor = _anchor(pending)
            _labelled(ctx, pending, anchor, None)
            out.extend([_span(anchor), ""])
            pending = None
        out.append(line)
        i += 1
    return out


def _labelled(ctx: Context, label: str, anchor: str, title: str | None) -> None:
    if ctx.collecting:
        shown = _ROLE.sub(lambda m: _plain(m["content"]), title) if title else None
        ctx.book.labels.setdefault(label.lower(), Label(ctx.path, anchor, shown))


def _math(
    tex: list[str], label: str | None, title: str | None, ctx: Context, indent: str
) -> list[str]:
    out: list[str] = []
    if label:
        anchor = _anchor(label)
        _labelled(ctx, label, anchor, title)
        out.extend([indent + _span(anchor), ""])
    body = [t.rstrip() for t in tex if t.strip()]
    out.extend([indent + "$$", *[indent + t for t in body], indent + "$$", ""])
    return out


def _gate_end(lines: list[str], start: int, name: str) -> tuple[int, int]:
    """Where a gated directive's ``-end`` fence opens and closes (or the end)."""
    for j in range(start, len(lines)):
        opened = _OPEN.match(lines[j])
        if opened is not None and opened["name"].lower() == name:
            return j, _close(lines, j, opened["mark"])
    return len(lines), len(lines)


def _shows_nothing(name: str, args: str) -> bool:
    return name in _INVISIBLE or (name == "raw" and args.strip().lower() != "html")


def _admonition(
    key: str,
    args: str,
    options: dict[str, str],
    content: list[str],
    indent: str,
    ctx: Context,
    pending: str | None,
) -> list[str]:
    """An admonition directive (``{note}``, ``{admonition} 标题``, ``{exercise}``…) as
    the theme's ``!!! note "标题"``, folded (``???``) for solutions and dropdowns."""
    label = options.get("label") or options.get("name") or pending
    out: list[str] = []
    title = args.strip() or None
    kind = ADMONITIONS.get(key, "note")
    proof = PROOF_WORDS.get(key.removeprefix("prf:")) if key.startswith("prf:") else None
    if proof is not None:  # 定理（标题）, as sphinx-proof heads it (without its number)
        title = f"{proof}（{title}）" if title else proof
        kind = {"prf:example": "example", "prf:proof": "success"}.get(key, "abstract")
    classes = options.get("class", "").split()
    if key == "admonition":
        kind = next((c for c in classes if c in KNOWN_TYPES), "note")
    if key == "exercise" and title is None:
        title = "练习"
    if key == "solution":  # its argument is the exercise's label, not words
        title = "解答"
    title = title or _SEE_ALSO.get(key)
    if label:
        anchor = _anchor(label)
        _labelled(ctx, label, anchor, title)
        out.extend([indent + _span(anchor), ""])
    mark = "???" if key in _FOLDED or "dropdown" in classes else "!!!"
    if key == "dropdown" and "open" in options:
        mark = "???+"
    head = f"{indent}{mark} {kind}" + (f' "{_quoted(title)}"' if title else "")
    inner = _blocks(content, ctx)
    while inner and not inner[0].strip():
        inner = inner[1:]
    return [*out, head, "", *_indent(inner, indent + "    "), ""]


def _directive(
    name: str, args: str, content: list[str], indent: str, ctx: Context, pending: str | None
) -> list[str]:
    key = name.lower()
    raw_content = content
    options, content = _options(content)
    label = options.get("label") or options.get("name") or pending
    out: list[str] = []
    if key in ADMONITIONS or (key.startswith("prf:") and key[4:] in PROOF_WORDS):
        return _admonition(key, args, options, content, indent, ctx, pending)
    if key in ("math", "eq"):
        return _math(content, label, None, ctx, indent)
    if key in _CODE:
        tags = options.get("tags", "")
        if key == "code-cell" and re.search(r"remove[-_](?:cell|input)", tags):
            ctx.dropped["code-cell removed"] = ctx.dropped.get("code-cell removed", 0) + 1
            return []
        language = args.split()[0] if args.split() else (ctx.language if key == "code-cell" else "")
        language = _PY_LANGUAGES.get(language, language)
        caption = options.get("caption")
        info = language + (f' title="{_quoted(caption)}"' if caption else "")
        fence = "````" if any(row.lstrip().startswith("```") for row in content) else "```"
        if label:
            anchor = _anchor(label)
            _labelled(ctx, label, anchor, caption)
            out.extend([indent + _span(anchor), ""])
        body = content
        while body and not body[0].strip():
            body = body[1:]
        while body and not body[-1].strip():
            body = body[:-1]
        out.extend(
            [
                indent + fence + info,
                *[indent + row if row else "" for row in body],
                indent + fence,
                "",
            ]
        )
        return out
    if key in ("figure", "image"):
        return _figure(key, args, options, content, label, ctx, indent)
    if key in ("toctree", "tableofcontents"):
        if key == "toctree" and "hidden" in options:
            return []
        return _contents(options.get("caption"), ctx, indent)
    if key in _INVISIBLE or key.startswith("exercise-") or key.startswith("solution-"):
        if key.endswith("-start"):
            title = "练习" if key.startswith("exercise") else "解答"
            return [indent + f"**{title}**", ""]
        if key.endswith("-end"):
            return []
        ctx.dropped[key] = ctx.dropped.get(key, 0) + 1
        return []
    if key == "raw":
        if args.strip().lower() == "html":
            return [*[indent + row for row in content], ""]
        ctx.dropped[f"raw {args.strip()}"] = ctx.dropped.get(f"raw {args.strip()}", 0) + 1
        return []
    if key in ("epigraph", "pull-quote", "highlights", "blockquote"):
        inner = _blocks(content, ctx)
        return [*[indent + "> " + row if row.strip() else indent + ">" for row in inner], ""]
    if key == "tab-item":  # sphinx-design's tabs as the theme's content tabs
        title = _quoted(args.strip() or "标签页")
        inner = _blocks(content, ctx)
        while inner and not inner[0].strip():
            inner = inner[1:]
        return [f'{indent}=== "{title}"', "", *_indent(inner, indent + "    "), ""]
    if key in _CONTAINERS or key in ("tab-set", "grid", "tabbed", "card-carousel"):
        return [*_blocks(content, ctx), ""]
    if key == "include":
        return _include(args.strip(), indent, ctx)
    if key == "literalinclude":
        return _literal(args.strip(), options, indent, ctx)
    if key == "rubric":
        return [indent + f"**{args.strip()}**", ""]
    if key == "list-table":
        table = _list_table(content, options)
        if table is not None:
            return [*[indent + row for row in table], ""]
    # Unknown to import (or reStructuredText inside MyST): kept as the text written.
    what = "```{eval-rst}" if key == "eval-rst" else f"```{{{name}}}"
    _problem(ctx, f"{what} is not something import converts; kept its text as a code block")
    fence = "````" if any(row.lstrip().startswith("```") for row in raw_content) else "```"
    language = "rst" if key == "eval-rst" else "text"
    return [indent + fence + language, *[indent + row for row in raw_content], indent + fence, ""]


def include_targets(path: str, text: str) -> list[str]:
    """The files a MyST document's ``{include}`` directives name (relative to the source
    folder), for the shell to read."""
    found = []
    for line in text.splitlines():
        opened = _OPEN.match(line)
        if (
            opened is not None
            and opened["name"] in ("include", "literalinclude")
            and opened["args"].strip()
        ):
            found.append(_joined(path, opened["args"].strip()))
    return found


def _joined(path: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(path), target))


def _include(target: str, indent: str, ctx: Context) -> list[str]:
    """An ``{include}``: the file's MyST, converted here (a Markdown file only)."""
    path = _joined(ctx.path, target)
    text = ctx.book.includes.get(path)
    if text is None or ctx.depth >= 5:
        why = "includes nest too deep" if text is not None else "not found in the book"
        _problem(ctx, f"```{{include}} {target}: {why}; left out")
        return []
    ctx.depth += 1
    try:
        inner = _blocks(_split(text)[1].split("\n"), ctx)
    finally:
        ctx.depth -= 1
    return [*_indent(inner, indent), ""]


_SUFFIX_LANGUAGES = {".py": "python", ".sh": "bash", ".js": "javascript", ".yml": "yaml"}


def _literal(target: str, options: dict[str, str], indent: str, ctx: Context) -> list[str]:
    """A ``{literalinclude}``: the file's lines (``:lines:``, ``:start-after:``,
    ``:end-before:``) as a fenced block in its ``:language:``."""
    text = ctx.book.includes.get(_joined(ctx.path, target))
    if text is None:
        _problem(ctx, f"```{{literalinclude}} {target}: not found in the book; left out")
        return []
    lines = text.split("\n")
    after, before = options.get("start-after"), options.get("end-before")
    if after:
        found = next((i for i, line in enumerate(lines) if after in line), None)
        lines = lines[found + 1 :] if found is not None else lines
    if before:
        found = next((i for i, line in enumerate(lines) if before in line), None)
        lines = lines[:found] if found is not None else lines
    wanted = options.get("lines", "")
    if re.fullmatch(r"[\d,\s-]+", wanted):
        picked: list[str] = []
        for part in wanted.split(","):
            first, dash, last = part.strip().partition("-")
            start = int(first) if first.strip() else 1
            end = int(last) if last.strip() else (len(lines) if dash else start)
            picked.extend(lines[start - 1 : end])
        lines = picked
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    suffix = posixpath.splitext(target)[1].lower()
    language = options.get("language") or _SUFFIX_LANGUAGES.get(suffix, suffix.lstrip("."))
    caption = options.get("caption")
    info = language + (f' title="{_quoted(caption)}"' if caption else "")
    fence = "````" if any(line.lstrip().startswith("```") for line in lines) else "```"
    return [
        indent + fence + info,
        *[indent + line if line else "" for line in lines],
        indent + fence,
        "",
    ]


def _problem(ctx: Context, text: str) -> None:
    if not ctx.collecting and text not in ctx.problems:
        ctx.problems.append(text)


def _quoted(text: str) -> str:
    return text.replace('"', "'").strip()


def _figure(
    key: str,
    args: str,
    options: dict[str, str],
    content: list[str],
    label: str | None,
    ctx: Context,
    indent: str,
) -> list[str]:
    path = args.strip()
    caption_lines: list[str] = []
    legend: list[str] = []
    for line in content:
        if legend or (caption_lines and not line.strip()):
            legend.append(line)
        elif line.strip():
            caption_lines.append(line.strip())
    caption = " ".join(caption_lines) if key == "figure" else ""
    alt = options.get("alt") or caption or ""
    out: list[str] = []
    if label:
        anchor = _anchor(label)
        _labelled(ctx, label, anchor, caption or alt or None)
        out.extend([indent + _span(anchor), ""])
    target = f"<{path}>" if re.search(r"[\s()<>]", path) else path
    shown = f"![{_escape(alt)}]({target}"
    shown += f' "{_quoted(caption)}")' if caption else ")"
    attrs = [f'{k}="{options[k]}"' for k in ("width", "height") if options.get(k)]
    attrs = [a for a in attrs if '"' not in a.split("=", 1)[1][1:-1]]
    if attrs:
        shown += "{ " + " ".join(attrs) + " }"
    out.extend([indent + shown, ""])
    if legend:
        out.extend([*_blocks(legend, ctx), ""])
    return out


def _contents(caption: str | None, ctx: Context, indent: str) -> list[str]:
    """A toctree (or Jupyter Book's ``{tableofcontents}``) as a list of links."""
    listed = ctx.book.children.get(ctx.path, [])
    if not listed:
        return []
    out = [indent + f"**{_escape(caption)}**", ""] if caption else []
    for title, doc in listed:
        words = title or ctx.book.titles.get(doc) or posixpath.splitext(posixpath.basename(doc))[0]
        if doc.endswith(".rst"):
            out.append(f"{indent}- {_escape(words)}")
        else:
            out.append(f"{indent}- [{_escape(words)}]({ctx.link(doc)})")
    return [*out, ""]


def _list_table(content: list[str], options: dict[str, str]) -> list[str] | None:
    """A ``{list-table}`` (rows of ``* - cell``) as a Markdown table."""
    rows: list[list[str]] = []
    for line in content:
        row = re.match(r"^[*-][ \t]+-[ \t]*(?P<cell>.*)$", line)
        cell = re.match(r"^[ \t]+-[ \t]*(?P<cell>.*)$", line)
        if row:
            rows.append([row["cell"].strip()])
        elif cell and rows:
            rows[-1].append(cell["cell"].strip())
        elif line.strip() and rows and rows[-1]:
            rows[-1][-1] += " " + line.strip()
        elif line.strip():
            return None
    if not rows:
        return None
    width = max(len(r) for r in rows)
    rows = [[c.replace("|", "\\|") for c in r] + [""] * (width - len(r)) for r in rows]
    header = rows[0] if options.get("header-rows", "0").strip() not in ("", "0") else [""] * width
    body = rows[1:] if header is rows[0] else rows
    return [
        "| " + " | ".join(header) + " |",
        "|" + "---|" * width,
        *["| " + " | ".join(r) + " |" for r in body],
    ]


def _roles(text: str, ctx: Context) -> str:
    def one(match: re.Match[str]) -> str:
        role, content = match["role"].lower(), match["content"]
        if role == "math":
            return f"${content.strip()}$"
        explicit = _EXPLICIT.match(content)
        words, target = (
            (explicit["text"].strip(), explicit["target"].strip())
            if explicit
            else ("", content.strip())
        )
        if role in ("ref", "numref", "eq", "any", "prf:ref", "doc", "download"):
            return _reference(role, words, target, ctx, match.group(0))
        if role in ("index",):
            return words or target.split(";")[0].split(":")[-1].strip()
        if role.startswith("cite") or role.startswith("footcite"):
            return "\\[" + ", ".join(k.strip() for k in target.split(",")) + "\\]"
        if (
            role in _CODE_ROLES
            or re.match(r"(?:py|js|c|cpp|std|rst):", role)
            or role in ("func", "class", "meth", "mod", "attr", "obj", "data", "exc", "const")
        ):
            shown = words or target
            if shown.startswith("~"):
                shown = shown[1:].rsplit(".", 1)[-1]
            return f"`{shown}`"
        if role in _TEXT_ROLES:
            return words or target
        if role in ("guilabel", "menuselection", "strong"):
            return f"**{(words or target).replace('-->', '→')}**"
        if role in ("emphasis", "title-reference"):
            return f"*{words or target}*"
        _problem(
            ctx, f"the role {{{match['role']}}} is not something import converts; kept its text"
        )
        return f"`{content}`"

    return _ROLE.sub(one, text)


def _reference(role: str, words: str, target: str, ctx: Context, whole: str) -> str:
    if ctx.collecting:
        return whole
    book = ctx.book
    if role in ("doc", "download", "any"):
        joined = (
            target.lstrip("/")
            if target.startswith("/")
            else posixpath.join(posixpath.dirname(ctx.path), target)
        )
        if role == "download":
            shown = words or posixpath.basename(target)
            return f"[{_escape(shown)}]({ctx.link(posixpath.normpath(joined))})"
        doc = _document(joined, frozenset(book.chapters) | frozenset(book.titles))
        if doc is not None:
            shown = words or book.titles.get(doc) or posixpath.basename(target)
            return f"[{_escape(shown)}]({ctx.link(doc)})"
        if role == "doc":
            _problem(ctx, f"{{doc}}`{target}`: no such document in the book; kept its words")
            return words or target
    found = book.labels.get(target.lower())
    if found is None:
        _problem(ctx, f"{{{role}}}`{target}`: no such label in the book; kept its words")
        return _escape(words or target)
    if role == "eq":
        shown = words or f"({target})"
    else:
        shown = words or found.title or target
        if "%s" in shown or "{number}" in shown or "{name}" in shown:
            name = found.title or target
            shown = shown.replace("%s", name).replace("{number}", name).replace("{name}", name)
    return f"[{_escape(shown)}]({ctx.link(found.path, found.anchor)})"


# MyST's directives by name: a fence named {r} or {python} is an R Markdown or Quarto
# code chunk, not MyST, and stays as it is.
_DIRECTIVE_FENCE = re.compile(
    r"^[ \t]*(?:`{3,}|~{3,}|:{3,})\{(?:note|tip|warning|important|caution|attention|danger"
    r"|error|hint|seealso|admonition|dropdown|code-cell|code-block|math|figure|image|toctree"
    r"|tab-set|tab-item|include|literalinclude|eval-rst|margin|sidebar|epigraph|exercise"
    r"|solution|(?:prf|proof):[\w-]+)\}",
    re.M,
)


def convert_directives(body: str, relative: str) -> tuple[str, list[str]]:
    """A note outside a Sphinx book that still uses MyST's directive fences
    (```` ```{note} ````, ```` ```{code-cell} python ````, ``:::{tip}``), as Jupyter Book
    and jupytext users write them anywhere: converted as a book's document would be
    (:func:`convert`), with what it reported. A note without such a fence is returned
    as it is."""
    if _DIRECTIVE_FENCE.search(body) is None:
        return body, []
    ctx = Context(relative, Book(), "python")
    return convert(body, ctx), ctx.problems


def read_document(
    tree: Tree,
    note: Note,
    meta: dict[str, Any],
    relative: str,
    base: Callable[[Tree, Note, dict[str, Any], str], None],
) -> None:
    """One document of the book ``tree``: its MyST converted, read by ``base`` (the
    Markdown reader: title, dates, tags), then filed by the book's order."""
    book: Book = tree.config["book"]
    kernel = meta.get("kernelspec")
    language = "python"
    if isinstance(kernel, dict) and isinstance(kernel.get("language"), str):
        language = _PY_LANGUAGES.get(kernel["language"]) or kernel["language"]
    ctx = Context(relative, book, language)
    note.body = convert(note.body, ctx)
    note.notes.extend(ctx.problems)
    for what, count in sorted(ctx.dropped.items()):
        name = f"```{{{what}}}" if not what.startswith("raw ") else f"```{{raw}} {what[4:]}"
        if what == "code-cell removed":
            name = "```{code-cell}"
        why = {
            "index": "Sphinx's index entries, not shown on the page",
            "code-cell removed": "tagged remove-cell or remove-input: the book hides them",
        }.get(what, "not shown on a web page" if what.startswith("raw ") else "shows nothing here")
        note.notes.append(f"{count} × {name} left out ({why})")
    base(tree, note, meta, relative)  # the `# ` heading titles it (several: the file name)
    chapter = book.chapters.get(relative)
    if chapter is not None:
        if not meta.get("category") and not meta.get("categories"):
            note.category = "/".join(chapter.category) or None
        note.series = book.title or note.series
        note.series_order = chapter.order
    elif book.chapters:
        where = book.toc_file or "any toctree"
        note.notes.append(
            f"not in {where} (Sphinx builds it but lists it nowhere); imported all the same"
        )
    old = old_url(relative)
    if old and not note.draft:
        note.aliases.append(old)


def old_url(relative: str) -> str | None:
    """Where Sphinx served a document: ``a/b.md`` at ``/a/b.html`` (the root page's place,
    the site's home, the new site keeps)."""
    page = posixpath.splitext(relative)[0]
    if page == "index":
        return None
    return "/" + page + ".html"


def excluded(relative: str, patterns: tuple[str, ...]) -> bool:
    """Whether ``exclude_patterns`` (Sphinx's glob patterns) leave ``relative`` out."""
    return any(
        fnmatch.fnmatchcase(relative, p) or fnmatch.fnmatchcase(relative, p.rstrip("/") + "/*")
        for p in patterns
    )
