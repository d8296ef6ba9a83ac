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


def test_excerpt_is_the_text_before_more() -> None:
    body = "这是摘要的第一句。这是第二句。\n\n<!-- more -->\n\n正文从这里开始。" + "很长。" * 50
    assert entry("a.md", body=body).excerpt == "这是摘要的第一句。这是第二句。"


def test_excerpt_before_more_is_still_capped_at_a_sentence_end() -> None:
    body = "第一句话在这里结束。" + "第二句话很长" * 30 + "。\n\n<!--more-->\n\n后文。"
    card = make_entry(article("a.md", body=body), excerpt_length=40)
    assert card.excerpt == "第一句话在这里结束。"


def test_excerpt_skips_boilerplate_toc_and_link_only_lines() -> None:
    body = (
        "> 本文首发于知乎专栏，转载请注明出处。\n\n"
        "[TOC]\n\n"
        "## 目录\n\n- [背景](#背景)\n- [方法](#方法)\n\n"
        "https://github.com/example/repo\n\n"
        "![架构图](images/arch.png)\n\n"
        "## 背景\n\n"
        "扩散模型把生成看作逐步去噪的过程。"
    )
    assert entry("a.md", body=body).excerpt == "扩散模型把生成看作逐步去噪的过程。"


def test_excerpt_of_an_obsidian_note_is_text() -> None:
    body = (
        "> [!NOTE] 摘要\n> 本文讨论 [[注意力机制|注意力]] 与 [[Transformer]] 的关系。\n\n"
        "| 模型 | 参数量 |\n|---|---|\n| BERT | 110M |\n\n"
        "- 列表第一项\n- 列表第二项"
    )
    card = entry("a.md", body=body)
    assert card.excerpt == (
        "本文讨论 注意力 与 Transformer 的关系。 模型 参数量 BERT 110M 列表第一项 列表第二项"
    )


def test_excerpt_of_a_mkdocs_page_drops_admonition_markers() -> None:
    body = '!!! tip "提示"\n    先读前一章。\n\n??? note\n    折叠内容。\n\n正文。'
    assert entry("a.md", body=body).excerpt == "先读前一章。 折叠内容。 正文。"


def test_excerpt_shows_dollar_math_as_its_place_and_keeps_prices() -> None:
    body = (
        "协方差矩阵 $\\boldsymbol{\\Sigma}$ 与 $\\boldsymbol{\\mu}$ 决定分布；GPU 从 $5 涨到 $10。"
    )
    assert entry("a.md", body=body).excerpt == (
        "协方差矩阵 [公式] 与 [公式] 决定分布；GPU 从 $5 涨到 $10。"
    )


def test_a_description_is_shown_as_text() -> None:
    card = entry("a.md", description="关于 [[注意力机制]] 与 $QK^T$ 的**笔记**")
    assert card.excerpt == "关于 注意力机制 与 [公式] 的笔记"


def test_reading_time_of_a_tex_heavy_article_counts_prose() -> None:
    formulas = "\n\n".join(
        "$$\n\\mathbb{E}_{x \\sim p}[\\log q(x)] = \\sum_i p_i \\log q_i\n$$" for _ in range(12)
    )
    card = entry("a.md", body="字" * 2000 + "\n\n" + formulas)
    assert card.minutes == 6  # 5 minutes of prose and 12 displayed formulas at 5 s
