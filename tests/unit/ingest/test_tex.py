"""Formulas that lost their delimiters: found in prose, and judged as KaTeX judges them."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from zhiku.ingest.tex import find_tex, is_valid_tex

KATEX = Path(__file__).resolve().parents[3] / "theme_overrides/assets/katex/katex.min.js"
_NODE = shutil.which("node")


def katex_accepts(formulas: list[str]) -> list[bool]:
    """What the site's own KaTeX says of each formula (inline, as math.js renders it)."""
    script = (
        "const k = require(process.argv[1]);"
        "const out = JSON.parse(process.argv[2]).map(t => {"
        "  try { k.renderToString(t, {throwOnError: true, strict: 'ignore'}); return true; }"
        "  catch (e) { return false; } });"
        "console.log(JSON.stringify(out));"
    )
    assert _NODE is not None
    done = subprocess.run(
        [_NODE, "-e", script, str(KATEX), json.dumps(formulas)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return list(json.loads(done.stdout))


def found(text: str) -> list[tuple[str, bool]]:
    return [(text[r.start : r.end], r.valid) for r in find_tex(text)]


def test_the_kimi_formulas_are_found_and_judged() -> None:
    text = (
        "给定训练数据集 D = \\{(x_i, y^_i)\\}_{i=1}^n ,其中包含问题 x_i 和对应的真实答案 y^_i ,"
        "使用一系列中间步骤 z = (z_1, z_2, ..., z_m) 来连接问题 x 和答案 y ,每个 z_i 是。"
    )
    assert found(text) == [
        ("D = \\{(x_i, y^_i)\\}_{i=1}^n", False),
        ("x_i", True),
        ("y^_i", False),
        ("z = (z_1, z_2, ..., z_m)", True),
        ("z_i", True),
    ]


@pytest.mark.parametrize(
    "prose",
    [
        "use_rmpad 与 batch_size 和 packing_length 以及 _unpad_input 和 __init__",
        "pdb_demo.py 与 ob_ref字段 与 x_train 和 d_model 与 n_heads",
        "https://github.com/a/x_i 与 www.x_1.org 与 /usr/lib/x_1 与 C:\\Users\\x_1",
        "the loss is computed in a batch, as we do it; e.g. a tradeoff",
        "DeepSeek-V3 与 Kimi k1.5 和 GPT2(Table2Text) 以及 O(n) 和 F1 和 1_000_000",
        "问题 x 和答案 y , 其中 m 是位置",
        "文件 a/b_c.py 与 x_1.txt 和 ./a_b 以及 ../x_i",
    ],
)
def test_identifiers_paths_urls_and_prose_are_not_formulas(prose: str) -> None:
    assert found(prose) == []


def test_a_formula_cut_by_the_end_of_an_excerpt_is_not_valid() -> None:
    # Mid-text, the unclosed bracket belongs to the prose: "z =" alone is no formula.
    assert found("由此得到 z = (z_1, z_2") == []
    assert find_tex("由此得到 z = (z_1, z_2", cut_at_end=True)[0].valid is False


CASES = [
    "D = \\{(x_i, y^_i)\\}_{i=1}^n",
    "y^_i",
    "y^",
    "x_nw_n",
    "z = (z_1, z_2, ..., z_m)",
    "x_1w_1 + x_2w_2 +....+x_nw_n T",
    "N_{RF}",
    "softmax(QK^T/\\sqrt{d})V",
    "\\frac{a}{b",
    "x_i_j",
    "x_i^2_j",
    "x_i^2",
    "\\foo x_1",
    "a_1*b",
    "O(n^2)",
    "\\left( x_i \\right.",
    "\\left( x_i",
    "\\{x_i\\}_{i=1}^n",
    "\\mathbb{E}_{z\\sim p}[f(z)]",
    "x^{2}_{i}",
    "{x}_i^2",
    "}x_i{",
]


@pytest.mark.skipif(_NODE is None, reason="node is not installed")
def test_the_judgement_agrees_with_katex() -> None:
    assert [is_valid_tex(t) for t in CASES] == katex_accepts(CASES)


@pytest.mark.skipif(_NODE is None, reason="node is not installed")
def test_what_ingest_typesets_katex_can_typeset() -> None:
    # Random scraps of TeX: whatever ingest calls valid, KaTeX renders.
    atoms = [
        *"xyi2_^{}() =+,'|",
        *[
            r"\{",
            r"\}",
            r"\alpha",
            r"\sum",
            r"\frac",
            r"\left(",
            r"\right)",
            r"\sqrt",
            r"\mathbb",
            r"\hat",
            r"\cdot",
            r"...",
        ],
    ]
    rng = random.Random(7)
    scraps = ["".join(rng.choice(atoms) for _ in range(rng.randint(1, 9))) for _ in range(3000)]
    valid = [s for s in scraps if is_valid_tex(s)]
    assert len(valid) > 300
    accepted = katex_accepts(valid)
    assert [s for s, ok in zip(valid, accepted, strict=True) if not ok] == []
