import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.ingest.cards import Card, Dump
from zhiku.ingest.merge import Known, comparable, containers, estimate_dates, group_cards, normalise

D11, D13, D15 = dt.date(2026, 1, 11), dt.date(2026, 1, 13), dt.date(2026, 1, 15)
LONG = "大模型的参数量巨大,即使将batch_size设置为1并使用梯度累积的方式更新,也仍然会OOM。"


def art(mark: str) -> str:
    """A distinct article: LONG marked at both ends."""
    return mark + LONG + mark * 3


def dump(name: str, *cards: tuple[str, dt.date | None] | str) -> Dump:
    made = []
    for n, card in enumerate(cards):
        text, date = (card, None) if isinstance(card, str) else card
        made.append(Card(source=name, line=n + 1, position=n, text=text, date=date))
    return Dump(name, tuple(made))


def test_seed_dumps_hold_47_distinct_articles(seed_dumps: list[Dump]) -> None:
    groups = group_cards(seed_dumps)
    assert len(groups) == 47
    assert sum(len(g.cards) for g in groups) == 60


def test_whitespace_and_the_cut_mark_do_not_make_a_new_article() -> None:
    groups = group_cards([dump("a", LONG + "..."), dump("b", LONG.replace(",", ",  ") + "…")])
    assert len(groups) == 1
    assert normalise(LONG + " ...") == LONG


def test_a_longer_scrape_of_the_same_article_merges_and_wins() -> None:
    short, longer = LONG[:30] + "...", LONG + " 还有另外一种延迟计算的思路..."
    (group,) = group_cards([dump("a", short), dump("b", longer)])
    assert group.best.text == longer
    assert [c.source for c in group.cards] == ["a", "b"]


def test_a_section_name_one_scrape_kept_does_not_split_an_article() -> None:
    groups = group_cards([dump("a", "概述 " + LONG), dump("b", LONG)], section_names=["概述"])
    assert len(groups) == 1


def test_a_site_name_before_a_section_name_does_not_split_an_article() -> None:
    # Found by the year-long simulation: "知乎专栏：概述 …" made a second file.
    groups = group_cards(
        [dump("a", "知乎专栏：概述 " + LONG[:40] + "..."), dump("b", "概述 " + LONG)],
        section_names=["概述"],
    )
    assert len(groups) == 1


def test_short_texts_do_not_merge_on_a_shared_opening() -> None:
    assert len(group_cards([dump("a", "概述 Python"), dump("b", "概述 Python 的列表")])) == 2


def test_conflicting_metadata_is_reported_and_the_first_value_kept() -> None:
    a = dump("a", (LONG, D11))
    b = dump("b", (LONG, D15))
    groups = group_cards([a, b])
    estimate_dates([a, b], groups)
    assert groups[0].date == D11
    assert groups[0].conflicts == ["date: cards disagree (2026-01-11, 2026-01-15); kept 2026-01-11"]


def test_undated_cards_are_placed_between_their_dated_neighbours() -> None:
    feed = dump("a", (art("新"), D15), art("中"), (art("旧"), D11), art("最老"))
    groups = group_cards([feed])
    estimate_dates([feed], groups)
    by_text = {g.best.text[:2]: g for g in groups}
    middle, oldest = by_text["中大"], by_text["最老"]
    assert (middle.date, middle.date_estimated, middle.date_bounds) == (D13, True, (D11, D15))
    # Only a newer neighbour: the missing side takes its value.
    assert (oldest.date, oldest.date_bounds) == (D11, (D11, D11))
    assert not by_text["新大"].date_estimated


def test_bounds_from_every_dump_are_intersected() -> None:
    x = art("X")
    one = dump("a", (art("新"), dt.date(2026, 1, 20)), x, (art("旧"), D11))
    two = dump("b", (art("A"), D15), x, (art("B"), D13))
    groups = group_cards([one, two])
    estimate_dates([one, two], groups)
    (article,) = [g for g in groups if g.key.startswith("X")]
    assert article.date_bounds == (D13, D15)
    assert article.date == dt.date(2026, 1, 14)


def test_an_article_with_no_dated_neighbour_is_placed_at_the_newest_date_and_says_so() -> None:
    dated = dump("a", (art("新"), D15))
    lonely = dump("b", art("孤"))
    groups = group_cards([dated, lonely])
    estimate_dates([dated, lonely], groups)
    assert groups[1].date == D15 and groups[1].date_estimated
    assert "no dated neighbour" in (groups[1].date_note or "")


