import datetime as dt

from zhiku.text.dates import format_date
from zhiku.text.excerpt import excerpt
from zhiku.text.reading import reading_minutes
from zhiku.text.slug import slugify, unique_slug


def test_reading_time_counts_chinese_characters_not_runs() -> None:
    # A 7,000-character post is ~18 minutes, not "2 min" as a word count of runs would say.
    assert reading_minutes("深" * 7000) == 18


def test_reading_time_counts_english_words() -> None:
    assert reading_minutes("attention " * 600) == 3


def test_excerpt_stops_at_a_chinese_sentence_end() -> None:
    text = "第一句话在这里结束。第二句话比较长，一直写下去，直到超过限制为止，还没有结束"
    assert excerpt(text, 20) == "第一句话在这里结束。"


def test_excerpt_of_one_long_sentence_cuts_at_a_clause_and_says_so() -> None:
    text = "大模型的参数量巨大,即使将batch_size设置为1并使用梯度累积的方式更新,也仍然会OOM"
    assert (
        excerpt(text, 40) == "大模型的参数量巨大,即使将batch_size设置为1并使用梯度累积的方式更新…"
    )


def test_excerpt_handles_english() -> None:
    text = "SPP applies a different strategy. It replaces the last pooling layer with a pyramid."
    assert excerpt(text, 40) == "SPP applies a different strategy."


def test_dates_read_the_chinese_way() -> None:
    assert format_date(dt.date(2026, 1, 15)) == "2026年1月15日"


def test_slugs_are_ascii_pinyin_words() -> None:
    assert slugify("CLIP算法原理") == "clip-suanfa-yuanli"
    assert slugify("DeepSeek-V3") == "deepseek-v3"
    assert slugify("？？") == "article"
    assert slugify("梯度检查点" * 20).isascii()
    assert len(slugify("梯度检查点" * 20)) <= 60


def test_unique_slug_counts_up() -> None:
    assert unique_slug("a", {"a", "a-2"}) == "a-3"
