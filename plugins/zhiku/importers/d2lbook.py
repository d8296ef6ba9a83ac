"""d2lbook books (动手学深度学习 and books made like it): the book's ```toc trees give the
reading order and the chapters, d2lbook's roles (``:label:``, ``:numref:``, ``:eqref:``,
``:cite:``, ``:width:``) become anchors, links and citations the build renders, and the
framework tabs (``#@tab pytorch``, ``:begin_tab:``) become the theme's content tabs.

Pure: the shell hands in the texts (and a reader for the ``.bib`` file); nothing here
touches files.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from zhiku.importers.markup import prose_blocks
from zhiku.importers.model import Note, Skipped, Tree

_FENCE = re.compile(r"^(?P<indent>[ \t]{0,3})(?P<mark>`{3,}|~{3,})[ \t]*(?P<info>.*?)[ \t]*$")
_ROLE_LINE = re.compile(r"^[ \t]*:(?P<role>label|eqlabel|width|height):`(?P<arg>[^`\n]*)`[ \t]*$")
# A reference role, its name between backticks (doubled in some pages: :numref:``sec_x``).
_REF = re.compile(
    r":(?P<role>numref|ref|eqref|cite|citet|citep):(?P<tick>``?)(?P<arg>[^`\n]+)(?P=tick)"
)
_BIBLIOGRAPHY = re.compile(r"^[ \t]*:bibliography:`(?P<arg>[^`\n]*)`[ \t]*$", re.M)
_HEADING = re.compile(r"^(?P<marks>#{1,6})[ \t]+(?P<text>.+?)[ \t]*$")
_SETEXT = re.compile(r"^(?:=+|-+)[ \t]*$")
_IMAGE = re.compile(
    r"^(?P<indent>[ \t]*)!\[(?P<alt>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<src>[^\s()]+)"
    r"(?:[ \t]+\"[^\"\n]*\")?\)(?:\{(?P<attrs>[^{}\n]*)\})?[ \t]*$"
)
_ATTR = re.compile(r"(?P<name>[\w-]+)=\"(?P<value>[^\"]*)\"")
_CAPTION = re.compile(r"^:(?P<text>[^\s:`][^`\n]*)$")
_BEGIN_TAB = re.compile(r"^[ \t]*:begin_tab:`(?P<tabs>[^`\n]*)`[ \t]*$")
_END_TAB = re.compile(r"^[ \t]*:end_tab:[ \t]*$")
# A cell's framework: `#@tab pytorch` (d2lbook), `%%tab pytorch, jax` (its cell magic).
_TAB_LINE = re.compile(r"^[ \t]*(?:# *@tab|%%tab)\b[ \t]*(?P<tabs>.*?)[ \t]*$")
# A cell d2lbook deletes when it builds: the one that picks a tab in Jupyter, `# hide code`.
_BUILD_ONLY = re.compile(r"%load_ext d2lbook\.tab|\btab\.interact_select\(|#\s*hide code", re.I)
# Sphinx's Python roles d2lbook passes on: :class:`Trainer`, :func:`d2l.plot`.
_PY_ROLE = re.compile(r":(?:class|func|meth|mod|attr):`(?P<arg>[^`\n]*)`")
_TOC_ENTRY = re.compile(r"^[ \t]*(?P<entry>[^\s:][^\n]*?)[ \t]*$")
_TAG = re.compile(r"\\tag\*?\{")
ALL = "all"
# How a numbered figure or table is named when config.ini's numfig_format does not say.
NUMBER_NAMES = {
    "zh": {"figure": "图%s", "table": "表%s"},
    "en": {"figure": "Fig. %s", "table": "Table %s"},
}
# What d2lbook marks for its slides, (**text**) and [**text**], which the book shows as text.
_SLIDE = re.compile(
    r"\(\*\*(?P<a>(?:(?!\n[ \t]*\n).)+?)\*\*\)|\[\*\*(?P<b>(?:(?!\n[ \t]*\n).)+?)\*\*\](?![(\[:])",
    re.S,
)


@dataclass(frozen=True, slots=True)
class Label:
    """Where a ``:label:`` (or ``:eqlabel:``) points: a note, an anchor on its page ("" for
    the page itself) and the words a reference shows (a title, a caption, ``(3.1.2)``)."""

    name: str
    page: str
    anchor: str
    text: str
    kind: str  # "section", "figure", "table", "equation", "paragraph"


@dataclass(frozen=True, slots=True)
class Place:
    """A note's place in the book's ```toc trees."""

    order: int
    category: tuple[str, ...]
    number: str  # "3.1" in a numbered part, else ""


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of the book's ``.bib``: what a citation shows and the references list."""

    key: str
    authors: tuple[str, ...]  # family names
    year: str
    title: str
    venue: str
    names: str  # the authors as a reader writes them: Diederik P Kingma, Jimmy Ba


@dataclass(slots=True)
class Marked:
    """A page's text with its labels made anchors, the labels, and what could not be."""

    text: str
    labels: list[Label] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def parse_config(text: str) -> dict[str, dict[str, str]]:
    """``config.ini`` as sections of keys (continuation lines joined); tolerant where
    ``configparser`` is not (d2l's ``sphinx_configs`` holds Python)."""
    sections: dict[str, dict[str, str]] = {}
    section: dict[str, str] | None = None
    key = ""
    for line in text.splitlines():
        head = re.match(r"^\[(?P<name>[^\]]+)\]\s*$", line)
        if head:
            section = sections.setdefault(head["name"].strip(), {})
            key = ""
            continue
        if section is None or not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] in " \t" and key:
            section[key] += "\n" + line.strip()
            continue
        pair = re.match(r"^(?P<key>[\w.-]+)\s*=\s*(?P<value>.*)$", line)
        if pair:
            key = pair["key"]
            section[key] = pair["value"].strip()
        else:
            key = ""
    return sections


def _words(value: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", value) if w]


def book_config(ini: str | None) -> dict[str, Any]:
    """What import keeps of ``config.ini``: the title (the series), the framework tabs,
    the files left out and the ``.bib`` file."""
    parsed = parse_config(ini or "")
    project, build = parsed.get("project", {}), parsed.get("build", {})
    lang = project.get("lang", "en").split("_")[0].split("-")[0].lower()
    names = dict(NUMBER_NAMES.get(lang, NUMBER_NAMES["en"]))
    for kind in ("figure", "table"):  # sphinx_configs: numfig_format = {'figure': '图%%s', …}
        given = re.search(rf"'{kind}'\s*:\s*'([^']*%%?s[^']*)'", build.get("sphinx_configs", ""))
        if given:
            names[kind] = given[1].replace("%%", "%")
    patterns = _words(build.get("notebooks", "**/*.md")) + _words(
        build.get("non-notebooks", build.get("non_notebooks", ""))
    )
    index = build.get("index", "").strip() or "index"
    source = build.get("source_dir", "").strip().strip("/")
    return {
        "source_dir": "" if source in ("", ".") else source.removeprefix("./"),
        "index": index if index.endswith(".md") else index + ".md",
        "sources": patterns or ["**/*.md"],
        "numfig": names,
        "book_title": project.get("title", "").strip() or None,
        "tabs": _words(build.get("tabs", "")),
        "exclusions": _words(build.get("exclusions", "")),
        "bibfile": parsed.get("pdf", {}).get("bibfile", "").strip(),
    }


def toc_entries(text: str) -> list[list[tuple[str, bool]]]:
    """The entries of each ```toc block of ``text`` (as written, without ``.md``), each
    with whether its block is ``:numbered:``."""
    blocks: list[list[tuple[str, bool]]] = []
    fence: str | None = None
    entries: list[str] = []
    numbered = False
    for line in text.splitlines():
        opened = _FENCE.match(line)
        if fence is None:
            if opened and opened["info"] == "toc":
                fence, entries, numbered = opened["mark"], [], False
            elif opened:
                fence = "\0" + opened["mark"]
            continue
        closing = fence.lstrip("\0")
        if line.strip().startswith(closing) and not line.strip().strip(closing[0]):
            if not fence.startswith("\0"):
                blocks.append([(e, numbered) for e in entries])
            fence = None
            continue
        if fence.startswith("\0"):
            continue
        stripped = line.strip()
        if stripped.startswith(":"):
            numbered = numbered or stripped.startswith(":numbered:")
            continue
        entry = _TOC_ENTRY.match(line)
        if entry:
            entries.append(entry["entry"])
    return blocks


def _closes(line: str, fence: str) -> bool:
    """Whether ``line`` closes the code block opened with ``fence``."""
    closing = _FENCE.match(line)
    return bool(
        closing
        and closing["mark"][0] == fence[0]
        and len(closing["mark"]) >= len(fence)
        and not closing["info"]
    )


def _target(here: str, entry: str) -> str:
    path = posixpath.normpath(posixpath.join(posixpath.dirname(here), entry))
    return path if path.endswith(".md") else path + ".md"


def targets(here: str, entry: str, texts: Mapping[str, str]) -> list[str]:
    """The pages a ```toc entry of ``here`` names: ``chapter/index``, ``标题 <path>``
    (Sphinx's titled entry) or a glob (``chapter_x/*``); a web address names none."""
    named = re.match(r"^.*<(?P<path>[^<>]+)>$", entry)
    entry = named["path"].strip() if named else entry
    if re.match(r"^[a-z]+://", entry):
        return []
    if "*" in entry or "?" in entry:
        pattern = _target(here, entry)
        return sorted(p for p in texts if glob_match(p, pattern) and p != here)
    return [_target(here, entry)]


def title_of(text: str) -> str | None:
    """A d2lbook page's title: its first ``# `` (or underlined) heading outside code."""
    fence: str | None = None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is None and opened:
            fence = opened["mark"]
            continue
        if fence is not None:
            if line.strip().startswith(fence) and not line.strip().strip(fence[0]):
                fence = None
            continue
        heading = _HEADING.match(line)
        if heading and len(heading["marks"]) == 1:
            return re.sub(r"[ \t]*\{#[^}]*\}$", "", heading["text"]).strip()
        underlined = i + 1 < len(lines) and re.match(r"^=+[ \t]*$", lines[i + 1])
        if line.strip() and underlined and not line.startswith((" ", "\t", "..", ":")):
            return line.strip()
    return None


def glob_match(path: str, pattern: str) -> bool:
    """Whether ``path`` matches the glob ``pattern`` as d2lbook's file lists mean it:
    ``*`` within a folder, ``**/`` across folders (``*/*_origin.md``, ``**/*.md``)."""
    parts = re.split(r"(\*\*/|\*|\?)", pattern)
    regex = "".join(
        {"**/": "(?:.*/)?", "*": "[^/]*", "?": "[^/]"}.get(part, re.escape(part)) for part in parts
    )
    return re.fullmatch(regex, path) is not None


def places(
    texts: Mapping[str, str], titles: Mapping[str, str], index: str = "index.md"
) -> dict[str, Place]:
    """Every note the ```toc trees reach (from ``index.md``), in reading order: the
    chapter it belongs to (the titles of the index pages above it) and its number."""
    found: dict[str, Place] = {}
    chapter = 0

    def walk(page: str, category: tuple[str, ...], number: str) -> None:
        nonlocal chapter
        position = 0
        for block in toc_entries(texts.get(page, "")):
            for target, numbered in [
                (t, numbered) for entry, numbered in block for t in targets(page, entry, texts)
            ]:
                if target not in texts or target in found or target == index:
                    continue
                if not number and numbered:
                    chapter += 1
                    mine = str(chapter)
                elif number:
                    position += 1
                    mine = f"{number}.{position}"
                else:
                    mine = ""
                title = titles.get(target, "")
                own = (*category, title) if title else category
                nested = bool(toc_entries(texts[target]))
                found[target] = Place(
                    len(found) + 1, own if nested or not category else category, mine
                )
                if nested:
                    walk(target, own, mine)

    if index in texts:
        walk(index, (), "")
    return found


def _image(line: str, change: Mapping[str, str]) -> str | None:
    """An image line with attributes added (``#id``, ``width``), captioned by its words."""
    match = _IMAGE.match(line)
    if match is None:
        return None
    attrs: dict[str, str] = {}
    ident = ""
    for part in re.findall(r"#[^\s}]+|[\w-]+=\"[^\"]*\"", match["attrs"] or ""):
        if part.startswith("#"):
            ident = part[1:]
        else:
            attr = _ATTR.match(part)
            if attr:
                attrs[attr["name"]] = attr["value"]
    ident = change.get("id", ident)
    attrs.update({k: v for k, v in change.items() if k != "id"})
    alt = match["alt"]
    caption = re.sub(r"\s+", " ", change.get("title", alt)).replace('"', "'").strip()
    shown = [f"#{ident}"] if ident else []
    shown += [f'{k}="{v}"' for k, v in attrs.items() if '"' not in v and k != "title"]
    tail = "{ " + " ".join(shown) + " }" if shown else ""
    title = f' "{caption}"' if caption else ""
    return f"{match['indent']}![{alt}]({match['src']}{title}){tail}"


def _plain(words: str) -> str:
    """A title or caption as link text: no trailing full stop, no Markdown brackets."""
    words = re.sub(r"[ \t]*\{#[^}]*\}$", "", words).strip()
    words = words.rstrip("。.．")
    return words.replace("[", "\\[").replace("]", "\\]")


def slide_marks(text: str) -> str:
    """``text`` without d2lbook's slide marks: ``(**words**)`` and ``[**words**]`` show
    as ``words`` in the book (a link ``[**words**](url)`` is a link)."""

    def plain(match: re.Match[str]) -> str:
        return match["a"] if match["a"] is not None else match["b"]

    return "".join(
        part if is_code else _SLIDE.sub(plain, part) for is_code, part in prose_blocks(text)
    )


# An image whose caption runs over lines: `![words\nmore words](../img/a.svg)`.
_LONG_IMAGE = re.compile(
    r"!\[(?P<alt>(?:[^\[\]]|\[[^\[\]\n]*\])*?\n(?:[^\[\]]|\[[^\[\]\n]*\])*?)\]\("
)


# A label written at the end of what it names (`$$x$$ :eqlabel:`eq_x``) goes on its own line.
_LATE_LABEL = re.compile(
    r"^(?P<line>[^\n]*\S)[ \t]+(?P<role>:(?:label|eqlabel):`[^`\n]*`)[ \t]*$", re.M
)


def prepared(text: str) -> str:
    """``text`` as d2lbook reads it before its roles: slide marks gone
    (:func:`slide_marks`), an image whose caption runs over several lines on one line, so
    it is an image (and a figure its ``:label:`` can name), and a label written at the end
    of a line on the next."""

    def one_line(match: re.Match[str]) -> str:
        alt = match["alt"]
        if re.search(r"\n[ \t]*\n", alt):  # a blank line: two paragraphs, not a caption
            return match.group(0)
        return "![" + re.sub(r"[ \t]*\n[ \t]*", " ", alt) + "]("

    def change(part: str) -> str:
        return _LATE_LABEL.sub(r"\g<line>\n\g<role>", _LONG_IMAGE.sub(one_line, part))

    text = slide_marks(text)
    return "".join(part if is_code else change(part) for is_code, part in prose_blocks(text))


def mark_labels(
    page: str, text: str, number: str = "", names: Mapping[str, str] | None = None
) -> Marked:
    """``text`` with its ``:label:``, ``:eqlabel:`` and ``:width:`` lines made into what
    the build renders: ``{#x}`` on headings, ids on figures, captions and equations
    (numbered with ``\\tag``), widths on images; and the labels found."""
    names = names or NUMBER_NAMES["en"]
    out: list[str] = []
    marked = Marked("")
    fence: str | None = None
    fence_end = -1
    headings = 0
    equations = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence is not None:
            if _closes(line, fence):
                fence = None
                fence_end = len(out)
            out.append(line)
            continue
        if opened:
            fence = opened["mark"]
            out.append(line)
            continue
        if _HEADING.match(line) or (
            _SETEXT.match(line) and out and out[-1].strip() and index > 0 and line.strip()
        ):
            headings += 1
        role = _ROLE_LINE.match(line)
        if role is None:
            out.append(line)
            continue
        name, kind = role["arg"].strip(), role["role"]
        j = len(out) - 1
        while j >= 0 and not out[j].strip():
            j -= 1
        before = out[j] if j >= 0 else ""
        if kind in ("width", "height"):
            changed = _image(before, {kind: name})
            if changed is None:
                marked.problems.append(f":{kind}:`{name}` follows no image; left out")
            else:
                out[j] = changed
            continue
        if not name:
            continue
        if kind == "eqlabel" or before.rstrip().endswith("$$"):
            if not before.rstrip().endswith("$$"):
                marked.problems.append(f":eqlabel:`{name}` follows no $$ formula; left out")
                marked.labels.append(Label(name, page, "", "", "equation"))
                continue
            equations += 1
            shown = f"{number}.{equations}" if number else str(equations)
            body = before.rstrip()
            opening = j
            if body.strip() == "$$" or body.count("$$") < 2:  # a formula over several lines
                opening = j - 1
                while opening > 0 and "$$" not in out[opening]:
                    opening -= 1
            block = "\n".join(out[max(opening, 0) : j + 1])
            if not _TAG.search(block):
                if body.strip() == "$$":
                    out.insert(j, f"\\tag{{{shown}}}")
                    j += 1
                else:
                    out[j] = body[:-2].rstrip() + f" \\tag{{{shown}}}$$"
            del out[j + 1 :]
            indent = re.match(r"[ \t]*", before)
            out.append(f"{indent.group(0) if indent else ''}{{: #{name} }}")
            marked.labels.append(Label(name, page, name, f"({shown})", "equation"))
            continue
        heading = _HEADING.match(before)
        if heading or (_SETEXT.match(before) and j > 0 and out[j - 1].strip()):
            at = j if heading else j - 1
            words = heading["text"] if heading else out[j - 1].strip()
            level = len(heading["marks"]) if heading else (1 if before.startswith("=") else 2)
            if level == 1 and headings == 1:  # the page's title: the label names the page
                marked.labels.append(Label(name, page, "", _plain(words), "section"))
            else:
                out[at] = out[at].rstrip() + f" {{#{name}}}"
                marked.labels.append(Label(name, page, name, _plain(words), "section"))
            continue
        figure = _image(before, {"id": name})
        if figure is not None:
            out[j] = figure
            match = _IMAGE.match(before)
            alt = match["alt"] if match else ""
            marked.labels.append(Label(name, page, name, _plain(alt), "figure"))
            continue
        if before.lstrip().startswith("|"):
            top = j
            while top > 0 and out[top - 1].lstrip().startswith("|"):
                top -= 1
            c = top - 1
            while c >= 0 and not out[c].strip():
                c -= 1
            caption = _CAPTION.match(out[c]) if c >= 0 else None
            if caption:
                out[c] = f"\0{caption['text'].strip()}\n{{: #{name} }}"
                marked.labels.append(Label(name, page, name, _plain(caption["text"]), "table"))
            else:
                marked.labels.append(Label(name, page, "", "", "table"))
            continue
        if j >= 0 and j != fence_end and not before.lstrip().startswith(("<", "$$")):
            del out[j + 1 :]
            indent = re.match(r"[ \t]*", before)
            out.append(f"{indent.group(0) if indent else ''}{{: #{name} }}")
            marked.labels.append(Label(name, page, name, "", "paragraph"))
        else:
            marked.labels.append(Label(name, page, "", "", "paragraph"))
    # Table captions d2lbook writes as `:words` right above a table, labelled or not.
    fence = None
    for i, line in enumerate(out):
        if fence is not None:
            fence = None if _closes(line, fence) else fence
            continue
        opened = _FENCE.match(line)
        if opened:
            fence = opened["mark"]
            continue
        caption = _CAPTION.match(line)
        if caption is None or _REF.match(line):
            continue
        k = i + 1
        while k < len(out) and not out[k].strip():
            k += 1
        if k < len(out) and out[k].lstrip().startswith("|"):
            out[i] = f"\0{caption['text'].strip()}"
    numbers = _number(out, number, names)
    marked.labels = [
        replace(label, text=numbers[label.anchor])
        if label.anchor in numbers and label.kind in ("figure", "table")
        else label
        for label in marked.labels
    ]
    marked.text = "\n".join(out)
    return marked


def _number(out: list[str], number: str, names: Mapping[str, str]) -> dict[str, str]:
    """Figures and captioned tables numbered as Sphinx does in a numbered part
    (``图3.1.2``, the caption saying it too); returns id -> that number."""
    found: dict[str, str] = {}
    fence: str | None = None
    figures = tables = 0
    for i, line in enumerate(out):
        opened = _FENCE.match(line)
        if fence is not None:
            fence = None if _closes(line, fence) else fence
            continue
        if opened:
            fence = opened["mark"]
            continue
        if line.startswith("\0"):
            words, _, rest = line[1:].partition("\n")
            tables += 1
            shown = names["table"].replace("%s", f"{number}.{tables}") if number else ""
            out[i] = f"*{shown + ' ' if shown else ''}{words}*" + (f"\n{rest}" if rest else "")
            ident = re.search(r"\{: #(\S+) \}", rest)
            if ident and shown:
                found[ident[1]] = shown
            continue
        image = _IMAGE.match(line)
        if image is None or not image["alt"].strip() or not number:
            continue
        figures += 1
        shown = names["figure"].replace("%s", f"{number}.{figures}")
        out[i] = _image(line, {"title": f"{shown} {image['alt']}"}) or line
        ident = re.search(r"#(\S+)", image["attrs"] or "")
        if ident:
            found[ident[1]] = shown
    return found


# -- bibliography ----------------------------------------------------------------------

_ENTRY = re.compile(r"@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,")


def _braced(text: str, start: int) -> tuple[str, int]:
    depth, i = 0, start
    while i < len(text):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : i], i + 1
        i += 1
    return text[start + 1 :], len(text)


