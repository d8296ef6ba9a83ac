"""Which dollars, brackets and parentheses are formulas: the math contract's rules."""

from __future__ import annotations

import pytest

from zhiku.text.formulas import formulas, scan


def inner(text: str) -> list[str]:
    return [span.inner for span in formulas(text)]


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
        # The opening dollar is not followed by a space.
        ("$ x$ 不是", []),
        # No formula spans a blank line.
        ("开头 $x\n\ny$ 结尾", []),
        # Nothing inside code is math.
        ("代码 `$x$` 与 ``$`y`$``", []),
        ("```\n$x$ \\(y\\)\n```\n之后 $z$", ["z"]),
        ("~~~python\nprint('$a$')\n~~~", []),
        ("> ```\n> $a$\n> ```", []),
        # An unclosed fence runs to the end of the text.
        ("```\n$a$\n", []),
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
    assert [span.kind for span in scan(text)] == ["bracket"]


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
    assert [span.kind for span in scan(text)] == ["display"]
