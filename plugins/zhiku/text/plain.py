"""Markdown as the text a reader reads: for excerpts, feeds, meta tags, search and reading time.

A body becomes blocks of plain text (paragraphs, list items, table rows,
headings), with no Markdown or HTML source left in them:

- formulas (found by :func:`zhiku.text.mathmark.protected_spans`, the reading the
  page typesets) are :data:`FORMULA` ("[公式]"), the
  same bracketed form as the page's lost-formula marks ("[公式在抓取中丢失]"),
  never TeX nor an empty gap; a short inline formula with no TeX in it
  (``$m$``, ``\\(f(z)\\)``) reads as its text. Marks in a row (``$a$, $b$``, or
  several lost formulas) are one mark;
- code blocks (fenced, Hexo/Jekyll ``{% codeblock %}``/``{% highlight %}``,
  HTML ``<pre>``, and indented four spaces after a paragraph, unless the indented
  lines are Chinese prose) are nothing; inline code is its text;
- headings, list and task markers, blockquote ``>``, table pipes and rules,
  admonition (``!!! note "标题"``, ``???+ tip``), tab (``=== "Tab"``), callout
  (``> [!NOTE] 标题``) and container (``::: tip 标题``, ``:::``) lines, HTML tags
  and comments, Obsidian's ``%% comments %%`` and ``^block-ids``, Hexo/Jekyll
  ``{% … %}`` tags, ``[TOC]``, footnote references, link definitions, attribute
  lists and emphasis (``**``, ``~~``, ``==``) markers go;
- ``[text](url)`` and ``[[target|text]]`` are their text (``[[target]]`` its
  target), images and embeds (``![alt](src)``, ``![[image.png]]``) are nothing,
  and so are bare URLs;
- a backslash-escaped character is that character (``\\$`` is a dollar), and
  character references are decoded (``&lt;`` is "<").

``<!-- more -->`` (Hexo's and Material's excerpt separator) is kept as a block
of its own for :func:`excerpt_source`.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from zhiku.text.chars import HAN
from zhiku.text.mathmark import Kind, protected_spans

FORMULA = "[公式]"

# Placeholders, in the private-use area, for what the markup rules must not touch:
# a formula's mark, the excerpt separator, and (numbered) verbatim text (inline
# code, a plain formula's text). Escaped characters live at U+E000 + their code.
_F = "\ue0f0"
_MORE = "\ue0f1"
_VERBATIM_OPEN, _VERBATIM_CLOSE = "\ue0f2", "\ue0f3"
_VERBATIM = re.compile(f"{_VERBATIM_OPEN}(\\d+){_VERBATIM_CLOSE}")
_ESCAPED = re.compile(r"\\([" + re.escape(string.punctuation) + "])")
_SET_ASIDE = re.compile("[\ue000-\ue07f]")

# Inline math that reads the same as text: letters, digits, spaces, simple operators.
_PLAIN_MATH = re.compile(r"[A-Za-z0-9 ()+\-=,.'|]{1,20}")
# Ingest's lost-formula mark followed by the broken TeX it kept (zhiku.ingest.body).
_BROKEN_FORMULA = re.compile(
    r'<span class="zk-lost">[^<]*</span>\s*<span class="zk-tex-source">.*?</span>', re.DOTALL
)
# Code and formulas written as Hexo/Jekyll tags or HTML, which the Markdown scan can't see.
_TAG_CODE = re.compile(
    r"\{%-?\s*(?P<tag>codeblock|code|highlight|include_code|jsfiddle|gist)\b[^%]*%\}"
    r"(?P<code>.*?)\{%-?\s*end(?P=tag)\s*-?%\}"
    r"|<pre\b[^>]*>(?P<pre>.*?)</pre\s*>"
    r"|<(?P<hidden>script|style)\b[^>]*>.*?</(?P=hidden)\s*>",
    re.DOTALL | re.IGNORECASE,
)
_TAG_MATH = re.compile(
    r"\{%-?\s*(?P<tag>math|katex|latex|mathjax)\b[^%]*%\}.*?\{%-?\s*end(?P=tag)\s*-?%\}",
    re.DOTALL,
)
_MORE_COMMENT = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_OBSIDIAN_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)  # Obsidian's hidden comments
_BLOCK_ID = re.compile(r"\s\^[A-Za-z0-9-]+$")  # Obsidian's "^block-id" ending a line

# Block-level syntax, matched on a line without its blockquote markers.
_QUOTE_MARKS = re.compile(r"^(?:[ \t]*>)+[ \t]?")
_CALLOUT = re.compile(r"\[![\w-]+(?:\|[^\]\n]*)?\][+-]?(?:\s.*)?")
_ADMONITION = re.compile(r"(?:!!!|\?\?\?\+?)(?:\s.*)?")
_TAB = re.compile(r"===\+?\s+\"[^\"]*\"")
_CONTAINER_FENCE = re.compile(r":{3,}(?:\s*[A-Za-z].*)?")  # ::: tip 标题, and its closing :::
_LIQUID_LINE = re.compile(r"\{%[^%]*%\}(?:\s*\{%[^%]*%\})*")
_TOC = re.compile(r"@?\[toc\]|\{:toc\}|\$\{toc\}|\[\[_?toc_?\]\]", re.IGNORECASE)
# "[id]: https://…" (a link's target, defined apart): the target looks like a URL or path,
# so that "[注]: 这里很重要" stays text.
_REF_DEFINITION = re.compile(r"\[[^\]^][^\]]*\]:\s*(?:<[^>\s]*>|[^\s<>]*[/.#][^\s<>]*)(?:\s.*)?")
_FOOTNOTE_DEFINITION = re.compile(r"\[\^[^\]]+\]:\s*")
_HEADING = re.compile(r"(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*")
_SETEXT = re.compile(r"=+|-+")
_RULE = re.compile(r"(?:([-*_])\s*)(?:\1\s*){2,}")
_TABLE_RULE = re.compile(r"\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?|\|\s*:?-+:?\s*\|?")
_LIST_ITEM = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s+|$)(?:\[[ xX]\]\s+)?")
_DEFINITION = re.compile(r":\s+")

# Inline syntax. A URL's characters are ASCII: "见https://a.org/x。然后" keeps "。然后".
_URL_CHARS = r"[A-Za-z0-9\-._~:/?#@!$&'*+,;=%]"
_URL = re.compile(rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}+(?<![.,;:!?'])")
# A URL goes with the short label that only announces it ("代码地址: https://…").
_URL_LABEL = re.compile(r"(?:^|(?<=[\s(（]))[^\s:：，。,;；()（）]{1,10}[:：][ \t]*\Z")
_LINK_TARGET = r"\((?:[^()\n]|\([^()\n]*\))*\)"
_INLINE_DROP = re.compile(
    r"<(?:https?|ftp|mailto):[^>\s]*>"  # autolinks
    rf"|!\[[^\]\n]*\](?:{_LINK_TARGET}|\[[^\]\n]*\])"  # images
    r"|!\[\[[^\]\n]*\]\]"  # wiki embeds
    r"|\[\^[^\]\s]+\]"  # footnote references
    r"|\{:?\s*[.#][^}\n]*\}"  # attribute lists
    r"|\{%.*?%\}"  # Hexo/Jekyll tags
)
_WIKI_LINK = re.compile(r"\[\[([^\[\]|\n]*)(?:\|([^\[\]\n]*))?\]\]")
_LINK = re.compile(rf"\[([^\[\]\n]*)\](?:{_LINK_TARGET}|\[[^\]\n]*\])")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")  # "a < b" is no tag
# Emphasis markers go, but an underscore inside a Latin word is part of it (batch_size).
_HIGHLIGHT = re.compile(r"==(?=\S)([^=\n]+?)(?<=\S)==")  # Obsidian's and pymdownx.mark's
_EMPHASIS = re.compile(r"[*`]{1,3}|~~|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])")
_LINK_LIKE = re.compile(
    rf"{_INLINE_DROP.pattern}|{_WIKI_LINK.pattern}|{_LINK.pattern}"
    r"|<a\b[^>]*>[^<]*</a\s*>|<img\b[^>]*>"
    # Obsidian's inline tags: a line of only tags says nothing about the article.
    r"|(?<![^\s])#[^\s#\d][^\s#]*",
    re.IGNORECASE,
)
_WORDISH = re.compile(r"[^\W_]")

# Formula and code marks in a row (only spaces or commas between them) are one mark.
_MARK = r"\[(?:公式|代码|Math|math)[^\[\]\n]{0,16}\]"
_MARK_RUN = re.compile(rf"({_MARK})(?:[\s,，、;；]*{_MARK})+")
# Han, CJK punctuation and full-width forms: lines that meet on two of these join unspaced.
_CJK_EDGE = re.compile(f"[{HAN}\u3000-\u303f\uff00-\uffef]")


@dataclass(frozen=True, slots=True)
class Block:
    """One block of a body as plain text: a paragraph, list item or table row ("text"),
    a heading, or the excerpt separator ("more")."""

    text: str
    kind: Literal["text", "heading", "more"] = "text"
    level: int = 0  # a heading's level
    links_only: bool = False  # the block was only links, images or URLs


@dataclass(frozen=True, slots=True)
class Body:
    """A body's blocks, and what reading time weighs apart from its prose."""

    blocks: tuple[Block, ...]
    inline_formulas: int
    display_formulas: int
    code_lines: int