def _clean(value: str) -> str:
    value = re.sub(r"\\[`'\"^~=.]\{?(\w)\}?", r"\1", value)
    value = re.sub(r"\\[a-zA-Z]+\s*", "", value) if "$" not in value else value
    return re.sub(r"\s+", " ", value.replace("{", "").replace("}", "")).strip()


def parse_bib(text: str) -> dict[str, Reference]:
    """The entries of a BibTeX file, by key (``@comment``/``@string`` left out)."""
    found: dict[str, Reference] = {}
    for match in _ENTRY.finditer(text):
        if match["type"].lower() in ("comment", "string", "preamble"):
            continue
        fields: dict[str, str] = {}
        i = match.end()
        while i < len(text):
            pair = re.compile(r"\s*(?P<name>[\w-]+)\s*=\s*").match(text, i)
            if pair is None:
                break
            i = pair.end()
            if i < len(text) and text[i] == "{":
                value, i = _braced(text, i)
            elif i < len(text) and text[i] == '"':
                end = text.find('"', i + 1)
                end = len(text) if end < 0 else end
                value, i = text[i + 1 : end], end + 1
            else:
                bare = re.compile(r"[^,}\s]*").match(text, i)
                value = bare.group(0) if bare else ""
                i = bare.end() if bare else i
            fields[pair["name"].lower()] = value
            comma = re.compile(r"\s*,").match(text, i)
            if comma is None:
                break
            i = comma.end()
        people = [p.strip() for p in re.split(r"\s+and\s+", fields.get("author", "")) if p.strip()]
        family = tuple(_clean(p.split(",", 1)[0] if "," in p else p.split()[-1]) for p in people)
        venue = next(
            (fields[k] for k in ("journal", "booktitle", "publisher", "school") if fields.get(k)),
            "",
        )
        found[match["key"]] = Reference(
            match["key"],
            family,
            _clean(fields.get("year", "")),
            _clean(fields.get("title", "")),
            _clean(venue),
            ", ".join(_clean(_forward(p)) for p in people),
        )
    return found


