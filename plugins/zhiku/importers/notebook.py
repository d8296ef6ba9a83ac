"""A Jupyter notebook (``.ipynb``) as a Markdown note.

Markdown cells stay Markdown (their ``attachment:`` images become files); code cells
become fences in the kernel's language; what a cell printed follows it as a plain-text
block; figures become image files beside the note; pandas tables become Markdown
tables; LaTeX becomes display math. Nothing of a notebook's HTML or script reaches the
page as live markup.

Outputs are shown plainly, not folded: in a notebook the result under a cell (the plot,
the table, the accuracy printed) is what the cell is there for, and a folded block would
hide the figures a reader came for. Long text outputs are cut instead, with a line that
says so.

Read with :mod:`json`, not ``nbformat``: import needs no validation (real notebooks are
often slightly off the schema: missing cell ids, Colab's extra keys, which nbformat
warns about), the v3 -> v4 upgrade of what is read here is a few lines, and nbformat
would bring jsonschema, fastjsonschema, traitlets and jupyter_core along.

Pure: text in, Markdown and files out (:mod:`zhiku.importers.run` does the I/O).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, unquote

from zhiku.articles.frontmatter import dump_meta
from zhiku.importers.markup import hashes_as_text, headings, outside_code, prose_blocks
from zhiku.text.slug import heading_anchor

SUFFIX = ".ipynb"
# A text output longer than this many lines shows its first HEAD and last TAIL lines.
MAX_LINES = 60
HEAD = 40
TAIL = 10
MAX_LINE = 1000  # characters of one output line (an array printed on one line)
_LANGUAGES = {
    "python2": "python",
    "python3": "python",
    "ipython": "python",
    "ipython3": "python",
    "c++": "cpp",
    "c++11": "cpp",
    "c++14": "cpp",
    "c++17": "cpp",
    "c++20": "cpp",
    "c#": "csharp",
    "f#": "fsharp",
    "octave": "matlab",
}
_IMAGES = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/svg+xml": ".svg"}
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
# An object's default repr (`<matplotlib.lines.Line2D at 0x7f…>`): a memory address, no content.
# IPython's display objects say no more (`<IPython.core.display.Image object>`).
_REPR = re.compile(r"\A\[?(?:<(?:[^<>\n]+ at 0x[0-9a-fA-F]+|[\w.]+ object)>(?:,\s*)?)+\]?\Z")
_WIDGET = "application/vnd.jupyter.widget-view+json"
_ATTACHMENT = re.compile(r"attachment:(?P<name>[^\s)\"'>]+)")
_DATA_URI = re.compile(
    r"data:(?P<mime>image/(?:png|jpeg|gif|svg\+xml));base64,(?P<data>[A-Za-z0-9+/=\s]+)"
)
_TITLE_LINE = re.compile(r"\A#[ \t]+(?P<title>.+?)[ \t]*#*[ \t]*\Z")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t]*#*[ \t]*$", re.M)
_SAME_PAGE = re.compile(r"\]\(#(?P<anchor>[^()\s]+)\)")
_MARKUP_TAG = re.compile(r"<(?=[A-Za-z/!?])")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]$|>#])")


class NotebookError(Exception):
    """A file that is not a notebook import can read: the line at fault and why."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True, slots=True)
class Converted:
    """A notebook as a note: its text (front matter and Markdown), the files its images
    are (paths relative to the notebook's folder -> bytes) and what the report says."""

    text: str
    files: dict[str, bytes] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _source(value: Any) -> str:
    """A cell's source or an output's text: a string or a list of lines."""
    if isinstance(value, list):
        return "".join(str(v) for v in value)
    return value if isinstance(value, str) else ""