class _Prepared:
    """A body with code and formulas set aside (see :func:`_prepare`)."""

    def __init__(self, urls: bool = False) -> None:
        self.urls = urls  # keep URLs in the text
        self.verbatim: list[str] = []
        self.inline = self.display = self.code_lines = 0

    def keep(self, text: str) -> str:
        self.verbatim.append(text)
        return f"{_VERBATIM_OPEN}{len(self.verbatim) - 1}{_VERBATIM_CLOSE}"

    def code(self, text: str) -> str:
        self.code_lines += sum(1 for line in text.splitlines() if line.strip())
        return "\n\n"


def _prepare(markdown: str, state: _Prepared) -> str:
    text = markdown.replace("\r\n", "\n").replace("\r", "\n")
    text = _BROKEN_FORMULA.sub(f" {_F} ", text)

    def tag_code(match: re.Match[str]) -> str:
        if match.group("hidden"):
            return " "
        return state.code(match.group("code") or match.group("pre") or "")

    text = _TAG_CODE.sub(tag_code, text)

    def tag_math(match: re.Match[str]) -> str:
        state.display += 1
        return f" {_F} "

    text = _TAG_MATH.sub(tag_math, text)
    pieces: list[str] = []
    position = 0
    for span in protected_spans(text):
        if span.kind is Kind.BRACKET:
            continue  # text: its escapes are resolved below
        pieces.append(text[position : span.start])
        position = span.end
        if span.kind is Kind.FENCE:
            pieces.append(state.code(span.inner))  # the fence lines are no code a reader reads
        elif span.kind is Kind.CODE or (
            not span.display and _PLAIN_MATH.fullmatch(span.inner.strip())
        ):
            pieces.append(state.keep(span.inner.strip()))  # inline code, or math read as text
        else:
            if span.display:
                state.display += 1
            else:
                state.inline += 1
            pieces.append(f" {_F} ")
    pieces.append(text[position:])
    text = "".join(pieces)
    text = _MORE_COMMENT.sub(f"\n\n{_MORE}\n\n", text)
    text = _OBSIDIAN_COMMENT.sub(" ", _COMMENT.sub(" ", text))
    # A backslash-escaped character is that character, never markup.
    return _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)