def _forward(person: str) -> str:
    """``Smola, Alexander J`` as a reader writes it: ``Alexander J Smola``."""
    family, _, given = person.partition(",")
    return f"{given.strip()} {family.strip()}".strip() if given.strip() else family.strip()


def short(ref: Reference, textual: bool = False) -> str:
    """How a citation reads: ``Russell and Norvig, 2016``, ``Vaswani et al., 2017``;
    ``textual`` (``:citet:``), as a sentence names it: ``Vaswani et al. (2017)``."""
    names = ref.authors
    if not names:
        who = ref.key
    elif len(names) == 1:
        who = names[0]
    elif len(names) == 2:
        who = f"{names[0]} and {names[1]}"
    else:
        who = f"{names[0]} et al."
    if textual:
        return f"{who} ({ref.year})" if ref.year else who
    return f"{who}, {ref.year}" if ref.year else who


def _escape(words: str) -> str:
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", words)


def references(entries: Mapping[str, Reference], cited: Sequence[str]) -> str:
    """The references page's list: the cited entries (every entry when none is),
    by author and year, each a paragraph the citations link to by its key."""
    keys = [k for k in cited if k in entries] or sorted(entries)
    ordered = sorted(keys, key=lambda k: (entries[k].authors[:1], entries[k].year, k))
    out = []
    for key in ordered:
        ref = entries[key]
        parts = [_escape(ref.names or ref.key)]
        parts.append(f"({ref.year})." if ref.year else "")
        if ref.title:
            parts.append(_escape(ref.title.rstrip(".")) + ".")
        if ref.venue:
            parts.append(f"*{_escape(ref.venue)}*.")
        out.append(" ".join(p for p in parts if p) + f"\n{{: #{key} }}")
    return "\n\n".join(out)