@settings(deadline=None)  # the machine is shared; speed is measured in scripts/, not here
@given(st.permutations(list(range(5))))
def test_grouping_does_not_depend_on_dump_order(seed_dumps: list[Dump], order: list[int]) -> None:
    shuffled = [seed_dumps[i] for i in order]
    assert sorted(g.key for g in group_cards(shuffled)) == sorted(
        g.key for g in group_cards(seed_dumps)
    )


ARTICLE = (
    "简介 24年12月,研究团队开发了 DeepSeek-V3,一个拥有 6710 亿参数的混合专家模型,"
    "每个 token 激活 370 亿参数。它采用多头潜在注意力和 DeepSeekMoE 架构,"
    "并首创了无辅助损失的负载均衡策略与多 token 预测训练目标。"
)


def test_a_scrape_from_the_middle_of_an_article_merges_into_it() -> None:
    middle = "..." + ARTICLE[20:90] + "..."
    groups = group_cards([dump("a", middle), dump("b", "Large Model " + ARTICLE)])
    (group,) = groups
    assert group.best.text == "Large Model " + ARTICLE
    assert [c.source for c in group.cards] == ["a", "b"]


def test_a_short_stretch_in_the_middle_does_not_merge() -> None:
    # Two different notes may share a sentence of 30 characters; only prefixes merge that short.
    assert len(group_cards([dump("a", ARTICLE[30:60]), dump("b", ARTICLE)])) == 2


def test_an_earlier_runs_text_is_evidence_and_wins_when_longer() -> None:
    earlier = Card(source="", line=0, position=0, text=ARTICLE, category="Large Model", date=D11)
    known = Known(key="k1", text=comparable(ARTICLE), card=earlier)
    unrelated = Known(key="k2", text=comparable("另一篇" + LONG))
    (group,) = group_cards([dump("a", ARTICLE[:60] + "...")], known=[known, unrelated])
    assert [k.key for k in group.known] == ["k1"]
    assert group.best is earlier
    assert group.value("category") == "Large Model"


def test_containment_is_found_among_many_texts() -> None:
    texts = [f"第{n}篇文章的正文" * 8 for n in range(2000)] + [("第7篇文章的正文" * 8)[5:70]]
    found = containers(texts)
    assert found[2000] == 7 and set(found) <= {7, 2000}


def test_a_scrape_with_a_site_name_glued_on_merges_with_a_longer_one_without() -> None:
    groups = group_cards([dump("a", "Example：" + ARTICLE[:70] + "..."), dump("b", ARTICLE)])
    (group,) = groups
    assert group.best.text == ARTICLE
    # And the other way round, when the one with the site name is the longer.
    (group,) = group_cards([dump("a", ARTICLE[:75] + "..."), dump("b", "Example：" + ARTICLE)])
    assert group.best.text == "Example：" + ARTICLE


def test_a_site_name_glued_on_does_not_make_a_shorter_scrape_win() -> None:
    # Longer in characters only because of "Example：": the other holds more of the article.
    (group,) = group_cards(
        [dump("a", ARTICLE[:100] + "..."), dump("b", "Example：" + ARTICLE[:95])]
    )
    assert group.best.text == ARTICLE[:100] + "..."


def test_notes_sharing_a_passage_after_different_openings_stay_apart() -> None:
    # Found by the year-long simulation: a short scrape of one note ("第64号笔记…", then a
    # passage another note quotes too) went into the other note's file. Only a site's
    # name ("Example：", "CSDN博客：") is a head a scrape may carry that others lack.
    one = "简介 第64号笔记 对比学习的训练技巧。 " + LONG[:45] + "..."
    other = "第43号笔记 CLIP的推导。 " + LONG + " 其余的正文还很长,这里不是同一篇笔记。"
    groups = group_cards([dump("a", one, other)])
    assert [[c.text for c in g.cards] for g in groups] == [[one], [other]]


def test_a_short_cut_merges_with_a_longer_scrape_that_has_a_site_name_in_front() -> None:
    # Found by the year-long simulation (day 312): "简介 第4286号笔记 …,也使..." is 39
    # characters once compared, under the 40 a stretch from the middle needs, and the
    # earlier, longer scrape opened with "CSDN博客：简介 …": the cut made a second file.
    opening = "第4286号笔记 目标检测的工程细节。 GPT3 把模型的量级缩放到了 175B,也使"
    longer = "CSDN博客：简介 " + opening + "得后面的研究工作继续去放大语言模型的量级。 " + LONG
    shorter = "简介 " + opening + "..."
    (group,) = group_cards([dump("a", longer), dump("b", shorter)], ("简介",))
    assert group.best.text == longer
    (group,) = group_cards([dump("a", shorter), dump("b", longer)], ("简介",))
    assert group.best.text == longer


