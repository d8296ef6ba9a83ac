import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhiku.articles import Article, ArticleError, dump_article, parse_article


def article(**changes: object) -> Article:
    base = {
        "path": "clip.md",
        "title": "CLIP算法原理",
        "date": dt.date(2026, 1, 11),
        "body": "正文。\n",
        "category": "Large Model",
        "tags": ("CLIP", "多模态"),
    }
    base.update(changes)
    return Article(**base)  # type: ignore[arg-type]


def test_dump_then_parse_gives_the_same_article() -> None:
    original = article(
        date_estimated=True, source="https://arxiv.org/abs/2103.00020", truncated=True
    )
    assert parse_article("clip.md", dump_article(original)) == original


def test_dump_is_readable_yaml_in_contract_order() -> None:
    text = dump_article(article())
    assert text.startswith("---\ntitle: CLIP算法原理\ndate: 2026-01-11\ncategory: Large Model\n")
    assert "tags: [CLIP, 多模态]" in text


def test_page_without_date_is_not_an_article() -> None:
    assert parse_article("index.md", "---\ntitle: 知库\n---\n# 知库\n") is None
    assert parse_article("about.md", "# 关于\n") is None


def test_bad_date_names_file_line_and_fix() -> None:
    text = "---\ntitle: CLIP\ncategory: CV\ndate: 2025-13-01\n---\n正文\n"
    with pytest.raises(ArticleError) as info:
        parse_article("content/clip.md", text)
    assert str(info.value) == (
        'content/clip.md:4: date "2025-13-01" is not a YYYY-MM-DD date; write it like 2026-01-15'
    )


def test_broken_yaml_points_at_its_line() -> None:
    text = "---\ntitle: CLIP\ndate: 2026-01-01\ntags: [a, b\n---\n"
    with pytest.raises(ArticleError) as info:
        parse_article("x.md", text)
    assert str(info.value).startswith("x.md:")
    assert "not valid YAML" in str(info.value)


def test_hand_added_keys_survive_a_rewrite() -> None:
    text = "---\ntitle: T\ndate: 2026-01-01\nauthor: 张三\n---\n\n正文\n"
    parsed = parse_article("t.md", text)
    assert parsed is not None
    assert "author: 张三" in dump_article(parsed)


awkward_titles = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    min_size=1,
).filter(lambda s: s.strip() == s and s.strip())
# A tag never holds a separator: `CLIP, 多模态` is two tags (see test_tags_in_one_string_...).
awkward_tags = awkward_titles.filter(lambda s: not any(sep in s for sep in ",，、"))
# A category is a name or a path of names: `/` separates its parts.
awkward_categories = st.lists(
    awkward_titles.filter(lambda s: "/" not in s), min_size=1, max_size=3
).map("/".join)


@settings(deadline=None)  # a shared CI machine: a slow first example is not a failure
@given(
    title=awkward_titles,
    tags=st.lists(awkward_tags, max_size=4, unique=True),
    category=awkward_categories,
)
def test_any_title_tag_and_category_round_trips(title: str, tags: list[str], category: str) -> None:
    original = article(title=title, tags=tuple(tags), category=category)
    assert parse_article("clip.md", dump_article(original)) == original


@pytest.mark.parametrize(
    "title",
    [
        '"引号"开头',
        "冒号: 后面",
        "# 井号",
        "- 破折号",
        "[方括号]",
        "{花括号}",
        "2026-01-01",
        "yes",
        "null",
        "'",
    ],
)
def test_titles_that_look_like_yaml_syntax_round_trip(title: str) -> None:
    original = article(title=title)
    assert parse_article("clip.md", dump_article(original)) == original


def _error(text: str, path: str = "content/clip.md") -> str:
    with pytest.raises(ArticleError) as info:
        parse_article(path, text)
    return str(info.value)


def test_a_key_given_twice_is_an_error_at_the_second_line() -> None:
    text = "---\ntitle: 旧标题\ndate: 2026-01-01\ntitle: 新标题\n---\n正文\n"
    assert _error(text) == (
        "content/clip.md:4: title is given twice (also on line 2) and only one can count; "
        "keep one of the two lines"
    )


@pytest.mark.parametrize("written", ["yes", "Off", "010", "1.10", "2103.00020", "0x1F", "~x"])
def test_a_title_yaml_would_read_as_another_type_is_the_text_as_written(written: str) -> None:
    text = f"---\ndate: 2026-01-01\ntitle: {written}\n---\n正文\n"
    found = parse_article("clip.md", text)
    assert found is not None and found.title == written


def test_a_category_and_tags_yaml_would_read_as_other_types_keep_the_text() -> None:
    text = "---\ntitle: T\ndate: 2026-01-01\ncategory: no\ntags: [GPT, yes, 1.10]\n---\n"
    found = parse_article("clip.md", text)
    assert found is not None
    assert (found.category, found.tags) == ("no", ("GPT", "yes", "1.10"))


@pytest.mark.parametrize(
    "tags",
    [
        "CLIP, 多模态",
        "CLIP,多模态",
        "CLIP，多模态",
        "CLIP、多模态",
        "[CLIP，多模态]",
        "[CLIP、 多模态, CLIP]",
        "\n  - CLIP\n  - 多模态",
    ],
)
def test_tags_in_one_string_are_split_on_commas_and_enumeration_commas(tags: str) -> None:
    parsed = parse_article("t.md", f"---\ntitle: T\ndate: 2026-01-01\ntags: {tags}\n---\n")
    assert parsed is not None
    assert parsed.tags == ("CLIP", "多模态")


def test_front_matter_closed_with_yaml_document_end_is_read() -> None:
    parsed = parse_article("t.md", "---\ntitle: T\ndate: 2026-01-01\n...\n\n正文\n")
    assert parsed is not None
    assert (parsed.title, parsed.body) == ("T", "正文\n")


def test_front_matter_never_closed_is_an_error() -> None:
    text = "---\ntitle: T\ndate: 2026-01-01\n\n正文\n"
    assert _error(text) == (
        "content/clip.md:1: front matter opened with --- is never closed; "
        "add a line --- after its last `key: value` line"
    )


def test_a_page_opening_with_a_rule_is_still_an_ordinary_page() -> None:
    assert parse_article("about.md", "---\n\n正文，没有元数据。\n") is None
