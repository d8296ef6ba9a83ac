"""A year of scrapes: drive the real ``zhiku ingest`` day after day and check it.

Shared by ``scripts/sim_ingest.py`` (the long run) and
``tests/sim/test_year_of_scrapes.py`` (a short run). Everything is
deterministic for a given seed, except when a SIGKILL lands.

The world:

- A **pool** of articles, the ground truth: full text (Chinese technical prose
  from the seed dumps' sentences, some English, some bare TeX that lost its
  delimiters), category, date, tags, source URL. Each article's opening holds
  a unique marker ``第N号笔记`` (after the first sentence when that is a long
  one), so any file can be traced back to its article.
- **Daily dumps** of a sliding LATEST UPDATES window in the seeds' text format
  (chrome lines, then per card a category line, an ISO date line and the
  excerpt, newest first), some days JSON Lines instead. Each appearance is cut
  at a random length (``...`` when cut). Metadata is full on most cards and
  missing or broken on others: a category line with no date, a date alone, an
  impossible date (2026-02-30), a site-name prefix on the excerpt
  (``Example：``), control characters (ESC, backspace); in JSON Lines a lone
  surrogate where an emoji was cut (``"\\ud83d"``), a raw U+2028 inside a
  string, an impossible date.
- **Card shapes** of unseen dumps (issue 20): an opening sentence longer than a
  title, written with spaces around its Latin words (``第N号笔记 扩散模型是 Python
  中一种…,…。``); papers linked on arXiv; a paper's notes whose lines the scrape
  glued together (``…for GenerationGithub:https://…``), some written over several
  lines of the dump instead; near-duplicate cuts whose last character the cut broke
  (``…\ufffd...``), which must merge with the article's longer cuts.
- **Events** between and during runs: hand edits to random files (title, tags,
  description added, body appended, an unknown key added), a run killed with
  SIGKILL at a random moment (then the same dumps are ingested again), two
  runs started at once on two different dumps of the same day.

After every day the content folder is checked against the pool (invariants of
issue 9): (1) knowledge only grows, (2) every card accounted for and one file
per article, (3) exit status, no traceback, no XML-forbidden character,
(4) hand edits survive, (5) no duplicates or temporary files after killed or
concurrent runs, (6) every file parses, (7) no sentence cut between title and body,
no lines glued together in a body, no paper metadata ingest could not know (in the
front matter and in the built site's BibTeX).
"""

from __future__ import annotations

import datetime as dt
import html
import itertools
import json
import os
import random
import re
import resource
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "fixtures" / "seeds"
START = dt.date(2025, 1, 1)
CHROME = ("INCOMING TRANSMISSION", "", "LATEST UPDATES")
CATEGORIES = (
    "Large Model",
    "Generative Model",
    "Self-Supervised",
    "Computer Vision",
    "Deep Learning",
    "Reinforcement Learning",
    "Python",
)
TOPICS = (
    "注意力机制",
    "扩散模型",
    "显存优化",
    "生成对抗网络",
    "强化学习",
    "对比学习",
    "混合专家模型",
    "位置编码",
    "梯度检查点",
    "Python 装饰器",
    "目标检测",
    "指令微调",
)
TAGS = ("注意力", "Transformer", "扩散模型", "显存优化", "MoE", "强化学习", "Python", "LoRA")
ENGLISH = (
    "The model is trained with AdamW and a cosine learning rate schedule.",
    "In practice the batch size matters less than the number of training tokens.",
    "This trick reduces peak memory at the cost of one extra forward pass.",
    "The authors report results on ImageNet and COCO with the same backbone.",
    "Mixed precision training keeps a master copy of the weights in FP32.",
)
# Formulas that lost their \( \) delimiters in the scrape, as the Kimi k1.5 seed shows.
BARE_TEX = (
    "其核心公式为 q_i = W_q h_i + b_q ,其中 W_q 是可学习的投影矩阵。",
    "训练集记为 D = \\{(x_i, y_i)\\}_{i=1}^n ,每个样本由输入和标签组成。",
    "损失函数写作 L = -\\sum_i y_i \\log p_i ,即交叉熵。",
    "隐变量序列为 z = (z_1, z_2, ..., z_m) ,长度与输入一致。",
    "缩放因子取 \\frac{1}{\\sqrt{d_k}} ,避免点积过大。",
)
SITE_PREFIXES = ("Example：", "CSDN博客：", "知乎专栏：")
# Front-matter keys the simulation's hand edits use.
EDIT_KINDS = ("title", "tags", "description", "body", "unknown")
# Card kinds; coverage counts them so a short run can prove it met each one.
META_KINDS = ("full", "none", "category-only", "date-only", "bad-date", "first-cut")
HOSTILE_KINDS = ("site-prefix", "esc", "backspace", "surrogate", "u2028", "jsonl-bad-date")
# Shapes of articles and cards that unseen dumps showed (issue 20).
SHAPE_KINDS = ("sentence-title", "paper", "notes-glued", "notes-lines", "near-cut")
# The opening sentence of a "sentence-title" article: longer than a title, Latin words
# spaced from the Han text around them.
LONG_OPENINGS = (
    "是 {latin} 中一种用来修改函数行为的写法,它本质上是一个接收函数并返回新函数的高阶函数。",
    "是在 {latin} 上训练大模型时最常用的技巧之一,可以在几乎不损失精度的情况下节省显存。",
    "指的是 {latin} 里把一个大问题拆成若干小问题的做法,每个小问题都可以单独求解。",
)
LATIN_WORDS = ("Python", "PyTorch", "GPU", "Transformer", "CUDA")
PAPER_TITLES = (
    "Optimizing Continuous Prompts for Generation",
    "Learning Transferable Visual Models",
    "Scaling Instruction Finetuned Language Models",
)
ACCEPTED = frozenset({"written", "merged", "unchanged", "updated", "created"})
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MARKER = re.compile(r"第(\d+)号笔记")
_HAN = re.compile(r"[\u4e00-\u9fff]{4,}")
_NOT_WORD = re.compile(r"[^0-9a-z\u4e00-\u9fff]+")
_SENTENCE = re.compile(r"(?<=[。！？!?.])\s+|(?<=[。！？])")


