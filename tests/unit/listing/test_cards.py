"""Card data: excerpts at sentence boundaries, Chinese reading time, the estimated mark."""

from __future__ import annotations

from listing_factories import article, entry

from zhiku.listing import make_entry


def test_excerpt_ends_at_a_sentence_boundary() -> None:
    body = "第一句话讲清楚了问题的背景。" * 3 + "第二段很长" * 40 + "。"
    card = entry("a.md", body=body)
    assert card.excerpt.endswith("。")
    assert len(card.excerpt) <= 120


def test_excerpt_leaves_out_markup_math_and_code() -> None:
    body = (
        "## 背景\n\n**重参数**是一种技巧，见 [论文](https://x.org)。\n\n"
        "\\[\nL=\\mathbb{E}[f(z)]\n\\]\n\n其中 \\(f(z)\\) 是奖励，\\(\\nabla_\\theta\\) 略去。"
        "\n\n```python\nprint('code')\n```\n"
    )
    card = entry("a.md", body=body)
    # A formula shows its place, never an empty gap or TeX; a short plain one reads as text.
    assert card.excerpt == "重参数是一种技巧，见 论文。 [公式] 其中 f(z) 是奖励， [公式] 略去。"


def test_excerpt_keeps_underscores_inside_words() -> None:
    assert "batch_size" in entry("a.md", body="把 batch_size 设为 1 也会 OOM。").excerpt


def test_long_article_cut_inside_a_code_fence_leaks_no_code() -> None:
    body = "开头一句。\n\n" + "填充文字。" * 390 + "\n\n```python\n" + "x = 1\n\n" * 300 + "```\n"
    assert "x = 1" not in entry("a.md", body=body).excerpt


def test_description_wins_over_the_derived_excerpt() -> None:
    assert entry("a.md", description="手写的摘要。").excerpt == "手写的摘要。"


def test_reading_time_counts_chinese_characters() -> None:
    # 2,000 Han characters read at about 400 a minute: 5 minutes, not "1 word".
    assert entry("a.md", body="字" * 2000).minutes == 5


def test_keywords_favour_title_and_tags() -> None:
    card = make_entry(article("a.md", title="梯度检查点原理", tags=("显存优化",), body="训练。"))
    terms = dict(card.keywords)
    assert terms["#显存优化"] == 3
    assert terms["梯度"] >= 3 and "原理" in terms
    assert "。" not in terms


def test_excerpt_leaves_out_scrape_marks_but_says_what_was_lost() -> None:
    body = (
        '<a class="zk-source" href="https://x.org/">🔖 x.org</a> 复杂度是 '
        '<span class="zk-lost">&#91;公式在抓取中丢失&#93;</span> 级别的。\n\n'
        '<p class="zk-truncated">……摘录到此为止，原文未完。 '
        '<a class="zk-source" href="https://x.org/">阅读原文</a></p>\n'
    )
    assert entry("a.md", body=body).excerpt == "复杂度是 [公式在抓取中丢失] 级别的。"
