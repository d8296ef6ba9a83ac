"""Re-ingest: byte-identical output, stable slugs, hand edits that survive, upgrades."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhiku.articles import Article, dump_article, parse_article
from zhiku.ingest.cards import Card, Dump, parse_text_dump
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
    first = run(rules, matcher, [feed((OTHER, dt.date(2026, 1, 11), None))])
    (path, text) = next(iter(first.writes.items()))
    assert "category: Large Model\ncategory_inferred: true\n" in text
    files = {
        path: text.replace("category: Large Model\ncategory_inferred: true", "category: 多模态")
    }
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


def seed_run(rules: Rules, matcher: Matcher, seed_dumps: list[Dump]) -> Plan:
    return run(rules, matcher, list(seed_dumps))


def deepseek(plan: Plan) -> Article:
    article = parse_article("deepseek-v3.md", plan.writes["deepseek-v3.md"])
    assert article is not None
    return article


def opening_of_deepseek(seed_dumps: list[Dump]) -> str:
    (card,) = [c for c in seed_dumps[0].cards if "DeepSeek-V3" in c.text[:40]]
    return card.text


def test_a_later_shorter_scrape_never_shrinks_an_article(
    rules: Rules, matcher: Matcher, seed_dumps: list[Dump]
) -> None:
    first = seed_run(rules, matcher, seed_dumps)
    before = deepseek(first)
    assert len(before.tags) == 5
    cut = feed((opening_of_deepseek(seed_dumps)[:120] + "...", None, None))
    second = run(rules, matcher, [cut], first, dict(first.writes))
    assert second.writes == {}
    (record,) = second.article_records
    assert (record.file, record.status, record.tags) == ("deepseek-v3.md", "unchanged", before.tags)
    (card,) = second.card_records
    assert (card.status, card.file) == ("merged", "deepseek-v3.md")
    # The state still holds the longest text: the next run knows it too.
    assert second.state == first.state


def test_a_scrape_that_cannot_date_an_article_keeps_its_estimated_date(
    rules: Rules, matcher: Matcher
) -> None:
    # Between two dated cards, the undated one is placed in the middle.
    first = run(
        rules,
        matcher,
        [
            feed(
                ("A" * 80, dt.date(2026, 1, 20), None),
                (TEXT, None, None),
                (OTHER, dt.date(2026, 1, 10), None),
            )
        ],
    )
    path = "tidu-jianchadian-gradient-checkpointing.md"
    before = parse_article(path, first.writes[path])
    assert before is not None and before.date_estimated and before.date == dt.date(2026, 1, 15)
    # A scrape cut before its dates: nothing in it says when; the estimate stays.
    cut = run(rules, matcher, [feed((TEXT, None, None))], first, dict(first.writes))
    assert path not in cut.writes
    # Neighbours that still allow the estimate do not move it either.
    wider = run(
        rules,
        matcher,
        [
            feed(
                ("B" * 80, dt.date(2026, 1, 30), None),
                (TEXT, None, None),
                (OTHER, dt.date(2026, 1, 10), None),
            )
        ],
        first,
        dict(first.writes),
    )
    assert path not in wider.writes
    # Neighbours that rule it out do.
    later = run(
        rules,
        matcher,
        [
            feed(
                ("C" * 80, dt.date(2026, 3, 1), None),
                (TEXT, None, None),
                ("D" * 80, dt.date(2026, 2, 1), None),
            )
        ],
        first,
        dict(first.writes),
    )
    after = parse_article(path, later.writes[path])
    assert after is not None and after.date == dt.date(2026, 2, 15) and after.date_estimated


def test_a_scrape_from_the_middle_merges_into_the_article_of_an_earlier_run(
    rules: Rules, matcher: Matcher, seed_dumps: list[Dump]
) -> None:
    first = seed_run(rules, matcher, seed_dumps)
    middle = "..." + opening_of_deepseek(seed_dumps)[60:220] + "..."
    second = run(rules, matcher, [feed((middle, dt.date(2026, 1, 15), "Large Model"))], first)
    assert second.writes == {}
    assert [(c.status, c.file) for c in second.card_records] == [("merged", "deepseek-v3.md")]


def test_a_state_of_version_1_keeps_working_and_the_file_does_not_shrink(
    rules: Rules, matcher: Matcher, seed_dumps: list[Dump]
) -> None:
    first = seed_run(rules, matcher, seed_dumps)
    from zhiku.ingest.merge import comparable

    old = {
        "version": 1,
        "articles": {
            key: {
                **{k: v for k, v in entry.items() if k not in ("text", "title_given")},
                "fingerprint": comparable(entry["text"], rules.section_names)[:64],
            }
            for key, entry in first.state["articles"].items()
        },
    }
    files = dict(first.writes)
    again = plan_ingest(
        list(seed_dumps),
        rules,
        matcher,
        state=old,
        existing=files,
        fallback_date=dt.date(2026, 1, 1),
    )
    assert again.writes == {}  # same inputs: no file changes, only the state is upgraded
    assert again.state["version"] == 2
    assert all("text" in e for e in again.state["articles"].values())
    cut = feed((opening_of_deepseek(seed_dumps)[:120] + "...", None, None))
    shorter = plan_ingest(
        [cut], rules, matcher, state=old, existing=files, fallback_date=dt.date(2026, 1, 1)
    )
    assert shorter.writes == {}
    assert [a.status for a in shorter.article_records] == ["unchanged"]


def test_tags_source_and_a_real_date_outlive_a_later_scrape_without_them(
    rules: Rules, matcher: Matcher
) -> None:
    card = Card(
        source="c.jsonl",
        line=1,
        position=0,
        text=TEXT,
        date=dt.date(2026, 1, 11),
        url="https://example.org/gc",
        tags=("显存", "我的标签"),
        category="Large Model",
    )
    first = run(rules, matcher, [Dump("c.jsonl", (card,))])
    ((path, text),) = first.writes.items()
    second = run(rules, matcher, [feed((TEXT[:60] + "...", None, None))], first)
    assert second.writes == {}
    later = parse_article(path, text)
    assert later is not None
    assert later.source == "https://example.org/gc" and "我的标签" in later.tags
    assert (later.date, later.date_estimated, later.category) == (
        dt.date(2026, 1, 11),
        False,
        "Large Model",
    )


def rescrape_longer(rules: Rules, matcher: Matcher, before: Plan, files: dict[str, str]) -> Plan:
    """A later run whose scrape of OTHER is longer, over the files as a person left them."""
    longer = feed((OTHER[:-3] + " 更多内容在这里,足够长...", None, None))
    return run(rules, matcher, [longer], before, files)


def test_a_hand_added_description_survives_re_ingest(rules: Rules, matcher: Matcher) -> None:
    dumps = [feed((OTHER, dt.date(2026, 1, 11), None))]
    first = run(rules, matcher, dumps)
    ((path, text),) = first.writes.items()
    edited = text.replace(
        "truncated: true\n", "truncated: true\ndescription: 我写的摘要\nmy_key: 1\n"
    )
    second = run(rules, matcher, dumps, first, {path: edited})
    assert second.writes == {}
    assert second.article_records[0].hand_edited == ("description",)
    longer = rescrape_longer(rules, matcher, first, {path: edited})
    result = parse_article(path, longer.writes[path])
    assert result is not None
    assert result.description == "我写的摘要" and dict(result.extra) == {"my_key": 1}
    assert "更多内容在这里" in result.body


def test_a_folder_page_or_an_unreadable_file_takes_its_slug(rules: Rules, matcher: Matcher) -> None:
    dumps = [feed((OTHER, dt.date(2026, 1, 11), None))]
    files = {"clip-suanfa-yuanli/index.md": "# 我的页面\n"}
    assert list(run(rules, matcher, dumps, files=files).writes) == ["clip-suanfa-yuanli-2.md"]
    plan = plan_ingest(
        dumps,
        rules,
        matcher,
        state={},
        existing={},
        fallback_date=dt.date(2026, 1, 1),
        unreadable=["clip-suanfa-yuanli.md"],
    )
    assert list(plan.writes) == ["clip-suanfa-yuanli-2.md"]


def test_an_article_whose_file_cannot_be_read_is_left_untouched(
    rules: Rules, matcher: Matcher
) -> None:
    dumps = [feed((OTHER, dt.date(2026, 1, 11), None))]
    first = run(rules, matcher, dumps)
    ((path, _),) = first.writes.items()
    longer = [feed((OTHER[:-3] + " 更多内容在这里,足够长...", dt.date(2026, 1, 11), None))]
    second = plan_ingest(
        longer,
        rules,
        matcher,
        state=first.state,
        existing={},
        fallback_date=dt.date(2026, 1, 1),
        unreadable=[path],
    )
    assert second.writes == {}
    assert second.state == first.state
    (record,) = second.article_records
    assert record.status == "kept-unreadable"
    (card,) = second.card_records
    assert card.status == "rejected" and card.reason is not None and path in card.reason


def test_every_card_is_accounted_for_with_its_warnings(rules: Rules, matcher: Matcher) -> None:
    text = f"Large Model\n2026-02-30\n{TEXT}\nDeep Learning\n{OTHER}\n2026-01-12\n"
    dump = parse_text_dump("d.txt", text, rules.chrome_lines)
    plan = run(rules, matcher, [dump])
    assert sorted(plan.writes) == [
        "clip-suanfa-yuanli.md",
        "tidu-jianchadian-gradient-checkpointing.md",
    ]
    assert [(c.line, c.status, c.file, c.reason) for c in plan.card_records] == [
        (3, "written", "tidu-jianchadian-gradient-checkpointing.md", None),
        (5, "written", "clip-suanfa-yuanli.md", None),
        (6, "rejected", None, "metadata at the end of the dump with no excerpt after it"),
    ]
    assert plan.card_records[0].warnings[0].startswith('d.txt:2: date "2026-02-30" is not')
    assert plan.cards[0]["warnings"] == list(plan.card_records[0].warnings)
    clip = parse_article("clip-suanfa-yuanli.md", plan.writes["clip-suanfa-yuanli.md"])
    assert clip is not None and clip.category == "Deep Learning"


ARTICLE = TEXT[:-3] + (
    "。梯度检查点的思路是在前向传播时只保存部分激活值,反向传播时再重新计算其余激活值,"
    "用额外的计算换取显存。PyTorch 提供了 torch.utils.checkpoint 来实现这一点,"
    "对 Transformer 的每一层使用检查点可以把显存占用降到原来的几分之一..."
)


# Scrapes that open the article (cut anywhere, with or without a section name first) and
# excerpts from inside its first 80 characters, which every opening scrape contains.
# (Two scrapes that only overlap, neither inside the other, are two articles until one
# that holds both arrives; so the first scrape here opens the article.)
OPENING = st.tuples(st.sampled_from(["", "简介 "]), st.just(0), st.integers(80, len(ARTICLE)))
SCRAPES = st.one_of(OPENING, st.tuples(st.just(""), st.integers(1, 30), st.integers(70, 80)))


def reach(body: str) -> int:
    """How far into ARTICLE the body's text goes (the title may move between title and body)."""
    flat, whole = re.sub(r"\s+|\\", "", body), re.sub(r"\s+", "", ARTICLE)
    return max((k for k in range(12, len(whole) + 1) if whole[k - 12 : k] in flat), default=0)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.tuples(OPENING, st.booleans()),
    st.lists(st.tuples(SCRAPES, st.booleans()), min_size=1, max_size=4),
)
def test_knowledge_only_grows_whatever_order_the_scrapes_come_in(
    rules: Rules,
    matcher: Matcher,
    first: tuple[tuple[str, int, int], bool],
    later: list[tuple[tuple[str, int, int], bool]],
) -> None:
    previous: Plan | None = None
    files: dict[str, str] = {}
    longest = 0
    seen_tags: set[str] = set()
    for (section, start, end), dated in [first, *later]:
        text = section + ("..." if start else "") + ARTICLE[start:end]
        text += "..." if end < len(ARTICLE) else ""
        day = dt.date(2026, 1, 11) if dated else None
        plan = run(rules, matcher, [feed((text, day, None))], previous, files)
        files = {**files, **plan.writes}
        previous = plan
        assert len(files) == 1  # every scrape is the one article
        ((path, written),) = files.items()
        article = parse_article(path, written)
        assert article is not None
        assert reach(article.body) >= longest
        assert seen_tags <= set(article.tags)
        longest, seen_tags = reach(article.body), set(article.tags)


XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.one_of(
            st.characters(codec=None, exclude_categories=()),
            st.sampled_from(list("\x1b\x08\u2028\u2029\ufeff\ud83d\x85\x9b")),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_whatever_characters_a_scrape_holds_the_files_are_utf8_and_xml_safe(
    rules: Rules, matcher: Matcher, noise: str
) -> None:
    import json

    from zhiku.ingest.cards import parse_jsonl_dump

    record = {"text": TEXT[:40] + noise + TEXT[40:], "title": noise, "tags": [noise]}
    line = json.dumps(record, ensure_ascii=True)
    text_dump = parse_text_dump("d.txt", f"{noise}\n2026-01-11\n{OTHER[:30]}{noise}{OTHER[30:]}")
    plan = run(rules, matcher, [parse_jsonl_dump("c.jsonl", line), text_dump])
    assert plan.writes
    for written in plan.writes.values():
        written.encode("utf-8")
        assert not XML_FORBIDDEN.search(written)
    assert {c.status for c in plan.card_records} <= {"written", "merged", "rejected"}


def test_a_lost_state_never_makes_duplicates_or_overwrites(
    rules: Rules, matcher: Matcher, seed_dumps: list[Dump]
) -> None:
    first = seed_run(rules, matcher, seed_dumps)
    files = dict(first.writes)
    path = "deepseek-v3.md"
    files[path] = files[path].replace("title: DeepSeek-V3", "title: 我的 DeepSeek-V3 笔记")
    again = plan_ingest(
        list(seed_dumps),
        rules,
        matcher,
        state={},
        existing=files,
        fallback_date=dt.date(2026, 1, 1),
    )
    assert again.writes == {}
    assert {a.status for a in again.article_records} == {"unchanged"}
    assert sorted(e["file"] for e in again.state["articles"].values()) == sorted(files)


def test_taken_slugs_cover_folder_pages_folders_and_any_case() -> None:
    from zhiku.ingest.plan import taken_slugs

    taken = taken_slugs(["shishi-4/index.md", "Notes/Deep/x.md", "About.md"])
    assert {"shishi-4", "shishi-4/index", "notes", "notes/deep", "notes/deep/x", "about"} <= taken


def test_a_later_scrape_that_disagrees_keeps_the_earlier_value_and_says_so(
    rules: Rules, matcher: Matcher
) -> None:
    first = run(rules, matcher, [feed((OTHER, dt.date(2026, 1, 11), "Multimodal"))])
    second = run(
        rules, matcher, [feed((OTHER[:80] + "...", dt.date(2026, 1, 20), "Vision"))], first
    )
    assert second.writes == {}
    (record,) = second.article_records
    assert (record.date, record.category) == ("2026-01-11", "Multimodal")
    assert record.conflicts == (
        "date: cards disagree (2026-01-11, 2026-01-20); kept 2026-01-11",
        "category: cards disagree (Multimodal, Vision); kept Multimodal",
    )


def test_knowledge_base_fields_written_by_hand_survive_re_ingest(
    rules: Rules, matcher: Matcher
) -> None:
    dumps = [feed((OTHER, dt.date(2026, 1, 11), None))]
    first = run(rules, matcher, dumps)
    ((path, text),) = first.writes.items()
    added = "draft: true\npinned: true\nupdated: 2026-02-01\nseries: 入门\nseries_order: 2\n"
    edited = text.replace("truncated: true\n", "truncated: true\n" + added)
    longer = rescrape_longer(rules, matcher, first, {path: edited})
    result = parse_article(path, longer.writes[path])
    assert result is not None and "更多内容在这里" in result.body
    assert (result.draft, result.pinned, result.updated) == (True, True, dt.date(2026, 2, 1))
    assert (result.series, result.series_order) == ("入门", 2)
