"""$…$ math by the usual rules, escaped brackets, and where code and math are."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.mathmark import Kind, normalize, protected_spans


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("能量 $E=mc^2$ 守恒", r"能量 \(E=mc^2\) 守恒"),
        ("价格从 $5 涨到 $10，不是公式", "价格从 $5 涨到 $10，不是公式"),
        ("$x$5 元", "$x$5 元"),  # a digit after the closing
        ("$5/$10", "$5/$10"),
        # Spaces inside the dollars, as notes written for MathJax have them: math when
        # what they hold reads as TeX, text when it reads as prose or money.
        ("输出 $z_t $，输入 $h_t $。", r"输出 \(z_t \)，输入 \(h_t \)。"),
        (r"$ \left[z_t h_t\right] $ 是", r"\( \left[z_t h_t\right] \) 是"),
        ("奖励 $-$1 分", r"奖励 \(-\)1 分"),
        ("a $ 5 元 $ b", "a $ 5 元 $ b"),
        ("$HOME_DIR and $PATH", "$HOME_DIR and $PATH"),
        ("$ 中文 $", "$ 中文 $"),
        (r"\$5 和 $y$", r"\$5 和 \(y\)"),
        (r"$a \$ b$", r"\(a \$ b\)"),  # an escaped dollar inside a formula
        ("`$x$` 与 $y$", r"`$x$` 与 \(y\)"),
        ("```python\nprice = '$x$'\n```\n$z$", "```python\nprice = '$x$'\n```\n\\(z\\)"),
        ("  ~~~\n  $x$\n  ~~~", "  ~~~\n  $x$\n  ~~~"),  # a fence in a list item
        ("$a\n\nb$", "$a\n\nb$"),  # never across a blank line
        ("$a\nb$", "\\(a\nb\\)"),
        ("$$x^2$$ 和 $y$", r"$$x^2$$ 和 \(y\)"),
        (r"\(a $b$ c\)", r"\(a $b$ c\)"),  # dollars inside other math stay
        (r"见 \[NOI2014\] 一题", "见 &#91;NOI2014&#93; 一题"),
        (r"\[NOI2014\] 动物园", "&#91;NOI2014&#93; 动物园"),
        (r"\[ x^2 \]", r"\[ x^2 \]"),  # display math alone on its line
        (r"由 \[x=1\] 得", r"由 \[x=1\] 得"),  # a TeX marker: math
        ("\\[\nNOI\n\\]", "\\[\nNOI\n\\]"),  # over lines: math
    ],
)
def test_normalize(source: str, expected: str) -> None:
    assert normalize(source) == expected


def test_line_count_never_changes() -> None:
    source = "# 题\n\n$a\nb$ 与 \\[NOI\\] 文\n\n```\n$c$\n```\n"
    assert normalize(source).count("\n") == source.count("\n")


def test_spans_say_what_is_code_and_math() -> None:
    text = "`a` $b$ \\(c\\) $$d$$ x"
    kinds = [(text[s.start : s.end], s.kind) for s in protected_spans(text)]
    assert kinds == [
        ("`a`", Kind.CODE),
        ("$b$", Kind.DOLLAR),
        ("\\(c\\)", Kind.MATH),
        ("$$d$$", Kind.MATH),
    ]


def test_unclosed_fence_is_code_to_the_end() -> None:
    text = "$a$\n```\n$b$\n"
    assert [s.kind for s in protected_spans(text)] == [Kind.DOLLAR, Kind.FENCE]


# Text made of what the rules are about: dollars, backslashes, brackets, backticks,
# fences, digits, spaces, blank lines and a little prose.
_PIECES = st.sampled_from(
    [
        *["$", "$$", "\\", "\\$", "\\(", "\\)", "\\[", "\\]", "`", "```\n", "\n", "\n\n", " "],
        *["5", "x", "^2", "{a}", "价格", "NOI", "[[x]]"],
    ]
)
_TEXT = st.lists(_PIECES, max_size=40).map("".join)


@given(_TEXT)
def test_normalize_keeps_lines_is_idempotent_and_only_touches_dollars_and_brackets(
    text: str,
) -> None:
    once = normalize(text)
    assert once.count("\n") == text.count("\n")
    assert normalize(once) == once
    if "$" not in text and "\\[" not in text:
        assert once == text
    spans = protected_spans(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans)), spans
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