def _upgrade_v3(notebook: dict[str, Any]) -> dict[str, Any]:
    """A v3 notebook (worksheets, ``input``, ``pyout``) in the v4 shape read here."""
    cells: list[dict[str, Any]] = []
    sheets = notebook.get("worksheets") or []
    mimes = {
        "text": "text/plain",
        "html": "text/html",
        "latex": "text/latex",
        "markdown": "text/markdown",
        "png": "image/png",
        "jpeg": "image/jpeg",
        "svg": "image/svg+xml",
    }
    for sheet in sheets if isinstance(sheets, list) else []:
        for cell in sheet.get("cells", []) if isinstance(sheet, dict) else []:
            if not isinstance(cell, dict):
                continue
            kind = cell.get("cell_type")
            if kind == "heading":
                level = cell["level"] if isinstance(cell.get("level"), int) else 1
                text = " ".join(_source(cell.get("source")).split())
                cells.append({"cell_type": "markdown", "source": "#" * level + " " + text})
            elif kind == "code":
                outputs = []
                for out in cell.get("outputs", []):
                    if not isinstance(out, dict):
                        continue
                    kind_out = out.get("output_type")
                    if kind_out == "stream":
                        outputs.append(
                            {
                                "output_type": "stream",
                                "name": out.get("stream", "stdout"),
                                "text": out.get("text", ""),
                            }
                        )
                    elif kind_out == "pyerr":
                        outputs.append({**out, "output_type": "error"})
                    elif kind_out in ("pyout", "display_data"):
                        data = {mimes[k]: v for k, v in out.items() if k in mimes}
                        outputs.append({"output_type": "display_data", "data": data})
                cells.append(
                    {"cell_type": "code", "source": cell.get("input", ""), "outputs": outputs}
                )
            elif kind in ("markdown", "raw"):
                cells.append({"cell_type": kind, "source": cell.get("source", "")})
    metadata = _dict(notebook.get("metadata"))
    return {"cells": cells, "metadata": metadata, "nbformat": 4}


def _load(text: str) -> dict[str, Any]:
    if not text.strip():
        raise NotebookError(
            1, "an empty file, not a notebook; save it again in Jupyter or delete it"
        )
    try:
        notebook = json.loads(text)
    except json.JSONDecodeError as err:
        raise NotebookError(
            err.lineno,
            f"not a valid notebook ({err.msg} in its JSON); "
            "open it in Jupyter and save it again, or repair it",
        ) from err
    if not isinstance(notebook, dict) or not ("cells" in notebook or "worksheets" in notebook):
        raise NotebookError(1, "not a Jupyter notebook (no cells); check the file")
    version = notebook.get("nbformat")
    if isinstance(version, int) and version < 3:
        raise NotebookError(
            1, f"nbformat {version} is older than import reads; open and save it in Jupyter"
        )
    if "cells" not in notebook:
        return _upgrade_v3(notebook)
    if not isinstance(notebook["cells"], list):
        raise NotebookError(1, "not a Jupyter notebook (cells is not a list); check the file")
    return notebook


def language_of(metadata: dict[str, Any]) -> str:
    """The fence language of the notebook's code cells: the kernel's language, else
    Python (nearly every notebook's)."""
    found: Any = None
    for key, inner in (("kernelspec", "language"), ("language_info", "name")):
        value = metadata.get(key)
        if isinstance(value, dict) and isinstance(value.get(inner), str) and value[inner]:
            found = value[inner]
            break
    if found is None and isinstance(metadata.get("language"), str):
        found = metadata["language"]
    if not isinstance(found, str):
        return "python"
    name = found.strip().lower()
    name = _LANGUAGES.get(name, name)
    return re.sub(r"[^\w+-]", "", name) or "python"


def _fence(text: str, info: str = "") -> str:
    """``text`` as a fenced block whose fence is longer than any backtick run in it."""
    longest = max((len(m) for m in re.findall(r"`{3,}", text)), default=2)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{info}\n{text.rstrip(chr(10))}\n{ticks}"


def plain_text(text: str) -> tuple[str, int]:
    """Terminal output as a reader sees it: ANSI colours gone, a line rewritten with
    ``\\r`` (a progress bar) shown as it ended, very long outputs cut. Returns the text and
    how many lines were left out."""
    text = _ANSI.sub("", text).replace("\r\n", "\n")
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            parts = [p for p in line.split("\r") if p]
            line = parts[-1] if parts else ""
        line = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", line)
        if len(line) > MAX_LINE:
            line = line[:MAX_LINE] + " …"
        lines.append(line)
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    if len(lines) <= MAX_LINES:
        return "\n".join(lines), 0
    cut = len(lines) - HEAD - TAIL
    shown = [*lines[:HEAD], f"…（此处省略 {cut} 行输出）…", *lines[-TAIL:]]
    return "\n".join(shown), cut