def _cells(row: str) -> str:
    row = row.strip()
    row = row[1:] if row.startswith("|") else row
    row = row[:-1] if row.endswith("|") else row
    return " ".join(cell.strip() for cell in row.split("|") if cell.strip())


def _joined(lines: Iterable[str]) -> str:
    """Lines of one paragraph as one: no space between two CJK characters."""
    out = ""
    for line in lines:
        if out and not (_CJK_EDGE.match(out[-1]) and _CJK_EDGE.match(line[0])):
            out += " "
        out += line
    return out


def _without_urls(text: str) -> str:
    """``text`` without its URLs, nor the labels that only announce them."""
    pieces: list[str] = []
    position = 0
    for match in _URL.finditer(text):
        before = text[position : match.start()]
        label = _URL_LABEL.search(before, max(0, len(before) - 16))
        pieces.append(before[: label.start()] if label else before)
        pieces.append(" ")
        position = match.end()
    pieces.append(text[position:])
    return "".join(pieces)


def _wiki_text(match: re.Match[str]) -> str:
    """What a wiki link shows: its label, else its target's page (or heading)."""
    label = (match.group(2) or "").strip()
    if label:
        return label
    page, _, heading = match.group(1).strip().partition("#")
    return (page or heading.lstrip("^")).strip()


