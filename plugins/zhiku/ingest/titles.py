"""Titles for scraped excerpts, which carry none.

The scrape flattened each article's opening into one line: sometimes a real
heading (``梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,…``), sometimes a
section name that is no title (``简介``, ``概述``), sometimes straight prose.
:func:`derive_title` tries, in order, the readings a person would:

1. a title label: ``论文名称:LLaMA: Open and … 论文地址: …``;
2. an opening heading, ended by the prose, label or link that follows it;
3. the 《book title》 an opening "本文…" sentence names;
4. an opening definition: ``X 是…``, ``X,是指…``, ``X:属于…``;
5. the subject an author announces: ``本文将梳理一下从MHA…到MLA的演变历程``;
6. a term that dominates the excerpt (``FlashAttention``, ``幻觉(Hallucination)``);
7. the first sentence or clause, trimmed at a natural boundary.

Section names, labels, openers and patterns are data (``zhiku/data/ingest.yml``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from zhiku.ingest.rules import Rules
from zhiku.text.chars import HAN

BOOKMARK = "🔖"
TIP = "💡"
URL = re.compile(r"https?://[^\s<>\"'`]+")
HAN_CHAR = re.compile(f"[{HAN}]")
# Punctuation that ends a clause or sentence; a token holding one is prose.
_CLAUSE = re.compile(r"[，,。；;！!？?]")
_SENTENCE_END = re.compile(r"[。！？!?]|[.;；](?=\s|$)")
_NUMBERING = re.compile(r"\A\d{1,2}\s*[.、)）]\s*")
_OPEN = "(（《[【“"
_CLOSE = ")）》]】”"
_LATIN_ONLY = re.compile(r"\A[A-Za-z0-9][A-Za-z0-9\-_.+#&/]*\Z")
_LATIN_TERM = re.compile(
    r"(?<![A-Za-z0-9_\-])[A-Za-z][A-Za-z0-9]*(?:[\-.][A-Za-z0-9]+)*(?![A-Za-z0-9_])"
)
_GLOSS = re.compile(
    rf"([{HAN}]{{2,12}}|[A-Za-z][A-Za-z0-9\-]{{1,30}})\s*[(（]\s*"
    r"([A-Za-z][A-Za-z0-9\- ,.]{1,60}?)\s*[)）]"
)
_DEFINITION = re.compile(
    r"\s*(?:[,，]\s*)?(?:是指|通常指|是一种|是一个|是一类|是由|是(?!否)|指(?!出|定|导|的)|[:：]\s*属于)"
)
_DEFINITION_VERB = re.compile(rf"\A(?:是|是由|是一种|是一个|是一类|是指|指)(?![{HAN}])")


def _without_brackets(text: str) -> str:
    return re.sub(r"[(（][^()（）]*[)）]", "", text)


_TRAILING = " ,，:：;；、"


@dataclass(frozen=True, slots=True)
class Title:
    """A derived title and how it was found (``rule`` is shown in the ingest report)."""

    text: str
    rule: str
    heading_end: int = 0  # length of the text prefix that was the heading (0: none)


_LABEL_UNSAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "`": "｀"})


def safe_label(text: str) -> str:
    """A title, category or tag from scraped text, safe wherever a template puts it.

    MkDocs renders templates without autoescaping, and Material writes
    ``page.title`` into ``<h1>`` and ``<title>`` as it is, so markup characters
    in a scraped title would become live HTML. They become their full-width
    forms, which read the same; control characters are dropped.
    """
    text = "".join(c for c in text if c.isprintable() or c == " ")
    return re.sub(r"\s+", " ", text.translate(_LABEL_UNSAFE)).strip()


def tidy(title: str) -> str:
    """Whitespace collapsed, no spaces just inside brackets, no trailing colon or comma."""
    title = re.sub(r"\s+", " ", title).strip()
    title = re.sub(r"([(（《\[])\s+", r"\1", title)
    title = re.sub(r"\s+([)）》\]])", r"\1", title)
    return title.strip(_TRAILING).strip()


def tokens(text: str) -> list[tuple[int, int]]:
    """Spans of space-separated tokens; spaces inside brackets do not split."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start: int | None = None
    for i, char in enumerate(text):
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if char.isspace() and depth == 0:
            if start is not None:
                spans.append((start, i))
                start = None
        elif start is None:
            start = i
    if start is not None:
        spans.append((start, len(text)))
    return spans