# -- code cells and tabs ---------------------------------------------------------------


@dataclass(slots=True)
class _Item:
    lines: list[str]
    tabs: frozenset[str] | None = None  # None: not a tab item; {"all"}: every tab


def _tabs_of(words: str) -> frozenset[str]:
    names = frozenset(w.strip() for w in re.split(r"[,\s]+", words) if w.strip())
    return frozenset({ALL}) if ALL in names else names


def _rst(lines: Sequence[str], problems: list[str]) -> list[str]:
    """An ```eval_rst block as Markdown where it is simple (headings, ``.. only:: html``,
    ``.. image::``); Sphinx directives only d2lbook's build runs are left out."""
    out: list[str] = []
    dropped: list[str] = []
    text = [line.rstrip() for line in lines]
    indent = min((len(x) - len(x.lstrip()) for x in text if x.strip()), default=0)
    text = [x[indent:] for x in text]
    i = 0
    while i < len(text):
        line = text[i]
        directive = re.match(r"^\.\.\s+(?P<name>[\w:-]+)::\s*(?P<arg>.*)$", line)
        if directive:
            body = []
            i += 1
            while i < len(text) and (not text[i].strip() or text[i].startswith((" ", "\t"))):
                body.append(text[i])
                i += 1
            name = directive["name"]
            if name == "only":
                out.extend(_rst([b for b in body if not b.strip().startswith(":")], problems))
            elif name in ("image", "figure"):
                out.append(f"![]({directive['arg'].strip()})")
            else:
                dropped.append(f".. {name}:: {directive['arg'].strip()}".strip())
            continue
        if line.strip() and i + 1 < len(text) and re.match(r"^([=\-~^*#])\1{2,}$", text[i + 1]):
            level = 1 if text[i + 1][0] == "=" else 2
            out.append("#" * level + " " + line.strip())
            i += 2
            continue
        if not line.startswith(".."):
            out.append(line)
        i += 1
    if dropped:
        named = list(dict.fromkeys(dropped))
        more = f" and {len(named) - 3} more" if len(named) > 3 else ""
        problems.append(
            f"an eval_rst block ({', '.join(named[:3])}{more}) is Sphinx, which only "
            "d2lbook's build runs; left out"
        )
    return out


