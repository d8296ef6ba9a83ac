"""Ingest never writes an article with more tags than the build accepts (MAX_TAGS): a JSON
Lines card with thousands keeps the first, the rest are reported."""

from __future__ import annotations

import datetime as dt
import json

from zhiku.articles import parse_article
from zhiku.articles.model import MAX_TAGS
from zhiku.ingest.cards import parse_jsonl_dump
from zhiku.ingest.classify import Matcher
from zhiku.ingest.plan import plan_ingest
from zhiku.ingest.rules import Rules


def card(tags: list[str]) -> str:
    return json.dumps(
        {"text": "梯度检查点用计算换显存。大模型训练时常用。", "title": "梯度检查点",
         "date": "2026-01-02", "tags": tags},
        ensure_ascii=False,
    )  # fmt: skip


def test_a_card_with_too_many_tags_keeps_the_first_and_reports_the_rest() -> None:
    tags = [f"标签{i}" for i in range(5000)]
    (found,) = parse_jsonl_dump("c.jsonl", card(tags)).cards
    assert found.tags == tuple(tags[:MAX_TAGS])
    assert found.warnings == (
        f'c.jsonl:1: "tags" has 5000 tags and an article carries at most {MAX_TAGS}; '
        f"kept the first {MAX_TAGS}, dropped 标签30, 标签31, 标签32, 标签33, 标签34, …",
    )


def test_repeated_tags_count_once() -> None:
    (found,) = parse_jsonl_dump("c.jsonl", card(["CLIP"] * 100 + ["多模态"])).cards
    assert found.tags == ("CLIP", "多模态") and found.warnings == ()


def test_the_article_ingest_writes_builds(rules: Rules, matcher: Matcher) -> None:
    dump = parse_jsonl_dump("c.jsonl", card([f"t{i}" for i in range(400)]))
    plan = plan_ingest(
        [dump], rules, matcher, state={}, existing={}, fallback_date=dt.date(2026, 1, 1)
    )
    ((path, text),) = plan.writes.items()
    article = parse_article(path, text)
    assert article is not None and len(article.tags) == MAX_TAGS
    assert any("dropped t30" in w for r in plan.card_records for w in r.warnings)


def test_a_cards_category_with_stray_slashes_is_written_as_a_path_the_build_reads(
    rules: Rules, matcher: Matcher
) -> None:
    record = json.loads(card(["CLIP"]))
    record["category"] = "/机器学习/ 强化学习/"
    dump = parse_jsonl_dump("c.jsonl", json.dumps(record, ensure_ascii=False))
    plan = plan_ingest(
        [dump], rules, matcher, state={}, existing={}, fallback_date=dt.date(2026, 1, 1)
    )
    ((path, text),) = plan.writes.items()
    article = parse_article(path, text)
    assert article is not None and article.category == "机器学习/强化学习"
