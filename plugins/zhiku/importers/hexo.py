"""Hexo's tag plugins (``{% note %}``, ``{% codeblock %}``, ``{% asset_img %}``…) as Markdown."""

from __future__ import annotations

import re
import shlex

from zhiku.importers.markup import VIDEO_URLS, around_code

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
# Block tags of NexT, Butterfly, Volantis and Fluid that fold their content away.
_FOLDS = ("folding", "fold", "hideToggle", "hideBlock", "details", "collapse")
_BLOCKS = (
    "note",
    "codeblock",
    "code",
    "blockquote",
    "quote",
    "cq",
    "centerquote",
    "pullquote",
    "raw",
    "tabs",
    "mermaid",
    "gallery",
    *_FOLDS,
)
# NexT's and Butterfly's tabs: `<!-- tab 标题 @icon -->` … `<!-- endtab -->`.
_TAB = re.compile(
    r"<!--\s*tab(?:\s+(?P<title>[^@>]*?))?(?:\s*@[^>]*?)?\s*-->(?P<body>.*?)<!--\s*endtab\s*-->",
    re.DOTALL,
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


_COLOUR = re.compile(
    r"red|green|blue|yellow|orange|purple|pink|cyan|gray|grey|default|info|warning|error|success"
)


def _tabs(inner: str, notes: list[str]) -> str:
    """NexT's and Butterfly's ``{% tabs %}`` as content tabs (``=== "标题"``)."""
    tabs = list(_TAB.finditer(inner))
    if not tabs:
        notes.append("{% tabs %} holds no <!-- tab --> parts; kept its text")
        return inner
    out: list[str] = []
    for number, tab in enumerate(tabs, 1):
        title = (tab["title"] or "").strip() or f"标签 {number}"
        title = title.replace('"', "”")
        out.append(f'=== "{title}"\n\n{_indent(tab["body"].strip(chr(10)) + chr(10))}')
    return "\n".join(out)


def _fold(raw: str, inner: str) -> str:
    """A folding tag (``{% folding 标题 %}``, ``{% hideToggle 标题,bg,color %}``) as a
    folded admonition with its title."""
    head, comma, rest = raw.strip().partition(",")
    if comma and all(_COLOUR.fullmatch(w) or w == "open" for w in head.split()):
        words = rest.strip()  # Volantis and Stellar: {% folding cyan open, 标题 %}
    else:
        words = head.strip()  # Butterfly: {% hideToggle 标题,bg,color %}
    parts = [w for w in _args(words) if not _COLOUR.fullmatch(w) and w != "open"]
    title = (" ".join(parts) or "展开").replace('"', "”")
    opened = "???+" if re.search(r"\bopen\b", raw) else "???"
    return f'{opened} note "{title}"\n\n{_indent(inner.strip(chr(10)) + chr(10))}'


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
    Nothing inside code is touched; ``{% raw %}`` keeps what it holds as written. A
    block tag may hold fenced code (``{% tabs %}`` of code samples): the code moves
    with it, indented as its block is.
    """
    notes: list[str] = []
    return around_code(body, lambda text: _convert(text, asset_folder, notes)), notes


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
            elif name in ("blockquote", "quote", "cq", "centerquote", "pullquote"):
                result.append(_blockquote(args, _convert(inner, folder, notes)))
            elif name == "tabs":
                result.append(_tabs(_convert(inner, folder, notes), notes))
            elif name in _FOLDS:
                result.append(_fold(match["args"], _convert(inner, folder, notes)))
            elif name == "mermaid":
                result.append(f"```mermaid\n{inner.strip(chr(10))}\n```")
            elif name == "gallery":  # its images, one under another
                result.append(_convert(inner, folder, notes))
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
        elif name in ("label", "span", "p", "kbd", "psw", "u", "emp", "wavy", "del", "sup", "sub"):
            # Styled words (NexT's `{% label primary@重点 %}`, Butterfly's `{% kbd Ctrl %}`)
            words = match["args"].strip().split("@", 1)[-1] if name == "label" else match["args"]
            shown = words.strip().split(",")[-1].strip() if name in ("span", "p") else words.strip()
            result.append(f"`{shown}`" if name == "kbd" else shown)
            continue
        elif name in ("btn", "button") and match["args"].strip():
            # Butterfly's {% btn url,文字,icon %}, NexT's {% button url, 文字, icon %}
            fields = [f.strip() for f in match["args"].split(",")]
            url = fields[0]
            label = next((f for f in fields[1:] if f and not f.startswith(("fa", "anzhiyu"))), url)
            result.append(f"[{label}]({url})")
            continue
        elif name == "checkbox" and match["args"].strip():
            words = [
                w
                for w in _args(match["args"].strip())
                if w not in ("checked", "plus", "minus", "times")
            ]
            mark = "x" if "checked" in match["args"].split() else " "
            result.append(f"- [{mark}] {' '.join(w for w in words if not _COLOUR.fullmatch(w))}")
            continue
        elif name in VIDEO_URLS and args:
            url = VIDEO_URLS[name].format(args[0])
            result.append(f"[{name}：{args[0]}]({url})")
            notes.append(f"{{% {name} %}}: a link to the video (a page here embeds no other site)")
            continue
        elif name == "iframe" and args and args[0].startswith(("http://", "https://")):
            result.append(f"<{args[0]}>")
            notes.append("{% iframe %}: a link to the page (a page here embeds no other site)")
            continue
        notes.append(f"{{% {name} %}} is not a tag import knows; kept as text")
        result.append(match.group(0))
    return "".join(result)
