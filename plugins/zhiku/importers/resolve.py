"""Links in imported notes made to work in content/: images and attachments copied beside
the article, links between notes pointed at the new file names, wiki links kept as
Zhiku's ``[[file-stem|text]]``."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from zhiku.importers.markup import (
    HTML_ATTR,
    HTML_SRC,
    IMG_TAG,
    LINK,
    Found,
    heading_texts,
    headings,
    html_blocks,
    sub_prose,
)
from zhiku.importers.model import MARKDOWN_SUFFIXES, Tree
from zhiku.text.slug import anchor_for, slugify

ASSETS = "assets"
_WIKI = re.compile(
    r"(?P<bang>!?)\[\[(?P<target>[^\[\]|#\n]*)(?P<heading>#[^\[\]|\n]*)?(?:\|(?P<text>[^\[\]\n]*))?\]\]"
)
# What an <img> says that its Markdown image keeps (attr_list), besides src, alt, title.
_IMG_KEEPS = ("width", "height", "style", "align", "class")
# A reference-style link's definition: `[id]: target "title"`.
DEFINITION = re.compile(
    r"^(?P<head>[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*)(?P<target><[^<>\n]*>|\S+)", re.M
)
# What target_of gives for a local target the source does not have.
MISSING = "\0missing"
_SCHEME = re.compile(r"\A[a-zA-Z][a-zA-Z0-9+.-]*:")


@dataclass(slots=True)
class Links:
    """Where every note of a tree went: source path -> content file, and the lookups."""

    files: dict[str, str]  # note source path -> content file ("hello-world.md")
    by_alias: dict[str, str] = field(default_factory=dict)  # "/2021/06/29/x/" -> file
    by_name: dict[str, str] = field(default_factory=dict)  # note stem or title -> file
    headings: dict[str, frozenset[str]] = field(default_factory=dict)  # file -> its headings


@dataclass(slots=True)
class Resolved:
    """A note's body with its links made to work, and the files to copy for it."""

    body: str
    copies: dict[str, str] = field(default_factory=dict)  # content path -> source path
    notes: list[str] = field(default_factory=list)


def normal_alias(path: str) -> str:
    """The comparable form of a site path: leading ``/``, no ``index.html``."""
    path = "/" + unquote(path).lstrip("/")
    if path.endswith("/index.html"):
        path = path[: -len("index.html")]
    return path


def _by_basename(tree: Tree) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in sorted(tree.files, key=lambda p: (p.count("/"), p)):
        found.setdefault(posixpath.basename(path), path)
        found.setdefault(posixpath.basename(path).lower(), path)
    return found