def _output_text(content: Sequence[str]) -> list[str] | None:
    """The text a saved output cell (notedown's ``{.json .output}``: a JSON list of
    outputs) shows; its lines as written when it is not that JSON; None when empty."""
    try:
        outputs = json.loads("\n".join(content))
    except ValueError:
        return list(content) if any(c.strip() for c in content) else None
    texts: list[str] = []
    for output in outputs if isinstance(outputs, list) else [outputs]:
        if not isinstance(output, dict):
            continue
        data = output.get("data")
        text = output.get("text")
        if text is None and isinstance(data, dict):
            text = data.get("text/plain")
        if isinstance(text, list):
            text = "".join(str(t) for t in text)
        if isinstance(text, str) and text.strip():
            texts.append(text.rstrip("\n"))
    return "\n".join(texts).split("\n") if texts else None


def _cells(
    text: str,
    tabs: Sequence[str],
    toc: Callable[[str], list[str]],
    problems: list[str],
) -> list[_Item]:
    items: list[_Item] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        opened = _FENCE.match(line)
        begin = _BEGIN_TAB.match(line)
        if begin:
            inner: list[str] = []
            i += 1
            while i < len(lines) and not _END_TAB.match(lines[i]):
                inner.append(lines[i])
                i += 1
            i += 1
            body: list[str] = []
            for item in _cells("\n".join(inner), (), toc, problems):
                body.extend(item.lines)
            while body and not body[0].strip():
                body.pop(0)
            while body and not body[-1].strip():
                body.pop()
            items.append(_Item(body, _tabs_of(begin["tabs"])))
            continue
        if opened is None:
            items.append(_Item([line]))
            i += 1
            continue
        mark, info = opened["mark"], opened["info"]
        content: list[str] = []
        i += 1
        while i < len(lines):
            if _closes(lines[i], mark):
                break
            content.append(lines[i])
            i += 1
        i += 1
        if info == "toc":
            items.append(_Item(toc("\n".join([line, *content, mark]))))
            continue
        if info.startswith("eval_rst"):
            items.append(_Item(_rst(content, problems)))
            continue
        classes = re.findall(r"\.([\w+#-]+)", info) if info.startswith("{") else []
        first_line = next((c for c in content if c.strip()), "")
        if info == "python" and _TAB_LINE.match(first_line):  # a ```python cell with #@tab
            classes = ["python", "input"]
        if not classes:
            items.append(_Item([line, *content, opened["indent"] + mark]))
            continue
        language = next((c for c in classes if c not in ("input", "output")), "text")
        fence = opened["indent"] + mark
        if "input" in classes and _BUILD_ONLY.search("\n".join(content)):
            continue
        if "output" in classes:  # a notebook's saved output: its text, as the book shows it
            shown = _output_text(content)
            if shown is not None:
                items.append(_Item([fence + "text", *shown, fence]))
            continue
        if "input" in classes and tabs:
            chosen = frozenset({tabs[0]})
            first = next((k for k, c in enumerate(content) if c.strip()), None)
            if first is not None:
                tab = _TAB_LINE.match(content[first])
                if tab:
                    chosen = _tabs_of(tab["tabs"])
                    content = content[:first] + content[first + 1 :]
            items.append(_Item([fence + language, *content, fence], chosen))
        else:
            if "input" in classes:
                content = [c for c in content if not _TAB_LINE.match(c)]
            items.append(_Item([fence + language, *content, fence]))
    return items