class _Tables(HTMLParser):
    """The tables of an HTML fragment as rows of (text, colspan, rowspan, in the head),
    and the words of its paragraphs outside them (pandas' ``150 rows × 5 columns``)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[tuple[str, int, int, bool]]]] = []
        self._row: list[tuple[str, int, int, bool]] | None = None
        self._cell: list[str] | None = None
        self._span = (1, 1, False)
        self._head = False
        self._skip = 0
        self._open = 0  # tables open around the parser
        self.paragraphs: list[str] = []
        self._para: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._skip += 1
        elif tag == "table":
            self.tables.append([])
            self._open += 1
        elif tag == "p" and not self._open:
            self._para = []
        elif tag == "thead":
            self._head = True
        elif tag == "tr" and self.tables:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            values = dict(attrs)
            self._cell = []
            self._span = (_int(values.get("colspan")), _int(values.get("rowspan")), self._head)
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._skip = max(0, self._skip - 1)
        elif tag == "thead":
            self._head = False
        elif tag == "table":
            self._open = max(0, self._open - 1)
        elif tag == "p" and self._para is not None:
            words = " ".join("".join(self._para).split())
            if words:
                self.paragraphs.append(words)
            self._para = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append((" ".join("".join(self._cell).split()), *self._span))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            self.tables[-1].append(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._para is not None:
            self._para.append(data)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 1000))
    except ValueError:
        return 1


def _cell_text(text: str) -> str:
    """A table cell's words, every Markdown and HTML sign escaped (they are data)."""
    return _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


def html_tables(html: str) -> list[str]:
    """The ``<table>`` elements of an HTML output (a pandas DataFrame's) as Markdown
    tables: header rows merged, column and row spans filled out; the lines pandas writes
    under a table (``150 rows × 5 columns``) after them. Nothing else is kept."""
    parser = _Tables()
    parser.feed(html)
    parser.close()
    out = []
    for rows in parser.tables:
        grid: list[list[str]] = []
        heads: list[bool] = []
        pending: dict[int, int] = {}  # column -> rows a rowspan still covers
        for row in rows:
            line: list[str] = []
            column = 0
            cells = iter(row)
            head = bool(row) and all(cell[3] or False for cell in row)
            for text, colspan, rowspan, _ in cells:
                while pending.get(column, 0) > 0:
                    pending[column] -= 1
                    line.append("")
                    column += 1
                for k in range(colspan):
                    line.append(text)
                    if rowspan > 1:
                        pending[column + k] = rowspan - 1
                column += colspan
            while pending.get(column, 0) > 0:
                pending[column] -= 1
                line.append("")
                column += 1
            grid.append(line)
            heads.append(head)
        if not grid:
            continue
        width = max(len(r) for r in grid)
        grid = [r + [""] * (width - len(r)) for r in grid]
        count = 0
        while count < len(grid) - 1 and heads[count]:
            count += 1
        count = count or 1  # no <thead>: the first row is the header
        header = []
        for column in range(width):
            parts: list[str] = []
            for r in grid[:count]:
                if r[column] and (not parts or parts[-1] != r[column]):
                    parts.append(r[column])
            header.append(" ".join(parts))
        lines = [
            "| " + " | ".join(_cell_text(h) for h in header) + " |",
            "|" + "|".join(["---"] * width) + "|",
        ]
        for r in grid[count:]:
            lines.append("| " + " | ".join(_cell_text(c) for c in r) + " |")
        out.append("\n".join(lines))
    if out:
        out.extend(_cell_text(words) for words in parser.paragraphs)
    return out


def _latex(text: str) -> str:
    """LaTeX output as display math."""
    text = text.strip()
    if text.startswith("$$") and text.endswith("$$") and len(text) > 4:
        text = text[2:-2].strip()
    elif text.startswith("$") and text.endswith("$") and len(text) > 2:
        text = text[1:-1].strip()
    if text.startswith("\\begin{") or (text.startswith("\\[") and text.endswith("\\]")):
        return text
    return f"$$\n{text}\n$$"


def _safe_markdown(text: str) -> str:
    """Markdown an output printed: its HTML shown as text, never live."""
    return outside_code(text, lambda part: _MARKUP_TAG.sub("&lt;", part))