def _inline(text: str, state: _Prepared) -> Block:
    """A block's source text as plain text."""
    bare = _VERBATIM.sub("", text)
    rest = _without_urls(_LINK_LIKE.sub("", bare))
    had_link = len(rest.strip()) != len(bare.strip())
    links_only = had_link and not _WORDISH.search(rest.replace(_F, "公"))
    text = _INLINE_DROP.sub("", text)
    text = _WIKI_LINK.sub(_wiki_text, text)
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub(" ", text)
    if not state.urls:
        # Where a URL stood between two colons ("Github:https://…: 下文"), one colon is left.
        text = re.sub(r"([:：])[ \t]+[:：]", r"\1", _without_urls(text))
    text = _EMPHASIS.sub("", _HIGHLIGHT.sub(r"\1", text))
    return Block(_finish(text, state), links_only=links_only)


def _finish(text: str, state: _Prepared) -> str:
    """Placeholders back to text, character references decoded, space collapsed."""
    text = html.unescape(text)
    text = _SET_ASIDE.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    text = text.replace(_F, FORMULA)
    text = _VERBATIM.sub(lambda m: state.verbatim[int(m.group(1))], text)
    return re.sub(r"\s+", " ", text).strip()


# Lines that open a container whose content is indented: list items, admonitions, tabs,
# footnotes, quotes. Indented lines inside one are text, not an indented code block.
_CONTAINER = re.compile(r"(?:[-*+]|\d{1,9}[.)])(?:\s|$)|!!!|\?\?\?|===|\[\^[^\]]+\]:|>")
_CJK_TEXT = re.compile(f"[{HAN}\u3000-\u303f\uff00-\uffef]")
_CJK_SENTENCE_END = re.compile(r"[。！？；：]\s*$", re.MULTILINE)


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip())


def _reads_as_prose(lines: list[str]) -> bool:
    """True for indented lines that are Chinese prose (a first-line indent written with
    spaces), not code: mostly CJK, or ending a line with a Chinese sentence mark."""
    text = "".join("".join(line.split()) for line in lines)
    cjk = len(_CJK_TEXT.findall(text))
    return cjk >= 0.4 * len(text) or _CJK_SENTENCE_END.search("\n".join(lines)) is not None


def _indented_code(lines: list[str]) -> set[int]:
    """Numbers of the lines that are indented code blocks: indented four spaces or a tab,
    after a blank line, outside any container (see :data:`_CONTAINER`)."""
    code: set[int] = set()
    container = False
    after_blank = True
    number = 0
    while number < len(lines):
        line = lines[number]
        if not line.strip():
            after_blank = True
            number += 1
            continue
        indent = _indent(line)
        if indent >= 4 and after_blank and not container:
            end = number
            while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) >= 4):
                end += 1
            if not _reads_as_prose(lines[number:end]):
                code.update(range(number, end))
                number = end
                continue
        if _CONTAINER.match(line.lstrip()):
            container = True
        elif indent == 0:
            container = False
        after_blank = False
        number += 1
    return code


