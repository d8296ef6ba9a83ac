import datetime as dt

from zhiku.ingest.cards import Dump, html_to_text, parse_jsonl_dump, parse_text_dump


def test_seed_dumps_hold_60_cards_and_no_chrome(seed_dumps: list[Dump]) -> None:
    assert sum(len(d.cards) for d in seed_dumps) == 60
    texts = [c.text for d in seed_dumps for c in d.cards]
    assert not any(t in ("INCOMING TRANSMISSION", "LATEST UPDATES") for t in texts)
    assert not any(d.rejected for d in seed_dumps)


def test_metadata_belongs_to_the_excerpt_after_it(seed_dumps: list[Dump]) -> None:
    first = seed_dumps[0]
    # The cut took the first card's metadata: the GAN excerpt has none.
    assert first.cards[0].text.startswith("简介 生成对抗网络")
    assert first.cards[0].category is None and first.cards[0].date is None

    # The topics prove the metadata precedes its excerpt, not follows it.
    def meta(opening: str) -> tuple[str | None, dt.date | None]:
        (card,) = [c for c in first.cards if c.text.startswith(opening)]
        return card.category, card.date

    assert meta("相关内容 自监督学习") == ("Self-Supervised", dt.date(2026, 1, 11))
    assert meta("🔖 https://www.deepseek.com/") == ("Large Model", dt.date(2026, 1, 15))
    assert meta("简介 24年12月") == ("Large Model", dt.date(2026, 1, 15))
    assert meta("梯度检查点(Gradient") == ("Large Model", dt.date(2026, 1, 11))
    assert all(c.date for c in first.cards[1:])
    # Dumps 001-004 carry no metadata at all.
    assert not any(c.date or c.category for d in seed_dumps[1:] for c in d.cards)


def test_card_lines_point_into_the_file(seed_dumps: list[Dump]) -> None:
    assert [c.line for c in seed_dumps[0].cards[:3]] == [1, 4, 7]
    assert [c.line for c in seed_dumps[1].cards[:2]] == [4, 5]


def test_metadata_with_no_excerpt_after_it_is_rejected() -> None:
    dump = parse_text_dump("d.txt", "Large Model\n2026-01-11\n正文一。\nPython\n2026-01-12\n")
    assert [c.text for c in dump.cards] == ["正文一。"]
    assert [(r.line, r.reason) for r in dump.rejected] == [
        (4, "metadata at the end of the dump with no excerpt after it")
    ]


def test_a_short_line_without_a_date_after_it_is_an_excerpt() -> None:
    dump = parse_text_dump("d.txt", "Docker\n正文。\n")
    assert [c.text for c in dump.cards] == ["Docker", "正文。"]


def test_a_category_line_ending_the_dump_is_rejected_not_an_article() -> None:
    dump = parse_text_dump("d.txt", "Docker\n正文。\nOptimization\n")
    assert [c.text for c in dump.cards] == ["Docker", "正文。"]
    assert [(r.line, r.reason) for r in dump.rejected] == [
        (3, "metadata at the end of the dump with no excerpt after it")
    ]


def test_jsonl_cards_and_line_numbered_errors() -> None:
    text = "\n".join(
        [
            '{"text": "正文", "title": "T", "date": "2026-01-02", "tags": ["a"], "url": "https://e.org/x"}',
            "{oops",
            '{"title": "no body"}',
            '{"text": "x", "date": "2026-13-01"}',
            '{"html": "<p>可见</p><script>alert(1)</script><style>p{}</style>"}',
            '["not", "an", "object"]',
        ]
    )
    dump = parse_jsonl_dump("c.jsonl", text)
    assert [c.text for c in dump.cards] == ["正文", "x", "可见"]
    assert dump.cards[0].date == dt.date(2026, 1, 2) and dump.cards[0].tags == ("a",)
    # An impossible date is a warning; the card keeps everything else.
    assert dump.cards[1].date is None
    assert dump.cards[1].warnings == (
        'c.jsonl:4: date "2026-13-01" is not a real day; ignored, so ingest estimates the date'
        " (fix it in the dump)",
    )
    assert dump.cards[2].html
    errors = [str(e) for e in dump.errors]
    assert errors[0].startswith("c.jsonl:2: not valid JSON")
    assert errors[1] == 'c.jsonl:3: the line has neither "text" nor "html"; add one of them'
    assert errors[2].startswith("c.jsonl:6: expected a JSON object")


def test_html_to_text_drops_tags_scripts_and_styles() -> None:
    html = '<h2>标题</h2><p onclick="x()">段落 &amp; <b>粗体</b></p><script>evil()</script>'
    assert html_to_text(html) == "标题 段落 & 粗体"