@dataclass(slots=True)
class _Writer:
    """The note being written: blocks of Markdown, image files, report notes."""

    folder: str  # the virtual folder of the notebook's files, relative to its own folder
    blocks: list[str] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    cuts: list[int] = field(default_factory=list)  # lines left out of each long output

    def file(self, name: str, data: bytes) -> str:
        """The link to the image ``name`` holding ``data``, relative to the notebook."""
        path = f"{self.folder}/{name}"
        stem, dot, ext = name.rpartition(".")
        n = 2
        while path in self.files and self.files[path] != data:
            path = f"{self.folder}/{stem}-{n}{dot}{ext}"
            n += 1
        self.files[path] = data
        return quote(path)

    def leave_out(self, what: str) -> None:
        self.left_out[what] = self.left_out.get(what, 0) + 1


def _decode_image(mime: str, value: Any) -> bytes | None:
    raw = _source(value)
    if mime == "image/svg+xml":
        return raw.encode("utf-8") if raw.strip() else None
    try:
        return base64.b64decode("".join(raw.split()), validate=True) or None
    except (binascii.Error, ValueError):
        return None


def _image(writer: _Writer, mime: str, value: Any, name: str, meta: Any, alt: str) -> str | None:
    data = _decode_image(mime, value)
    if data is None:
        writer.leave_out(f"an {mime} output that is not valid base64")
        return None
    link = writer.file(name + _IMAGES[mime], data)
    size = meta.get(mime) if isinstance(meta, dict) else None
    width = size.get("width") if isinstance(size, dict) else None
    shown = f"![{alt}]({link})"
    if isinstance(width, int | float) and not isinstance(width, bool) and width > 0:
        shown += f'{{ width="{int(width)}" }}'
    return shown


def _rich(writer: _Writer, output: dict[str, Any], name: str, alt: str) -> str | None:
    """One ``execute_result``/``display_data`` output as Markdown, by what it holds:
    a table, Markdown, LaTeX, an image, else its plain text."""
    data = output.get("data")
    if not isinstance(data, dict):
        return None
    if _WIDGET in data:  # tqdm's progress bar, a slider: live in Jupyter, empty on a page
        writer.leave_out("an interactive widget (ipywidgets)")
        return None
    html = _source(data.get("text/html"))
    if html:
        tables = html_tables(html)
        if tables:
            return "\n\n".join(tables)
    if _source(data.get("text/markdown")).strip():
        return _safe_markdown(_source(data["text/markdown"]).strip())
    if _source(data.get("text/latex")).strip():
        return _latex(_source(data["text/latex"]))
    for mime in ("image/svg+xml", "image/png", "image/jpeg", "image/gif"):
        if mime in data:
            return _image(writer, mime, data[mime], name, output.get("metadata"), alt)
    plain = _source(data.get("text/plain"))
    if plain.strip():
        if _REPR.match(plain.strip()):
            writer.leave_out("an object's repr (<… at 0x…>, <… object>)")
            return None
        return _text_block(writer, plain)
    kinds = sorted(k for k in data if isinstance(k, str))
    if kinds:
        writer.leave_out(f"an output of type {', '.join(kinds)} (no text or image form)")
    return None


def _text_block(writer: _Writer, text: str, label: str = "输出") -> str | None:
    """Text a cell printed, as a block titled ``label`` (Material's code block title), so
    that it does not read as more code."""
    shown, cut = plain_text(text)
    if not shown.strip():
        return None
    if cut:
        writer.cuts.append(cut)
    return _fence(shown, f'text title="{label}"')


def _outputs(writer: _Writer, outputs: Any, number: int) -> list[str]:
    blocks: list[str] = []
    stream: list[str] = []
    images = 0

    def flush() -> None:
        if stream:
            block = _text_block(writer, "".join(stream))
            if block:
                blocks.append(block)
            stream.clear()

    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict):
            continue
        kind = output.get("output_type")
        if kind == "stream":
            text = _source(output.get("text"))
            if stream and not stream[-1].endswith("\n"):
                stream.append("\n")
            stream.append(text)
            continue
        flush()
        if kind == "error":
            lines = output.get("traceback")
            text = "\n".join(str(x) for x in lines) if isinstance(lines, list) else ""
            if not text.strip():
                text = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
            block = _text_block(writer, text, "错误")
        elif kind in ("execute_result", "display_data", "pyout"):
            data = output.get("data")
            if isinstance(data, dict) and any(m in data for m in _IMAGES):
                images += 1
            name = f"cell-{number}" if images <= 1 else f"cell-{number}-{images}"
            block = _rich(writer, output, name, f"单元格 {number} 的输出")
        else:
            block = None
        if block:
            blocks.append(block)
    flush()
    return blocks