def normal(text: str) -> str:
    """What survives any rendering: Han characters, Latin letters and digits, lower case."""
    return _NOT_WORD.sub("", html.unescape(text).lower())


# ---------------------------------------------------------------------------
# The pool


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    tex: bool  # holds a bare formula: only its Han runs are sure to survive typesetting


@dataclass(frozen=True, slots=True)
class PoolArticle:
    number: int
    sentences: tuple[Sentence, ...]
    category: str
    date: dt.date
    tags: tuple[str, ...]
    url: str | None
    emoji_at: int | None  # an emoji in the text (a scrape may cut inside it)
    shape: str = "plain"  # "plain", or one of SHAPE_KINDS' article shapes
    arxiv: str | None = None  # the arXiv id a "paper" article links to
    glued: tuple[int, ...] = ()  # offsets in ``text`` where the scrape lost a line break

    @property
    def first_sentence(self) -> str:
        """The opening sentence without its section word: a body must hold it whole."""
        return re.sub(r"\A(?:简介|概述|背景) ", "", self.sentences[0].text)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.sentences)

    @property
    def opening(self) -> int:
        """Length of the first sentence: every cut keeps at least this much."""
        return len(self.sentences[0].text)

    def fragments(self, length: int, skip_first: bool = False) -> list[str]:
        """Normalised pieces of ``text[:length]`` a file holding that excerpt must contain."""
        pieces: list[str] = []
        at = 0
        for index, sentence in enumerate(self.sentences):
            if at >= length:
                break
            part = sentence.text[: max(0, length - at)]
            at += len(sentence.text) + 1
            if index == 0:
                if skip_first:
                    continue
                # A title rule may drop the section word the opening starts with.
                part = re.sub(r"\A(?:简介|概述|背景) ", "", part)
            if sentence.tex:
                pieces.extend(normal(run) for run in _HAN.findall(part))
            else:
                piece = normal(part)
                # A cut in the middle of a Latin word may end the file's text anywhere.
                if len(piece) >= 6:
                    pieces.append(piece[:-2] if part[-1:].isascii() else piece)
        return [p for p in pieces if len(p) >= 4]