def _card(source: str, text: str, date: dt.date | None, category: str | None) -> Card:
    return Card(source=source, line=1, position=0, text=text, date=date, category=category)


CLIP = (
    "CLIP算法原理 CLIP 不预先定义图像和文本标签类别,直接利用从互联网爬取的 400 million 个"
    "image-text pair 进行图文匹配任务的训练,并将其成功迁移应用于30个现存的计算机视觉分类。"
)


def test_two_cuts_of_one_article_that_differ_at_the_cut_end_merge_and_the_longer_wins() -> None:
    # The cut broke a character in one scrape and fell a word later in the other.
    one = _card("a", CLIP + "简单的说,CLIP 无需利\ufffd...", D15, "Multimodal")
    other = _card("b", CLIP + "简单的说,CLIP 无需利用 ImageNet 的数据…", D15, "Multimodal")
    (group,) = group_cards([Dump("a", (one,)), Dump("b", (other,))])
    assert group.best is other
    assert [c.source for c in group.cards] == ["a", "b"]


def test_near_cuts_on_different_dates_or_categories_stay_two_articles() -> None:
    cut = CLIP + "简单的说,CLIP 无需利\ufffd..."
    longer = CLIP + "简单的说,CLIP 无需利用 ImageNet 的数据…"
    for date, category in ((D11, "Multimodal"), (D15, "Python"), (D11, None)):
        one = _card("a", cut, D15, "Multimodal")
        other = _card("b", longer, date, category)
        assert len(group_cards([Dump("a", (one,)), Dump("b", (other,))])) == 2
    # A card that lost its metadata to the scrape's cut disagrees with nothing.
    one, other = _card("a", cut, None, None), _card("b", longer, D15, "Multimodal")
    assert len(group_cards([Dump("a", (one,)), Dump("b", (other,))])) == 1
    # One a prefix of the other: the same article whatever the dates say.
    one = _card("a", CLIP + "简单的说...", D11, "Multimodal")
    other = _card("b", longer, D15, "Multimodal")
    assert len(group_cards([Dump("a", (one,)), Dump("b", (other,))])) == 1


def test_texts_that_part_before_their_cut_end_stay_two_articles() -> None:
    # Same date and category, same opening, different notes: they part long before the cut.
    one = _card("a", CLIP + "这是第一篇笔记的后续内容,讲的是对比学习的损失...", D15, "Multimodal")
    other = _card("b", CLIP + "另一篇笔记接着讲零样本分类的提示词模板与集成...", D15, "Multimodal")
    assert len(group_cards([Dump("a", (one,)), Dump("b", (other,))])) == 2


def test_a_near_cut_of_an_article_an_earlier_run_wrote_merges_into_it() -> None:
    longer = CLIP + "简单的说,CLIP 无需利用 ImageNet 的数据…"
    known = Known("k1", comparable(longer), _card("", longer, D15, "Multimodal"))
    cut = _card("a", CLIP + "简单的说,CLIP 无需利\ufffd...", D15, "Multimodal")
    (group,) = group_cards([Dump("a", (cut,))], known=[known])
    assert group.known == [known] and group.best.text == longer


def test_a_label_after_a_first_sentence_is_no_site_name() -> None:
    # Two notes on one paper: the shorter, cut after the paper's title, is not the other
    # note with a site's name ("第64号笔记…。Paper:") glued in front.
    paper = "Paper: Optimizing Continuous Prompts for Generation"
    short = f"第64号笔记 生成对抗网络的训练技巧。 {paper}..."
    other = f"背景 第65号笔记 对比学习在实践中的坑。 {paper} Github:https://github.com/x 是设置。"
    assert len(group_cards([dump("a", short), dump("b", other)])) == 2


def test_near_cuts_merge_when_one_has_a_site_name_glued_on() -> None:
    one = _card("a", "知乎专栏：概述 " + CLIP + "简单的说,CLIP 无需利\ufffd...", D15, "Multimodal")
    other = _card("b", "概述 " + CLIP + "简单的说,CLIP 无需利用 ImageNet 的数据…", D15, None)
    groups = group_cards([Dump("a", (one,)), Dump("b", (other,))], section_names=["概述"])
    assert len(groups) == 1 and groups[0].best is other