def strip_markers(text: str, rules: Rules) -> tuple[str, int, str | None]:
    """Drop leading bookmarks (``🔖 URL``), tips (``💡``) and section names.

    Returns (rest, offset of rest in text, first bookmarked URL).
    """
    offset = 0
    url: str | None = None
    while True:
        rest = text[offset:]
        stripped = rest.lstrip()
        offset += len(rest) - len(stripped)
        rest = stripped
        if rest.startswith(BOOKMARK):
            match = URL.match(rest[len(BOOKMARK) :].lstrip())
            skip = len(rest) - len(rest[len(BOOKMARK) :].lstrip())
            if match:
                url = url or match.group(0)
                skip += match.end()
            offset += skip
            continue
        if rest.startswith(TIP):
            offset += len(TIP)
            continue
        for name in rules.section_names:
            match = re.match(re.escape(name) + r"(?:\s*[:：]\s*|\s+)", rest)
            if match and len(rest) > match.end():
                offset += match.end()
                break
        else:
            return rest, offset, url


def _is_label(token: str, labels: tuple[str, ...]) -> bool:
    return any(re.match(re.escape(label) + r"\s*[:：]", token) for label in labels)


def _latin_words(text: str) -> set[str]:
    return {w.lower() for w in _LATIN_TERM.findall(text)}


def opening_heading(text: str, rules: Rules) -> str | None:
    """The heading the scrape flattened into the start of ``text``, if there is one."""
    found = heading_span(text, rules)
    return found[0] if found else None


def heading_span(text: str, rules: Rules) -> tuple[str, int] | None:
    """(heading, end offset of the heading in ``text``), or None."""
    spans = tokens(text)
    taken: list[str] = []
    stop = "end"
    for index, (start, end) in enumerate(spans):
        token = text[start:end]
        if token.startswith((BOOKMARK, TIP)) or URL.match(token):
            stop = "link"
            break
        if _is_label(token, rules.labels):
            stop = "label"
            break
        if index == 0 and re.fullmatch(r"[^，,。；;！!]+[？?]", token):
            taken.append(token)  # a question heading: "1.深度学习偏置的作用?"
            stop = "question"
            break
        if _DEFINITION_VERB.match(token):
            stop = "prose"  # "生成对抗网络 (…) 是由 …": the heading was a defined term
            break
        if _CLAUSE.search(_without_brackets(token)):
            stop = "prose"
            break
        colon = re.search(r"[:：]", token)
        if colon and index > 0 and colon.end() < len(token):
            stop = "prose"  # "公式一:这个算法…" starts the text after the heading
            break
        if index > 0 and _latin_words(token) & _latin_words(" ".join(taken)):
            stop = "repeat"  # "CLIP算法原理 CLIP 不预先…": the sentence's subject repeats
            break
        if len(" ".join([*taken, token])) > rules.max_title_length:
            return None  # too long for a heading: prose without punctuation
        if colon and colon.end() == len(token):
            if len(taken) < 2:
                stop = "prose"  # "RLHF 通常包括三个阶段:" is a sentence
                break
            taken.append(token)
            stop = "colon"
            break
        taken.append(token)
    if not taken or stop == "end":
        return None
    if stop == "prose" and re.search(r"[A-Za-z]\Z", taken[-1]) and index < len(spans):
        following = text[spans[index][0] : spans[index][1]]
        if re.match(r"[a-z]", following):
            return None  # "本文的任务是Object detection,…": one phrase cut by a space
    if all(_LATIN_ONLY.match(t) for t in taken) and stop == "prose":
        return None  # "Kimi k1.5采用了…", "RLHF 通常…": a subject, not a heading
    if (
        len(taken) >= 2
        and _LATIN_ONLY.match(taken[0])
        and HAN_CHAR.match(taken[1])
        and stop in ("prose", "link")
    ):
        return None  # "Docker 按照官方文档说明配置即可": a sentence without punctuation
    return tidy(" ".join(taken)), spans[len(taken) - 1][1]