LONG = (
    "混合专家模型 MoE 通过门控网络为每个 token 选择少数几个专家,"
    "在不增加计算量的前提下扩大参数规模..."
)


def test_a_category_line_alone_is_metadata_of_the_excerpt_after_it() -> None:
    dump = parse_text_dump("d.txt", f"Deep Learning\n{LONG}\nLarge Model\n2026-01-11\n{LONG}2\n")
    assert [(c.text[:6], c.category, c.date) for c in dump.cards] == [
        ("混合专家模型", "Deep Learning", None),
        ("混合专家模型", "Large Model", dt.date(2026, 1, 11)),
    ]
    assert not dump.rejected


def test_an_impossible_date_is_metadata_and_a_warning_not_an_article() -> None:
    dump = parse_text_dump("d.txt", f"Large Model\n2026-02-30\n{LONG}\n")
    ((card),) = dump.cards
    assert (card.text, card.category, card.date, card.line) == (LONG, "Large Model", None, 3)
    assert card.warnings == (
        'd.txt:2: date "2026-02-30" is not a real day; ignored, so ingest estimates the date'
        " (fix it in the dump)",
    )


def test_dates_as_other_sites_write_them_are_read() -> None:
    for written in ("2026-2-3", "2026/02/03", "2026.2.3", "2026年2月3日", "2026-02-03 08:15"):
        (card,) = parse_text_dump("d.txt", f"某个不在分类表里的名字\n{written}\n{LONG}\n").cards
        assert (card.category, card.date) == ("某个不在分类表里的名字", dt.date(2026, 2, 3))


def test_a_lone_date_line_and_stacked_category_lines_never_become_articles() -> None:
    dump = parse_text_dump("d.txt", f"2026-01-11\n{LONG}\nDeep Learning\nLarge Model\n{LONG}x\n")
    assert [(c.category, c.date) for c in dump.cards] == [
        (None, dt.date(2026, 1, 11)),
        ("Large Model", None),
    ]
    assert [(r.line, r.reason) for r in dump.rejected] == [
        (3, "a category line with no excerpt after it")
    ]


def test_hostile_characters_are_cleaned_and_lines_split_on_newline_only() -> None:
    dump = parse_text_dump(
        "d.txt", f"Large\x1b Model\n2026-01-11\n{LONG}\u2028后半\x08句\ufeff\ud83d\n正文二\x1c。\n"
    )
    assert [(c.line, c.text, c.category) for c in dump.cards] == [
        (3, f"{LONG} 后半句", "Large Model"),
        (4, "正文二。", None),
    ]


def test_jsonl_with_a_lone_surrogate_and_a_raw_line_separator_is_read() -> None:
    text = (
        '{"text": "被截断的表情\\ud83d", "title": "T\\u001b"}\n'
        '{"text": "第一句\u2028第二句"}\n'
        '{"text": "\\u0000"}\n'
        "{oops\n"
    )
    dump = parse_jsonl_dump("c.jsonl", text)
    assert [(c.line, c.text, c.title) for c in dump.cards] == [
        (1, "被截断的表情", "T"),
        (2, "第一句 第二句", None),
    ]
    assert [(r.line, r.reason) for r in dump.rejected] == [(3, "the card has no text")]
    assert [str(e)[:11] for e in dump.errors] == ["c.jsonl:4: "]


def test_a_category_and_a_date_on_one_line_are_both_metadata() -> None:
    for line, name in (
        ("Large Model 2026-01-15", "Large Model"),
        ("Large Model · 2026/1/15", "Large Model"),
        ("大模型 | 2026年1月15日", "大模型"),
    ):
        (card,) = parse_text_dump("d.txt", f"{line}\n{LONG}\n").cards
        assert (card.category, card.date) == (name, dt.date(2026, 1, 15)), line
    dump = parse_text_dump("d.txt", f"2026-01-15\nLarge Model\n{LONG}\n")  # the other order
    assert [(c.category, c.date) for c in dump.cards] == [("Large Model", dt.date(2026, 1, 15))]


def test_bad_jsonl_metadata_costs_the_card_that_value_only() -> None:
    line = (
        '{"text": "正文", "url": "javascript:alert(1)", "date": 20260115, "tags": "x", '
        '"title": "T"}'
    )
    (card,) = parse_jsonl_dump("c.jsonl", line).cards
    assert (card.text, card.title, card.url, card.date, card.tags) == ("正文", "T", None, None, ())
    assert card.warnings == (
        'c.jsonl:1: "date" is not a string; ignored (quote it in the dump)',
        'c.jsonl:1: "tags" is not a list of strings like ["CLIP", "多模态"]; ignored',
        'c.jsonl:1: url "javascript:alert(1)" is not an http(s) URL; ignored',
    )


