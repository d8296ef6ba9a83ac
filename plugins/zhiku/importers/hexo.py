"""Hexo's tag plugins (``{% note %}``, ``{% codeblock %}``, ``{% asset_img %}``…) as Markdown."""

from __future__ import annotations

import re
import shlex

from zhiku.importers.markup import prose_blocks

# Hexo's note classes and the admonition type each becomes.
NOTE_TYPES = {
    "default": "note",
    "primary": "note",
    "info": "info",
    "success": "success",
    "warning": "warning",
    "danger": "danger",
    "tip": "tip",
    "note": "note",
    # Butterfly's colours
    "blue": "info",
    "green": "success",
    "yellow": "warning",
    "orange": "warning",
    "red": "danger",
    "purple": "note",
    "pink": "note",
}
# Words of a note tag that set its look (NexT, Butterfly), not its title.
_STYLES = frozenset({"no-icon", "simple", "modern", "flat", "disabled", "label"})
_TAG = re.compile(r"\{%-?\s*(?P<name>\w+)(?P<args>(?:[^%]|%(?!\}))*?)\s*-?%\}")
_BLOCKS = (
    "note",
    "codeblock",
    "code",
    "blockquote",
    "quote",
    "cq",
    "centerquote",
    "raw",
    "tabs",
    "folding",
)


def _args(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def _indent(text: str) -> str:
    return "".join(("    " + line) if line.strip() else line for line in text.splitlines(True))


def _note(args: list[str], inner: str) -> str:
    words = [a for a in args if a not in _STYLES and not re.match(r"fa[bsrl]?\b|fa-", a)]
    kind = NOTE_TYPES.get(words[0], "note") if words else "note"
    title = " ".join(words[1:] if words and words[0] in NOTE_TYPES else words)
    head = f'!!! {kind} "{title}"' if title else f"!!! {kind}"
    return f"{head}\n\n{_indent(inner.strip(chr(10)) + chr(10))}"


def _codeblock(args: list[str], inner: str) -> str:
    lang = ""
    rest = []
    for arg in args:
        if arg.startswith("lang:"):
            lang = arg[5:]
        elif not arg.startswith(("http://", "https://")):
            rest.append(arg)
    if not lang and len(rest) == 1 and re.fullmatch(r"[\w+#.-]+", rest[0]):
        lang = rest[0]
    body = inner.strip("\n")
    fence = "````" if "```" in body else "```"
    return f"{fence}{lang}\n{body}\n{fence}"


def _blockquote(args: list[str], inner: str) -> str:
    lines = ["> " + line if line.strip() else ">" for line in inner.strip("\n").splitlines()]
    by = " ".join(a for a in args if not a.startswith(("http://", "https://")))
    if by:
        lines += [">", f"> —— {by}"]
    return "\n".join(lines)


def _image(args: list[str], folder: str) -> str | None:
    """``asset_img [class] name [width] [height] [title [alt]]`` or ``img`` as an image."""
    if not args:
        return None
    picks = [a for a in args if "." in a or "/" in a]
    if not picks:
        return None
    name = picks[0]
    after = args[args.index(name) + 1 :]
    words = [a for a in after if not re.fullmatch(r"\d+(?:px|%)?", a)]
    text = " ".join(words).replace("[", "").replace("]", "")
    target = (
        name if not folder or name.startswith(("/", "http://", "https://")) else f"{folder}/{name}"
    )
    return f"![{text}]({target.replace(' ', '%20')})"


def convert_tags(body: str, asset_folder: str) -> tuple[str, list[str]]:
    """``body`` with Hexo's tags turned into Markdown; the tags left as text are reported.

    ``asset_folder`` is the post's asset folder relative to the post (``post-name``).
    Nothing inside code is touched; ``{% raw %}`` keeps what it holds as written.
    """
    notes: list[str] = []
    out: list[str] = []
    for is_code, text in prose_blocks(body):
        out.append(text if is_code else _convert(text, asset_folder, notes))
    return "".join(out), notes


def _convert(text: str, folder: str, notes: list[str]) -> str:
    result: list[str] = []
    position = 0
    while True:
        match = _TAG.search(text, position)
        if match is None:
            result.append(text[position:])
            break
        result.append(text[position : match.start()])
        name, args = match["name"], _args(match["args"].strip())
        if name in _BLOCKS:
            end = re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}")
            closing = end.search(text, match.end())
            if closing is None:
                notes.append(f"{{% {name} %}} is never closed; kept as text")
                result.append(match.group(0))
                position = match.end()
                continue
            inner = text[match.end() : closing.start()]
            position = closing.end()
            if name == "raw":
                result.append(inner)
            elif name == "note":
                result.append(_note(args, _convert(inner, folder, notes)))
            elif name in ("codeblock", "code"):
                result.append(_codeblock(args, inner))
            elif name in ("blockquote", "quote", "cq", "centerquote"):
                result.append(_blockquote(args, _convert(inner, folder, notes)))
            else:
                notes.append(f"{{% {name} %}} has no Markdown equivalent; kept its text")
                result.append(_convert(inner, folder, notes))
            continue
        position = match.end()
        if name in ("asset_img", "img"):
            image = _image(args, folder if name == "asset_img" else "")
            if image is not None:
                result.append(image)
                continue
        elif name in ("asset_path", "asset_link") and args:
            target = f"{folder}/{args[0]}" if folder else args[0]
            label = " ".join(args[1:]) or args[0]
            result.append(f"[{label}]({target.replace(' ', '%20')})")
            continue
        elif name == "link" and len(args) >= 2:  # {% link 文字 https://… [external] [title] %}
            url_at = next((n for n, a in enumerate(args) if "://" in a or a.startswith("/")), None)
            if url_at is not None and url_at > 0:
                label = " ".join(args[:url_at]).replace("[", "").replace("]", "")
                result.append(f"[{label}]({args[url_at]})")
                continue
        elif name in ("post_link", "post_path") and args:
            label = " ".join(args[1:]) or args[0]
            result.append(f"[{label}](note-ref:{args[0]})")
            continue
        notes.append(f"{{% {name} %}} is not a tag import knows; kept as text")
        result.append(match.group(0))
    return "".join(result)