def _title_label(text: str, rules: Rules) -> str | None:
    for label in rules.title_labels:
        match = re.match(re.escape(label) + r"\s*[:：]\s*", text)
        if not match:
            continue
        rest = text[match.end() :]
        ends = [len(rest)]
        for other in (*rules.labels, *rules.title_labels):
            found = re.search(r"\s" + re.escape(other) + r"\s*[:：]", rest)
            if found:
                ends.append(found.start())
        found_url = URL.search(rest)
        if found_url:
            ends.append(found_url.start())
        value = tidy(rest[: min(ends)])
        if 0 < len(value) <= rules.max_title_length:
            return value
    return None


def first_sentence(text: str) -> str:
    match = _SENTENCE_END.search(text)
    return text[: match.start()] if match else text


def _book_title(text: str) -> str | None:
    sentence = first_sentence(text)
    if not re.search(r"本文|这篇|一文", sentence):
        return None
    match = re.search(r"《([^《》]{2,80})》", sentence)
    return tidy(match.group(1)) if match else None


def _definition(text: str, rules: Rules) -> str | None:
    for _start, end in tokens(text)[:6]:
        head = text[:end]
        # The defined term ends where "是/指/:属于" follows; it may span tokens.
        for match in _DEFINITION.finditer(text, 0, min(len(text), end + 8)):
            term = text[: match.start()]
            if not term.strip() or len(term) > rules.max_clause_length:
                continue
            depth = sum(term.count(c) for c in _OPEN) - sum(term.count(c) for c in _CLOSE)
            outside = re.sub(r"[(（][^)）]*[)）]", "", term)
            if (
                depth == 0
                and not _CLAUSE.search(outside)
                and not re.search(r"[:：]", outside)
                and not re.match(r"本文|这|那|它|我们|什么", term)
                and not term.rstrip().endswith("的")
            ):
                term = tidy(term)
                for suffix in rules.definition_suffixes:
                    if term.endswith(suffix) and len(term) > len(suffix) + 1:
                        return tidy(term[: -len(suffix)])
                return term
            break
        if _CLAUSE.search(re.sub(r"[(（][^)）]*[)）]", "", head)):
            return None
    return None


def _intent(text: str, rules: Rules) -> str | None:
    for pattern in rules.intent_patterns:
        match = pattern.search(text)
        if match:
            value = tidy(match.group(1))
            if 2 <= len(value) <= rules.max_clause_length:
                return value
    return None


def _is_term(word: str) -> bool:
    """A Latin word that reads as a name: FlashAttention, DETR, DeepSeek-V3, KimiVL."""
    return (
        bool(re.search(r"[A-Z].*[A-Z]|\d", word) or re.search(r"[a-z][A-Z]", word))
        and len(word) >= 2
    )


def _dominant_term(text: str, latin_vocabulary: set[str]) -> str | None:
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    shown: dict[str, str] = {}
    for match in _LATIN_TERM.finditer(text):
        word = match.group(0).rstrip(".")
        if _is_term(word) or word in latin_vocabulary:
            counts[word] += 1
            first.setdefault(word, match.start())
            shown.setdefault(word, word)
    for match in _GLOSS.finditer(text):
        term, gloss = match.group(1), tidy(match.group(2))
        if term in counts and _is_term(gloss.replace(" ", "")) and " " not in gloss:
            continue  # "LLM(Large...)" the Latin term is counted already
        if HAN_CHAR.match(term):
            key = term
            count = text.count(term)
            acronym = gloss if re.fullmatch(r"[A-Z][A-Z0-9]{1,8}", gloss) else None
            if acronym:
                count += len(re.findall(rf"(?<![A-Za-z]){acronym}(?![A-Za-z])", text)) - 1
                counts.pop(acronym, None)
        else:
            key = term
            count = max(counts.get(term, 0), text.count(term))
        if count > counts.get(key, 0) or key not in shown or shown[key] == key:
            counts[key] = max(count, counts.get(key, 0))
            first[key] = min(first.get(key, match.start()), match.start())
            shown[key] = tidy(f"{term}({gloss})")
    if not counts:
        return None
    best = max(counts, key=lambda k: (counts[k], -first[k]))
    return shown[best] if counts[best] >= 2 else None


