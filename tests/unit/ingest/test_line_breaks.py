"""Text joined across a lost line break gets the break back (README promise 7).

Two ways a break goes missing: the scrape glued two lines of a paper's notes
("…for GenerationGithub:https://…"), or the dump kept the break and the card spans
several lines (every other excerpt of the dump being one line cut with "...").
"""

from __future__ import annotations

from zhiku.ingest.body import render_body, restore_breaks
from zhiku.ingest.cards import parse_jsonl_dump, parse_text_dump
from zhiku.ingest.rules import Rules

NOTES = (
    "Paper: 2021.1 Optimizing Continuous Prompts for GenerationGithub:https://github.com/"
    "XiangLi1999/PrefixTuningPrompt: Continus Prefix PromptTask & Model:BART(Summarization)"
    " 最早提出Prompt微调的论文之一"
)
OTHER = "概述 SSM的概念由来已久,但这里我们特指深度学习中的SSM,一般认为其开篇之作是2021年的 S4..."


def test_a_label_glued_to_the_line_before_starts_a_line_again() -> None:
    assert restore_breaks(NOTES).split("\n") == [
        "Paper: 2021.1 Optimizing Continuous Prompts for Generation",
        "Github:https://github.com/XiangLi1999/PrefixTuning",
        "Prompt: Continus Prefix Prompt",
        "Task & Model:BART(Summarization) 最早提出Prompt微调的论文之一",
    ]


def test_names_that_are_one_word_stay_whole() -> None:
    for text in (
        "FlashAttention: 一种 IO 感知的注意力算法",
        "使用 BertModel: 这是基础模型类",
        "DeepSeekMoE 的细粒度专家",
        "see the DeepSeek Paper: below",
    ):
        assert restore_breaks(text) == text


def test_the_body_shows_the_lost_break(rules: Rules) -> None:
    body = render_body(NOTES, rules)
    assert "GenerationGithub" not in body and "PromptTask" not in body
    assert "Optimizing Continuous Prompts for Generation\n\nGithub:https://" in body


def _dump(*lines: str) -> str:
    cut = [f"{OTHER[:-3]}第{n}篇..." for n in range(3)]
    return "\n".join(["LATEST UPDATES", *lines, *cut]) + "\n"


def test_an_excerpt_spread_over_lines_of_a_dump_is_one_card_with_its_breaks() -> None:
    text = _dump(
        "Large Model",
        "2026-01-15",
        "PrefixTuning Paper: 2021.1 Optimizing Continuous Prompts for Generation",
        "Github:https://github.com/XiangLi1999/PrefixTuning",
        "Prompt: Continus Prefix Prompt",
        "Task & Model:BART(Summarization), GPT2(Table2Text) 最早提出Prompt微调的论文之一...",
    )
    dump = parse_text_dump("d.txt", text, ["LATEST UPDATES"])
    assert len(dump.cards) == 4 and not dump.rejected
    first = dump.cards[0]
    assert first.line == 4 and first.category == "Large Model"
    assert first.text.split("\n") == [
        "PrefixTuning Paper: 2021.1 Optimizing Continuous Prompts for Generation",
        "Github:https://github.com/XiangLi1999/PrefixTuning",
        "Prompt: Continus Prefix Prompt",
        "Task & Model:BART(Summarization), GPT2(Table2Text) 最早提出Prompt微调的论文之一...",
    ]


def test_a_whole_excerpt_before_the_next_cards_metadata_is_not_joined() -> None:
    # The site did not cut a short note; the next card's metadata follows it.
    whole = "一篇很短的笔记,全文就这么几句话,网站没有截断它,摘录既没有省略号也没有句号"
    for metadata in ([], ["2026-01-14"], ["Deep Learning", "2026-01-14"], ["Deep Learning"]):
        dump = parse_text_dump("d.txt", _dump(whole, *metadata, OTHER), ["LATEST UPDATES"])
        assert [c.text for c in dump.cards][:2] == [whole, OTHER]


def test_a_dump_whose_excerpts_are_not_cut_keeps_one_card_a_line() -> None:
    lines = [
        f"第{n}篇完整的笔记,网站给出了全文,没有截断,每一行都是一张独立的卡片。" for n in range(4)
    ]
    dump = parse_text_dump("d.txt", "\n".join(lines))
    assert [c.text for c in dump.cards] == lines


def test_a_whole_excerpt_that_ends_its_sentence_is_not_joined_to_the_next_card() -> None:
    # As in the seeds: a short note the site gave whole, then the next card, cut.
    whole = "如何计算RF 公式一:这个算法从top往下层层迭代直到追溯回input image,从而计算出RF。"
    dump = parse_text_dump("d.txt", _dump(whole, OTHER), ["LATEST UPDATES"])
    assert [c.text for c in dump.cards][:2] == [whole, OTHER]


def test_a_line_break_in_a_json_lines_text_stays_one() -> None:
    line = '{"text": "Prompts for Generation\\n  Github:https://x.org/p  \\n\\n"}'
    (card,) = parse_jsonl_dump("c.jsonl", line).cards
    assert card.text == "Prompts for Generation\nGithub:https://x.org/p"


def test_whole_excerpts_in_a_dump_do_not_hide_that_its_site_cuts() -> None:
    # Many short notes the site gave whole (each ends its sentence), three cut ones, and
    # one card spread over lines: the dump's style is still "cut".
    whole = [f"第{n}篇短笔记,网站给出了它的全文,因为它只有这么几句话而已。" for n in range(6)]
    text = _dump(
        *whole,
        "PrefixTuning Paper: 2021.1 Optimizing Continuous Prompts for Generation",
        "Github:https://github.com/XiangLi1999/PrefixTuning",
        "Task & Model:BART(Summarization) 最早提出Prompt微调的论文之一...",
    )
    cards = parse_text_dump("d.txt", text, ["LATEST UPDATES"]).cards
    assert [c.text for c in cards[:6]] == whole
    assert cards[6].text.count("\n") == 2 and len(cards) == 10


def test_a_dump_of_three_cards_is_enough_to_tell_its_site_cuts() -> None:
    text = "\n".join(
        [
            "PrefixTuning Paper: 2021.1 Optimizing Continuous Prompts for Generation",
            "Github:https://github.com/XiangLi1999/PrefixTuning",
            "Task & Model:BART(Summarization) 最早提出Prompt微调的论文之一...",
            OTHER,
            OTHER.replace("SSM", "S4"),
        ]
    )
    cards = parse_text_dump("d.txt", text).cards
    assert len(cards) == 3 and cards[0].text.count("\n") == 2