EXCERPT = (
    "LoRA 冻结预训练权重 W，只学习低秩更新 BA，其中秩 r 远小于 d。本文比较 r=4、8、16 的效果，"
    "讨论 alpha 缩放与合并权重..."
)


def test_dates_with_month_names_and_labels_are_read() -> None:
    for line, day in [
        ("Jan 15, 2026", dt.date(2026, 1, 15)),
        ("January 5th 2026", dt.date(2026, 1, 5)),
        ("15 Sept. 2026", dt.date(2026, 9, 15)),
        ("Posted on Mar 3, 2026 10:20 am", dt.date(2026, 3, 3)),
        ("发表于 2026-01-15 10:20:30", dt.date(2026, 1, 15)),
        ("📅 2026/1/5", dt.date(2026, 1, 5)),
        ("发布时间：2026年1月5日", dt.date(2026, 1, 5)),
    ]:
        (card,) = parse_text_dump("d.txt", f"{line}\n{EXCERPT}\n").cards
        assert card.date == day, line
    # A day that does not exist is still a date line: a warning, never an article.
    dump = parse_text_dump("d.txt", f"Feb 30, 2026\n{EXCERPT}\n")
    assert [c.date for c in dump.cards] == [None] and dump.cards[0].warnings


def test_a_listing_pages_chrome_is_reported_and_never_an_article() -> None:
    chrome = [
        "首页 | 归档 | 分类 | 标签 | 关于",
        "Home About Archives Tags",
        "阅读全文 »",
        "Read more →",
        "Continue reading...",
        "第 1 页 / 共 5 页",
        "Page 2 of 12",
        "« Older posts",
        "1 2 3 … 12 下一页 »",
        "© 2026 小明 | 由 Hexo 强力驱动 | 主题 - NexT.Gemini",
        "Powered by Jekyll",
        "本站总访问量 12345 次",
        "京ICP备12345678号",
    ]
    text = "\n".join(["2026-01-15", EXCERPT, *chrome])
    dump = parse_text_dump("d.txt", text)
    assert [c.text for c in dump.cards] == [EXCERPT]
    assert [r.line for r in dump.rejected] == list(range(3, 3 + len(chrome)))
    assert all(r.reason.startswith("page chrome (") for r in dump.rejected)


def test_a_title_line_before_a_themes_meta_line_is_the_cards_title() -> None:
    text = "\n".join(
        [
            "LoRA 微调实战",
            "发表于 2026-01-15 | 分类于 大模型",
            EXCERPT,
            "阅读全文 »",
            "Attention 精读",
            "Posted on Jan 12, 2026 in Deep Learning",
            "The Transformer replaces recurrence with self-attention; each token attends...",
        ]
    )
    cards = parse_text_dump("d.txt", text).cards
    assert [(c.title, c.category, c.date) for c in cards] == [
        ("LoRA 微调实战", "大模型", dt.date(2026, 1, 15)),
        ("Attention 精读", "Deep Learning", dt.date(2026, 1, 12)),
    ]


def test_metadata_printed_under_the_excerpt_belongs_to_it_when_a_read_more_link_ends_the_card() -> (
    None
):
    text = "\n".join(
        [
            "MY AI NOTES",
            EXCERPT,
            "Deep Learning",
            "Jan 15, 2026",
            "Read more →",
            "The Transformer replaces recurrence with self-attention; each token attends...",
            "Large Model · 2026-01-12",
            "Read more →",
        ]
    )
    dump = parse_text_dump("d.txt", text)
    assert [(c.category, c.date) for c in dump.cards] == [
        ("Deep Learning", dt.date(2026, 1, 15)),
        ("Large Model", dt.date(2026, 1, 12)),
    ]
    # The site's name above the first excerpt is neither its title nor its category.
    reasons = {r.line: r.reason.split(" (")[0] for r in dump.rejected}
    assert reasons == {
        1: "a short line before an excerpt whose category is printed after it",
        5: "page chrome",
        8: "page chrome",
    }


def test_an_excerpt_that_opens_like_a_footer_is_still_a_card() -> None:
    notes = [
        "Copyright law and AI art: who owns an image a diffusion model made from your prompt?",
        "Powered by GPT-4, this agent plans tool calls and reflects on its failures first.",
        "Copyright 2024 的判例综述：生成式模型训练数据的合理使用边界在哪里...",
        "Next, we fine-tune the reward model on pairwise preferences collected from raters...",
    ]
    dump = parse_text_dump("d.txt", "\n".join(["2026-01-15", *notes]))
    assert [c.text for c in dump.cards] == notes
    assert dump.rejected == ()
