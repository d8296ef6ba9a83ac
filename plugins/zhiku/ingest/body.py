"""The Markdown body of an article, built from untrusted scraped text.

Two promises, both tested through the real Markdown extensions of mkdocs.yml:

- Math stays intact for python-markdown-math: ``\\( … \\)``, ``\\[ … \\]``,
  ``$$ … $$`` and ``\\begin{env} … \\end{env}`` pass through unchanged, except
  that ``<`` and ``>`` become ``\\lt`` and ``\\gt``. python-markdown-math puts
  math into ``<script type="math/tex">`` elements whose text Python-Markdown
  writes out raw, so a ``</script>`` inside math would otherwise end the
  script and start live markup.
- Everything else reaches the page as text: HTML and Markdown specials are
  escaped (``<`` as ``&lt;``, ``[`` as ``&#91;``, ``*`` as ``\\*`` …), so no
  tag, attribute, link, emphasis or ``{: attr_list}`` can come from a scrape.

Formulas the scrape stripped of their delimiters (``D = \\{(x_i, y_i)\\}_{i=1}^n``
in running prose) are found by :mod:`zhiku.ingest.tex`: valid ones become inline
math ``\\( … \\)``; broken ones (``y^_i``, cut short) the lost-formula mark followed
by their text, shown as text.

The only markup in a body is what ingest builds itself, with markupsafe: the
scrape marks ``.zk-lost``, ``.zk-truncated`` and ``.zk-source`` links, and a
``!!! tip`` admonition for ``💡``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from zhiku.ingest.cards import LINE_LABEL
from zhiku.ingest.rules import Rules
from zhiku.ingest.tex import find_tex, typeset
from zhiku.ingest.titles import BOOKMARK, TIP, URL, first_sentence, heading_span

# The class of the text shown after a lost-formula mark: a formula whose TeX reached
# us broken (``y^_i``), kept as text. Excerpts show it as a formula's place.
TEX_SOURCE_CLASS = "zk-tex-source"

_MATH = re.compile(
    r"(?<!\\)\\\((?P<inline>.+?)\\\)"
    r"|(?<!\\)\\\[(?P<display>.+?)\\\]"
    r"|(?<!\\)\$\$(?P<dollars>[^$]+)\$\$"
    r"|(?<!\\)\\begin\{(?P<env>[a-z]+\*?)\}.+?\\end\{(?P=env)\}",
    re.DOTALL,
)
# Characters that mean something to Markdown or to our extensions anywhere in a line.
_INLINE_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "[": "&#91;",  # not "\[": that would open display math
    "]": "&#93;",
    "$": "&#36;",  # "$$" opens display math
    "~": "&#126;",
    "\\": "\\\\",
    "`": "\\`",
    "*": "\\*",
    "_": "\\_",
    "{": "\\{",
    "}": "\\}",
}
# And "==" marks text (pymdownx.mark): in a run of two or more "=", each is written as
# an entity; a lone "=" ("a=1") means nothing and stays as it is.
_INLINE_RE = re.compile("={2,}|" + "|".join(re.escape(c) for c in _INLINE_ESCAPES))
# Characters that start a block construct when they open a line.
# ("!" matters only there: "!!!" opens an admonition; "![" cannot form, "[" is escaped.)
_LINE_START = re.compile(r"\A(?:[#+=\-|:?%!]|\d+(?=[.)]))")
_PARAGRAPH_BREAK = re.compile(r"(?<=[。！？])\s+|\s*\n\s*")
# A line that lost its break before a label: a Latin word's lowercase end glued to a
# label and its colon ("…for GenerationGithub:https://…", "…/PrefixTuningPrompt: …"). The
# word before must sit in a Latin phrase or a link, so a name like "FlashAttention:"
# opening a sentence stays whole.
_GLUED_LABEL = re.compile(
    r"(?:(?<=[A-Za-z0-9][,.;]\s)|(?<=[A-Za-z0-9]\s)|(?<=[/._\-0-9]))"
    r"(?P<word>[A-Za-z]*[a-z])"
    rf"(?={LINE_LABEL}(?:\s*&\s*{LINE_LABEL})*\s*[:：])"
)
_ELLIPSIS_END = re.compile(r"(?:\.\.\.|…)+\s*\Z")


def restore_breaks(text: str) -> str:
    """``text`` with a line break ("\\n") where the scrape glued two lines together: a
    Latin word followed, with no space, by a label of the next line ("…for
    GenerationGithub:https://…" → "…for Generation" / "Github:https://…")."""
    return _GLUED_LABEL.sub(lambda m: m.group("word") + "\n", text)


def is_truncated(text: str) -> bool:
    """True when the site cut the excerpt (it ends in "..." or "…")."""
    return bool(_ELLIPSIS_END.search(text))


def escape_prose(text: str) -> str:
    """``text`` as Markdown that renders to exactly ``text``, with no markup of its own."""
    return _INLINE_RE.sub(_escaped, text)


def _escaped(match: re.Match[str]) -> str:
    found = match.group(0)
    return "&#61;" * len(found) if found[0] == "=" else _INLINE_ESCAPES[found]


def _line_start(markdown: str) -> str:
    match = _LINE_START.match(markdown)
    if not match:
        return markdown
    if match.group(0).isdigit():  # "1. 列表" is not an ordered list here
        end = match.end()
        return markdown[:end] + ("\\." if markdown[end] == "." else "&#41;") + markdown[end + 1 :]
    return f"&#{ord(markdown[0])};{markdown[1:]}"


def neutralise_math(math: str) -> str:
    """Math source that cannot close the ``<script>`` python-markdown-math wraps it in,
    nor be split by an inline pattern that runs before it."""
    # A backtick would let the inline-code pattern (which runs before the math
    # patterns) split the formula; in TeX it only ever meant an opening quote.
    return math.replace("<", r"\lt ").replace(">", r"\gt ").replace("`", "‘")


def safe_url(url: str) -> str | None:
    """An http(s) URL fit for an ``href``, or None."""
    url = url.strip().rstrip(".,;:，。；：)）]】")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return quote(url, safe="/:?#[]@!$&'()*+,;=%~-._")


def source_link(url: str, text: str) -> str:
    return str(Markup('<a class="zk-source" href="{}">{}</a>').format(url, text))


def _link_text(url: str) -> str:
    parts = urlsplit(url)
    shown = (parts.hostname or "") + parts.path.rstrip("/")
    return shown if len(shown) <= 48 else shown[:47] + "…"


def _lost_label(rules: Rules) -> str:
    return dict(rules.lost_marks).get("[公式]", "公式在抓取中丢失")


def _formulas(text: str, rules: Rules, cut_at_end: bool) -> str:
    """Escape prose, typesetting the formulas that lost their delimiters in the scrape.

    A valid one becomes inline math; one KaTeX cannot typeset (``y^_i``, cut short)
    becomes the lost-formula mark followed by its text, shown as text.
    """
    out: list[str] = []
    position = 0
    for run in find_tex(text, cut_at_end=cut_at_end):
        out.append(escape_prose(text[position : run.start]))
        tex = text[run.start : run.end]
        if run.valid:
            out.append("\\(" + neutralise_math(typeset(tex)) + "\\)")
        else:
            mark = Markup('<span class="zk-lost">&#91;{}&#93;</span> <span class="{}">').format(
                _lost_label(rules), TEX_SOURCE_CLASS
            )
            out.append(str(mark) + escape_prose(tex) + "</span>")
        position = run.end
    out.append(escape_prose(text[position:]))
    return "".join(out)


def _prose(text: str, rules: Rules, cut_at_end: bool = False) -> str:
    """Escape one run of prose, turning lost-content holes and bookmarks into marks."""
    out: list[str] = []
    holes = [re.escape(hole) for hole, _ in rules.lost_marks]
    pattern = re.compile(
        "|".join([*holes, re.escape(BOOKMARK) + r"\s*(?P<url>" + URL.pattern + ")"])
    )
    labels = dict(rules.lost_marks)
    position = 0
    for match in pattern.finditer(text):
        out.append(_formulas(text[position : match.start()], rules, False))
        if match.group("url"):
            url = safe_url(match.group("url"))
            if url:
                # Inline: Markdown reads the link text, so it is escaped as prose.
                opening = Markup('<a class="zk-source" href="{}">').format(url)
                out.append(f"{opening}{escape_prose('🔖 ' + _link_text(url))}</a>")
            else:
                out.append(escape_prose(match.group(0)))
        else:
            mark = Markup('<span class="zk-lost">&#91;{}&#93;</span>').format(
                labels[match.group(0)]
            )
            out.append(str(mark))
        position = match.end()
    out.append(_formulas(text[position:], rules, cut_at_end))
    return "".join(out)


def _segments(text: str) -> Iterable[tuple[bool, str]]:
    """(is_math, text) runs of ``text``."""
    position = 0
    for match in _MATH.finditer(text):
        if match.start() > position:
            yield False, text[position : match.start()]
        yield True, match.group(0)
        position = match.end()
    if position < len(text):
        yield False, text[position:]


_NESTED = re.compile(r"(?<!\\)(?:\\[()\[\]]|\$\$)")
_NESTED_AS = {
    "\\(": r"\lparen ",
    "\\)": r"\rparen ",
    "\\[": r"\lbrack ",
    "\\]": r"\rbrack ",
    "$$": r"\$\$",
}


def _math_run(run: str) -> str:
    """A formula with its delimiters, made safe: a delimiter inside it (``\\( $$<$$ \\)``)
    would start a second formula within the first, whose markup would land in the
    first one's script; inside, each reads as the TeX of the character it shows."""
    found = _MATH.fullmatch(run)
    kind = found.lastgroup if found is not None else None
    if found is None or kind is None or kind == "env":
        return neutralise_math(run)
    inner = found.group(kind)
    opening, closing = run[: found.start(kind)], run[found.end(kind) :]
    inner = _NESTED.sub(lambda m: _NESTED_AS[m.group(0)], inner)
    return neutralise_math(opening + inner + closing)


def _paragraph(text: str, rules: Rules, cut_at_end: bool = False) -> str:
    parts = []
    segments = list(_segments(text))
    for index, (is_math, run) in enumerate(segments):
        last = cut_at_end and index == len(segments) - 1
        parts.append(_math_run(run) if is_math else _prose(run, rules, last))
    return _line_start("".join(parts).strip())


def _paragraphs(text: str) -> list[str]:
    """Split flattened text where a sentence ends and a space follows (a lost line break).

    Math is never split: a break inside ``\\[ … \\]`` would end the formula.
    """
    pieces: list[str] = []
    current = ""
    for is_math, run in _segments(text):
        if is_math:
            current += run
            continue
        chunks = _PARAGRAPH_BREAK.split(run)
        current += chunks[0]
        for chunk in chunks[1:]:
            pieces.append(current)
            current = chunk
    pieces.append(current)
    return [p.strip() for p in pieces if p.strip()]


def _tip(text: str, rules: Rules) -> tuple[str, str]:
    """Split text that follows 💡 into (what the tip holds, the rest)."""
    found = heading_span(text, rules)
    if found:
        return text[: found[1]], text[found[1] :]
    sentence = first_sentence(text)
    end = len(sentence)
    if end < len(text):
        end += 1  # keep the sentence's own full stop in the tip
    return text[:end], text[end:]


def render_body(
    text: str,
    rules: Rules,
    *,
    source: str | None = None,
    truncated: bool = False,
) -> str:
    """The Markdown body for an excerpt (the title's heading already cut off by the caller)."""
    text = _ELLIPSIS_END.sub("", text) if truncated else text
    # A line break (in the dump, or one the scrape lost) ends a paragraph; other
    # whitespace is one space.
    text = re.sub(r"[^\S\n]+", " ", restore_breaks(text)).strip()
    blocks: list[str] = []
    while TIP in text:
        before, _, after = text.partition(TIP)
        blocks.extend(_paragraph(p, rules) for p in _paragraphs(before))
        held, text = _tip(after.strip(), rules)
        if held.strip():
            blocks.append('!!! tip "提示"\n\n    ' + _paragraph(held.strip(), rules))
        text = text.strip()
    paragraphs = _paragraphs(text)
    for index, paragraph in enumerate(paragraphs):
        blocks.append(_paragraph(paragraph, rules, truncated and index == len(paragraphs) - 1))
    if truncated:
        url = safe_url(source) if source else None
        if url:
            end = Markup('<p class="zk-truncated">{} {}</p>').format(
                "……摘录到此为止，原文未完。", Markup(source_link(url, "阅读原文"))
            )
        else:
            end = Markup('<p class="zk-truncated">{}</p>').format("……摘录到此为止，原文未完。")
        blocks.append(str(end))
    return "\n\n".join(blocks) + "\n"
