"""Links in imported notes made to work in content/: images and attachments copied beside
the article, links between notes pointed at the new file names, wiki links kept as
Zhiku's ``[[file-stem|text]]``."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from zhiku.importers.markup import HTML_SRC, LINK, outside_code
from zhiku.importers.model import MARKDOWN_SUFFIXES, Tree
from zhiku.text.slug import slugify

ASSETS = "assets"
_WIKI = re.compile(
    r"(?P<bang>!?)\[\[(?P<target>[^\[\]|#\n]*)(?P<heading>#[^\[\]|\n]*)?(?:\|(?P<text>[^\[\]\n]*))?\]\]"
)
_MATH = re.compile(r"\$\$.*?\$\$|(?<![\\$])\$(?=\S)[^$\n]*?(?<=\S)\$(?!\d)", re.S)
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

    def __init__(self, tree: Tree, links: Links) -> None:
        self.tree = tree
        self.links = links
        self.names = _by_basename(tree)

    def candidates(self, note: str, target: str) -> list[str]:
        tree, here = self.tree, posixpath.dirname(note)
        if target.startswith("/"):
            roots = {
                "hexo": ["source"],
                "hugo": ["static", tree.base],
                "mkdocs": [tree.base],
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
        return [f.removeprefix("./") for f in found if not f.startswith("..")]

    def resolve(self, note: str, slug: str, body: str) -> Resolved:
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
                    return self.links.files[candidate] + suffix
                for ext in (*MARKDOWN_SUFFIXES, "/index.md", "/_index.md", "/README.md"):
                    # a link written without .md, or to a folder (a page bundle)
                    if candidate.rstrip("/") + ext in self.links.files:
                        return self.links.files[candidate.rstrip("/") + ext] + suffix
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
            def markdown(match: re.Match[str]) -> str:
                raw = match["target"]
                bare = raw[1:-1] if raw.startswith("<") else raw
                new = target_of(bare, bool(match["bang"]))
                if new is None:
                    return match.group(0)
                if new is MISSING:  # a dead link would fail the build: its words stay
                    return match["text"]
                title = match["title"] or ""
                return f"{match['bang']}[{match['text']}]({new}{title})"

            def html(match: re.Match[str]) -> str:
                new = target_of(match["src"], True)
                if new is None or new is MISSING:
                    return match.group(0)
                return f"{match['head']}{match['q'] or chr(34)}{new}{match['q'] or chr(34)}"

            def definition(match: re.Match[str]) -> str:
                raw = match["target"]
                bare = raw[1:-1] if raw.startswith("<") else raw
                new = target_of(bare, False)
                return match.group(0) if new is None or new is MISSING else f"{match['head']}{new}"

            text = DEFINITION.sub(definition, text)
            return HTML_SRC.sub(html, LINK.sub(markdown, text))

        def wiki(text: str) -> str:
            def one(match: re.Match[str]) -> str:
                name = match["target"].strip()
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
                                alt = shown if shown and not shown.isdigit() else ""
                                alt = alt or posixpath.splitext(posixpath.basename(name))[0]
                                return f"![{alt}]({where})"
                            return f"[{shown or posixpath.basename(name)}]({where})"
                file = self._note_named(note, name)
                label = shown
                if file is None:
                    if ext and not name.endswith(MARKDOWN_SUFFIXES):
                        result.notes.append(f"[[{name}]]: no such attachment; kept as its name")
                        return label or name
                    result.notes.append(f"[[{name}]]: no such note; kept as plain text")
                    return label or name
                if match["bang"]:
                    result.notes.append(f"![[{name}]]: an embedded note; kept as a link")
                # The heading, when the note has it (not a ^block, not a heading since renamed).
                anchor = f"#{wanted}" if wanted in self.links.headings.get(file, ()) else ""
                label = label or (name + anchor if anchor else "")
                if heading and not anchor:
                    result.notes.append(f"[[{name}{heading}]]: no such heading; linked the note")
                if bar != "|":  # in a table, where a wiki link's | would end the cell
                    return f"[{label or name}]({file}{quote(anchor)})"
                return f"[[{file[:-3]}{anchor}|{label or name}]]"

            return _outside_math(text, lambda t: _WIKI.sub(one, t))

        result.body = outside_code(body, lambda t: wiki(links(t)))
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


def _outside_math(text: str, change: object) -> str:
    assert callable(change)
    out, last = [], 0
    for match in _MATH.finditer(text):
        out.append(change(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(change(text[last:]))
    return "".join(out)


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
