"""Re-ingest: byte-identical output, stable slugs, hand edits that survive, upgrades."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhiku.articles import dump_article, parse_article
from zhiku.ingest.cards import Card, Dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.plan import Plan, plan_ingest
from zhiku.ingest.rules import Rules

TEXT = (
    "梯度检查点(Gradient Checkpointing) 大模型的参数量巨大,"
    "即使将batch_size设置为1并使用梯度累积的方式更新,也仍然会OOM..."
)
OTHER = (
    "CLIP算法原理 CLIP 不预先定义图像和文本标签类别,"
    "直接利用从互联网爬取的 400 million 个image-text pair 进行训练..."
)


def feed(*cards: tuple[str, dt.date | None, str | None]) -> Dump:
    return Dump(
        "d.txt",
        tuple(
            Card(source="d.txt", line=n + 1, position=n, text=t, date=d, category=c)
            for n, (t, d, c) in enumerate(cards)
        ),
    )


def run(
    rules: Rules,
    matcher: Matcher,
    dumps: list[Dump],
    previous: Plan | None = None,
    files: dict[str, str] | None = None,
) -> Plan:
    state: dict[str, Any] = previous.state if previous else {}
    existing = dict(files if files is not None else (previous.writes if previous else {}))
    return plan_ingest(
        dumps, rules, matcher, state=state, existing=existing, fallback_date=dt.date(2026, 1, 1)
    )


def test_a_second_run_writes_nothing(rules: Rules, matcher: Matcher) -> None:
    dumps = [feed((TEXT, dt.date(2026, 1, 11), "Large Model"), (OTHER, None, None))]
    first = run(rules, matcher, dumps)
    assert sorted(first.writes) == [
        "clip-suanfa-yuanli.md",
        "tidu-jianchadian-gradient-checkpointing.md",
    ]
    second = run(rules, matcher, dumps, first)
    assert second.writes == {}
    assert {a["status"] for a in second.articles} == {"unchanged"}
    assert second.state == first.state


def test_hand_edits_survive_and_estimates_are_upgraded(rules: Rules, matcher: Matcher) -> None:
    first = run(rules, matcher, [feed((TEXT, dt.date(2026, 1, 11), None), (OTHER, None, None))])
    path = "clip-suanfa-yuanli.md"
    article = parse_article(path, first.writes[path])
    assert article is not None and article.date_estimated and article.category_inferred
    edited = dump_article(
        article.__class__(
            **{
                **{f: getattr(article, f) for f in article.__slots__},  # type: ignore[attr-defined]
                "title": "CLIP：图文对比预训练",
                "extra": (("author", "张三"),),
            }
        )
    )
    files = {**first.writes, path: edited}
    # A later dump dates the article for real and gives its category.
    later = [feed((TEXT, dt.date(2026, 1, 11), None), (OTHER, dt.date(2026, 1, 12), "Multimodal"))]
    second = run(rules, matcher, later, first, files)
    result = parse_article(path, second.writes[path])
    assert result is not None
    assert result.title == "CLIP：图文对比预训练"  # the hand edit
    assert dict(result.extra) == {"author": "张三"}  # a key a person added
    assert (result.date, result.date_estimated) == (dt.date(2026, 1, 12), False)  # upgraded
    assert (result.category, result.category_inferred) == ("Multimodal", False)
    (report,) = [a for a in second.articles if a["file"] == path]
    assert report["hand_edited"] == ["title"]
    # The slug never follows a title change.
    assert sorted(second.state["articles"][k]["file"] for k in second.state["articles"]) == [
        "clip-suanfa-yuanli.md",
        "tidu-jianchadian-gradient-checkpointing.md",
    ]


def test_a_value_edited_by_hand_wins_over_a_new_one_and_is_reported(
    rules: Rules, matcher: Matcher
) -> None:
    first = run(rules, matcher, [feed((OTHER, dt.date(2026, 1, 11), "Large Model"))])
    (path, text) = next(iter(first.writes.items()))
    files = {path: text.replace("category: Large Model", "category: 多模态")}
    second = run(
        rules, matcher, [feed((OTHER, dt.date(2026, 1, 11), "Computer Vision"))], first, files
    )
    assert second.writes == {}  # the file already holds the person's value
    (report,) = second.articles
    assert report["status"] == "unchanged"
    assert report["conflicts"] == [
        "category: edited by hand ('多模态'); ingest now says 'Computer Vision'; kept the hand edit"
    ]


def test_a_longer_scrape_updates_the_same_file(rules: Rules, matcher: Matcher) -> None:
    first = run(rules, matcher, [feed((TEXT[:70] + "...", dt.date(2026, 1, 11), None))])
    second = run(rules, matcher, [feed((TEXT, dt.date(2026, 1, 11), None))], first)
    assert list(second.writes) == list(first.writes)
    assert "也仍然会OOM" in next(iter(second.writes.values()))


def test_a_file_deleted_by_hand_is_not_recreated(rules: Rules, matcher: Matcher) -> None:
    dumps = [feed((OTHER, dt.date(2026, 1, 11), None))]
    first = run(rules, matcher, dumps)
    second = run(rules, matcher, dumps, first, files={})
    assert second.writes == {}
    assert second.articles[0]["status"] == "kept-deleted"
    assert second.cards[0]["status"] == "rejected"


def test_new_articles_never_take_an_existing_file_or_a_reserved_name(
    rules: Rules, matcher: Matcher
) -> None:
    files = {"clip-suanfa-yuanli.md": "---\ntitle: 我的笔记\n---\n"}
    plan = run(rules, matcher, [feed((OTHER, dt.date(2026, 1, 11), None))], files=files)
    assert list(plan.writes) == ["clip-suanfa-yuanli-2.md"]
    card = Card(source="c.jsonl", line=1, position=0, text=OTHER, title="Tags")
    tags = run(rules, matcher, [Dump("c.jsonl", (card,))])
    assert list(tags.writes) == ["tags-2.md"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    opening=st.text(
        alphabet=st.sampled_from(list("\"'#-[]{}:&*!|>%@`,?<yes null 2026-01-01 标题 Title\\")),
        min_size=1,
        max_size=30,
    )
)
def test_whatever_a_scrape_opens_with_the_front_matter_reads_back(
    rules: Rules, matcher: Matcher, opening: str
) -> None:
    text = opening + " 正文从这里开始,内容足够长以便成为一篇文章。 第二句话..."
    plan = run(rules, matcher, [feed((text, dt.date(2026, 1, 11), "Large Model"))])
    ((path, written),) = plan.writes.items()
    article = parse_article(path, written)
    assert article is not None
    assert article.title == plan.articles[0]["title"]
    assert (article.date, article.category, article.truncated) == (
        dt.date(2026, 1, 11),
        "Large Model",
        True,
    )
    assert path.endswith(".md") and path.isascii()


def test_a_body_edited_by_hand_survives_a_longer_scrape(rules: Rules, matcher: Matcher) -> None:
    first = run(rules, matcher, [feed((TEXT[:70] + "...", dt.date(2026, 1, 11), None))])
    ((path, text),) = first.writes.items()
    files = {path: text.replace("大模型的参数量巨大", "大模型的参数量巨大（笔者注：见第三节）")}
    second = run(rules, matcher, [feed((TEXT, dt.date(2026, 1, 11), None))], first, files)
    assert second.writes == {}  # the person's body stays; nothing else changed
    (report,) = second.articles
    assert report["hand_edited"] == ["body"]
    assert report["conflicts"] == [
        "body: edited by hand; ingest has a new text; kept the hand edit"
    ]
