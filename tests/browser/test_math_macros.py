"""Notes written for MathJax: $…$ formulas and macros defined in one formula used in all.

A Hexo-style article writes its formulas between dollars, defines its macros
(\\newcommand, \\def, \\DeclareMathOperator, a \\newcommand over TeX's own \\S) in a
display formula near its end, and uses them above it too; the site adds \\RR in
mkdocs.yml (extra: katex_macros); MathJax-only \\label, \\eqref, \\mbox, \\mathbbm and
eqnarray appear too. Every formula must typeset, with no raw dollar left.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

FILLER = "\n\n".join(f"第 {i} 段正文，讲一点概率论的背景。" for i in range(40))

ARTICLE = r"""---
title: 随机过程笔记
date: 2021-06-29
category: 数学
tags: [概率论]
---

记状态空间为 $\S$，实数集为 $\RR$，于是 $\abs{x - y} \le \half$，取 $\argmax_{s \in \S} f(s)$。

门票 $5 and $10 两种，转义的 \$3 也是钱；代码 `$HOME` 不是公式。

FILLER

$$
\newcommand{\S}{\mathcal{S}}
\newcommand{\abs}[1]{\left|#1\right|}
\DeclareMathOperator*{\argmax}{arg\,max}
\def\half{\frac{1}{2}}
P(X_{n+1} \in \S \mid X_n) = \half
$$

最后再用一次 $\abs{\S}$。

MathJax 才有的写法也照样排版：

$$
\begin{eqnarray}
a &=& b \label{eq:ab} \\
\mbox{且} \quad c &=& \mathbbm{1}
\end{eqnarray}
$$

由 $\eqref{eq:ab}$ 可知。
""".replace("FILLER", FILLER)


@pytest.fixture(scope="module")
def macro_site(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: Any) -> Path:
    folder = tmp_path_factory.mktemp("macro-docs")
    docs = folder / "docs"
    docs.mkdir()
    (docs / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (docs / "suiji.md").write_text(ARTICLE, encoding="utf-8")
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    text += '\nextra:\n  katex_macros:\n    "\\\\RR": "\\\\mathbb{R}"\n'
    config = folder / "mkdocs.yml"
    config.write_text(text, encoding="utf-8")
    return mkdocs_build(config, folder / "site", docs_dir=str(docs))


def test_page_macros_apply_to_every_formula_and_no_dollar_is_left(
    macro_site: Path,
    serve: Callable[..., str],
    page: Any,
    math_state: Callable[[Any], dict[str, Any]],
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(serve(macro_site) + "suiji/")
    page.wait_for_function("document.documentElement.dataset.zkMath === 'done'", timeout=10_000)

    state = math_state(page)
    assert state["errors"] == [] and state["pending"] == 0
    assert state["rendered"] == 8
    assert page.locator(".katex-error").count() == 0
    # The first formula is typeset before the one defining \S is reached, and \S is
    # the note's \mathcal{S}, not TeX's section sign; \RR comes from mkdocs.yml.
    first = page.locator(".zk-math").first
    assert "§" not in first.inner_text()
    assert first.locator("math mi[mathvariant='script']").count() == 1
    second = page.locator(".zk-math").nth(1)
    assert second.locator("math mi[mathvariant='double-struck']").count() == 1
    text = page.locator(".md-content").inner_text()
    assert "门票 $5 and $10 两种，转义的 $3 也是钱" in text
    left = text.replace("门票 $5 and $10 两种，转义的 $3 也是钱", "").replace("$HOME", "")
    assert "$" not in left and "\\newcommand" not in left and "\\abs" not in left
    assert "(eq:ab)" in page.locator(".zk-math").last.inner_text()
    assert page.zhiku_console_errors == []
