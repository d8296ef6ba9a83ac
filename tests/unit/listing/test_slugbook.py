"""A published category, tag or series URL keeps its name: slugs are recorded, never reused."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiku.listing.slugbook import (
    Slugbook,
    SlugbookError,
    assign,
    dump_slugbook,
    merged,
    read_slugbook,
)


def test_a_recorded_name_keeps_its_slug_when_a_colliding_name_arrives() -> None:
    first = assign("tags", ["C++"], Slugbook())
    assert first == {"C++": "c"}
    book = merged(Slugbook(), {"tags": first})
    # Without the record, C (sorting first) would take c/ from C++.
    assert assign("tags", ["C++", "C"], Slugbook()) == {"C": "c", "C++": "c-2"}
    assert assign("tags", ["C", "C++"], book) == {"C": "c-2", "C++": "c"}


def test_a_slug_is_never_given_to_another_name_even_after_its_name_is_gone() -> None:
    book = merged(Slugbook(), {"tags": {"C++": "c"}})
    assert assign("tags", ["C"], book) == {"C": "c-2"}


def test_names_without_letters_get_a_stable_hash_slug_in_any_order() -> None:
    names = ["🔥", "🚀", "✨"]
    slugs = {perm: assign("tags", perm, Slugbook()) for perm in itertools.permutations(names)}
    assert len({tuple(sorted(s.items())) for s in slugs.values()}) == 1
    one = next(iter(slugs.values()))
    assert all(slug.startswith("tag-") and len(slug) == 12 for slug in one.values())
    assert len(set(one.values())) == 3
    assert assign("category", ["🔥"], Slugbook())["🔥"].startswith("category-")


@given(
    st.lists(
        st.sampled_from(["C", "C++", "c#", "C-", "🔥", "注意力", "zhuyili", "Zhu Yi Li"]),
        min_size=1,
        max_size=6,
        unique=True,
    ),
    st.lists(st.sampled_from(["C", "C++", "c#", "C-", "🔥", "注意力", "zhuyili"]), max_size=4),
)
def test_published_slugs_never_change_meaning_as_names_come(
    before: list[str], later: list[str]
) -> None:
    published = assign("tags", before, Slugbook())
    book = merged(Slugbook(), {"tags": published})
    after = assign("tags", [*before, *later], book)
    for name, slug in published.items():
        assert after[name] == slug
    assert len(set(after.values())) == len(after), "one slug, one name"


def test_the_record_round_trips_and_bad_records_say_what_to_do() -> None:
    book = merged(Slugbook(), {"tags": {"C++": "c", "注意力": "zhuyili"}, "series": {"甲": "jia"}})
    assert read_slugbook(dump_slugbook(book)) == book
    assert read_slugbook("") == Slugbook()
    for text, says in (
        ("tags: [a, b]\n", "name: slug"),
        ("colours: {a: b}\n", "must map"),
        ("tags: {C++: 'C Plus'}\n", "is not a slug"),
        ("tags: {A: a, B: a}\n", "share the slug a"),
        ("tags: {a: [\n", "not valid YAML"),
    ):
        with pytest.raises(SlugbookError, match=says):
            read_slugbook(text)
