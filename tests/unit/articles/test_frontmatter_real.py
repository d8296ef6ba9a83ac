"""Front matter as real notes carry it (Hexo, Hugo, Jekyll, hand-written), the mistakes
people make typing it, and values YAML would read as something else."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.articles import Article, ArticleError, dump_article, parse_article
from zhiku.articles.catalogue import Document, Shelf, notes
from zhiku.articles.frontmatter import page_note, parse_when, unknown_keys
from zhiku.articles.model import MAX_TAGS

CST = dt.timezone(dt.timedelta(hours=8))


def parse(front: str, body: str = "正文。\n") -> Article:
    found = parse_article("content/post.md", f"---\n{front}---\n\n{body}")
    assert found is not None
    return found


def error(front: str) -> str:
    with pytest.raises(ArticleError) as info:
        parse_article("content/post.md", f"---\n{front}---\n\n正文。\n")
    return str(info.value)


# -- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "time"),
    [
        ("2021-06-29", None),
        ("2021-06-29 01:52", dt.datetime(2021, 6, 29, 1, 52)),
        ("2021-06-29 01:52:57", dt.datetime(2021, 6, 29, 1, 52, 57)),
        ("'2021-06-29 01:52:57'", dt.datetime(2021, 6, 29, 1, 52, 57)),
        ("2021-06-29T01:52:57", dt.datetime(2021, 6, 29, 1, 52, 57)),
        ("2021-06-29T01:52:57Z", dt.datetime(2021, 6, 29, 1, 52, 57, tzinfo=dt.UTC)),
        ("2021-06-29T01:52:57+08:00", dt.datetime(2021, 6, 29, 1, 52, 57, tzinfo=CST)),
        ('"2021-06-29 01:52:57 +0800"', dt.datetime(2021, 6, 29, 1, 52, 57, tzinfo=CST)),
        ("2021-06-29 01:52:57.250", dt.datetime(2021, 6, 29, 1, 52, 57, 250000)),
        ("2021-06-29T01:52:57.123456789Z", dt.datetime(2021, 6, 29, 1, 52, 57, 123456, dt.UTC)),
        ("2021/06/29 01:52:57", dt.datetime(2021, 6, 29, 1, 52, 57)),
        ("2019-6-5 9:03:00", dt.datetime(2019, 6, 5, 9, 3)),  # Hexo's moment.js writes these
    ],
)
def test_dates_of_hexo_hugo_and_jekyll_keep_the_day_as_written_and_the_time(
    written: str, time: dt.datetime | None
) -> None:
    found = parse(f"title: 笔记\ndate: {written}\n")
    assert found.date == (time.date() if time else dt.date(2021, 6, 29))
    assert found.time == time


def test_the_calendar_day_is_the_one_written_whatever_the_zone() -> None:
    # 01:00 in Beijing is the evening before in UTC: the article is still of the 29th.
    found = parse("title: 笔记\ndate: 2021-06-29T01:00:00+08:00\n")
    assert found.date == dt.date(2021, 6, 29)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2021-06-29 25:00", 'date "2021-06-29 25:00" is not a date and time; write it like'),
        ("2021-06-29T01:52+25:00", 'date "2021-06-29T01:52+25:00" is not a date and time;'),
        ("2021-02-30", 'date "2021-02-30" is not a YYYY-MM-DD date; write it like 2026-01-15'),
        ("去年夏天", 'date "去年夏天" is not a YYYY-MM-DD date'),
        ("", "date has no value; write one, like `date: 2026-01-15`"),
    ],
)
def test_a_date_that_is_none_of_the_forms_is_an_error_at_its_line(
    written: str, message: str
) -> None:
    assert error(f"title: 笔记\ndate: {written}\n").startswith(f"content/post.md:3: {message}")


def test_a_time_is_written_back_as_it_was_read() -> None:
    found = parse("title: 笔记\ndate: 2021-06-29T01:52:57+08:00\n")
    text = dump_article(found)
    assert "date: 2021-06-29 01:52:57+08:00\n" in text
    assert parse_article("content/post.md", text) == found


@pytest.mark.parametrize("key", ["updated", "lastmod"])
def test_updated_and_hugos_lastmod_take_the_same_forms(key: str) -> None:
    found = parse(f"title: 笔记\ndate: 2021-06-29\n{key}: 2024-03-01T10:00:00+08:00\n")
    assert found.updated == dt.date(2024, 3, 1)
    assert found.extra == ()


def test_an_empty_updated_is_an_error_not_no_date() -> None:
    assert error("title: 笔记\ndate: 2021-06-29\nupdated:\n") == (
        "content/post.md:4: updated has no value; write one, like `updated: 2026-02-01`, "
        "or delete the line"
    )


def test_updated_and_lastmod_together_is_an_error_at_the_second() -> None:
    message = error("title: 笔记\ndate: 2021-06-29\nlastmod: 2022-01-01\nupdated: 2022-01-02\n")
    assert message.startswith("content/post.md:5: updated and lastmod both give")


# -- categories -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "category"),
    [
        ("categories: [笔记]", "笔记"),
        ("categories:\n  - 笔记", "笔记"),
        ("categories: 笔记", "笔记"),
        ("category: 笔记", "笔记"),
        ("categories: [机器学习, 强化学习]", "机器学习/强化学习"),
        ("categories:\n  - 机器学习\n  - 强化学习", "机器学习/强化学习"),
        ("category: 机器学习 / 强化学习", "机器学习/强化学习"),
        ("categories:", "未分类"),  # Hexo's scaffold leaves it empty
        ("categories: []", "未分类"),
        ("categories: [2021]", "2021"),
        ("categories:\n  - [机器学习, 强化学习]", "机器学习/强化学习"),
    ],
)
def test_category_and_categories_as_a_name_a_list_or_a_hierarchy(
    written: str, category: str
) -> None:
    found = parse(f"title: 笔记\ndate: 2021-06-29\n{written}\n")
    assert found.category == category
    assert found.category_path == tuple(category.split("/"))


@pytest.mark.parametrize(
    ("written", "line", "start"),
    [
        ("category: A\ncategories: [B]", 5, "category and categories both give"),
        ("categories: [[日记, 生活], 学习]", 4, "an article has one category"),
        ("categories: [C/C++, 指针]", 4, 'the category "C/C++" holds a `/`'),
        ("categories: [笔记, ~]", 4, "a category in the list is empty"),
        ("category: 机器学习//强化学习", 4, 'category "机器学习//强化学习" has an empty part'),
        ("category: {a: b}", 4, "category must be a name or a list of names"),
    ],
)
def test_a_category_that_cannot_be_one_path_is_an_error(
    written: str, line: int, start: str
) -> None:
    assert error(f"title: 笔记\ndate: 2021-06-29\n{written}\n").startswith(
        f"content/post.md:{line}: {start}"
    )


# -- keys nobody knows ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "near"),
    [("catgory", "category"), ("tgas", "tags"), ("tag", "tags"), ("Title", "title")],
)
def test_a_misspelt_key_is_a_warning_naming_line_and_the_closest_known_key(
    key: str, near: str
) -> None:
    found = parse(f"title: 笔记\ndate: 2021-06-29\n{key}: CLIP\n")
    assert unknown_keys(found) == [
        (
            4,
            f'unknown front-matter key "{key}"; did you mean "{near}"? '
            "(declare keys of your own in mkdocs.yml: zhiku/feed option extra_front_matter)",
        )
    ]


def test_keys_the_site_declares_and_keys_the_importer_writes_do_not_warn() -> None:
    found = parse(
        "title: 笔记\ndate: 2021-06-29\ncover: a.png\nlang: zh\n"
        "aliases: [/2021/06/29/old-post/, posts/old.html]\ndate_estimated: true\n"
    )
    assert unknown_keys(found, declared=["cover", "lang"]) == []
    assert [line for line, _ in unknown_keys(found)] == [4, 5]
    assert dict(found.extra)["aliases"] == ["/2021/06/29/old-post/", "posts/old.html"]


@pytest.mark.parametrize("aliases", ["[https://old.example/x/]", "[~]", "{a: b}", "[[a]]"])
def test_aliases_must_be_site_paths(aliases: str) -> None:
    assert error(f"title: 笔记\ndate: 2021-06-29\naliases: {aliases}\n").startswith(
        "content/post.md:4: aliases must be a list of this site's old URL paths"
    )


def test_a_page_whose_date_key_is_misspelt_is_a_warning_not_a_silent_page() -> None:
    text = "---\ntitle: 笔记\ndtae: 2021-06-29\n---\n正文\n"
    assert parse_article("content/post.md", text) is None
    note = page_note("content/post.md", text)
    assert note is not None and note[0] == 3 and 'did you mean "date"?' in note[1]
    assert page_note("about.md", "---\ntitle: 关于\n---\n正文\n") is None
    assert page_note("about.md", "---\ntitle: 关于\ndata: x.csv\n---\n正文\n") is None
    for key in ("Date", "dates", "日期"):
        assert page_note("p.md", f"---\ntitle: 笔记\n{key}: 2021-06-29\n---\n") is not None
    assert page_note("about.md", "# 关于\n") is None


def test_notes_list_pages_without_a_date_but_not_section_indexes() -> None:
    article = parse("title: 笔记\ndate: 2021-06-29\ncatgory: x\n")
    shelf = Shelf(
        (
            Document("index.md", "content/index.md", "0", None, "# 首页\n"),
            Document("about.md", "content/about.md", "1", None, "# 关于\n"),
            Document("post.md", "content/post.md", "2", article),
        )
    )
    said = notes(shelf)
    assert said.pages == ("content/about.md",)
    assert said.warnings == (
        'content/post.md:4: unknown front-matter key "catgory"; did you mean "category"? '
        "(declare keys of your own in mkdocs.yml: zhiku/feed option extra_front_matter)",
    )


# -- YAML mistakes, each with its own fix ----------------------------------------------------


def test_a_tab_in_indentation_says_so_at_its_line() -> None:
    assert error("title: 笔记\ndate: 2021-06-29\ntags:\n\t- CLIP\n") == (
        "content/post.md:5: YAML does not allow tabs for indentation; indent with spaces"
    )


@pytest.mark.parametrize(
    "front",
    [
        "title: 笔记\ndate： 2026-01-15\ntags: [CLIP]\n",
        "title: 笔记\ndate: 2026-01-15\ntags： [CLIP]\n",
        "date: 2026-01-15\ntitle：笔记\n",
    ],
)
def test_a_full_width_colon_after_a_key_says_to_type_an_ascii_colon(front: str) -> None:
    line = 2 + next(n for n, text in enumerate(front.split("\n")) if "：" in text)
    assert error(front) == (
        f"content/post.md:{line}: the key is followed by a full-width colon `：`; "
        "write an ASCII colon `:` after the key"
    )


def test_a_full_width_colon_inside_a_value_is_text() -> None:
    assert parse("title: 注意：这是标题\ndate: 2026-01-15\n").title == "注意：这是标题"


def test_full_width_quotes_say_to_use_ascii_quotes() -> None:
    assert error("date: 2026-01-15\ntitle: “CLIP: 对比学习”\n") == (
        'content/post.md:3: full-width quotes “…” are not YAML quotes; use ASCII quotes "…" '
        "around the value"
    )


def test_a_quote_never_closed_points_at_the_line_that_opens_it() -> None:
    message = error('title: "CLIP 笔记\ndate: 2026-01-15\ntags: [a]\n')
    assert message.startswith("content/post.md:2: front matter is not valid YAML")
    assert message.endswith("close the quote, [ or { this line opens")


# -- bounds ---------------------------------------------------------------------------------


def test_an_alias_bomb_is_refused_at_its_first_anchor_in_well_under_a_second() -> None:
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    front = "title: 炸弹\ndate: 2026-01-15\n" + "\n".join(levels) + "\n"
    start = time.perf_counter()
    message = error(front)
    assert time.perf_counter() - start < 0.5
    assert message == (
        "content/post.md:4: YAML anchors and aliases (&name, *name) are not allowed in front "
        "matter; write the value out in full"
    )


def test_an_ampersand_in_text_is_not_an_anchor() -> None:
    assert parse("title: Q&A *重点*\ndate: 2026-01-15\n").title == "Q&A *重点*"


def test_an_article_carries_at_most_the_stated_number_of_tags() -> None:
    many = ", ".join(f"t{i}" for i in range(MAX_TAGS))
    assert len(parse(f"title: 笔记\ndate: 2026-01-15\ntags: [{many}]\n").tags) == MAX_TAGS
    assert error(f"title: 笔记\ndate: 2026-01-15\ntags: [{many}, one-more]\n") == (
        f"content/post.md:4: the article has {MAX_TAGS + 1} tags and may carry at most "
        f"{MAX_TAGS}; keep the {MAX_TAGS} that say most about it"
    )


# -- exact values ---------------------------------------------------------------------------


def test_an_arxiv_id_yaml_reads_as_a_number_keeps_its_digits() -> None:
    for written in ("2103.00020", "2103.10000"):
        found = parse(f"title: CLIP\ndate: 2026-01-15\npaper:\n  arxiv: {written}\n")
        assert found.paper is not None and found.paper.arxiv == written


@pytest.mark.parametrize(
    ("written", "line", "message"),
    [
        ("series_order: 0", 4, "series_order 0 is not a whole number of 1 or more"),
        ("series_order: -2", 4, "series_order -2 is not a whole number of 1 or more"),
        ("series_order: 1.5", 4, "series_order 1.5 is not a whole number of 1 or more"),
        ("series_order:", 4, "series_order has no value"),
        ("paper:\n  year: 20212021202120212021", 5, "paper.year 20212021202120212021 is not"),
        ("paper:\n  year: 999", 5, "paper.year 999 is not a year from 1000 to 2100"),
        ("paper:\n  yaer: 2021", 5, 'paper has an unknown key yaer; did you mean "year"?'),
        ("series:", 4, "series has no value"),
        ("draft: maybe", 4, "draft must be true or false"),
    ],
)
def test_blank_or_out_of_range_values_are_errors_at_their_own_line(
    written: str, line: int, message: str
) -> None:
    assert error(f"title: 笔记\ndate: 2026-01-15\n{written}\n").startswith(
        f"content/post.md:{line}: {message}"
    )


def test_a_series_order_written_with_a_leading_zero_is_the_decimal_written() -> None:
    assert parse("title: 笔记\ndate: 2026-01-15\nseries: S\nseries_order: 010\n").series_order == 10


AMBIGUOUS = [
    "yes", "no", "on", "off", "Off", "null", "~", "010", "1e3", "1.10", "2103.00020", "0x1F",
    ".inf", "-.inf", ".nan", "2021-06-29", "0o17", "1_000", "+12", "12:30", "true",
]  # fmt: skip
TEXT_KEYS = {
    "title": lambda a: a.title,
    "category": lambda a: a.category,
    "tags": lambda a: a.tags[0] if a.tags else None,
    "description": lambda a: a.description,
    "series": lambda a: a.series,
    "paper.title": lambda a: a.paper and a.paper.title,
    "paper.venue": lambda a: a.paper and a.paper.venue,
    "paper.arxiv": lambda a: a.paper and a.paper.arxiv,
    "paper.authors": lambda a: a.paper.authors[0] if a.paper and a.paper.authors else None,
    "categories": lambda a: a.category,
    "aliases": lambda a: dict(a.extra)["aliases"][0],
    "cover": lambda a: dict(a.extra)["cover"],
}
OTHER_KEYS = [
    "date", "updated", "lastmod", "source", "draft", "pinned", "truncated", "date_estimated",
    "category_inferred", "series_order", "paper.year", "paper.code", "paper.arxiv_inferred",

]  # fmt: skip
BASE = {"title": "笔记", "date": "2026-01-15"}


# Plain scalars YAML may read as numbers, dates, times or nothing; no `,` (tags split on it).
NUMBERISH = st.from_regex(r"[0-9][0-9.eE+_:xo~-]{0,9}", fullmatch=True)


@settings(max_examples=800, deadline=None)
@given(
    key=st.sampled_from([*TEXT_KEYS, *OTHER_KEYS]),
    scalar=st.sampled_from(AMBIGUOUS) | NUMBERISH,
)
def test_yamls_ambiguous_scalars_are_read_as_written_or_refused_with_a_line(
    key: str, scalar: str
) -> None:
    head, _, sub = key.partition(".")
    value = f"\n  {sub}: {scalar}" if sub else f" {scalar}"
    front = "".join(f"{k}: {v}\n" for k, v in BASE.items() if k != key)
    text = f"---\n{front}{head}:{value}\n---\n正文\n"
    line = text.split("\n").index(f"{head}:{value}".split("\n")[-1]) + 1
    try:
        found = parse_article("content/post.md", text)
    except ArticleError as err:
        assert err.line == line
        return
    assert found is not None
    if key in TEXT_KEYS:
        got = TEXT_KEYS[key](found)
        empty = scalar in ("null", "~")
        # A key of the site's own keeps YAML's true/false, and numbers written as YAML writes
        # them; everything else is the text as written.
        kept = key == "cover" and (isinstance(got, bool) or str(got) == scalar)
        assert got == scalar or (empty and got in (None, "未分类")) or kept
    elif key in ("date", "updated", "lastmod"):
        when = parse_when(scalar)
        assert when is not None and when[0] == (found.date if key == "date" else found.updated)
    elif key == "series_order":
        assert found.series_order == int(scalar, 10)


def test_keys_mkdocs_and_material_read_do_not_warn() -> None:
    found = parse("title: 笔记\ndate: 2021-06-29\nhide: [toc]\nicon: material/book\nstatus: new\n")
    assert unknown_keys(found) == []


@pytest.mark.parametrize("key", ["slug", "permalink"])
def test_a_url_key_of_another_generator_says_the_file_name_is_the_url(key: str) -> None:
    found = parse(f"title: 笔记\ndate: 2021-06-29\n{key}: old-post\n")
    assert unknown_keys(found) == [
        (
            4,
            f"{key} is not read: an article's URL is its file name; rename the file to change "
            "it, and list the old URL under `aliases:` so links to it keep working",
        )
    ]


# -- a careless writer ----------------------------------------------------------------------

CAREFUL = (
    "---\ntitle: CLIP算法原理\ndate: 2026-01-11 09:30\ncategories: [机器学习, 多模态]\n"
    "tags:\n  - CLIP\n  - 对比学习\nseries: 多模态入门\nseries_order: 2\n"
    'paper:\n  arxiv: "2103.00020"\n  authors: [Alec Radford]\n  year: 2021\n'
    "aliases: [/2021/01/11/clip/]\n---\n\n# CLIP算法原理\n\n正文。\n"
)
MISTAKES = [
    ("tags", "tgas"), ("category", "catgory"), (": ", "： "), ("\n  - ", "\n\t- "),
    ('"', "“"), ('"2103', "2103"), ("---\n\n", "\n\n"), ("\n---", "\n--"), ("[", ""),
    ("]", ""), ("2026-01-11", "2026-1-11"), ("09:30", "9:30 +08:00"), ("2021", "二〇二一"),
    ("title:", "title: &t"), ("\n  ", "\n"), ("\n", "\r\n"), ("series_order: 2", "series_order: 0"),
    (": ", ":"), ("---\n", "---\n# "), ("CLIP", "yes"), ("多模态", "on"), ("  year", "year"),
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(MISTAKES), min_size=1, max_size=4), st.data())
def test_a_careless_writers_front_matter_is_read_or_refused_with_its_line(
    mistakes: list[tuple[str, str]], data: st.DataObject
) -> None:
    text = CAREFUL
    for old, new in mistakes:
        count = text.count(old)
        if count:  # one of the places it could happen
            at = data.draw(st.integers(0, count - 1))
            parts = text.split(old)
            text = old.join(parts[: at + 1]) + new + old.join(parts[at + 1 :])
    try:
        found = parse_article("content/clip.md", text)
    except ArticleError as err:
        assert 1 <= err.line <= text.count("\n") + 1
        assert "\n" not in err.message and err.message.count(";") >= 1
        return
    if found is not None:
        assert found.title and found.date and len(found.tags) <= MAX_TAGS