def parse(markdown: str, *, urls: bool = False) -> Body:
    """The blocks of ``markdown`` as plain text, and its formula and code counts.

    ``urls``: keep bare URLs in the text (ingest reads topics in them: a GitHub
    repository's name); a reader's text has none."""
    state = _Prepared(urls)
    text = _prepare(markdown, state)
    blocks: list[Block] = []
    paragraph: list[str] = []
    in_table = False

    def flush() -> None:
        if paragraph:
            block = _inline(_joined(paragraph), state)
            if block.text:
                blocks.append(block)
            paragraph.clear()

    lines = text.split("\n")
    code = _indented_code(lines)
    for number, raw in enumerate(lines):
        if number in code:
            state.code(raw)
            flush()
            continue
        line = _QUOTE_MARKS.sub("", raw).strip()
        if not line:
            flush()
            in_table = False
            continue
        if line == _MORE:
            flush()
            blocks.append(Block("", "more"))
            continue
        if (
            _CALLOUT.fullmatch(line)
            or _ADMONITION.fullmatch(line)
            or _TAB.fullmatch(line)
            or _CONTAINER_FENCE.fullmatch(line)
            or _LIQUID_LINE.fullmatch(line)
            or _TOC.fullmatch(line)
            or _REF_DEFINITION.fullmatch(line)
        ):
            flush()
            continue
        if "|" in line and _TABLE_RULE.fullmatch(line):
            # The rule under a table's header: the line before it was the header row.
            header = paragraph.pop() if paragraph and "|" in paragraph[-1] else ""
            flush()
            paragraph.append(_cells(header))
            flush()
            in_table = True
            continue
        if in_table or (line.startswith("|") and line.endswith("|") and len(line) > 1):
            flush()
            paragraph.append(_cells(line))
            flush()
            continue
        heading = _HEADING.fullmatch(line)
        if heading:
            flush()
            block = _inline(heading.group(2) or "", state)
            if block.text:
                blocks.append(Block(block.text, "heading", len(heading.group(1))))
            continue
        if _SETEXT.fullmatch(line) and len(paragraph) == 1:
            block = _inline(paragraph.pop(), state)
            if block.text:
                blocks.append(Block(block.text, "heading", 1 if line[0] == "=" else 2))
            continue
        if _RULE.fullmatch(line):
            flush()
            continue
        for marker in (_LIST_ITEM, _FOOTNOTE_DEFINITION, _DEFINITION):
            item = marker.match(line)
            if item:
                flush()
                line = line[item.end() :].strip()
                # "- [ ] 任务" after "- ", or "1. - a" nested: take every marker off.
                while (item := _LIST_ITEM.match(line)) is not None:
                    line = line[item.end() :].strip()
                break
        if line:
            paragraph.append(_BLOCK_ID.sub("", line))
    flush()
    return Body(tuple(blocks), state.inline, state.display, state.code_lines)


def reading_body(markdown: str) -> Body:
    """What reading time needs of ``markdown``, quickly: one block holding the words a
    reader reads (link targets, URLs, tags and formulas' TeX out, the block structure
    left in, as it holds no words), and the formula and code counts."""
    state = _Prepared()
    lines = _prepare(markdown, state).split("\n")
    code = _indented_code(lines)
    text = "\n".join(state.code(line) if n in code else line for n, line in enumerate(lines))
    text = _VERBATIM.sub(lambda m: state.verbatim[int(m.group(1))], text)
    text = _WIKI_LINK.sub(_wiki_text, _INLINE_DROP.sub("", text))
    text = _URL.sub(" ", _TAG.sub(" ", _LINK.sub(r"\1", text)))
    text = _SET_ASIDE.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text.replace(_F, " "))
    return Body((Block(text),), state.inline, state.display, state.code_lines)


