"""Articles of one day are ordered by the time their ``date`` gives, in listings, series
and feeds (Hexo and Hugo posts carry one)."""

from __future__ import annotations

import datetime as dt

from listing_factories import entry

from zhiku.listing import Entry, FeedInfo, Urls, atom
from zhiku.listing.pages import newest_first, plan_site, series_groups

CST = dt.timezone(dt.timedelta(hours=8))


def at(path: str, time: dt.datetime | None, **more: object) -> Entry:
    day = (time.date() if time else dt.date(2021, 6, 29)).isoformat()
    return entry(path, day, time=time, **more)


def test_articles_of_one_day_are_newest_first_by_the_time_written() -> None:
    entries = [
        at("no-time.md", None),
        at("morning.md", dt.datetime(2021, 6, 29, 8, 0, tzinfo=CST)),
        at("night.md", dt.datetime(2021, 6, 29, 21, 10)),
        at("dawn.md", dt.datetime(2021, 6, 29, 1, 52, 57)),
        at("next-day.md", dt.datetime(2021, 6, 30, 0, 5)),
    ]
    order = [e.article.path for e in newest_first(entries)]
    assert order == ["next-day.md", "night.md", "morning.md", "dawn.md", "no-time.md"]


def test_a_series_without_order_reads_oldest_first_by_time() -> None:
    late = at("late.md", dt.datetime(2021, 6, 29, 22, 0), series="S")
    early = at("early.md", dt.datetime(2021, 6, 29, 7, 0), series="S")
    (group,) = series_groups([late, early], {"S": "s"})
    assert [e.article.path for e in group.entries] == ["early.md", "late.md"]


def test_feeds_publish_at_the_time_written() -> None:
    entries = [
        at("zoned.md", dt.datetime(2021, 6, 29, 8, 0, tzinfo=CST)),
        at("naive.md", dt.datetime(2021, 6, 29, 21, 10)),
        at("day.md", None),
    ]
    text = atom(
        FeedInfo("站", "", "zh", "作者"),
        entries,
        Urls(site_url="https://e.org/"),
    ).decode()
    assert "<published>2021-06-29T08:00:00+08:00</published>" in text
    assert "<published>2021-06-29T21:10:00+00:00</published>" in text
    assert "<published>2021-06-29T00:00:00+00:00</published>" in text
    assert "<updated>2021-06-29T21:10:00+00:00</updated>" in text  # the feed's: newest moment


def test_a_hierarchys_article_is_listed_in_each_category_above_it() -> None:
    entries = [
        entry("rl.md", "2021-06-29", category="机器学习/强化学习"),
        entry("svm.md", "2021-06-28", category="机器学习"),
        entry("dqn.md", "2021-06-27", category="机器学习/强化学习/深度"),
    ]
    site = plan_site(entries, 10)
    groups = {g.name: [e.article.path for e in g.entries] for g in site.categories}
    assert groups == {
        "机器学习": ["rl.md", "svm.md", "dqn.md"],
        "机器学习/强化学习": ["rl.md", "dqn.md"],
        "机器学习/强化学习/深度": ["dqn.md"],
    }
    # 同分类 neighbours stay within the article's own category.
    assert site.category_neighbours("rl.md") == (entries[2], None)
    titles = [p.title for p in site.pages if p.kind == "category"]
    assert "分类：机器学习 › 强化学习" in titles