def tabbed(
    text: str,
    tabs: Sequence[str],
    toc: Callable[[str], list[str]] = lambda block: block.split("\n"),
) -> tuple[str, list[str]]:
    """Code cells (```{.python .input}) as plain fences and the framework cells and
    ``:begin_tab:`` texts next to each other as one set of content tabs
    (``=== "pytorch"``), so a reader picks a framework; ```toc blocks through ``toc``;
    ```eval_rst converted where simple. Returns the text and what was left out."""
    problems: list[str] = []
    items = _cells(text, tabs, toc, problems)
    out: list[str] = []
    i = 0
    while i < len(items):
        if items[i].tabs is None:
            out.extend(items[i].lines)
            i += 1
            continue
        group = [items[i]]
        k = i + 1
        last = i
        while k < len(items):
            if items[k].tabs is not None:
                group.append(items[k])
                last = k
            elif any(x.strip() for x in items[k].lines):
                break
            k += 1
        i = last + 1
        named = [t for t in tabs if any(t in g.tabs for g in group if g.tabs)]
        extra = sorted({t for g in group if g.tabs for t in g.tabs} - {ALL} - set(tabs))
        order = named + extra
        if not order:  # every cell is for every framework: no tabs to pick from
            for g in group:
                out.extend([*g.lines, ""])
            continue
        for tab in order:
            out.extend([f'=== "{tab}"', ""])
            for g in group:
                if g.tabs is not None and (tab in g.tabs or ALL in g.tabs):
                    out.extend(["    " + x if x.strip() else "" for x in g.lines])
                    out.append("")
    return "\n".join(out), problems


