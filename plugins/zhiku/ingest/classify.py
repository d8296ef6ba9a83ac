"""Tags and inferred categories, matched with jieba against an article's title and text.

The words come from the user-editable vocabulary and taxonomy (``rules``).
Matching uses a jieba tokenizer of our own that knows every vocabulary word,
so ``梯度检查点`` is one word even though jieba's stock dictionary splits it;
jieba's process-global dictionary is never touched.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from zhiku.ingest.rules import Rules
from zhiku.text.chars import HAN
from zhiku.text.segment import jieba, new_tokenizer

_HAN_WORD = re.compile(rf"\A[{HAN}]+\Z")


@dataclass(frozen=True, slots=True)
class Scored:
    name: str
    title_hits: int
    text_hits: int

    @property
    def score(self) -> int:
        return 3 * self.title_hits + self.text_hits


class Matcher:
    """Counts vocabulary words in text; build once per run (loading jieba takes a second)."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        words = {w for _, ws in (*rules.tags, *rules.categories) for w in ws}
        words |= {name for name, _ in rules.tags}
        # Han words are matched as jieba tokens (so 卷积 does not match inside 卷积核);
        # everything else as a phrase between Latin word boundaries, because a Latin
        # word added to jieba splits longer runs ("RL" would cut "CTRL" into CT|RL).
        self.tokenizer: jieba.Tokenizer = new_tokenizer(w for w in words if _HAN_WORD.match(w))
        self.phrases = sorted({w.lower() for w in words if not _HAN_WORD.match(w)})
        self._phrase_res = {
            p: re.compile(r"(?<![a-z0-9])" + re.escape(p) + r"(?![a-z0-9])") for p in self.phrases
        }
        self._recent: dict[str, Counter[str]] = {}

    def count(self, text: str) -> Counter[str]:
        """How often each vocabulary word occurs in ``text`` (Latin words lower-cased)."""
        cached = self._recent.get(text)
        if cached is not None:  # tags() and category() look at the same texts
            return cached
        counts: Counter[str] = Counter(
            token for token in self.tokenizer.cut(text, HMM=False) if _HAN_WORD.match(token)
        )
        lowered = text.lower()
        for phrase, pattern in self._phrase_res.items():
            if phrase in lowered:  # a substring test first: most phrases are absent
                counts[phrase] += len(pattern.findall(lowered))
        if len(self._recent) >= 4:
            self._recent.clear()
        self._recent[text] = counts
        return counts

    def _score(
        self,
        entries: tuple[tuple[str, tuple[str, ...]], ...],
        title: Counter[str],
        text: Counter[str],
    ) -> list[Scored]:
        scored = []
        for name, words in entries:
            keys = (
                {w.lower() for w in (*words, name)}
                if entries is self.rules.tags
                else {w.lower() for w in words}
            )
            scored.append(Scored(name, sum(title[k] for k in keys), sum(text[k] for k in keys)))
        return scored

    def tags(self, title: str, text: str) -> tuple[str, ...]:
        """Up to ``max_tags`` tags, best first (ties in vocabulary order)."""
        title_counts, text_counts = self.count(title), self.count(text)
        scored = [
            s
            for s in self._score(self.rules.tags, title_counts, text_counts)
            if s.title_hits or s.text_hits >= self.rules.tag_min_hits
        ]
        order = {name: n for n, (name, _) in enumerate(self.rules.tags)}
        scored.sort(key=lambda s: (-s.score, order[s.name]))
        return tuple(s.name for s in scored[: self.rules.max_tags])

    def category(self, title: str, text: str) -> str | None:
        """The taxonomy's best category for the article, or None below ``min_score``."""
        scored = self._score(self.rules.categories, self.count(title), self.count(text))
        if not scored:
            return None
        best = max(scored, key=lambda s: s.score)  # first of equals: taxonomy order
        return best.name if best.score >= self.rules.category_min_score else None