def _markdown_cell(writer: _Writer, cell: dict[str, Any], number: int) -> str:
    text = _source(cell.get("source"))
    attachments = cell.get("attachments")
    if isinstance(attachments, dict) and attachments:

        def attached(match: re.Match[str]) -> str:
            name = unquote(match["name"])
            bundle = attachments.get(name)
            if not isinstance(bundle, dict):
                writer.notes.append(f"attachment:{name}: the cell has no such attachment")
                return match.group(0)
            for mime, ext in _IMAGES.items():
                if mime in bundle:
                    data = _decode_image(mime, bundle[mime])
                    if data is not None:
                        stem = name.rsplit(".", 1)[0] if "." in name else name
                        return writer.file(f"{stem}{ext}", data)
            writer.notes.append(f"attachment:{name}: not an image import can read")
            return match.group(0)

        text = _ATTACHMENT.sub(attached, text)
    pasted = 0

    def inline(match: re.Match[str]) -> str:
        nonlocal pasted
        data = _decode_image(match["mime"], match["data"])
        if data is None:
            return match.group(0)
        pasted += 1
        return writer.file(f"cell-{number}-pasted-{pasted}{_IMAGES[match['mime']]}", data)

    # Jupyter renders Markdown as CommonMark does: `#1. 数据集` is text, whatever the tree.
    return hashes_as_text(_DATA_URI.sub(inline, text))


def _title(cells: list[dict[str, Any]]) -> str | None:
    """The first Markdown cell's opening ``# `` heading, taken out of that cell."""
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        lines = _source(cell.get("source")).split("\n")
        for i, line in enumerate(lines):
            if not line.strip():
                continue
            match = _TITLE_LINE.match(line.strip())
            if match:
                cell["source"] = "\n".join(lines[i + 1 :])
                return match["title"]
            return None
        return None
    return None


def _metadata_values(metadata: dict[str, Any]) -> dict[str, Any]:
    """What the notebook's own metadata says of the note (title, tags, category, date)."""
    meta: dict[str, Any] = {}
    for key in ("title", "date", "tags", "keywords", "category", "categories", "description"):
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            meta.setdefault("tags" if key == "keywords" else key, value.strip())
        elif isinstance(value, list) and all(isinstance(v, str) for v in value) and value:
            meta.setdefault("tags" if key == "keywords" else key, list(value))
    return meta


def _anchor_key(anchor: str) -> str:
    return unquote(anchor).lstrip("#").strip("-").lower()


def jupyter_anchors(texts: list[str], title: str | None) -> dict[str, str]:
    """Jupyter's anchor of each heading of the Markdown ``texts`` (the heading's text with
    ``-`` for spaces, as a table of contents cell links to it: ``#2.1-创建Tagging函数``),
    folded, -> the anchor the built page gives it (the first of headings alike). A link
    to the heading that became the title leads to the top of the page ("")."""
    table: dict[str, str] = {}
    if title:
        table[_anchor_key(title.replace(" ", "-"))] = ""
    for text in texts:
        for is_code, part in prose_blocks(text):
            if is_code:
                continue
            for match in _HEADING.finditer(part):
                raw = match["text"]
                found = headings("# " + raw)
                plain = found[0][1] if found else raw
                own = found[0][2] if found else None
                for form in (raw, plain):
                    table.setdefault(
                        _anchor_key(form.replace(" ", "-")), own or heading_anchor(plain)
                    )
    return table


def _same_page_links(text: str, table: dict[str, str]) -> str:
    """``text`` with its links to headings by Jupyter's anchors made the page's own."""

    def fit(match: re.Match[str]) -> str:
        ours = table.get(_anchor_key(match["anchor"]))
        return match.group(0) if ours is None else f"](#{ours})"

    return outside_code(text, lambda part: _SAME_PAGE.sub(fit, part))