# -- references ------------------------------------------------------------------------


def _link(here: str, page: str, anchor: str) -> str:
    if page == here:
        return f"#{anchor}" if anchor else ""
    path = posixpath.relpath(page, posixpath.dirname(here) or ".")
    return path + (f"#{anchor}" if anchor else "")


def refs(
    here: str,
    text: str,
    labels: Mapping[str, Label],
    titles: Mapping[str, str],
    bib: Mapping[str, Reference],
    bib_page: str | None,
) -> tuple[str, list[str]]:
    """``:numref:``/``:ref:`` as links with the section title or caption, ``:eqref:`` as
    ``(n)`` links, ``:cite:`` as ``(Author, year)`` links to the references page."""
    problems: list[str] = []

    def one(match: re.Match[str]) -> str:
        role, arg = match["role"], match["arg"].strip()
        if role.startswith("cite"):
            textual = role == "citet"
            shown = []
            for key in [k.strip() for k in arg.split(",") if k.strip()]:
                ref = bib.get(key)
                if ref is None:
                    problems.append(f"citation {key}: not in the book's .bib; kept as text")
                    shown.append(key)
                elif bib_page:
                    words = _escape(short(ref, textual))
                    shown.append(f"[{words}]({_link(here, bib_page, key)})")
                else:
                    shown.append(_escape(short(ref, textual)))
            if textual or not shown:
                return "; ".join(shown)
            return "(" + "; ".join(shown) + ")"
        custom = re.match(r"^(?P<text>.*?)\s*<(?P<name>[^<>]+)>$", arg)
        name = custom["name"].strip() if custom else arg
        label = labels.get(name)
        if label is None:
            problems.append(f":{role}:`{name}`: no such label in the book; kept as text")
            return f"`{name}`"
        words = label.text or titles.get(label.page, name)
        if custom and custom["text"] and "%s" not in custom["text"]:
            words = _plain(custom["text"])
        target = _link(here, label.page, label.anchor)
        return f"[{words}]({target})" if target else words

    def change(part: str) -> str:
        return _PY_ROLE.sub(lambda m: f"`{m['arg']}`", _REF.sub(one, part))

    out = [text_ if is_code else change(text_) for is_code, text_ in prose_blocks(text)]
    return "".join(out), problems


# -- the book --------------------------------------------------------------------------