class Resolver:
    """Rewrites the links of one tree's notes (built once per tree)."""

    def __init__(self, tree: Tree, links: Links, *, directory_urls: bool = True) -> None:
        self.tree = tree
        self.links = links
        self.names = _by_basename(tree)
        self.directory_urls = directory_urls
        self._headings: dict[str, list[tuple[int, str, str | None]]] = {}

    def anchor(self, note: str, anchor: str) -> str:
        """``anchor`` of a link to the source note ``note``, as the built page names that
        heading: a link written for the other tool's anchors (``#server-host`` for
        ``## server.host``) still lands; one that names no heading stays as written (the
        build then says so, with its line)."""
        if not anchor or note not in self.tree.texts:
            return anchor
        if note not in self._headings:
            self._headings[note] = headings(self.tree.texts[note])
        found = self._headings[note]
        titles = [(text, own) for level, text, own in found if level == 1]
        if len(titles) == 1 and anchor_for(titles, anchor) is not None:
            return ""  # the note's one `# ` heading became its title: the top of the page
        file = self.links.files.get(note)
        gone = heading_texts(self.tree.texts[note]) - self.links.headings.get(file or "", set())
        shown = {re.sub(r"`|\s*\{[^}]*\}\s*$", "", text).strip() for text in gone}
        if found and found[0][1] in shown and anchor_for([found[0][1:]], anchor) is not None:
            return ""  # its opening heading (an mdBook `## 安装`) left, saying the title
        return anchor_for([(text, own) for _, text, own in found], anchor) or anchor

    def _suffix(self, note: str, anchor: str) -> str:
        fitted = self.anchor(note, anchor) if anchor else ""
        return f"#{fitted}" if fitted else ""

    def from_page(self, file: str, target: str) -> str:
        """``target`` (a content path, maybe with ``#anchor``) as a URL relative to the
        page of the content file ``file``: what raw HTML needs, which MkDocs leaves as
        written while the page is served at ``slug/`` (or ``slug.html``)."""
        path, hash_, anchor = target.partition("#")
        stem = posixpath.splitext(file)[0]
        page = stem + "/" if self.directory_urls else posixpath.dirname(file) + "/"
        if path.endswith(".md"):
            path = path[:-3]
            if posixpath.basename(path) == "index":
                path = (posixpath.dirname(path) or ".") + "/"
            else:
                path += "/" if self.directory_urls else ".html"
        url = posixpath.relpath(path or ".", page.rstrip("/") or ".")
        if path.endswith("/") and not url.endswith("/"):
            url += "/"
        return quote(url) + hash_ + anchor

    def candidates(self, note: str, target: str) -> list[str]:
        tree, here = self.tree, posixpath.dirname(note)
        if target.startswith("/"):
            roots = {
                "hexo": ["source"],
                "hugo": ["static", tree.base],
                "mkdocs": [tree.base],
                "mdbook": [tree.base],
                "vuepress": [
                    tree.base,
                    posixpath.join(tree.base, ".vuepress", "public"),
                    posixpath.join(tree.base, "public"),
                ],
                "docusaurus": [*tree.config.get("static", ["static"]), ""],
            }.get(tree.kind, ["", tree.base])
            found = [posixpath.normpath(posixpath.join(r, target.lstrip("/"))) for r in roots]
        else:
            found = [posixpath.normpath(posixpath.join(here, target))]
            stem = posixpath.splitext(posixpath.basename(note))[0]
            if tree.kind == "hexo":
                found.append(posixpath.normpath(posixpath.join(here, stem, target)))
            if tree.kind == "mkdocs" and stem not in ("index", "README"):
                # A link written as a URL is relative to the page's URL (a/b.md is a/b/).
                found.append(posixpath.normpath(posixpath.join(here, stem, target)))
            if tree.kind in ("obsidian", "markdown", "mkdocs") and "/" not in target:
                named = self.names.get(target) or self.names.get(target.lower())
                if named:
                    found.append(named)
        if tree.kind == "mdbook":  # mdBook serves a/b.md at a/b.html, a/README.md at a/index.html
            for page in [f for f in found if f.endswith(".html")]:
                found.append(page[: -len(".html")] + ".md")
                if posixpath.basename(page) == "index.html":
                    found.append(posixpath.join(posixpath.dirname(page), "README.md"))
        return [f.removeprefix("./") for f in found if not f.startswith("..")]

    def resolve(self, note: str, slug: str, body: str, file: str = "") -> Resolved:
        """``body`` of the source note ``note`` with its links made to work, written to
        the content file ``file`` (``slug.md`` unless said)."""
        file = file or f"{slug}.md"
        result = Resolved(body)
        taken: dict[str, str] = {}  # asset name in the note's folder -> source path

        def copy(source: str) -> str:
            for name, known in taken.items():
                if known == source:
                    return f"{ASSETS}/{slug}/{name}"
            stem, ext = posixpath.splitext(posixpath.basename(source))
            base = slugify(stem, 40)
            name, n = f"{base}{ext.lower()}", 2
            while name in taken:
                name, n = f"{base}-{n}{ext.lower()}", n + 1
            taken[name] = source
            where = f"{ASSETS}/{slug}/{name}"
            result.copies[where] = source
            return where

        def target_of(raw: str, image: bool) -> str | None:
            """The new target for ``raw``, or None to leave it as written."""
            if raw.startswith("#") and len(raw) > 1:
                fitted = "#" + self.anchor(note, raw[1:])  # "#": the top, where the title is
                return fitted if fitted != raw else None
            if (
                not raw
                or raw.startswith("#")
                or (_SCHEME.match(raw) and not raw.startswith("note-ref:"))
            ):
                return None
            if raw.startswith("note-ref:"):
                wanted, _, anchor = raw.split(":", 1)[1].partition("#")
                wanted = wanted.strip("/")
                tail = f"#{anchor}" if anchor else ""
                for candidate in [
                    *self.candidates(note, wanted),
                    posixpath.normpath(posixpath.join(self.tree.base, wanted)),
                ]:
                    for path in (candidate, candidate + ".md", candidate + "/index.md"):
                        if path in self.links.files:
                            return self.links.files[path] + tail
                name = posixpath.splitext(posixpath.basename(wanted))[0]
                if name == "index":
                    name = posixpath.basename(posixpath.dirname(wanted))
                for source, file in self.links.files.items():
                    stem = posixpath.splitext(posixpath.basename(source))[0]
                    if stem == "index":
                        stem = posixpath.basename(posixpath.dirname(source))
                    if stem == name:
                        return file + tail
                result.notes.append(f"link to the post {wanted}: no such post; kept its text only")
                return MISSING
            path, _, anchor = raw.partition("#")
            path = unquote(path.split("?", 1)[0])
            suffix = f"#{anchor}" if anchor else ""
            if not path:
                return None
            for candidate in self.candidates(note, path):
                if candidate in self.links.files:
                    return self.links.files[candidate] + self._suffix(candidate, anchor)
                for ext in (*MARKDOWN_SUFFIXES, "/index.md", "/_index.md", "/README.md"):
                    # a link written without .md, or to a folder (a page bundle)
                    source = candidate.rstrip("/") + ext
                    if source in self.links.files:
                        return self.links.files[source] + self._suffix(source, anchor)
                if candidate in self.tree.files and not candidate.endswith(MARKDOWN_SUFFIXES):
                    return copy(candidate) + suffix
            if path.startswith("/"):
                moved = self.links.by_alias.get(normal_alias(path)) or self.links.by_alias.get(
                    normal_alias(path.rstrip("/") + "/")
                )
                if moved:
                    return moved + suffix
            what = "image" if image else "link"
            result.notes.append(
                f"{what} {raw}: not found in the source (broken there too); kept its text only"
            )
            return MISSING

        def links(text: str) -> str:
            def markdown(match: Found) -> str:
                raw = match["target"] or ""
                bare = raw[1:-1] if raw.startswith("<") else raw
                new = target_of(bare, bool(match["bang"]))
                words = match["text"] or ""
                if "](" in words:  # an image inside a link: [![badge](img.svg)](url)
                    words = sub_prose(LINK, words, markdown)
                if new is MISSING:  # a dead link would fail the build: its words stay
                    return words
                title = match["title"] or ""
                size = ""
                if match["bang"] and self.tree.kind in ("obsidian", "logseq", "markdown"):
                    words, size = obsidian_size(words)  # ![图|300](a.png)
                return f"{match['bang']}[{words}]({new or raw}{title}){size}"

            def image(match: Found) -> str:
                """A lone <img> outside HTML blocks, as a Markdown image (MkDocs points
                those at the right URL whatever use_directory_urls says)."""
                whole = match.group(0)
                if any(start <= match.start() < end for start, end in blocks):
                    return whole
                attrs: dict[str, str] = {}
                for attr in HTML_ATTR.finditer(match["attrs"] or ""):
                    value = attr["dq"] if attr["dq"] is not None else attr["sq"] or attr["bare"]
                    attrs[attr["name"].lower()] = value or ""
                new = target_of(attrs.get("src", ""), True)
                if new is None or new is MISSING or any(c in new for c in " ()<>"):
                    return whole
                alt = re.sub(r"([\\\[\]])", r"\\\1", attrs.get("alt", ""))
                title = attrs.get("title", "").replace('"', "'")
                shown = f'![{alt}]({new} "{title}")' if title else f"![{alt}]({new})"
                kept = [
                    f'{name}="{attrs[name]}"'
                    for name in _IMG_KEEPS
                    if attrs.get(name) and '"' not in attrs[name]
                ]
                return shown + ("{ " + " ".join(kept) + " }" if kept else "")

            def html(match: Found) -> str:
                tag = (match["tag"] or "").lower()
                new = target_of(match["src"] or "", tag != "a")
                if new is None or new is MISSING:
                    return match.group(0)
                quote_mark = match["q"] or chr(34)
                return f"{match['head']}{quote_mark}{self.from_page(file, new)}{quote_mark}"

            def definition(match: Found) -> str:
                raw = match["target"] or ""
                bare = raw[1:-1] if raw.startswith("<") else raw
                new = target_of(bare, False)
                if new is None or new is MISSING:
                    return match.group(0)
                return f"{match['head']}{new}"

            text = sub_prose(DEFINITION, text, definition)
            text = sub_prose(LINK, text, markdown)
            blocks = html_blocks(text)
            text = sub_prose(IMG_TAG, text, image)
            return sub_prose(HTML_SRC, text, html)

        def wiki(text: str) -> str:
            def one(match: Found) -> str:
                name = (match["target"] or "").strip()
                # In a table the pipe is written \| : [[note\|alias]].
                bar = "\\|" if name.endswith("\\") else "|"
                name = name.removesuffix("\\").strip()
                shown = (match["text"] or "").strip()
                heading = (match["heading"] or "").strip().removesuffix("\\")
                wanted = heading[1:].strip()
                if not name and heading:  # [[#heading]] in the same note
                    own = self.links.files.get(note, "")
                    if wanted in self.links.headings.get(own, ()) and bar == "|":
                        return f"[[#{wanted}|{shown}]]" if shown else f"[[#{wanted}]]"
                    return shown or wanted
                ext = posixpath.splitext(name)[1].lower()
                if re.fullmatch(r"\.[a-z0-9]{1,5}", ext) and not name.endswith(MARKDOWN_SUFFIXES):
                    for candidate in self.candidates(note, name):
                        if candidate in self.tree.files:
                            where = copy(candidate)
                            if match["bang"]:
                                alt, size = obsidian_size(f"|{shown}" if shown else "")
                                alt = alt or posixpath.splitext(posixpath.basename(name))[0]
                                return f"![{alt}]({where}){size}"
                            return f"[{shown or posixpath.basename(name)}]({where})"
                file = self._note_named(note, name)
                label = shown
                if file is None:
                    if ext and not name.endswith(MARKDOWN_SUFFIXES):
                        result.notes.append(f"[[{name}]]: no such attachment; kept as its name")
                        return label or name
                    result.notes.append(f"[[{name}]]: no such note; kept as plain text")
                    return label or name
                # The heading or ^block, when the note has it (not a heading since renamed).
                anchor = f"#{wanted}" if wanted in self.links.headings.get(file, ()) else ""
                if match["bang"] and bar == "|" and (anchor or not heading):
                    # The build shows the note or its section (zhiku.listing.embeds).
                    return f"![[{file[:-3]}{anchor}]]"
                if match["bang"]:
                    result.notes.append(f"![[{name}{heading}]]: an embedded block; kept as a link")
                label = label or (name + anchor if anchor and not wanted.startswith("^") else "")
                if heading and not anchor:
                    result.notes.append(f"[[{name}{heading}]]: no such heading; linked the note")
                if bar != "|":  # in a table, where a wiki link's | would end the cell
                    return f"[{label or name}]({file}{quote(anchor)})"
                return f"[[{file[:-3]}{anchor}|{label or name}]]"

            return sub_prose(_WIKI, text, one)

        result.body = wiki(links(body))
        return result

    def _note_named(self, note: str, name: str) -> str | None:
        base = name.removesuffix(".md")
        for candidate in (
            posixpath.normpath(posixpath.join(posixpath.dirname(note), base)) + ".md",
            base + ".md",
        ):
            if candidate in self.links.files:
                return self.links.files[candidate]
        by_name = self.links.by_name
        short = posixpath.basename(base)
        # Obsidian matches names whatever their case.
        return (
            by_name.get(base)
            or by_name.get(short)
            or by_name.get(base.lower())
            or by_name.get(short.lower())
        )