def seed_sentences() -> list[str]:
    """Plain prose sentences of the seed dumps (no markup, links, holes or formulas)."""
    sentences: set[str] = set()
    for path in sorted(SEEDS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = re.sub(r"(?:\.\.\.|…)+$", "", line.strip())
            for s in re.split(r"(?<=[。！？])", line):
                s = s.strip()
                plain = not re.search(r"[\[\]\\$🔖💡#*_`<>|]|http", s)
                if plain and 14 <= len(s) <= 160 and s.endswith(("。", "！", "？")):
                    sentences.add(s)
    return sorted(sentences)


def make_pool(count: int, dates: Sequence[dt.date], rng: random.Random) -> list[PoolArticle]:
    """``count`` articles, oldest first, article ``n`` dated ``dates[n]``."""
    prose = seed_sentences()
    pool = []
    for n in range(count):
        topic = rng.choice(TOPICS)
        opener = rng.choice(("", "", "简介 ", "概述 ", "背景 "))
        aspects = ("原理与实现", "的训练技巧", "在实践中的坑", "的推导", "的工程细节")
        shape = rng.choices(("plain", "sentence-title", "paper", "notes"), (70, 12, 9, 9))[0]
        if shape == "sentence-title":
            # The sentence opens the text, as in the dumps (a marker in front would read
            # as a heading); the marker follows it.
            opening = rng.choice(LONG_OPENINGS).format(latin=rng.choice(LATIN_WORDS))
            sentences = [Sentence(f"{opener}{topic}{opening}", False)]
            sentences.append(Sentence(f"这是第{n}号笔记。", False))
        else:
            first = f"{opener}第{n}号笔记 {topic}{rng.choice(aspects)}。"
            sentences = [Sentence(first, False)]
        arxiv = None
        if shape == "paper":
            arxiv = f"{rng.randint(18, 25)}{rng.randint(1, 12):02d}.{n % 100000:05d}"
            sentences.append(
                Sentence(f"论文链接 https://arxiv.org/abs/{arxiv} ,以下是笔记。", False)
            )
        elif shape == "notes":
            # A paper's notes, three lines the scrape glued together.
            title = rng.choice(PAPER_TITLES)
            sentences.append(
                Sentence(
                    f"Paper: {title}Github:https://github.com/example{n}/notes"
                    "Task & Model:BART(Summarization) 是这篇论文的实验设置。",
                    False,
                )
            )
        target = rng.randint(300, 1500)
        size = len(first)
        while size < target:
            roll = rng.random()
            if roll < 0.08:
                s = Sentence(rng.choice(ENGLISH), False)
            elif roll < 0.14:
                s = Sentence(rng.choice(BARE_TEX), True)
            else:
                s = Sentence(rng.choice(prose), False)
            sentences.append(s)
            size += len(s.text) + 1
        emoji_at = None
        if rng.random() < 0.15:
            # A tip with an emoji in the middle of the text: a scrape may cut inside it.
            at = rng.randrange(2, len(sentences)) if len(sentences) > 2 else len(sentences)
            sentences.insert(at, Sentence("😀 这个技巧很实用。", False))
            emoji_at = at
        url = f"https://example.org/notes/{n}" if rng.random() < 0.6 else None
        if arxiv and rng.random() < 0.5:
            url = f"https://arxiv.org/abs/{arxiv}"
        text = " ".join(s.text for s in sentences)
        glued = (
            tuple(
                m.start() + len(m.group(1))
                for m in re.finditer(r"(Generation|Models|notes)(?=Github:|Task)", text)
            )
            if shape == "notes"
            else ()
        )
        pool.append(
            PoolArticle(
                number=n,
                sentences=tuple(sentences),
                category=rng.choice(CATEGORIES),
                date=dates[n],
                tags=tuple(rng.sample(TAGS, rng.randint(1, 3))),
                url=url,
                emoji_at=emoji_at,
                shape=shape,
                arxiv=arxiv,
                glued=glued,
            )
        )
    return pool


# ---------------------------------------------------------------------------
# Dumps


@dataclass(frozen=True, slots=True)
class CardTruth:
    """One card as written into a dump, with the ground truth behind it."""

    article: int
    line: int  # 1-based line of the card (the excerpt's line; the JSON line)
    length: int  # the excerpt is pool text[:length]
    hostile: str | None  # a hostile kind (the card may be cleaned or rejected)
    may_reject: bool


@dataclass(slots=True)
class DumpFile:
    path: Path
    cards: list[CardTruth]


def _cut(article: PoolArticle, rng: random.Random) -> int:
    text = article.text
    if rng.random() < 0.2:
        return len(text)
    # Long enough that no other article could share it (ingest merges on shared openings).
    low = min(len(text), article.opening + 24)
    return rng.randint(low, len(text))


def _excerpt(
    article: PoolArticle, length: int, rng: random.Random, coverage: Counter[str]
) -> tuple[str, int]:
    """The excerpt of ``article`` cut at ``length`` (without the cut mark), and how much of
    the pool text it surely holds: a near-duplicate cut may end in a character the cut
    broke (U+FFFD), so that it is no prefix of the article's longer cuts."""
    coverage.update(k for k in (article.shape,) if k in SHAPE_KINDS)
    long_enough = length - 1 >= max(article.opening + 24, 48)
    if length < len(article.text) and long_enough and rng.random() < 0.08:
        coverage["near-cut"] += 1
        return article.text[: length - 1].rstrip() + "\ufffd", length - 1
    return article.text[:length].rstrip(), length


def _lines(
    article: PoolArticle, excerpt: str, kept: int, rng: random.Random, coverage: Counter[str]
) -> str:
    """A "notes" excerpt glued where the scrape lost its line breaks, or (half the time,
    when it is cut past them) with them, as a dump that kept the breaks shows them."""
    glued = [g for g in article.glued if g < kept]
    if not glued:
        return excerpt
    if len(glued) == len(article.glued) and kept > glued[-1] + 20 and rng.random() < 0.5:
        coverage["notes-lines"] += 1
        return "\n".join(excerpt[a:b] for a, b in itertools.pairwise([0, *glued, len(excerpt)]))
    coverage["notes-glued"] += 1
    return excerpt


def write_text_dump(
    path: Path, window: Sequence[PoolArticle], rng: random.Random, coverage: Counter[str]
) -> DumpFile:
    lines: list[str] = list(CHROME) if rng.random() < 0.85 else []
    cards: list[CardTruth] = []
    for index, article in enumerate(window):
        length = _cut(article, rng)
        excerpt, kept = _excerpt(article, length, rng, coverage)
        cut = length < len(article.text)
        # Over several lines only when cut: a dump shows a card's end by its cut mark.
        excerpt = _lines(article, excerpt, kept, rng, coverage) if cut else excerpt
        if cut:
            excerpt += "..."
        roll = rng.random()
        meta = (
            "first-cut"
            if index == 0 and rng.random() < 0.4
            else "none"
            if roll < 0.15
            else "category-only"
            if roll < 0.22
            else "date-only"
            if roll < 0.28
            else "bad-date"
            if roll < 0.34
            else "full"
        )
        coverage[meta] += 1
        if meta in ("full", "category-only", "bad-date"):
            lines.append(article.category)
        if meta in ("full", "date-only"):
            lines.append(article.date.isoformat())
        if meta == "bad-date":
            lines.append(f"{article.date.year}-02-30")
        hostile = None
        roll = rng.random()
        if roll < 0.05:
            hostile = "site-prefix"
            excerpt = rng.choice(SITE_PREFIXES) + excerpt
        elif roll < 0.08:
            rng.choice(("esc", "backspace"))  # drawn as before: each seed's world stays
            # ESC and backspace in turn, so that a short run meets both.
            hostile = "backspace" if coverage["esc"] > coverage["backspace"] else "esc"
            at = min(len(excerpt), article.opening + rng.randint(0, 20))
            excerpt = excerpt[:at] + ("\x1b" if hostile == "esc" else "\b") + excerpt[at:]
        if hostile:
            coverage[hostile] += 1
        first = len(lines) + 1  # a card spread over lines is named by its first
        lines.extend(excerpt.split("\n"))
        cards.append(
            CardTruth(
                article.number,
                first,
                kept,
                hostile,
                may_reject=hostile in ("esc", "backspace"),
            )
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return DumpFile(path, cards)


def write_jsonl_dump(
    path: Path, window: Sequence[PoolArticle], rng: random.Random, coverage: Counter[str]
) -> DumpFile:
    rows: list[str] = []
    cards: list[CardTruth] = []
    for article in window:
        length = _cut(article, rng)
        text, kept = _excerpt(article, length, rng, coverage)
        text = _lines(article, text, kept, rng, coverage)
        hostile = None
        ascii_only = False
        emoji = article.text.find("😀")
        if emoji >= article.opening + 24 and rng.random() < 0.3:
            # Cut inside the emoji: the scraper wrote its high surrogate alone.
            length = kept = emoji
            text = article.text[:length] + "\ud83d"
            hostile, ascii_only = "surrogate", True
        elif rng.random() < 0.06:
            hostile = "u2028"
            at = min(len(text), article.opening)
            text = text[:at] + "\u2028" + text[at:]
        if length < len(article.text):
            text += "..."
        record: dict[str, Any] = {"text": text}
        if rng.random() < 0.7:
            record["category"] = article.category
        if rng.random() < 0.7:
            record["date"] = article.date.isoformat()
        if hostile is None and rng.random() < 0.05:
            hostile = "jsonl-bad-date"
            record["date"] = f"{article.date.year}-02-30"
        if rng.random() < 0.7:
            record["tags"] = list(article.tags)
        if article.url and rng.random() < 0.7:
            record["url"] = article.url
        if hostile:
            coverage[hostile] += 1
        rows.append(json.dumps(record, ensure_ascii=ascii_only))
        cards.append(
            CardTruth(
                article.number,
                len(rows),
                kept,
                hostile,
                may_reject=hostile in ("surrogate", "u2028", "jsonl-bad-date"),
            )
        )
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return DumpFile(path, cards)


# ---------------------------------------------------------------------------
# Runs


@dataclass(slots=True)
class Run:
    dumps: list[DumpFile]
    report: Path
    returncode: int | None = None
    stderr: str = ""
    seconds: float = 0.0


def ingest_command(dumps: Sequence[DumpFile], content: Path, report: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "zhiku.cli",
        "ingest",
        *(str(d.path) for d in dumps),
        "--content",
        str(content),
        "--report",
        str(report),
    ]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONWARNINGS="ignore", PYTHONIOENCODING="utf-8")


def start(run: Run, content: Path) -> subprocess.Popen[bytes]:
    run.report.unlink(missing_ok=True)
    return subprocess.Popen(
        ingest_command(run.dumps, content, run.report),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=_env(),
    )


def finish(run: Run, process: subprocess.Popen[bytes], began: float) -> None:
    _, err = process.communicate()
    run.seconds = time.perf_counter() - began
    run.returncode = process.returncode
    run.stderr = err.decode("utf-8", "replace")


# ---------------------------------------------------------------------------
# Checks


@dataclass(frozen=True, slots=True)
class Violation:
    day: int
    invariant: int
    file: str
    message: str

    def __str__(self) -> str:
        return f"day {self.day}: invariant {self.invariant}: {self.file}: {self.message}"


@dataclass(slots=True)
class HandEdit:
    day: int
    kind: str
    value: Any


@dataclass(slots=True)
class Seen:
    """What the simulation knows an article's file must hold."""

    length: int = 0  # longest excerpt ingested (pool text[:length])
    evidence: str = ""  # the card it came from (dump:line)
    frozen: int | None = None  # body edited by hand at this evidence length
    title_edited: bool = False
    tags: set[str] = field(default_factory=set)
    source: str | None = None
    real_date: str | None = None


@dataclass(slots=True)
class FileView:
    text: str
    meta: dict[str, Any] | None
    body: str
    problem: str | None
    forbidden: str | None = None  # the first XML-forbidden character, if any
    haystack: str = ""  # normal(title) + normal(body)


_VIEWS: dict[str, tuple[tuple[int, int, int], FileView]] = {}


def view_of(path: Path, relative: str) -> FileView:
    """:func:`read_view`, cached by the file's identity, size and mtime."""
    stat = path.stat()
    key = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    cached = _VIEWS.get(str(path))
    view = cached[1] if cached and cached[0] == key else None
    if view is None:
        view = read_view(path, relative)
        bad = _XML_FORBIDDEN.search(path.read_bytes().decode("utf-8", "surrogateescape"))
        view.forbidden = bad.group() if bad else None
        title = str((view.meta or {}).get("title", ""))
        view.haystack = normal(title) + normal(view.body)
        _VIEWS[str(path)] = (key, view)
    return view


def read_view(path: Path, relative: str) -> FileView:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as err:
        return FileView("", None, "", f"not UTF-8 ({err.reason})")
    match = re.match(r"\A---[ \t]*\n(.*?\n)?---[ \t]*(?:\n|\Z)", text, re.DOTALL)
    if not match:
        return FileView(text, None, text, "no front matter")
    try:
        meta = yaml.load(match.group(1) or "", Loader=_StringDates)
    except yaml.YAMLError as err:
        return FileView(text, None, "", f"front matter is not YAML ({str(err).splitlines()[0]})")
    if not isinstance(meta, dict):
        return FileView(text, None, "", "front matter is not a mapping")
    from zhiku.articles import ArticleError, parse_article

    problem = None
    try:
        if parse_article(relative, text) is None:
            problem = "not an article (no date)"
    except ArticleError as err:
        problem = str(err)
    return FileView(text, meta, text[match.end() :], problem)


class _StringDates(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Dates stay strings, so they compare with the pool's ISO dates."""


_StringDates.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _tags(meta: Mapping[str, Any]) -> set[str]:
    tags = meta.get("tags") or []
    return {str(t) for t in tags} if isinstance(tags, list) else set()


# ---------------------------------------------------------------------------
# The simulation


@dataclass(frozen=True, slots=True)
class Scenario:
    days: int = 365
    articles: int = 5000
    window: int = 45
    seed: int = 1
    jsonl_days: float = 0.12
    edit_days: float = 0.15
    kill_days: float = 0.04
    concurrent_days: float = 0.04
    # day -> events forced on that day: "jsonl", "edit:<kind>", "kill" (at a random
    # moment or while writing), "kill:writing", "concurrent"
    forced: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    build: bool = True


@dataclass(slots=True)
class Result:
    violations: list[Violation] = field(default_factory=list)
    coverage: Counter[str] = field(default_factory=Counter)
    runs: int = 0
    cards: int = 0
    ingest_seconds: float = 0.0
    run_seconds: list[float] = field(default_factory=list)  # each accounted run, in order
    # CPU (user + sys) of the accounted runs: steadier than wall time on a shared machine.
    ingest_cpu_seconds: float = 0.0
    dumps: list[Path] = field(default_factory=list)
    files: int = 0
    build_seconds: float | None = None
    feeds: int = 0
    dump_cards: int = 0  # cards in every dump written (the anchor segments them all)
    peak_ingest_mib: float = 0.0  # largest ingest process (max RSS)
    peak_build_mib: float = 0.0

    def summary(self, limit: int = 40) -> str:
        by = Counter(v.invariant for v in self.violations)
        head = ", ".join(f"invariant {k}: {n}" for k, n in sorted(by.items())) or "none"
        lines = [f"{len(self.violations)} violations ({head})"]
        shown: Counter[int] = Counter()
        for v in self.violations:
            if shown[v.invariant] < limit // max(1, len(by)):
                shown[v.invariant] += 1
                lines.append(f"  {v}")
        return "\n".join(lines)


HOME = "---\ntitle: 模拟站\n---\n\n# 模拟站\n\n一年的抓取。\n"


class World:
    def __init__(self, scenario: Scenario, work: Path) -> None:
        self.s = scenario
        self.work = work
        self.content = work / "content"
        self.dump_dir = work / "dumps"
        self.report_dir = work / "reports"
        for folder in (self.content, self.dump_dir, self.report_dir):
            folder.mkdir(parents=True, exist_ok=True)
        (self.content / "index.md").write_text(HOME, encoding="utf-8")
        self.rng = random.Random(scenario.seed)
        # Publication schedule: `window` articles exist before day 0, the rest arrive daily.
        rest = max(0, scenario.articles - scenario.window)
        per_day = [rest // scenario.days] * scenario.days
        for d in self.rng.sample(range(scenario.days), rest % scenario.days):
            per_day[d] += 1
        self.published_by: list[int] = []
        dates: list[dt.date] = []
        for n in range(scenario.window):
            dates.append(START - dt.timedelta(days=(scenario.window - n) // 3 + 1))
        total = scenario.window
        for d, k in enumerate(per_day):
            dates.extend([START + dt.timedelta(days=d)] * k)
            total += k
            self.published_by.append(total)
        self.pool = make_pool(len(dates), dates, self.rng)
        self.result = Result()
        self.seen: dict[int, Seen] = {}
        self.file_of: dict[str, int] = {}  # content file -> pool article
        self.edits: dict[str, list[HandEdit]] = defaultdict(list)
        self.durations: list[float] = []
        self.reported: set[tuple[int, str, str]] = set()
        self.day = 0

    # -- helpers ------------------------------------------------------------

    def violation(self, invariant: int, file: str, message: str) -> None:
        # The same problem seen again on later days is reported once, on its first day.
        key = (invariant, file, message[:40])
        if key not in self.reported:
            self.reported.add(key)
            self.result.violations.append(Violation(self.day, invariant, file, message))

    def window(self, day: int) -> list[PoolArticle]:
        top = self.published_by[day]
        return list(reversed(self.pool[max(0, top - self.s.window) : top]))

    def events(self, day: int) -> set[str]:
        forced = self.s.forced.get(day)
        if forced is not None:
            return set(forced)
        rng, found = self.rng, set()
        if rng.random() < self.s.jsonl_days:
            found.add("jsonl")
        if rng.random() < self.s.edit_days:
            found.update(f"edit:{k}" for k in rng.sample(EDIT_KINDS, rng.randint(1, 2)))
        roll = rng.random()
        if roll < self.s.kill_days:
            found.add("kill")
        elif roll < self.s.kill_days + self.s.concurrent_days:
            found.add("concurrent")
        return found

    def write_dump(self, day: int, tag: str, jsonl: bool) -> DumpFile:
        suffix = "jsonl" if jsonl else "txt"
        path = self.dump_dir / f"day-{day:03d}{tag}.{suffix}"
        window = self.window(day)
        writer = write_jsonl_dump if jsonl else write_text_dump
        dump = writer(path, window, self.rng, self.result.coverage)
        # The scrape's own date: ingest falls back on the newest input's mtime.
        stamp = dt.datetime.combine(START + dt.timedelta(days=day), dt.time(12)).timestamp()
        os.utime(path, (stamp, stamp))
        self.result.dumps.append(path)
        self.result.dump_cards += len(dump.cards)
        self.result.coverage["jsonl-dump" if jsonl else "text-dump"] += 1
        return dump

    # -- hand edits ---------------------------------------------------------

    def hand_edit(self, kind: str) -> None:
        today = {a.number for a in self.window(self.day)}
        files = sorted(f for f, n in self.file_of.items() if (self.content / f).is_file())
        if not files:
            return
        preferred = [f for f in files if self.file_of[f] in today]
        relative = self.rng.choice(preferred or files)
        path = self.content / relative
        text = path.read_text(encoding="utf-8")
        match = re.match(r"\A---\n(.*?\n)---\n", text, re.DOTALL)
        if not match:
            return
        meta_lines = match.group(1).splitlines()
        body = text[match.end() :]
        if kind == "title":
            value: Any = f"手改标题{self.day}号"
            meta_lines = [f"title: {json.dumps(value, ensure_ascii=False)}"] + [
                line for line in meta_lines if not line.startswith("title:")
            ]
            self.seen.setdefault(self.file_of[relative], Seen()).title_edited = True
        elif kind == "tags":
            view = read_view(path, relative)
            old = sorted(_tags(view.meta or {}))
            value = [*old[1:], f"手选{self.day}号"]
            kept, skipping = [], False
            for line in meta_lines:
                if line.startswith("tags:"):
                    skipping = True
                    continue
                if skipping and line.startswith((" ", "-")):
                    continue
                skipping = False
                kept.append(line)
            meta_lines = [*kept, f"tags: {json.dumps(value, ensure_ascii=False)}"]
            self.seen.setdefault(self.file_of[relative], Seen()).tags = set(value)
        elif kind == "description":
            value = f"手写摘要{self.day}：这篇笔记值得再读。"
            meta_lines.append(f"description: {json.dumps(value, ensure_ascii=False)}")
        elif kind == "unknown":
            value = f"审阅人{self.day}"
            meta_lines.append(f"reviewed_by: {json.dumps(value, ensure_ascii=False)}")
        else:
            value = f"手写补充{self.day}号段落，记录复现时踩过的坑。"
            body = body.rstrip("\n") + f"\n\n{value}\n"
            seen = self.seen.setdefault(self.file_of[relative], Seen())
            seen.frozen = seen.length
        path.write_text("---\n" + "\n".join(meta_lines) + "\n---\n" + body, encoding="utf-8")
        self.edits[relative].append(HandEdit(self.day, kind, value))
        self.result.coverage[f"edit:{kind}"] += 1

    # -- a day --------------------------------------------------------------

    def run_day(self, day: int) -> None:
        self.day = day
        events = self.events(day)
        for event in sorted(events):
            if event.startswith("edit:"):
                self.hand_edit(event.split(":", 1)[1])
        main = self.write_dump(day, "", "jsonl" in events)
        if "concurrent" in events:
            other = self.write_dump(day, "-b", "jsonl" not in events)
            self.concurrent([main, other])
        elif "kill" in events or "kill:writing" in events:
            mode = "writing" if "kill:writing" in events or self.rng.random() < 0.5 else "random"
            self.killed(main, mode)
            self.account(self.sequential([main], "-rerun"))
        else:
            self.account(self.sequential([main], ""))
        self.check_files()

    def sequential(self, dumps: list[DumpFile], tag: str) -> Run:
        run = Run(dumps, self.report_dir / f"day-{self.day:03d}{tag}.json")
        began, cpu = time.perf_counter(), _children_cpu()
        finish(run, start(run, self.content), began)
        self.result.ingest_cpu_seconds += _children_cpu() - cpu
        self.durations.append(run.seconds)
        return run

    def killed(self, dump: DumpFile, mode: str) -> None:
        """SIGKILL a run: at a random moment, or as soon as it starts writing files."""
        run = Run([dump], self.report_dir / f"day-{self.day:03d}-killed.json")
        typical = statistics.median(self.durations[-10:]) if self.durations else 2.0
        delay = self.rng.uniform(0.3, 1.0) * typical
        before = set(self.content.iterdir())
        process = start(run, self.content)
        began = time.perf_counter()
        while process.poll() is None:
            elapsed = time.perf_counter() - began
            if mode == "random" and elapsed >= delay:
                break
            if mode == "writing" and set(self.content.iterdir()) != before:
                break
            time.sleep(0.002)
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        finish(run, process, began)
        self.result.coverage[f"kill:{mode}"] += 1
        landed = run.returncode == -signal.SIGKILL
        self.result.coverage["kill-landed" if landed else "kill-too-late"] += 1

    def concurrent(self, dumps: list[DumpFile]) -> None:
        runs = [
            Run([d], self.report_dir / f"day-{self.day:03d}-{i}.json") for i, d in enumerate(dumps)
        ]
        began, cpu = time.perf_counter(), _children_cpu()
        processes = [start(r, self.content) for r in runs]
        for run, process in zip(runs, processes, strict=True):
            finish(run, process, began)
        self.result.ingest_cpu_seconds += _children_cpu() - cpu
        self.result.coverage["concurrent"] += 1
        for run in runs:
            if run.report.is_file() or run.returncode == 0:
                self.account(run)
            else:
                # The run refused to start while the other held content/: one line, then retry.
                self.check_stderr(run, refused=True)
                self.account(self.sequential(run.dumps, f"-retry-{run.dumps[0].path.stem}"))

    # -- checks after a run -------------------------------------------------

    def check_stderr(self, run: Run, refused: bool = False) -> None:
        names = ", ".join(d.path.name for d in run.dumps)
        if "Traceback" in run.stderr:
            last = run.stderr.strip().splitlines()[-1]
            self.violation(3, names, f"traceback on stderr: {last[:200]}")
        elif refused and len(run.stderr.strip().splitlines()) != 1:
            self.violation(5, names, f"a refused run said {run.stderr.strip()[:200]!r}")

    def account(self, run: Run) -> None:
        self.result.runs += 1
        self.result.ingest_seconds += run.seconds
        self.result.run_seconds.append(run.seconds)
        names = ", ".join(d.path.name for d in run.dumps)
        cards = [c for d in run.dumps for c in d.cards]
        self.result.cards += len(cards)
        self.check_stderr(run)
        hostile = any(c.hostile for c in cards)
        allowed = (0, 1) if hostile else (0,)
        if run.returncode not in allowed:
            self.violation(
                3, names, f"exit status {run.returncode} ({run.stderr.strip()[-200:]!r})"
            )
        try:
            report = json.loads(run.report.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            self.violation(2, names, f"no readable --report ({err})")
            return
        records: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
        by_path = {str(d.path): d for d in run.dumps}
        for record in report.get("cards", []):
            source, line = str(record.get("input")), record.get("line")
            position = record.get("card")
            if line is None and isinstance(position, int) and source in by_path:
                # A text card may be named by its place in the dump (`dump.txt:card 7`).
                cards = by_path[source].cards
                line = cards[position - 1].line if 1 <= position <= len(cards) else None
            records[(source, int(line or 0))].append(record)
        errors = [str(e) for e in report.get("errors", [])]
        for dump in run.dumps:
            expected = {c.line: c for c in dump.cards}
            for card in dump.cards:
                self.account_card(dump, card, records.pop((str(dump.path), card.line), []), errors)
            for (source, line), extra in list(records.items()):
                if source != str(dump.path) or line in expected:
                    continue
                for record in extra:
                    if record.get("status") in ACCEPTED:
                        self.violation(
                            2,
                            f"{dump.path.name}:{line}",
                            f"a line that is not an excerpt was ingested as an article "
                            f"({record.get('status')} {record.get('file')})",
                        )

    def account_card(
        self, dump: DumpFile, card: CardTruth, records: list[dict[str, Any]], errors: list[str]
    ) -> None:
        where = f"{dump.path.name}:{card.line}"
        if not records:
            error = next((e for e in errors if e.startswith(f"{dump.path}:{card.line}:")), None)
            if error is None:
                self.violation(2, where, f"card of article {card.article} not in the report")
            elif not card.may_reject:
                self.violation(2, where, f"clean card rejected: {error[:160]}")
            return
        # A card may also carry warnings (metadata it could not use): its outcome counts.
        known = [r for r in records if r.get("status") in ACCEPTED or r.get("status") == "rejected"]
        if not known:
            statuses = [r.get("status") for r in records]
            self.violation(2, where, f"card has no outcome in the report (statuses {statuses})")
            return
        record = known[0]
        status = record.get("status")
        if status == "rejected":
            if not record.get("reason"):
                self.violation(2, where, "rejected without a reason")
            if not card.may_reject:
                reason = str(record.get("reason"))[:160]
                self.violation(2, where, f"clean card of article {card.article} rejected: {reason}")
            return
        relative = str(record.get("file") or "")
        owner = self.file_of.get(relative)
        if owner is None:
            owner = self.identify(relative)
        if owner is not None and owner != card.article:
            self.violation(
                2, where, f"card of article {card.article} went into {relative} (article {owner})"
            )
        seen = self.seen.setdefault(card.article, Seen())
        if card.length > seen.length:
            seen.length, seen.evidence = card.length, where

    def identify(self, relative: str) -> int | None:
        path = self.content / relative
        if not path.is_file():
            return None
        found = _MARKER.search(view_of(path, relative).haystack)
        if not found:
            return None
        number = int(found.group(1))
        if relative not in self.file_of and number < len(self.pool):
            self.file_of[relative] = number
        return number

    # -- checks of the whole content folder ---------------------------------

    def check_files(self) -> None:
        content = self.content
        for temp in content.rglob("*.tmp"):
            self.violation(5, str(temp.relative_to(content)), "temporary file left behind")
        state = content / ".zhiku" / "ingest-state.json"
        if state.is_file():
            try:
                json.loads(state.read_text(encoding="utf-8"))
            except ValueError as err:
                self.violation(6, ".zhiku/ingest-state.json", f"state is not JSON ({err})")
        owners: dict[int, list[str]] = defaultdict(list)
        views: dict[str, FileView] = {}
        files = sorted(
            p.relative_to(content).as_posix()
            for p in content.rglob("*.md")
            if not any(part.startswith(".") for part in p.relative_to(content).parts)
        )
        self.result.files = len(files) - 1
        for relative in files:
            if relative == "index.md":
                continue
            view = view_of(content / relative, relative)
            if view.forbidden:
                self.violation(3, relative, f"XML-forbidden character U+{ord(view.forbidden):04X}")
            if view.problem:
                self.violation(6, relative, f"does not parse: {view.problem[:200]}")
            if view.meta is None:
                continue
            number = self.file_of.get(relative)
            if number is None:
                number = self.identify(relative)
            if number is None:
                title = str(view.meta.get("title", ""))[:40]
                self.violation(2, relative, f"file holds no article of the pool (title {title!r})")
                continue
            owners[number].append(relative)
            views[relative] = view
        for number, found in owners.items():
            self.check_article(self.pool[number], {f: views[f] for f in found})
        for number, seen in self.seen.items():
            found = owners.get(number, [])
            if not found and seen.length:
                self.violation(1, f"article {number}", "ingested earlier, now has no file")
            elif len(found) > 1:
                self.violation(5, ", ".join(found), f"{len(found)} files for article {number}")

    def check_article(self, article: PoolArticle, views: Mapping[str, FileView]) -> None:
        """Invariants 1 and 4 for one article's files (more than one is reported apart)."""
        seen = self.seen.setdefault(article.number, Seen())
        # (1) the longest excerpt seen is all there, in one of the article's files
        length = seen.length if seen.frozen is None else seen.frozen
        fragments = article.fragments(length, skip_first=seen.title_edited)
        missing, relative = min(
            (
                ([f for f in fragments if f not in view.haystack], name)
                for name, view in views.items()
            ),
            key=lambda pair: len(pair[0]),
        )
        if missing:
            self.violation(
                1,
                relative,
                f"text shorter than the longest excerpt seen ({length} chars, {seen.evidence}): "
                f"{len(missing)} pieces missing, first {missing[0][:30]!r}",
            )
        metas = {name: view.meta or {} for name, view in views.items()}
        names = ", ".join(views)
        for name, view in views.items():
            self.check_shape(article, seen, name, view)
        tags = set().union(*(_tags(meta) for meta in metas.values()))
        edited = {e.kind for name in views for e in self.edits.get(name, [])}
        lost = seen.tags - tags
        if lost and "tags" not in edited:
            self.violation(1, names, f"lost tags {sorted(lost)}")
        seen.tags |= tags
        sources = {str(m["source"]) for m in metas.values() if m.get("source")}
        if seen.source and seen.source not in sources:
            self.violation(1, names, f"lost source {seen.source} (now {sorted(sources)})")
        seen.source = seen.source or min(sources, default=None)
        real = {str(m.get("date")) for m in metas.values() if not m.get("date_estimated")}
        if seen.real_date and seen.real_date not in real:
            dates = sorted(str(m.get("date")) for m in metas.values())
            self.violation(1, names, f"lost date {seen.real_date} (now estimated: {dates})")
        for name, meta in metas.items():
            date = str(meta.get("date", ""))
            if not meta.get("date_estimated") and date:
                if date != article.date.isoformat():
                    self.violation(1, name, f"date {date} is not the article's {article.date}")
                else:
                    seen.real_date = seen.real_date or date
            category = meta.get("category")
            given = category and not meta.get("category_inferred") and category != "未分类"
            if given and category != article.category:
                self.violation(
                    2, name, f"category {category!r} is not the article's {article.category!r}"
                )
            self.check_hand_edits(name, meta, views[name])

    def check_shape(self, article: PoolArticle, seen: Seen, relative: str, view: FileView) -> None:
        """(7) the opening sentence is whole in the body; no lines glued together; no paper
        metadata but the arXiv id the text or source gave."""
        meta = view.meta or {}
        if normal(article.first_sentence) not in normal(view.body):
            title = str(meta.get("title", ""))[:40]
            self.violation(7, relative, f"opening sentence not whole in the body (title {title!r})")
        for at in article.glued:
            # The label's colon must be in the excerpt: "…notesTask & Mode..." shows none.
            label_end = article.text.index(":", at) + 1
            if label_end <= seen.length and article.text[at - 6 : at + 6] in view.body:
                glue = article.text[at - 6 : at + 6]
                self.violation(7, relative, f"lines glued together in the body: {glue!r}")
        paper = meta.get("paper")
        link = article.text.find("arxiv.org")
        known = article.arxiv is not None and (
            (link >= 0 and link + 30 <= seen.length) or seen.source == article.url
        )
        if paper is None:
            if known:
                self.violation(7, relative, f"arXiv {article.arxiv} linked but no paper found")
            return
        if not isinstance(paper, dict) or paper.get("arxiv") != article.arxiv:
            self.violation(7, relative, f"paper {paper!r} is not arXiv {article.arxiv}")
        elif {"title", "authors", "venue", "year"} & set(paper):
            self.violation(7, relative, f"paper metadata ingest could not know: {paper!r}")

    def check_hand_edits(self, relative: str, meta: Mapping[str, Any], view: FileView) -> None:
        edits = {e.kind: e for e in self.edits.get(relative, [])}
        tags = _tags(meta)
        # (4) hand edits survive
        for kind, edit in edits.items():
            if kind == "title" and meta.get("title") != edit.value:
                self.violation(
                    4, relative, f"hand title {edit.value!r} became {meta.get('title')!r}"
                )
            elif kind == "tags" and not set(edit.value) <= tags:
                self.violation(4, relative, f"hand tags {edit.value} became {sorted(tags)}")
            elif kind == "description" and meta.get("description") != edit.value:
                self.violation(
                    4, relative, f"hand description lost (now {meta.get('description')!r})"
                )
            elif kind == "unknown" and meta.get("reviewed_by") != edit.value:
                self.violation(
                    4, relative, f"hand key reviewed_by lost (now {meta.get('reviewed_by')!r})"
                )
            elif kind == "body" and normal(edit.value) not in normal(view.body):
                self.violation(4, relative, "hand-written paragraph lost from the body")

    # -- the end ------------------------------------------------------------

    def build_site(self) -> None:
        """``mkdocs build --strict`` of the simulated content; every feed must parse."""
        import feedparser

        # The repository's mkdocs.yml as it is (MkDocs' INHERIT), pointed at the simulation.
        config = {
            "INHERIT": str(ROOT / "mkdocs.yml"),
            "site_url": "https://example.org/sim/",
            "docs_dir": str(self.content),
            "site_dir": str(self.work / "site"),
            "theme": {"custom_dir": str(ROOT / "theme_overrides")},
        }
        config_file = self.work / "mkdocs.yml"
        config_file.write_text(
            yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
        began = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f", str(config_file)],
            capture_output=True,
            env=dict(_env(), NO_MKDOCS_2_WARNING="1"),
            check=False,
        )
        self.result.build_seconds = time.perf_counter() - began
        if done.returncode != 0:
            err = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            self.violation(6, "mkdocs build --strict", f"exit {done.returncode}: {err}")
            return
        for feed in sorted((self.work / "site" / "feeds").glob("*")):
            where = f"site/feeds/{feed.name}"
            if feed.name == "feed.json":
                # feedparser 6.0 reads RSS and Atom only: JSON Feed gets a JSON check.
                self.result.feeds += 1
                try:
                    data = json.loads(feed.read_bytes().decode("utf-8"))
                    ok = str(data.get("version", "")).startswith("https://jsonfeed.org/version/1")
                    ok = ok and isinstance(data.get("items"), list)
                except ValueError as err:
                    data, ok = None, False
                    self.violation(3, where, f"not JSON ({err})")
                if data is not None and not ok:
                    self.violation(3, where, "not a JSON Feed (version, items)")
            elif feed.suffix == ".xml" and feed.name != "sitemap.xml":
                self.result.feeds += 1
                parsed = feedparser.parse(feed.read_bytes())
                if parsed.bozo or not parsed.version:
                    problem = f"feedparser: bozo {parsed.bozo}, {parsed.get('bozo_exception')!r}"
                    self.violation(3, where, problem[:240])
        if not self.result.feeds:
            self.violation(6, "site/feeds", "the build wrote no feed")
        self.check_citations()

    def check_citations(self) -> None:
        """(7) a paper ingest found cites only its arXiv id: no title, author or year."""
        for relative, number in sorted(self.file_of.items()):
            article = self.pool[number]
            page = self.work / "site" / relative.removesuffix(".md") / "index.html"
            if article.arxiv is None or not page.is_file():
                continue
            found = re.search(
                r'class="zk-paper__bibtex".*?<code>(.*?)</code>', page.read_text("utf-8"), re.DOTALL
            )
            if found is None:
                continue  # no paper card: the front matter check speaks for it
            self.result.coverage["bibtex"] += 1
            entry = html.unescape(found.group(1))
            if re.search(r"^\s*(?:title|author|year)\s*=", entry, re.MULTILINE):
                self.violation(7, f"site/{relative}", f"BibTeX invents metadata: {entry!r}")


def simulate(scenario: Scenario, work: Path, log: Callable[[str], None] = print) -> Result:
    """Run ``scenario`` in ``work`` (an empty folder); the result lists every violation."""
    world = World(scenario, work)
    for day in range(scenario.days):
        before = len(world.result.violations)
        world.run_day(day)
        new = world.result.violations[before:]
        log(
            f"day {day:3d}: {world.result.files} files, {world.result.runs} runs, "
            f"{len(new)} new violations" + (f" (first: {new[0]})" if new else "")
        )
    world.result.peak_ingest_mib = _peak_child_mib()
    if scenario.build:
        world.day = scenario.days
        world.build_site()
        world.result.peak_build_mib = _peak_child_mib()
    return world.result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_child_mib() -> float:
    # Linux reports ru_maxrss in KiB: the largest child waited for so far.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
