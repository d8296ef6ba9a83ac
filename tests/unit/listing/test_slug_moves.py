"""A name no article uses any more leads somewhere: to where its articles went, else the index.

The record keeps a few articles per name in use; the build that first finds the name
unused looks where they went, and records the answer, so that a fresh clone (which has
the record, not the previous build) publishes the same redirects.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhiku.listing.slugbook import (
    SAMPLE,
    Recorded,
    Slugbook,
    SlugbookError,
    dump_slugbook,
    read_slugbook,
    recorded,
    retirements,
)

ARTICLES = ("dl/autograd.md", "dl/ddp.md", "dl/amp.md")


def book_of(kind: str, **names: Recorded) -> Slugbook:
    return Slugbook({kind: names})


def lead(
    book: Slugbook, live: dict[str, dict[str, set[str]]], published: tuple[str, ...] = ARTICLES
) -> dict[tuple[str, str], str | None]:
    return {(m.kind, m.name): m.to for m in retirements(book, live, set(published))}


def test_a_renamed_tag_leads_to_its_new_name_not_to_a_tag_it_shares_articles_with() -> None:
    book = book_of(
        "tags",
        Pytorch=Recorded("pytorch", ARTICLES),
        深度学习=Recorded("shendu-xuexi", ARTICLES),
    )
    live = {"tags": {"PyTorch": set(ARTICLES), "深度学习": set(ARTICLES)}}
    assert lead(book, live) == {("tags", "Pytorch"): "PyTorch"}
    # A rename to another spelling altogether: the new name is the one new in this build.
    live = {"tags": {"ML": set(ARTICLES), "深度学习": set(ARTICLES)}}
    assert lead(book, live) == {("tags", "Pytorch"): "ML"}


def test_a_tag_deleted_from_its_articles_leads_to_the_index() -> None:
    book = book_of(
        "tags", Pytorch=Recorded("pytorch", ARTICLES), 深度学习=Recorded("shendu-xuexi", ARTICLES)
    )
    assert lead(book, {"tags": {"深度学习": set(ARTICLES)}}) == {("tags", "Pytorch"): None}


def test_a_tag_merged_into_a_recorded_tag_of_the_same_spelling_follows_it() -> None:
    book = book_of(
        "tags",
        pytorch=Recorded("pytorch", ARTICLES[:2]),
        PyTorch=Recorded("pytorch-2", ARTICLES[2:]),
        深度学习=Recorded("shendu-xuexi", ARTICLES),
    )
    live = {"tags": {"PyTorch": set(ARTICLES), "深度学习": set(ARTICLES)}}
    assert lead(book, live) == {("tags", "pytorch"): "PyTorch"}


def test_articles_deleted_or_moved_away_leave_no_target() -> None:
    book = book_of("tags", Pytorch=Recorded("pytorch", ARTICLES))
    live = {"tags": {"PyTorch": {"other.md"}}}
    assert lead(book, live, published=("other.md",)) == {("tags", "Pytorch"): None}


def test_a_minority_of_the_articles_is_not_where_they_went() -> None:
    book = book_of("tags", Pytorch=Recorded("pytorch", ARTICLES))
    live = {"tags": {"PyTorch": {ARTICLES[0]}, "JAX": {ARTICLES[1]}}}
    assert lead(book, live) == {("tags", "Pytorch"): None}


def test_a_category_merged_into_another_and_a_renamed_parent_keep_their_depth() -> None:
    book = Slugbook(
        {
            "category": {
                "深度学习": Recorded("shendu-xuexi", ARTICLES),
                "机器学习": Recorded("jiqi-xuexi", ARTICLES),
                "机器学习/强化学习": Recorded("jiqi-xuexi-qianghua-xuexi", ARTICLES[:2]),
                "AI": Recorded("ai", ("ai/old.md",)),
            }
        }
    )
    every = {*ARTICLES, "ai/old.md"}
    # 深度学习 merged into the AI that existed; 机器学习/强化学习 renamed AI/强化学习.
    live = {"category": {"AI": every, "AI/强化学习": set(ARTICLES[:2])}}
    assert lead(book, live, published=tuple(sorted(every))) == {
        ("category", "深度学习"): "AI",
        ("category", "机器学习"): "AI",
        ("category", "机器学习/强化学习"): "AI/强化学习",
    }


def test_the_decision_is_recorded_once_and_later_builds_read_it() -> None:
    book = book_of("series", 入门=Recorded("rumen", ARTICLES))
    live = {"series": {"基础": set(ARTICLES)}}
    moves = retirements(book, live, set(ARTICLES))
    after = recorded(book, {"series": {"基础": ("jichu", set(ARTICLES))}}, moves)
    assert after.entries("series")["入门"] == Recorded("rumen", retired=True, to="基础")
    # Later the articles leave the series for another: the old URL still leads to 基础
    # while 基础 is used, wherever the record's sample went.
    live = {"series": {"基础": {"x.md"}, "进阶": set(ARTICLES)}}
    assert lead(after, live) == {("series", "入门"): "基础"}


def test_to_written_by_hand_is_followed_from_name_to_name() -> None:
    book = read_slugbook(
        "tags:\n"
        "  Keras: {slug: keras, to: Pytorch}\n"
        "  Pytorch: {slug: pytorch, to: PyTorch}\n"
        "  Theano: {slug: theano, to: null}\n"
        "  PyTorch: pytorch-2\n"
    )
    live = {"tags": {"PyTorch": set(ARTICLES)}}
    assert lead(book, live) == {
        ("tags", "Keras"): "PyTorch",
        ("tags", "Pytorch"): "PyTorch",
        ("tags", "Theano"): None,
    }
    # Once PyTorch is gone too (its articles unknown to this record), the whole chain
    # leads to the index.
    live = {"tags": {"JAX": set(ARTICLES)}}
    assert set(lead(book, live).values()) == {None}
    assert len(lead(book, live)) == 4


def test_a_to_that_leads_nowhere_says_what_to_do() -> None:
    book = read_slugbook(
        "tags:\n  A: {slug: a, to: B}\n  B: {slug: b, to: A}\n  C: {slug: c, to: Typo}\n"
    )
    moves = {m.name: m for m in retirements(book, {"tags": {}}, set())}
    assert moves["A"].to is None and "circle" in moves["A"].problem
    assert moves["C"].to is None and "Typo" in moves["C"].problem and "null" in moves["C"].problem


def test_the_sample_keeps_its_articles_while_they_keep_the_name() -> None:
    many = {f"p/{n:03}.md" for n in range(40)}
    first = recorded(Slugbook(), {"tags": {"Python": ("python", many)}}, [])
    sample = first.entries("tags")["Python"].articles
    assert len(sample) == SAMPLE
    more = many | {"a/000.md", "a/001.md"}  # sort first, yet the record does not move
    second = recorded(first, {"tags": {"Python": ("python", more)}}, [])
    assert second.entries("tags")["Python"].articles == sample
    fewer = more - {sample[0]}
    third = recorded(second, {"tags": {"Python": ("python", fewer)}}, [])
    assert third.entries("tags")["Python"].articles[: SAMPLE - 1] == sample[1:]


def test_a_name_used_again_is_no_longer_retired() -> None:
    book = book_of("tags", Pytorch=Recorded("pytorch", retired=True, to="PyTorch"))
    after = recorded(book, {"tags": {"Pytorch": ("pytorch", {"a.md"})}}, [])
    assert after.entries("tags")["Pytorch"] == Recorded("pytorch", ("a.md",))


def test_the_record_round_trips_one_line_per_name_and_reads_the_first_form() -> None:
    book = Slugbook(
        {
            "tags": {
                "C++": Recorded("c", ("a.md", "b/c.md")),
                "Q&A <研究>: x": Recorded("q-a", ("z.md",)),
                "Pytorch": Recorded("pytorch", retired=True, to="PyTorch"),
                "旧": Recorded("jiu", retired=True),
            },
            "category": {"1.10": Recorded("v1-10", ("x.md",))},
        }
    )
    text = dump_slugbook(book)
    assert read_slugbook(text) == book
    assert "  Pytorch: {slug: pytorch, to: PyTorch}\n" in text
    assert "  旧: {slug: jiu, to: null}\n" in text
    assert read_slugbook("tags: {C++: c}\n") == book_of("tags", **{"C++": Recorded("c")})


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("tags: {A: {slug: a, too: B}}\n", "unknown key 'too'"),
        ("tags: {A: {to: B}}\n", "is not a slug"),
        ("tags: {A: {slug: a, to: [B]}}\n", "is not a name"),
        ("tags: {A: {slug: a, to: 1.10}}\n", "quote it"),
        ("tags: {A: {slug: a, to: A}}\n", "leads to itself"),
        ("tags: {A: {slug: a, articles: x.md}}\n", "list of paths"),
    ],
)
def test_a_bad_line_says_what_to_do(text: str, says: str) -> None:
    with pytest.raises(SlugbookError, match=says):
        read_slugbook(text)


NAMES = st.sampled_from(["Pytorch", "PyTorch", "深度学习", "ML", "JAX", "🔥"])
PATHS = st.sampled_from(["a.md", "b.md", "c.md", "d.md", "e.md", "f.md", "g.md"])
BUILD = st.dictionaries(NAMES, st.sets(PATHS, min_size=1, max_size=7), max_size=4)


@given(st.lists(BUILD, min_size=1, max_size=5))
def test_a_fresh_clone_leads_every_old_url_where_the_build_that_wrote_the_record_did(
    builds: list[dict[str, set[str]]],
) -> None:
    """Warm equals cold: what a build decides from (record, content) is what a build of
    (the record it wrote, content) decides; and no recorded slug ever changes."""
    from zhiku.listing.slugbook import assign

    book = Slugbook()
    for members in builds:
        published = set().union(*members.values()) if members else set()
        slugs = assign("tags", members, book)
        moves = retirements(book, {"tags": members}, published)
        live = {"tags": {n: (slugs[n], m) for n, m in members.items()}}
        after = recorded(book, live, moves)
        again = retirements(after, {"tags": members}, published)
        assert [(m.name, m.to) for m in again] == [(m.name, m.to) for m in moves]
        assert all(after.of("tags")[n] == s for n, s in book.of("tags").items())
        assert all(m.to is None or m.to in members for m in moves)
        assert read_slugbook(dump_slugbook(after)) == after
        book = after