def tidy(text: str) -> str:
    """Blocks' text joined: one space, one mark for marks in a row, a mark next to its
    punctuation ("为 [公式] ,其中" -> "为 [公式],其中")."""
    text = re.sub(r"\s+", " ", text).strip()
    text = _MARK_RUN.sub(r"\1", text)
    # No space before a Chinese punctuation mark (where a dropped footnote or URL was).
    text = re.sub(r" (?=[，。．；：、！？）】」』])", "", text)
    return re.sub(f"({_MARK}) (?=[,.;:!?)])", r"\1", text)


def plain_text(markdown: str, *, urls: bool = False) -> str:
    """``markdown`` as the plain text a reader reads (headings included); see the module
    docstring. ``urls``: keep bare URLs (see :func:`parse`)."""
    blocks = parse(markdown, urls=urls).blocks
    return tidy(" ".join(block.text for block in blocks if block.kind != "more"))


# Paragraphs and headings that say nothing about the article: a table of contents, the
# references, where it was first published, copyright and reposting notes.
_BOILERPLATE_TITLE = re.compile(
    r"(?:文章|本文)?目录|内容目录|toc|table of contents|contents|"
    r"参考(?:文献|资料|链接|文章|内容)?|引用|相关(?:链接|阅读|文章)|延伸阅读|扩展阅读|"
    r"references?|further reading|see also|links?|版权声明|声明|copyright",
    re.IGNORECASE,
)
# A byline ("author: a, b, c", "作者：某某"), however many names it lists.
_BYLINE = re.compile(r"(?:authors?|作者|编辑|编者|译者|来源|出处)\s*[:：]", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"转载|转发自|"
    r"版权(?:声明|所有|归|协议)|著作权归|copyright|©|\(c\)\s*\d{4}|all rights reserved|"
    r"首发于|首发在|原文(?:链接|地址|出处)|本文(?:链接|地址|作者|出处)|原创文章|知识共享|"
    r"creative commons|cc[ -]?by|关注(?:我的)?(?:微信)?公众号|扫码关注|如有侵权|侵删|"
    r"未经(?:作者)?(?:授权|允许|许可)",
    re.IGNORECASE,
)
_BOILERPLATE_MAX = 200  # a paragraph this long or longer is content, whatever it mentions


def is_boilerplate(text: str) -> bool:
    """True when a paragraph is only a table of contents' or references' title, a
    byline, or a publication, copyright or reposting note."""
    bare = text.strip(" \t:：.。-—*#[]【】()（）")
    if _BOILERPLATE_TITLE.fullmatch(bare) or _BYLINE.match(text):
        return True
    return len(text) < _BOILERPLATE_MAX and _BOILERPLATE.search(text) is not None


def excerpt_source(markdown: str) -> str:
    """The running text an excerpt is cut from: text before ``<!-- more -->`` when the
    body has text there, without headings, paragraphs that are only links or images,
    boilerplate paragraphs (:func:`is_boilerplate`), or sections under a boilerplate
    heading (目录, 参考文献)."""
    blocks = parse(markdown).blocks
    kinds = [block.kind for block in blocks]
    if "more" in kinds:
        before = blocks[: kinds.index("more")]
        if _readable(before, True):
            blocks = before
    return tidy(_readable(blocks, True) or _readable(blocks, False))


def _readable(blocks: Iterable[Block], skip_sections: bool) -> str:
    kept: list[str] = []
    skipping = False
    for block in blocks:
        if block.kind == "heading":
            skipping = skip_sections and is_boilerplate(block.text)
        elif block.kind == "text" and not (
            skipping or block.links_only or is_boilerplate(block.text)
        ):
            kept.append(block.text)
    return " ".join(kept)