def _trim(clause: str, limit: int) -> str:
    """Cut ``clause`` to ``limit`` at a space or a conjunction, never mid-word."""
    if len(clause) <= limit:
        return clause
    head = clause[: limit + 1]
    cut = max(head.rfind(" "), 0)
    for conjunction in ("以及", "并且", "而且", "和", "与", "并"):
        found = head.rfind(conjunction)
        if found > limit // 2:
            cut = max(cut, found)
    if cut > limit // 3:
        return clause[:cut]
    return clause[:limit]


def _first_clause(text: str, rules: Rules) -> str:
    text = URL.split(text, maxsplit=1)[0]
    for opener in rules.openers:
        match = re.match(re.escape(opener) + r"\s*[,，:：]?\s*", text)
        if match and len(text) > match.end():
            text = text[match.end() :]
            break
    text = re.sub(r"\A(?:而|但|所以|因此|那么)\s*", "", text)
    sentence = tidy(first_sentence(text))
    if len(sentence) <= rules.max_clause_length:
        return sentence
    clause = tidy(_CLAUSE.split(sentence, maxsplit=1)[0])
    if len(clause) <= rules.max_clause_length:
        return clause
    for candidate in re.split(r"(?<=[。！？!?])\s*", text)[:3]:
        if re.search(r"[？?]\s*$", candidate):
            question = tidy(_CLAUSE.split(candidate, maxsplit=1)[0])
            if 4 <= len(question) <= rules.max_clause_length:
                return question
    return tidy(_trim(clause, rules.max_clause_length))


def _site_name(url: str | None, rules: Rules) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    if not host or host in rules.generic_hosts or host.removeprefix("www.") in rules.generic_hosts:
        return None
    parts = [p for p in host.split(".") if p not in ("www", "docs", "blog", "en", "zh", "cn")]
    if len(parts) < 2:
        return None
    name = parts[-2]
    return name[:1].upper() + name[1:]


def derive_title(text: str, rules: Rules, latin_vocabulary: frozenset[str] = frozenset()) -> Title:
    """The title a reader would give ``text`` (a card's excerpt); see the module docstring."""
    body = re.sub(r"(?:\.\.\.|…)+\s*\Z", "", text).strip()
    rest, offset, url = strip_markers(body, rules)
    unnumbered = _NUMBERING.sub("", rest)
    title: Title | None = None
    label = _title_label(unnumbered, rules)
    if label:
        title = Title(label, "title-label")
    heading = None if title else heading_span(unnumbered, rules)
    if heading:
        # A heading that opens the text is dropped from the body (it is the title now);
        # one after a section name or a link stays where it is.
        numbering = len(rest) - len(unnumbered)
        end = numbering + heading[1] if offset == 0 else 0
        title = Title(heading[0], "heading", end)
    finders: tuple[tuple[str, Callable[[], str | None]], ...] = (
        ("book-title", lambda: _book_title(unnumbered)),
        ("definition", lambda: _definition(unnumbered, rules)),
        ("intent", lambda: _intent(unnumbered, rules)),
        ("dominant-term", lambda: _dominant_term(unnumbered, set(latin_vocabulary))),
    )
    for rule, finder in finders:
        if title:
            break
        value = finder()
        if value:
            title = Title(value, rule)
    if title is None:
        title = Title(_first_clause(unnumbered, rules) or "无题", "first-clause")
    site = _site_name(url, rules)
    if site and site.lower() not in title.text.lower().replace(" ", ""):
        title = Title(f"{site}：{title.text}", title.rule + "+site")
    return title
