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
7. the first sentence or clause, trimmed at a natural boundary (where its subject
   ends, at a clause mark, never inside a word): at most ``max_clause_length``
   characters for Chinese, ``max_title_length`` for Latin text, cut by words.

A site's name is never part of a title: "Example：…", "某某博客 | …" and
"… - 知乎专栏" lose it. A heading that runs on into its sentence is no heading (one
holding a copula, one ended only by the space a writer puts around Latin words:
"装饰器是 Python 中一种…"), so a title never cuts a sentence in two; a title taken from
an opening sentence leaves the whole sentence in the body.

Section names, labels, openers and patterns are data (``zhiku/data/ingest.yml``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from zhiku.ingest.rules import Rules
from zhiku.ingest.tex import find_tex
from zhiku.text.chars import HAN
from zhiku.text.excerpt import word_starts

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
    r"\s*(?:[,，]\s*)?(?:是指|通常指|指的是|是一种|是一个|是一类|是由"
    r"|(?<![不就还都也只正总倒而即便却才又])是(?!否)"
    r"|指(?!出|定|导|的|令|标|数|针|南|向|示|挥|引|纹|点)|[:：]\s*属于)"
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


def _repeats(token: str, heading: str) -> bool:
    """True when ``token`` opens with a word of ``heading``: a new sentence about it starts."""
    if _latin_words(token) & _latin_words(heading):
        return True
    lead = re.match(rf"[{HAN}]{{3,}}", token)  # 3: "不是", "我们" open any sentence
    return lead is not None and lead.group(0)[:3] in heading


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
            # "生成对抗网络 (…) 是由 …": a defined term, the subject of the sentence that
            # goes on; no heading (the definition rule titles it, the body keeps it whole).
            return None
        if index > 0 and _repeats(token, " ".join(taken)):
            stop = "repeat"  # "CLIP算法原理 CLIP 不预先…": the sentence's subject repeats
            if len(taken) >= 3 and re.fullmatch(r"[A-Z][a-z]+", taken[-1]) and token[:1].islower():
                taken.pop()  # "… Autonomous Agents Building agents with…": a sentence begins
            break
        mark = _CLAUSE.search(_without_brackets(token))
        if mark:
            stop = "prose"
            if mark.group(0) in "。." and index > 0:
                return None  # "第3号笔记 扩散模型的推导。": one short sentence, no heading
            if (
                mark.group(0) in "？?"
                and index > 0
                and mark.end() == len(token)
                and " ".join(taken) not in token  # "生成器 什么是生成器?" asks about it
            ):
                taken.append(token)  # "什么是 RLHF?": a question split by a space
                stop = "question"
            break
        colon = re.search(r"[:：]", token)
        if colon and index > 0 and colon.end() < len(token):
            stop = "prose"  # "公式一:这个算法…" starts the text after the heading
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
    if re.match(r"本文|本篇|这篇|我们|今天|笔者|大家好|下面", taken[0]):
        return None  # "本文介绍如何在单卡上微调 7B 模型,…": the author speaking, no heading
    if stop == "prose" and len(taken) >= 2 and any(HAN_CHAR.search(t) for t in taken[1:]):
        return None  # "混合专家模型 MoE 通过门控网络为每个 token 选择…,": one sentence, no heading
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
    end = spans[len(taken) - 1][1]
    if stop == "prose" and _runs_on(text, end):
        return None  # "装饰器是 Python 中一种…,": a space beside a Latin word, mid-sentence
    if stop != "question" and _COPULA.search(text[:end]):
        return None  # "Python 装饰器指的是 Python 里…": a clause, however its next word reads
    heading = tidy(" ".join(taken))
    if _TITLE_STOP.search(heading) or find_tex(heading):
        return None  # "给定训练数据集 D = \\{(x_i, y_i)\\}…": a sentence with a formula
    return heading, end


# Where Han text meets a Latin word or a number, with or without a space between.
_SPACED_JOIN = re.compile(rf"[{HAN}]\s+[A-Za-z0-9]|[A-Za-z0-9]\s+[{HAN}]")
_GLUED_JOIN = re.compile(rf"[{HAN}][A-Za-z0-9]|[A-Za-z0-9][{HAN}]")
# A copula with its object: "X 是 Y" is a sentence, never a heading.
_COPULA = re.compile(r"(?<![不就还都也只正总倒而即便却才又什])是(?!否)")


def _runs_on(text: str, end: int) -> bool:
    """Whether the sentence that a heading candidate ending at ``end`` opens runs on
    past it: the space at ``end`` is no break but the space a writer puts around Latin
    words and numbers in Chinese ("装饰器是 Python 中一种…") or between Latin words.

    A writer who spaces Latin words does so throughout; one who glues them
    ("摘掉Softmax 制约Attention性能…") spaces only where a heading ends. When the
    sentence spaces as often as it glues, the space is not trusted as a heading's end.
    """
    before, after = text[:end], text[end:].lstrip()
    if re.search(r"[A-Za-z0-9]\Z", before) and re.match(r"[A-Za-z0-9]", after):
        return True  # "模型 Python GPU,…": Latin words in a row are one phrase
    if not after or not (
        (HAN_CHAR.match(after) and re.search(r"[A-Za-z0-9]\Z", before))
        or (re.match(r"[A-Za-z0-9]", after) and HAN_CHAR.search(before[-1:]))
    ):
        return False  # a bracket, a mark or two Han characters meet: a real break
    sentence = first_sentence(text)
    return len(_SPACED_JOIN.findall(sentence)) >= len(_GLUED_JOIN.findall(sentence))


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
            # A gloss in brackets does not count: "生成对抗网络 (Generative …, GAN) 是由".
            bare = _without_brackets(term)
            if not term.strip() or len(bare) > rules.max_clause_length:
                continue
            if len(tidy(term)) > rules.max_title_length:
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
            if is_latin(value):
                value = tidy(_trim(value, rules.max_title_length))
                return value[:1].upper() + value[1:]
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
    if counts[best] < 2:
        return None
    if shown[best] == best and not HAN_CHAR.search(best):
        # The author's own name for it: "提供了一个调试神器 pdb" -> "调试神器 pdb".
        named = re.search(
            rf"(?:一个|一款|一种)([{HAN}]{{2,6}})\s*" + re.escape(best) + r"(?![A-Za-z0-9])",
            text,
        )
        if named and "的" not in named.group(1):
            return f"{named.group(1)} {best}"
    return shown[best]


# Words that start a Chinese predicate: a sentence too long for a title is cut before
# the first of them, which leaves its subject ("混合专家模型 MoE | 通过门控网络…").
_PREDICATE = re.compile(
    r"通过|采用|使用|利用|借助|有着|具有|拥有|已经|成为|可以|能够|需要|旨在|用于|是|把|将|被"
    r"|让|使得|往往|总是|不仅|主要|会"
)
_CONJUNCTION = re.compile(r"以及|并且|而且|和|与|并")
# Latin words a title does not end with; a long Latin sentence is cut before one.
_LATIN_LINK = frozenset(
    re.findall(
        r"\w+",
        "a an the and or but of to in on at by for from with via using which that who whose "
        "where when while during instead into than as is are was were be been",
    )
)
_LATIN_CUT = re.compile(r"\s(?=(?:" + "|".join(sorted(_LATIN_LINK)) + r")\b)", re.IGNORECASE)
_MIN_SUBJECT = 4


def is_latin(text: str) -> bool:
    """True when ``text`` is mostly Latin words (so titles are measured in words)."""
    han = len(HAN_CHAR.findall(text))
    return han * 3 < len(re.findall(r"[A-Za-z]", text))


def _trim_latin(clause: str, limit: int) -> str:
    """Cut a Latin ``clause`` to ``limit`` between words, before a preposition when one fits."""
    cuts = [m.start() for m in _LATIN_CUT.finditer(clause, 0, limit + 1)]
    cuts = [c for c in cuts if len(clause[:c].split()) >= 3]
    if cuts:
        return clause[: cuts[-1]]
    head = clause[: limit + 1]
    space = head.rfind(" ")
    cut = clause[:space] if space > 0 else head[:limit]
    while cut.split() and cut.split()[-1].lower() in _LATIN_LINK and len(cut.split()) > 1:
        cut = cut.rsplit(" ", 1)[0]
    return cut


def _trim(clause: str, limit: int) -> str:
    """Cut ``clause`` to ``limit`` at a natural boundary, never inside a word.

    Where the subject ends (before the first predicate word), else before a
    conjunction, else at the last word boundary that fits.
    """
    if len(clause) <= limit:
        return clause
    if is_latin(clause):
        return _trim_latin(clause, limit)
    boundaries = word_starts(clause)
    for match in _PREDICATE.finditer(clause, _MIN_SUBJECT, limit + 1):
        if match.start() in boundaries:
            return clause[: match.start()]
    for match in reversed(list(_CONJUNCTION.finditer(clause, limit // 2, limit + 1))):
        if match.start() in boundaries:
            return clause[: match.start()]
    fitting = [b for b in boundaries if _MIN_SUBJECT <= b <= limit]
    return clause[: max(fitting)] if fitting else clause[:limit]


# Where a title taken from prose must end: a link, a formula, a hole the scrape left.
_TITLE_STOP = re.compile(URL.pattern + r"|\\[(\[]|\$\$|\\begin\{|\[(?:代码|公式|Math)\]")


def _first_clause(text: str, rules: Rules) -> str:
    stops = [m.start() for m in _TITLE_STOP.finditer(text)]
    stops += [run.start for run in find_tex(text)]  # a formula that lost its delimiters
    for stop in sorted(stops):
        if len(tidy(text[:stop])) >= _MIN_SUBJECT:
            text = text[:stop]
            break
    for opener in rules.openers:
        match = re.match(re.escape(opener) + r"\s*[,，:：]?\s*", text)
        if match and len(text) > match.end():
            text = text[match.end() :]
            break
    # A concessive or linking word opens a clause, never a title.
    text = re.sub(r"\A(?:而|但|所以|因此|那么|尽管|虽然|虽说)\s*", "", text)
    sentence = tidy(first_sentence(text))
    limit = rules.max_title_length if is_latin(sentence) else rules.max_clause_length
    if len(sentence) <= limit:
        return sentence
    clause = tidy(_CLAUSE.split(sentence, maxsplit=1)[0])
    if len(clause) <= limit:
        return clause
    for candidate in re.split(r"(?<=[。！？!?])\s*", text)[:3]:
        if re.search(r"[？?]\s*$", candidate):
            question = tidy(_CLAUSE.split(candidate, maxsplit=1)[0])
            if 4 <= len(question) <= limit:
                return question
    return tidy(_trim(clause, limit))


# A site's name glued to a title: "某某博客 | 标题", "标题 - 知乎专栏", "Example：标题".
_SITE_SEPARATOR = re.compile(r"\s*[|｜]\s*|\s+[-–—_]\s+")
_SITE_WORD = re.compile(
    r"(?:博客|专栏|社区|官网|文档|知乎|CSDN|掘金|博客园|简书|公众号|Blog|Docs|Wiki|Medium)\Z",
    re.IGNORECASE,
)
_HOST_NOISE = {"www", "docs", "blog", "en", "zh", "cn", "m", "com", "org", "net", "io", "ai"}


def _host_names(url: str | None) -> set[str]:
    """The names a site goes by in its host: {"dify"} for docs.dify.ai."""
    if not url:
        return set()
    host = (urlsplit(url).hostname or "").lower()
    parts = host.split(".")
    return {p for p in parts[:-1] if p not in _HOST_NOISE and len(p) >= 2}


def _is_site_name(name: str, hosts: set[str]) -> bool:
    name = name.strip()
    squashed = re.sub(r"[\s'’._\-]", "", name).lower()
    return bool(name) and (squashed in hosts or bool(_SITE_WORD.search(name)))


def _site_prefix(text: str, url: str | None, rules: Rules) -> tuple[int, bool] | None:
    """(end, definite) of a site's name opening ``text``: "CSDN博客：…", "Example：…".

    Definite when the name says it is a site (博客, 专栏, the bookmarked host); a Latin
    name that the text never mentions again ("Example：旋转位置编码…") is taken for one
    too, for the title only: "Chameleon:生成理解统一模型…" goes on about Chameleon.
    """
    match = re.match(r"([^\s:：|｜]{2,16})\s*(?:[:：]|[|｜])\s*(?=\S)", text)
    if not match:
        return None
    name = match.group(1)
    if name in (*rules.labels, *rules.title_labels, *rules.section_names):
        return None
    if _is_site_name(name, _host_names(url)):
        return match.end(), True
    rest = text[match.end() :]
    if (
        re.fullmatch(r"[A-Za-z][A-Za-z0-9.\-]*", name)
        and name.lower() not in rest.lower()
        and not _DEFINITION_VERB.match(rest)
        and not re.match(r"属于", rest)
    ):
        return match.end(), False
    return None


def without_site_name(title: str, url: str | None = None) -> str:
    """``title`` without the name of the site it was scraped from."""
    hosts = _host_names(url)
    parts = _SITE_SEPARATOR.split(title)
    if len(parts) >= 2:
        kept = [p for p in parts if not _is_site_name(p, hosts)]
        if kept and len(kept) < len(parts):
            title = " ".join(kept)
    prefix = re.match(r"([^:：\s]{2,24})\s*[:：]\s*(?=\S)", title)
    if prefix and _is_site_name(prefix.group(1), hosts):
        title = title[prefix.end() :]
    return tidy(title)


def derive_title(text: str, rules: Rules, latin_vocabulary: frozenset[str] = frozenset()) -> Title:
    """The title a reader would give ``text`` (a card's excerpt); see the module docstring."""
    body = re.sub(r"(?:\.\.\.|…)+\s*\Z", "", text).strip()
    rest, offset, url = strip_markers(body, rules)
    dropped = 0  # length of a site prefix the body loses with the title's heading
    prefix = _site_prefix(rest, url, rules)
    if prefix:
        end, definite = prefix
        after, more, _ = strip_markers(rest[end:], rules)
        if definite and offset == 0:
            dropped = end
        if not (definite and offset == 0 and more == 0):
            offset += end + more  # the heading, if any, stays in the body
        rest = after
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
        end = dropped + numbering + heading[1] if offset == 0 else dropped
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
    shown = without_site_name(title.text, url)
    return Title(shown or title.text, title.rule, title.heading_end or dropped)
