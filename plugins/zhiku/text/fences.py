"""Code fence info strings of other tools, in the form the site's Markdown reads, line for line.

Notes written for VuePress, VitePress, Docusaurus or Hexo put more than a language after
a fence's backticks: highlighted lines (```` ```js{1,4-6} ````), line numbers
(```` ```ts:line-numbers ````, ``showLineNumbers``), a file name (```` ```js [config.js] ````,
``title="config.js"``), or words for their own plugins (```` ```jsx live ````).
pymdownx.superfences reads none of them: it gives up on the fence, and the whole block
becomes one line of inline code. :func:`convert_fences` rewrites each such opening line
into what superfences and pymdownx.highlight do read (``hl_lines="1 4-6"``,
``linenums="1"``, ``title="config.js"``) and drops the words that mean nothing here; a
fence superfences already reads is left as it is. Only opening lines change, each on its
own line, so warnings keep pointing at the right line of the file.
"""

from __future__ import annotations

import re

_OPEN = re.compile(r"^(?P<fence>[ \t]*(?:`{3,}|~{3,}))(?P<info>[^`\n]*)$")
_LANGUAGE = re.compile(r"[ \t]*(?P<lang>[\w+#.-]*)(?P<rest>.*)")
# What superfences reads after the language: key="value" options, an attribute list.
_READ_AS_IS = re.compile(
    r"(?:[ \t]+[\w-]+=(?:\"[^\"]*\"|'[^']*'))*[ \t]*"
    r"(?:\{[ \t]*(?:[.#]|[A-Za-z_][\w-]*=)[^}]*\})?[ \t]*"
)
_TOKEN = re.compile(
    r"\{(?P<lines>[\d,\s-]+)\}"  # {1,4-6}
    r"|:(?P<numbers>line-numbers)(?:=(?P<start>\d+))?"  # :line-numbers=5
    r"|:no-line-numbers"
    r"|\[(?P<label>[^\]\n]+)\]"  # [config.js]
    r"|(?P<key>[\w-]+)=(?:\"(?P<dq>[^\"]*)\"|'(?P<sq>[^']*)'|(?P<bare>[^\s\"']+))"
    r"|(?P<show>showLineNumbers)(?:=(?P<from>\d+))?"
    r"|\S+"  # anything else: a word for another tool's plugin
)
# Options pymdownx.highlight reads on a fence.
_KEPT_OPTIONS = frozenset({"title", "linenums", "hl_lines"})


def convert_fences(text: str) -> str:
    """Rewrite every fence opener of ``text`` (Markdown) whose info string superfences
    would not read. Returns ``text`` itself when none needs it."""
    if "```" not in text and "~~~" not in text:
        return text
    lines = text.split("\n")
    changed = False
    fence: str | None = None
    for i, line in enumerate(lines):
        if fence is not None:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = None
            continue
        opened = _OPEN.match(line)
        if opened is None:
            continue
        mark = opened.group("fence").strip()
        fence = mark
        info = opened.group("info")
        converted = _info(info)
        if converted != info:
            lines[i] = opened.group("fence") + converted
            changed = True
    return "\n".join(lines) if changed else text


def _info(info: str) -> str:
    parts = _LANGUAGE.fullmatch(info)
    assert parts is not None  # the pattern matches any line
    lang, rest = parts.group("lang"), parts.group("rest")
    if _READ_AS_IS.fullmatch(rest):
        return info
    options: dict[str, str] = {}
    for token in _TOKEN.finditer(rest):
        if token.group("lines"):
            ranges = [r.strip() for r in token.group("lines").split(",") if r.strip()]
            options["hl_lines"] = " ".join(ranges)
        elif token.group("numbers") or token.group("show"):
            options["linenums"] = token.group("start") or token.group("from") or "1"
        elif token.group("label"):
            options["title"] = token.group("label").strip()
        elif token.group("key") in _KEPT_OPTIONS:
            value = token.group("dq") or token.group("sq") or token.group("bare") or ""
            options[token.group("key")] = value
    if not lang:
        return ""
    shown = "".join(f' {key}="{value.replace(chr(34), "")}"' for key, value in options.items())
    return lang + shown
