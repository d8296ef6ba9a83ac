"""Where code and math are (one reading for the page and for plain text), $…$ math by
the usual rules and escaped brackets."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiku.text.headings import fit_headings
from zhiku.text.mathmark import Kind, formulas, normalize, protected_spans


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
        # In a table, a formula's "|" is \vert, so the row is not split there.
        (
            "| a | b |\n| - | - |\n| 1 | $|x|$ |",
            "| a | b |\n| - | - |\n| 1 | \\(\\vert x\\vert \\) |",
        ),
        ("$|x|$ 不在表里", "\\(|x|\\) 不在表里"),
        # An escaped backslash before a formula is an entity, so mdx_math reads it.
        ("路径 \\\\$x$", "路径 &#92;\\(x\\)"),
        # Blank lines in a display block are TeX comments, so it is one block.
        ("$$\n\\def\\a{1}\n\n\\def\\b{2}\n$$", "$$\n\\def\\a{1}\n%\n\\def\\b{2}\n$$"),
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


def test_a_fence_never_closed_is_text_as_superfences_reads_it() -> None:
    # The page shows "```" and what follows as paragraphs, so its formulas are formulas.
    text = "$a$\n```\n$b$\n"
    assert [s.kind for s in protected_spans(text)] == [Kind.DOLLAR, Kind.DOLLAR]
    # Only the same fence closes one: "````" does not close "```".
    text = "```\n$a$\n````\n$b$\n```\n$c$"
    assert [(s.kind, s.inner) for s in protected_spans(text)] == [
        (Kind.FENCE, "$a$\n````\n$b$"),
        (Kind.DOLLAR, "c"),
    ]


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
def test_normalize_keeps_lines_and_changes_only_formulas_and_brackets(text: str) -> None:
    once = normalize(text)
    assert once.count("\n") == text.count("\n")
    spans = protected_spans(text)
    assert all(a.end <= b.start for a, b in itertools.pairwise(spans)), spans
    assert all(0 <= s.start < s.end <= len(text) for s in spans)
    if not any(s.is_formula or s.kind is Kind.BRACKET for s in spans):
        assert once == text
    if not any(s.kind is Kind.BRACKET for s in spans):
        # Read again, the result is the same (the entities written for an escaped
        # bracket may pair the dollars around it anew, so not with one).
        assert normalize(once) == once


# Which dollars, brackets and parentheses are formulas: the math contract's rules.


def inner(text: str) -> list[str]:
    return [span.inner for span in formulas(text)]


def kinds(text: str) -> list[tuple[Kind, bool]]:
    return [(span.kind, span.display) for span in protected_spans(text)]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("设 $x^2$ 为平方", ["x^2"]),
        ("协方差 $\\boldsymbol{\\Sigma}$ 与 $\\mu$", ["\\boldsymbol{\\Sigma}", "\\mu"]),
        ("$$\n\\sum_{i=1}^n x_i\n$$", ["\\sum_{i=1}^n x_i"]),
        ("$$ \\sum_i x_i $$ 行内写的显示公式", [" \\sum_i x_i "]),
        # A block on lines of its own may hold blank lines, but not a heading.
        ("$$\n\\def\\a{1}\n\n\\def\\b{2}\n$$", ["\\def\\a{1}\n\n\\def\\b{2}"]),
        ("\\[\na\n\nb\n\\]", ["a\n\nb"]),
        ("$$\n孤立\n\n## 标题\n\n$$\nx\n$$", ["x"]),
        ("行内 \\(a+b\\) 与显示 \\[ c^2 \\]", ["a+b", " c^2 "]),
        (
            "\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}",
            ["\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}"],
        ),
        # Prices: the closing dollar may not follow a space nor precede a digit.
        ("门票 $5 and $10，共 $15", []),
        ("从$5涨到$10了", []),
        # An escaped dollar never opens nor closes.
        ("价格 \\$3 与 \\$4", []),
        ("$a \\$ b$", ["a \\$ b"]),
        # The opening dollar is not followed by a space, unless what it holds reads as
        # TeX (notes written for MathJax): "$ x$" is math, "$ 5 元$" is not.
        ("$ 5 元$ 不是", []),
        ("$ x$ 是", [" x"]),
        # No formula spans a blank line.
        ("开头 $x\n\ny$ 结尾", []),
        # Nothing inside code is math.
        ("代码 `$x$` 与 ``$`y`$``", []),
        ("```\n$x$ \\(y\\)\n```\n之后 $z$", ["z"]),
        ("~~~python\nprint('$a$')\n~~~", []),
        ("> ```\n> $a$\n> ```", []),
        # A fence never closed is text, as superfences reads it.
        ("```\n$a$\n", ["a"]),
        # An escaped backslash does not escape the dollar after it.
        ("\\\\$x$", ["x"]),
        # A double wiki bracket inside math is TeX, not a link.
        ("环 $R[[x]]$ 是形式幂级数环", ["R[[x]]"]),
    ],
)
def test_what_is_a_formula(text: str, found: list[str]) -> None:
    assert inner(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "题目见 \\[NOI2014\\] 起床困难综合症。",
        "\\[1\\] Vaswani et al. Attention is all you need.",
        "参考 \\[HNOI2008\\]",
    ],
)
def test_a_bracketed_name_in_a_sentence_is_text(text: str) -> None:
    assert inner(text) == []
    assert kinds(text) == [(Kind.BRACKET, False)]


@pytest.mark.parametrize(
    "text",
    [
        "\\[NOI2014\\]",  # alone on its line: display math, as the author wrote it
        "其中 \\[x_i\\] 是样本",  # a TeX marker inside: a formula
        "得 \\[E = mc^2\\]。",
        "\\[\nNOI\n\\]",
    ],
)
def test_a_bracket_alone_or_with_tex_is_display_math(text: str) -> None:
    assert kinds(text) == [(Kind.MATH, True)]


def test_a_formula_line_starting_with_hash_is_no_heading() -> None:
    # Markdown would read "# b" as a heading; the page keeps the formula whole, and so
    # does heading fitting (zhiku.text.headings), which leaves "## 节" where it is.
    body = "$a\n# b$ 是公式\n\n## 节\n"
    assert normalize(body) == "\\(a\n # b\\) 是公式\n\n## 节\n"
    assert fit_headings(body, "别的标题") == body
