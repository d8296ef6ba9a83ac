"""Pagination, grouping and the archive: every article listed exactly where it belongs."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from listing_factories import entry

from zhiku.listing import paginate, plan_site
from zhiku.listing.pages import ARCHIVE, CATEGORY, HOME, TAG


@given(st.lists(st.integers(), max_size=60), st.integers(min_value=1, max_value=12))
def test_paginate_keeps_every_item_in_order(items: list[int], per_page: int) -> None:
    pages = paginate(items, per_page)  # type: ignore[arg-type]
    assert [x for page in pages for x in page] == items
    assert all(len(page) == per_page for page in pages[:-1])
    assert 1 <= len(pages[-1]) <= per_page or items == []


def _site(per_page: int = 2):
    entries = [
        entry("a.md", "2026-01-10", category="Large Model", tags=("LoRA", "微调")),
        entry("b.md", "2026-01-12", category="Large Model", tags=("LoRA",)),
        entry("c.md", "2025-12-31", category="Generative Model", tags=("VAE", "微调")),
        entry("d.md", "2026-01-12", category="Q&A <研究>", tags=("VAE",)),
        entry("e.md", "2025-11-02", category="Large Model", tags=()),
    ]
    return plan_site(entries, per_page)


def test_home_is_newest_first_and_paginated() -> None:
    site = _site()
    home = [p for p in site.pages if p.kind == HOME]
    assert [p.src_uri for p in home] == ["index.md", "page/2.md", "page/3.md"]
    listed = [e.src_uri for p in home for e in p.entries]
    # Same-day articles keep a stable order (by path).
    assert listed == ["b.md", "d.md", "a.md", "c.md", "e.md"]
    assert home[1].prev_src == "index.md" and home[1].next_src == "page/3.md"
    assert home[0].prev_src is None and home[-1].next_src is None
    assert [p.number for p in home] == [1, 2, 3] and {p.count for p in home} == {3}


def test_category_and_tag_pages_list_exactly_their_articles() -> None:
    site = _site(per_page=10)
    by_src = {p.src_uri: p for p in site.pages}
    large = by_src["category/large-model/index.md"]
    assert large.kind == CATEGORY
    assert [e.src_uri for e in large.entries] == ["b.md", "a.md", "e.md"]
    finetune = by_src[f"tags/{site.tag_slugs['微调']}/index.md"]
    assert finetune.kind == TAG
    assert [e.src_uri for e in finetune.entries] == ["a.md", "c.md"]
    assert re.fullmatch(r"[a-z-]+", site.tag_slugs["微调"])


def test_slugs_are_ascii_and_unique() -> None:
    site = _site()
    for slug in [*site.category_slugs.values(), *site.tag_slugs.values()]:
        assert re.fullmatch(r"[a-z0-9-]+", slug)
    assert len(set(site.category_slugs.values())) == len(site.category_slugs)
    assert site.category_slugs["Q&A <研究>"] == "q-a-yanjiu"


def test_clashing_slugs_get_a_suffix() -> None:
    site = plan_site([entry("a.md", tags=("LoRA",)), entry("b.md", tags=("lora",))], 10)
    assert sorted(site.tag_slugs.values()) == ["lora", "lora-2"]


def test_archive_groups_by_year_and_month_newest_first() -> None:
    site = _site()
    (archive,) = [p for p in site.pages if p.kind == ARCHIVE]
    assert [(m.year, m.month, [e.src_uri for e in m.entries]) for m in archive.months] == [
        (2026, 1, ["b.md", "d.md", "a.md"]),
        (2025, 12, ["c.md"]),
        (2025, 11, ["e.md"]),
    ]
    assert archive.months[1].label == "2025年12月"


def test_tag_index_counts_biggest_first() -> None:
    site = _site()
    (index,) = [p for p in site.pages if p.src_uri == "tags/index.md"]
    assert [(g.name, g.size) for g in index.groups] == [("LoRA", 2), ("VAE", 2), ("微调", 2)]


def test_neighbours_in_time() -> None:
    site = _site()
    assert [x and x.src_uri for x in site.neighbours("a.md")] == ["c.md", "d.md"]
    assert [x and x.src_uri for x in site.neighbours("b.md")] == ["d.md", None]
    assert [x and x.src_uri for x in site.neighbours("e.md")] == [None, "c.md"]


def test_empty_site_still_has_a_home_page() -> None:
    site = plan_site([], 10)
    assert [p.src_uri for p in site.pages if p.kind == HOME] == ["index.md"]