def _tags(cell: dict[str, Any]) -> set[str]:
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return {str(t).replace("_", "-") for t in tags} if isinstance(tags, list) else set()


def read_notebook(text: str, name: str) -> Converted:
    """The notebook ``text`` (the file named ``name``) as a note. Its image files are
    named under ``<name>.outputs/``, beside it. Raises :class:`NotebookError`."""
    notebook = _load(text)
    metadata = _dict(notebook.get("metadata"))
    cells = [dict(c) for c in notebook["cells"] if isinstance(c, dict)]
    language = language_of(metadata)
    meta = _metadata_values(metadata)
    if "title" not in meta:  # else the opening heading is part of the text
        heading = _title(cells)
        if heading:
            meta["title"] = heading
    writer = _Writer(f"{name}.outputs")
    markdown = [_source(c.get("source")) for c in cells if c.get("cell_type") == "markdown"]
    anchors = jupyter_anchors(markdown, meta.get("title") if "title" not in metadata else None)
    hidden = 0
    for number, cell in enumerate(cells, 1):
        kind = cell.get("cell_type")
        tags = _tags(cell)
        if "remove-cell" in tags:
            hidden += 1
            continue
        if kind == "markdown":
            block = _same_page_links(_markdown_cell(writer, cell, number), anchors).strip("\n")
            if block.strip():
                writer.blocks.append(block)
        elif kind == "code":
            source = _source(cell.get("source")).strip("\n")
            if source.strip() and "remove-input" not in tags:
                writer.blocks.append(_fence(source, language))
            if "remove-output" not in tags:
                writer.blocks.extend(_outputs(writer, cell.get("outputs"), number))
        elif kind == "raw":
            _raw(writer, cell)
    if hidden:
        cells_word = "cell" if hidden == 1 else "cells"
        writer.notes.append(f"{hidden} {cells_word} tagged remove-cell left out")
    if len(writer.cuts) == 1:
        writer.notes.append(f"a long output cut: {writer.cuts[0]} lines left out")
    elif writer.cuts:
        total = sum(writer.cuts)
        writer.notes.append(f"{len(writer.cuts)} long outputs cut: {total} lines left out")
    for what, count in sorted(writer.left_out.items()):
        writer.notes.append(f"{what} left out" + (f" ({count} times)" if count > 1 else ""))
    body = "\n\n".join(writer.blocks)
    return Converted(dump_meta(meta, body), writer.files, tuple(writer.notes))


def pasted_images(text: str, name: str) -> tuple[str, dict[str, bytes]]:
    """``text`` of the Markdown note named ``name`` with its pasted images
    (``![](data:image/png;base64,…)``, as Typora, Jupyter's Markdown export and web
    clippers write them) as links to image files named under ``<name>.images/``, and
    those files' bytes: a note of pasted figures is megabytes of base64 that search,
    excerpts and the page-size limit should never see."""
    if "data:image/" not in text:
        return text, {}
    writer = _Writer(f"{name}.images")
    count = 0

    def pasted(match: re.Match[str]) -> str:
        nonlocal count
        data = _decode_image(match["mime"], match["data"])
        if data is None:
            return match.group(0)
        count += 1
        return writer.file(f"pasted-{count}{_IMAGES[match['mime']]}", data)

    return _DATA_URI.sub(pasted, text), writer.files


def _raw(writer: _Writer, cell: dict[str, Any]) -> None:
    """A raw cell: LaTeX as display math, Markdown as Markdown, anything else (meant for
    one nbconvert format, reStructuredText, HTML) left out and reported."""
    text = _source(cell.get("source")).strip()
    if not text:
        return
    metadata = _dict(cell.get("metadata"))
    mime = str(metadata.get("raw_mimetype") or metadata.get("format") or "").lower()
    if mime in ("text/latex", "latex"):
        writer.blocks.append(_latex(text))
    elif mime in ("text/markdown", "markdown"):
        writer.blocks.append(text)
    else:
        writer.notes.append(f"a raw cell ({mime or 'no format'}) left out: {_brief(text)}")


def _brief(text: str) -> str:
    words = " ".join(text.split())
    return words[:40] + ("…" if len(words) > 40 else "")