_OBSIDIAN_SIZE = re.compile(r"\|\s*(?P<w>\d{1,5})(?:\s*x\s*(?P<h>\d{1,5}))?\s*\Z")


def obsidian_size(alt: str) -> tuple[str, str]:
    """An image's words and the size Obsidian writes at their end (``图|300``,
    ``|640x480``), as ``(words, attr_list)``: ``("图", "{ width=300 }")``."""
    found = _OBSIDIAN_SIZE.search(alt)
    if found is None:
        return alt.lstrip("|"), ""
    words = alt[: found.start()].strip()
    size = f"width={found['w']}" + (f" height={found['h']}" if found["h"] else "")
    return words, "{ " + size + " }"


def link_tables(
    tree: Tree,
    files: Mapping[str, str],
    aliases: Mapping[str, list[str]],
    titles: Mapping[str, str],
    headings: Mapping[str, frozenset[str]] | None = None,
) -> Links:
    """The lookups of :class:`Links` for ``tree``'s notes."""
    links = Links(dict(files))
    for source, file in files.items():
        links.headings[file] = (headings or {}).get(source, frozenset())
    for source, file in sorted(files.items()):
        for alias in aliases.get(source, []):
            links.by_alias.setdefault(normal_alias(alias), file)
        stem = posixpath.splitext(posixpath.basename(source))[0]
        for name in (stem, titles.get(source, stem)):
            links.by_name.setdefault(name, file)
            links.by_name.setdefault(name.lower(), file)
    return links