def book_notes(
    notes: list[str],
    texts: Mapping[str, str],
    config: dict[str, Any],
    read: Callable[[str], str | None],
) -> tuple[list[str], list[Skipped]]:
    """The book's notes (without the files ``config.ini`` excludes and the root
    ``index.md``, the book's table of contents); what was left out and why. Fills
    ``config`` with the reading order, titles, labels and bibliography."""
    texts = {p: t.replace("\r\n", "\n").replace("\r", "\n") for p, t in texts.items()}
    skipped: list[Skipped] = []
    kept: list[str] = []
    base = config.get("source_dir", "")
    index = posixpath.join(base, config.get("index", "index.md"))
    sources = config.get("sources", ["**/*.md"])
    for path in notes:
        inner = posixpath.relpath(path, base) if base else path
        hit = next((p for p in config.get("exclusions", []) if glob_match(inner, p)), None)
        if hit:
            why = f"left out by config.ini's exclusions ({hit}); not a note"
            skipped.append(Skipped(path, why))
        elif not any(glob_match(inner, p) for p in sources):
            listed = " ".join(sources)
            why = f"not in config.ini's notebooks ({listed}): not part of the book; not imported"
            skipped.append(Skipped(path, why))
        elif path == index and toc_entries(texts[path]):
            why = "the book's front page: its ```toc blocks give the chapters and their order"
            skipped.append(Skipped(path, why + "; not a note"))
        else:
            kept.append(path)
    titles = {p: title_of(texts[p]) or "" for p in notes}
    for path in kept:
        if not titles[path]:  # the references page is titled in its eval_rst block
            heading = re.search(r"^[ \t]*(\S[^\n]*)\n[ \t]*={3,}[ \t]*$", texts[path], re.M)
            titles[path] = heading[1].strip() if heading else ""
    found = places(texts, titles, index)
    labels: dict[str, Label] = {}
    cited: dict[str, None] = {}
    bib_page, bib_path = None, ""
    # In reading order, so a label given twice names the page a reader meets first.
    for path in sorted(kept, key=lambda p: (found[p].order if p in found else len(found) + 1, p)):
        number = found[path].number if path in found else ""
        marked = mark_labels(path, prepared(texts[path]), number, config.get("numfig"))
        for label in marked.labels:
            labels.setdefault(label.name, label)
        for match in _REF.finditer(texts[path]):
            if match["role"].startswith("cite"):
                cited.update((k.strip(), None) for k in match["arg"].split(",") if k.strip())
        where = _BIBLIOGRAPHY.search(texts[path])
        if where and bib_page is None:
            bib_page = path
            bib_path = posixpath.normpath(
                posixpath.join(posixpath.dirname(path), where["arg"].strip())
            )
    bib_text = read(bib_path) if bib_path else None
    if bib_text is None and config.get("bibfile"):
        bib_path = config["bibfile"]  # relative to the project, as config.ini's paths are
        bib_text = read(bib_path)
    config["unused_reasons"] = {
        "config.ini": "the book's configuration, read for its title, tabs and files; not a note"
    }
    if bib_text is not None:
        config["unused_reasons"][bib_path] = (
            "the book's bibliography, read for its references page; not a note"
        )
    if not config.get("book_title") and index in texts:  # no title in config.ini
        config["book_title"] = title_of(texts[index]) or None
    config["d2l_titles"] = titles
    config["d2l_places"] = found
    config["d2l_labels"] = labels
    config["d2l_bib"] = parse_bib(bib_text) if bib_text else {}
    config["d2l_bib_page"] = bib_page
    config["d2l_cited"] = list(cited)
    return kept, skipped


def old_url(relative: str) -> str:
    """Where d2lbook served a page: ``chapter_x/y.md`` at ``/chapter_x/y.html``."""
    return "/" + posixpath.splitext(relative)[0] + ".html"


def read_section(
    tree: Tree,
    note: Note,
    meta: dict[str, Any],
    relative: str,
    base: Callable[[Tree, Note, dict[str, Any], str], None],
) -> None:
    """One page of the book ``tree``: labels, tabs and references made the site's own,
    then read by ``base`` (title, date), then filed by the ```toc trees."""
    config = tree.config
    titles: Mapping[str, str] = config.get("d2l_titles", {})
    found: Mapping[str, Place] = config.get("d2l_places", {})
    place = found.get(note.source)
    body = note.body
    # A title underlined with === is the page's `# ` heading.
    body = re.sub(r"\A\s*([^\n#:`][^\n]*)\n=+[ \t]*\n", r"# \1\n", body)
    number = place.number if place else ""
    marked = mark_labels(note.source, prepared(body), number, config.get("numfig"))
    note.notes.extend(marked.problems)

    def toc(block: str) -> list[str]:
        lines = []
        for entries in toc_entries(block):
            for entry, _ in entries:
                for target in targets(note.source, entry, tree.texts):
                    title = titles.get(target)
                    if target in tree.texts and title:
                        link = posixpath.relpath(target, posixpath.dirname(note.source) or ".")
                        lines.append(f"- [{_plain(title)}]({link})")
                    else:
                        note.notes.append(
                            f"```toc entry {entry}: no such page in the book; left out"
                        )
        return lines

    bib: Mapping[str, Reference] = config.get("d2l_bib", {})
    bib_page = config.get("d2l_bib_page")
    labels = config.get("d2l_labels", {})
    body, problems = refs(note.source, marked.text, labels, titles, bib, bib_page)
    note.notes.extend(dict.fromkeys(problems))
    body, problems = tabbed(body, config.get("tabs", []), toc)
    note.notes.extend(dict.fromkeys(problems))
    if _BIBLIOGRAPHY.search(body):
        if bib:
            listed = references(bib, config.get("d2l_cited", []))
            body = _BIBLIOGRAPHY.sub(lambda _: listed, body, count=1)
        else:
            note.notes.append(":bibliography: names no .bib the book has; left out")
            body = _BIBLIOGRAPHY.sub("", body)
    note.body = body
    base(tree, note, meta, relative)
    if place is not None:
        if not meta.get("category") and not meta.get("categories"):
            note.category = "/".join(c.replace("/", "-") for c in place.category) or None
        note.series = config.get("book_title") or note.series
        note.series_order = place.order
    elif found:
        # A page no toc names is filed with its folder's chapter, when the folder has one.
        chapter = found.get(posixpath.join(posixpath.dirname(note.source), "index.md"))
        if chapter is not None and not meta.get("category") and not meta.get("categories"):
            note.category = "/".join(c.replace("/", "-") for c in chapter.category) or None
        note.notes.append("not in the book's ```toc trees; imported all the same")
    labels = config.get("d2l_labels", {})
    for label in marked.labels:
        first = labels.get(label.name)
        if first is not None and first.page != note.source:
            note.notes.append(
                f":label:`{label.name}` is also given in {first.page}; references lead there"
            )
    if not note.draft:
        note.aliases.append(old_url(relative))
