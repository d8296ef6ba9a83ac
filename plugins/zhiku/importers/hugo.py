"""The block shortcodes of Hugo's note themes as Markdown the build renders.

Chinese Hugo blogs and notes mostly run on LoveIt, DoIt, FixIt or hugo-book, whose
shortcodes wrap text::

    {{< admonition tip "小技巧" >}}
    学习率先大后小。
    {{< /admonition >}}

    {{< tabs "install" >}}
    {{< tab "pip" >}} ```bash … ``` {{< /tab >}}
    {{< /tabs >}}

:func:`block_shortcodes` turns admonitions and hints into the theme's admonitions,
``details``/``expand`` into folded ones, ``tabs`` into content tabs, ``mermaid`` into a
diagram, ``katex`` into a formula, ``columns`` and ``style`` into their text, and the
video shortcodes into links. Fenced code inside moves with its block.
"""

from __future__ import annotations

import re
import shlex

from zhiku.importers.markup import VIDEO_URLS, around_code

# Admonition kinds Material draws; the themes' others map onto them.
_KINDS = {
    "note",
    "abstract",
    "info",
    "tip",
    "success",
    "question",
    "warning",
    "failure",
    "danger",
    "bug",
    "example",
    "quote",
}
_ALIASES = {
    "summary": "abstract",
    "tldr": "abstract",
    "hint": "tip",
    "important": "warning",
    "caution": "warning",
    "error": "danger",
    "check": "success",
    "done": "success",
    "fail": "failure",
    "faq": "question",
    "help": "question",
    "cite": "quote",
    "attention": "warning",
    "primary": "note",
    "default": "note",
}
_BLOCKS = (
    "admonition",
    "hint",
    "notice",
    "alert",
    "callout",
    "details",
    "expand",
    "tabs",
    "tab",
    "mermaid",
    "katex",
    "columns",
    "style",
    "center",
)
_OPEN = re.compile(
    r"\{\{[<%]\s*(?P<name>" + "|".join(_BLOCKS) + r")\b(?P<args>(?:[^}]|\}(?!\}))*?)\s*[>%]\}\}"
)
_VIDEO = re.compile(
    r"\{\{[<%]\s*(?P<name>bilibili|youtube|vimeo)\s+(?:id=)?\"?(?P<id>[\w-]+)\"?[^}]*[>%]\}\}"
)


def _words(args: str) -> tuple[list[str], dict[str, str]]:
    """A shortcode's positional and named arguments."""
    try:
        parts = shlex.split(args)
    except ValueError:
        parts = args.split()
    named = {}
    positional = []
    for part in parts:
        key, eq, value = part.partition("=")
        if eq and re.fullmatch(r"[\w-]+", key):
            named[key.lower()] = value
        else:
            positional.append(part)
    return positional, named


def _indent(text: str) -> str:
    return "\n".join("    " + x if x.strip() else "" for x in text.strip("\n").split("\n"))


def _title(value: str) -> str:
    return value.replace('"', "”").strip()


def block_shortcodes(body: str) -> tuple[str, list[str]]:
    """``body`` with the themes' block shortcodes as Markdown, and what was reported."""
    notes: list[str] = []

    def change(text: str) -> str:
        converted = _VIDEO.sub(lambda m: _video(m, notes), _convert(text, notes))
        return re.sub(r"\n{3,}", "\n\n", converted) if converted != text else converted

    return around_code(body, change), notes


def _video(match: re.Match[str], notes: list[str]) -> str:
    notes.append(
        f"{{{{< {match['name']} >}}}}: a link to the video (a page here embeds no other site)"
    )
    return f"[{match['name']}：{match['id']}]({VIDEO_URLS[match['name']].format(match['id'])})"


def _convert(text: str, notes: list[str]) -> str:
    out: list[str] = []
    position = 0
    while True:
        opened = _OPEN.search(text, position)
        if opened is None:
            out.append(text[position:])
            return "".join(out)
        name = opened["name"]
        closing = _closing(text, name, opened.end())
        if closing is None:
            out.append(text[position : opened.end()])
            position = opened.end()
            continue
        out.append(text[position : opened.start()])
        inner = _convert(text[opened.end() : closing.start()], notes)
        out.append(_one(name, opened["args"], inner, notes))
        position = closing.end()


def _closing(text: str, name: str, start: int) -> re.Match[str] | None:
    """The shortcode that closes ``name`` opened before ``start`` (nesting counted)."""
    pattern = re.compile(r"\{\{[<%]\s*(?P<close>/)?\s*" + name + r"\b[^}]*[>%]\}\}")
    depth = 1
    for match in pattern.finditer(text, start):
        depth += -1 if match["close"] else 1
        if depth == 0:
            return match
    return None


def _one(name: str, args: str, inner: str, notes: list[str]) -> str:
    positional, named = _words(args)
    if name in ("admonition", "hint", "notice", "alert", "callout"):
        kind = (named.get("type") or (positional[0] if positional else "note")).lower()
        kind = _ALIASES.get(kind, kind if kind in _KINDS else "note")
        title = named.get("title") or " ".join(positional[1:2])
        folded = named.get("open", positional[2] if len(positional) > 2 else "true")
        mark = "???" if folded.lower() == "false" else "!!!"
        head = f'{mark} {kind} "{_title(title)}"' if title else f"{mark} {kind}"
        return f"\n{head}\n\n{_indent(inner)}\n"
    if name in ("details", "expand"):
        title = named.get("title") or " ".join(positional[:1]) or "展开"
        mark = "???+" if "open" in positional or named.get("open") == "true" else "???"
        return f'\n{mark} note "{_title(title)}"\n\n{_indent(inner)}\n'
    if name == "tabs":
        return inner
    if name == "tab":
        title = named.get("name") or named.get("title") or " ".join(positional[:1]) or "标签"
        return f'\n=== "{_title(title)}"\n\n{_indent(inner)}\n'
    if name == "mermaid":
        return f"\n```mermaid\n{inner.strip(chr(10))}\n```\n"
    if name == "katex":
        tex = inner.strip()
        if re.search(r"\$|\\\(|\\\[", tex):
            return tex
        return f"\n$$\n{tex}\n$$\n" if "display" in positional or "\n" in tex else f"${tex}$"
    if name == "columns":
        return re.sub(r"^\s*<--->\s*$", "", inner, flags=re.M)
    return inner  # style, center: the text itself
