"""Reading time counts prose; formulas and code are weighed, not read as words."""

from __future__ import annotations

from zhiku.text.reading import (
    CODE_LINE_SECONDS,
    DISPLAY_FORMULA_SECONDS,
    HAN_PER_MINUTE,
    INLINE_FORMULA_SECONDS,
    reading_minutes,
    reading_seconds,
)

PARAGRAPH = "策略梯度方法直接优化期望回报，" * 10  # 140 Han characters


def test_a_tex_heavy_chapter_reads_near_its_prose_time() -> None:
    # About 26 minutes of prose (10,400 characters) with 200 formulas holding 5,000
    # characters of TeX: counting the TeX as words once showed an hour.
    prose = "\n\n".join([PARAGRAPH] * 74)
    tex = "\\boldsymbol{\\Sigma}_{i}^{T}\\mathbf{x}"
    assert len(tex) * 200 >= 5000
    body = prose + "\n\n" + "".join(f"其中 ${tex}$ 是矩阵。" for i in range(200))
    assert reading_minutes(prose) == 26
    without_tex = reading_minutes(body.replace(f"${tex}$", ""))
    # The 200 formulas add minutes, not the half hour their TeX as words would.
    assert without_tex < reading_minutes(body) <= without_tex + 4 < 35


def test_formulas_count_as_a_few_seconds_whatever_their_tex() -> None:
    short = reading_seconds("由 $\\alpha$ 决定")
    long = reading_seconds(
        "由 $\\operatorname{softmax}\\left(\\frac{QK^T}{\\sqrt{d_k}}\\right)V$ 决定"
    )
    assert short == long
    display = reading_seconds("由\n\n$$\n\\sum_{i=1}^{n} x_i\n$$\n\n决定")
    assert display - reading_seconds("由\n\n决定") == DISPLAY_FORMULA_SECONDS
    assert long - reading_seconds("由 决定") == INLINE_FORMULA_SECONDS


def test_code_counts_by_lines_not_tokens() -> None:
    line = "    outputs = model(input_ids=batch['ids'], attention_mask=batch['mask'], labels=y)\n"
    body = "训练循环如下。\n\n```python\n" + line * 300 + "\n\n```\n"
    seconds = reading_seconds(body)
    prose = 6 * 60 / HAN_PER_MINUTE
    assert abs(seconds - (prose + 300 * CODE_LINE_SECONDS)) < 1e-6
    assert reading_minutes(body) == 11  # not the 20 minutes its 4,000 tokens would take


def test_prose_is_counted_without_its_markup() -> None:
    markdown = "| 字 | 字 |\n|---|---|\n" + "| 字字 | 字字 |\n" * 100
    assert reading_seconds(markdown) == reading_seconds("字" * 402)
    link = "[注意力](https://example.com/a/very/long/path/with/many/words/in/it)"
    assert reading_seconds(link) == reading_seconds("注意力")


def test_a_short_note_is_one_minute() -> None:
    assert reading_minutes("") == 1
    assert reading_minutes("深" * 400) == 1
    assert reading_minutes("深" * 401) == 2


def test_indented_code_counts_by_lines_too() -> None:
    fenced = "安装依赖。\n\n```\npip install torch transformers datasets accelerate\n```\n"
    indented = "安装依赖。\n\n    pip install torch transformers datasets accelerate\n"
    assert reading_seconds(indented) == reading_seconds(fenced)
