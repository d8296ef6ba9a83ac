"""A property test: whatever mix of Markdown a note holds, its card excerpt (which the
feeds' summaries and the pages' meta descriptions show) is text cut from its text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.text.excerpt import excerpt_source

WORDS = [
    "梯度",
    "检查点",
    "注意力",
    "显存",
    "模型",
    "训练",
    "Transformer",
    "LoRA",
    "的",
    "是",
    "和",
]
TEX = ["\\alpha_i", "x^2", "\\frac{a}{b}", "\\boldsymbol{\\Sigma}", "\\sum_{i=1}^n x_i", "R[[x]]"]
END = ["。", "，", "！", "？", "；", ""]

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map("".join)
inline = st.one_of(
    st.sampled_from(TEX).map(lambda t: f" ${t}$ "),
    st.sampled_from(TEX).map(lambda t: f" \\({t}\\) "),
    st.sampled_from(["$5 and $10", "价格 $3", "\\$4"]),  # prices are text
    st.sampled_from(["[[注意力机制]]", "[[笔记#小节|别名]]", "[链接](https://x.org/a)"]),
    st.sampled_from(["`code`", "**粗体**", "https://example.com/p?q=1"]),
    words,
)
sentence = st.tuples(st.lists(inline, min_size=1, max_size=5), st.sampled_from(END)).map(
    lambda parts: "".join(parts[0]) + parts[1]
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map("".join)
block = st.one_of(
    paragraph,
    paragraph.map(lambda p: f"## {p}"),
    st.lists(paragraph, min_size=1, max_size=3).map(lambda ps: "\n".join(f"- {p}" for p in ps)),
    st.lists(paragraph, min_size=1, max_size=3).map(lambda ps: "\n".join(f"1. {p}" for p in ps)),
    st.tuples(words, words, paragraph).map(
        lambda t: f"| {t[0]} | {t[1]} |\n|---|:--:|\n| {t[2]} | $x^2$ |"
    ),
    st.sampled_from(TEX).map(lambda t: f"$$\n{t}\n$$"),
    st.sampled_from(TEX).map(lambda t: f"\\[\n{t}\n\\]"),
    paragraph.map(lambda p: f"```python\nx = '$a$'  # {p}\n```"),
    paragraph.map(lambda p: f'!!! note "标题"\n    {p}'),
    paragraph.map(lambda p: f"???+ tip\n    {p}"),
    paragraph.map(lambda p: f"> [!NOTE] 提示\n> {p}"),
    paragraph.map(lambda p: f"<div>{p}</div>"),
    st.just("<!-- more -->"),
    st.just("![图](a.png)"),
)
body = st.lists(block, min_size=1, max_size=8).map("\n\n".join)

_TEX_LEFT = re.compile(r"\\[A-Za-z]|\^|_\{|\$(?!\d)")
_SENTENCE_END = re.compile(r"[。！？!?.][”’」』）)]*\Z")


@settings(max_examples=200, deadline=None)
@given(body, st.sampled_from([40, 80, 120]))
def test_a_card_excerpt_is_clean_text_cut_at_a_boundary(markdown: str, limit: int) -> None:
    from listing_factories import article

    from zhiku.listing import make_entry

    summary = make_entry(article("a.md", body=markdown), excerpt_length=limit).excerpt
    assert len(summary) <= limit
    assert not _TEX_LEFT.search(summary), summary
    for source in ("[[", "]]", "|---", "!!!", "???", "[!NOTE]", "```", "](", "<div", "<!--"):
        assert source not in summary, (source, summary)
    assert not re.match(r"\s*(?:[-*+]|\d+\.)\s", summary), summary
    assert not re.search(r"(?:^|\s)[-*+]\s", summary), summary
    assert "[公式] [公式]" not in summary and "[公式][公式]" not in summary
    # A prefix of the readable text, ending where a sentence or clause (or at least a
    # word) ends, or the whole text.
    text = excerpt_source(markdown)
    head = summary.removesuffix("…")
    assert text.startswith(head), (head, text)
    if summary.endswith("…"):
        following = text[len(head) :]
        assert following and not (
            re.search(r"[A-Za-z0-9]\Z", head) and re.match(r"[A-Za-z0-9]", following)
        )
    else:
        assert summary == text or _SENTENCE_END.search(summary), (summary, text)
