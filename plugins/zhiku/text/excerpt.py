"""Plain text and excerpts, for Chinese and English text alike.

Formulas are typeset on the page, not read: in plain text each one is
:data:`FORMULA` ("[公式]"), the same bracketed form as the page's lost-formula
marks ("[公式在抓取中丢失]"), so a card or a search snippet shows where a formula
is, never TeX source nor an empty gap. A short formula with no TeX in it
(``\\(f(z)\\)``, ``\\(m\\)``) reads as its text.
"""

from __future__ import annotations

import html
import re

from zhiku.text.segment import default_tokenizer

FORMULA = "[公式]"

# A sentence ends after 。！？ (optionally followed by closing quotes/brackets), or
# after . ! ? followed by a space, as in English.
# ("好!然后" ends a sentence; "a != b" and "?q=1" in a link do not; nor do "vs." or "e.g.")
_SENTENCE_END = re.compile(
    r"[。！？][”’」』）)]*"
    r"|[!?](?![=A-Za-z0-9/&%_\-])[”’)]*"
    r"|(?<!\bvs)(?<!\be\.g)(?<!\bi\.e)(?<!\bcf)(?<!\bal)(?<!\bFig)(?<!\bEq)\.[”’)]*(?=\s|$)"
)
# Where a sentence too long for the excerpt may be cut (then marked with "…").
_CLAUSE_END = re.compile(r"[，；,;]")
_MATH = re.compile(
    r"(?<!\\)\\\((?P<inline>.+?)(?<!\\)\\\)"
    r"|(?<!\\)\\\[.+?(?<!\\)\\\]"
    r"|(?<!\\)\$\$[^$]+\$\$"
    r"|(?<!\\)\\begin\{(?P<env>[a-z]+\*?)\}.+?\\end\{(?P=env)\}",
    re.DOTALL,
)
# Inline math that reads the same as text: letters, digits, spaces, simple operators.
_PLAIN_MATH = re.compile(r"[A-Za-z0-9 ()+\-=,.'|]{1,20}")
# Ingest's lost-formula mark followed by the broken TeX it kept (zhiku.ingest.body).
_BROKEN_FORMULA = re.compile(
    r'<span class="zk-lost">[^<]*</span>\s*<span class="zk-tex-source">.*?</span>', re.DOTALL
)
_MARKUP = [
    (re.compile(r"```.*?```", re.DOTALL), " "),
    (re.compile(r"^\s*(?:!!!|\?\?\?)\s*\w+(?:\s+\"[^\"]*\")?\s*$", re.MULTILINE), " "),
    # A callout's first line (> [!TIP] 小技巧) is its type and title, like !!! above.
    (re.compile(r"^[ \t]{0,3}(?:>[ \t]?)+\[![A-Za-z][\w-]*\][+-]?.*$", re.MULTILINE), " "),
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),
    (re.compile(r"<[^>]+>"), " "),
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),
    (re.compile(r"^\s*>\s?", re.MULTILINE), ""),
    # Emphasis markers go, but an underscore inside a Latin word is part of it (batch_size).
    (re.compile(r"[*`]{1,3}|(?<![A-Za-z0-9])_{1,3}|_{1,3}(?![A-Za-z0-9])"), ""),
]
# A backslash-escaped character is that character, never markup: set it aside
# (as a private-use character) before the markup rules run, restore it after.
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>])")
_SET_ASIDE = re.compile("[\ue000-\ue07f]")
# Runs an excerpt is never cut inside: a URL, a formula's place, a Latin word.
_UNCUTTABLE = re.compile(r"https?://\S+|\[公式[^\]]*\]|\[代码[^\]]*\]|[A-Za-z0-9_'’\-.]+")

_URL = re.compile(r"https?://\S+")
_ENDS_WITH_URL = re.compile(r"https?://\S+\s*\Z")


def _formula(match: re.Match[str]) -> str:
    inline = match.group("inline")
    if inline is not None and _PLAIN_MATH.fullmatch(inline.strip()):
        return inline.strip()
    return f" {FORMULA} "


def plain_text(markdown: str) -> str:
    """A rough plain-text rendering of Markdown, for excerpts, reading time and search.

    Each formula is :data:`FORMULA` unless it is short plain text (``f(z)``).
    """
    text = _BROKEN_FORMULA.sub(f" {FORMULA} ", markdown)
    text = _MATH.sub(_formula, text)
    text = _ESCAPED.sub(lambda m: chr(0xE000 + ord(m.group(1))), text)
    for pattern, repl in _MARKUP:
        text = pattern.sub(repl, text)
    # Character references are Markdown too: ingest writes "<" in scraped prose as
    # "&lt;" and "[" as "&#91;" (so that they stay text); plain text has the characters.
    text = _SET_ASIDE.sub(lambda m: chr(ord(m.group(0)) - 0xE000), text)
    text = html.unescape(re.sub(r"\s+", " ", text).strip())
    # A formula's place reads as part of its sentence: "为 [公式] ,其中" -> "为 [公式],其中".
    return re.sub(re.escape(FORMULA) + r" (?=[，。；：、,.;:!?！？)）])", FORMULA, text)


def word_starts(text: str) -> set[int]:
    """Offsets in ``text`` where a jieba word starts, and its end: cuts there split no word."""
    starts: set[int] = set()
    position = 0
    for piece in default_tokenizer().cut(text, HMM=False):
        starts.add(position)
        position += len(piece)
    starts.add(position)
    return starts


def _word_cut(text: str, limit: int) -> int:
    """The last offset ≤ ``limit`` that splits no word, URL or formula mark (0: none)."""
    inside: set[int] = set()
    for match in _UNCUTTABLE.finditer(text, 0, limit + 200):
        inside.update(range(match.start() + 1, match.end()))
    # jieba reads a little past the limit, so that it sees the word the limit falls in.
    cuts = [c for c in word_starts(text[: limit + 16]) if 0 < c <= limit and c not in inside]
    # Nor does it end on a link, which tells a reader nothing.
    cuts = [c for c in cuts if not _ENDS_WITH_URL.search(text, 0, c)]
    return max(cuts, default=0)


def excerpt(text: str, limit: int = 120) -> str:
    """The longest run of whole sentences of ``text`` within ``limit`` characters.

    A sentence ends at 。！？!? or at "." followed by a space. When even the first
    sentence is longer than ``limit``, it is cut at the last clause boundary (，；,;)
    that fits, else between two words (never inside a word, a URL or a formula's
    place), and ends with "…".
    """
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    end = 0
    links = [m.span() for m in _URL.finditer(text, 0, limit + 1)]
    for match in _SENTENCE_END.finditer(text):
        if match.end() > limit:
            break
        if not any(start < match.start() < stop for start, stop in links):
            end = match.end()
    if end:
        return text[:end].strip()
    clauses = [m.start() for m in _CLAUSE_END.finditer(text, 0, limit)]
    cut = clauses[-1] if clauses and clauses[-1] >= limit // 2 else _word_cut(text, limit - 1)
    if cut <= 0:
        cut = limit - 1
    return text[:cut].rstrip(" ,，、:：;；") + "…"
