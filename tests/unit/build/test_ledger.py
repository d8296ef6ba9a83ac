"""The ledger decides what a build rebuilds, keeps or forgets, and says why."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhiku.build.ledger import FIRST, NEW, UNKNOWN, WARNED, Ledger

SHARED = {"option: extra": "e1", "theme file: main.html": "t1", "navigation": "n1"}
CLIP = {"source": "s1", "neighbour: detr.md": "DETR", "footer": "f1"}


def built(**pages: dict[str, str]) -> Ledger:
    """A ledger after a first build of ``pages`` (name -> inputs)."""
    ledger = Ledger()
    ledger.begin(SHARED)
    for name, inputs in pages.items():
        ledger.record(name, inputs)
    return ledger


def test_a_first_build_builds_everything_and_says_so() -> None:
    ledger = Ledger()
    ledger.begin(SHARED)
    assert ledger.reason("clip.md", CLIP) == FIRST


def test_the_same_inputs_keep_the_output() -> None:
    ledger = built(clip=CLIP)
    ledger.begin(dict(SHARED))
    assert ledger.reason("clip", dict(CLIP)) is None


def test_a_changed_neighbour_title_is_named_before_the_footer_it_changed() -> None:
    ledger = built(clip=CLIP)
    ledger.begin(SHARED)
    now = {**CLIP, "neighbour: detr.md": "DETR v2", "footer": "f2"}
    assert ledger.reason("clip", now) == "neighbour: detr.md"


def test_a_neighbour_that_went_is_named_where_it_stood() -> None:
    ledger = built(clip=CLIP)
    ledger.begin(SHARED)
    now = {"source": "s1", "footer": "f2"}
    assert ledger.reason("clip", now) == "neighbour: detr.md (gone)"


def test_a_neighbour_that_came_is_named() -> None:
    ledger = built(clip=CLIP)
    ledger.begin(SHARED)
    now = {"source": "s1", "neighbour: vit.md": "ViT", "neighbour: detr.md": "DETR", "footer": "f2"}
    assert ledger.reason("clip", now) == "neighbour: vit.md (added)"


def test_a_shared_input_rebuilds_every_page_for_that_reason() -> None:
    ledger = built(clip=CLIP, vit={"source": "v"})
    ledger.begin({**SHARED, "theme file: main.html": "t2"})
    assert ledger.reason("clip", CLIP) == "theme file: main.html"
    assert ledger.reason("vit", {"source": "v"}) == "theme file: main.html"


def test_an_option_added_to_mkdocs_yml_is_named() -> None:
    ledger = built(clip=CLIP)
    ledger.begin({**SHARED, "option: copyright": "c"})
    assert ledger.reason("clip", CLIP) == "option: copyright (added)"


def test_unknown_inputs_always_rebuild() -> None:
    ledger = built(clip=CLIP)
    ledger.begin(SHARED)
    assert ledger.reason("clip", None) == UNKNOWN
    ledger.begin(None)
    assert ledger.reason("clip", CLIP) == UNKNOWN


def test_a_page_not_built_before_is_new() -> None:
    ledger = built(clip=CLIP)
    ledger.begin(SHARED)
    assert ledger.reason("vit", {"source": "v"}) == NEW


def test_a_page_that_warned_is_rebuilt_next_time_and_says_why() -> None:
    ledger = built(clip=CLIP, vit={"source": "v"})
    ledger.rebuild_next_time("clip", WARNED)
    ledger.begin(SHARED)
    assert ledger.reason("clip", CLIP) == WARNED
    ledger.record("clip", CLIP)
    ledger.begin(SHARED)
    assert ledger.reason("clip", CLIP) is None


def test_forgotten_pages_are_new_again() -> None:
    ledger = built(clip=CLIP, vit={"source": "v"})
    ledger.keep_only({"vit"})
    ledger.begin(SHARED)
    assert ledger.reason("clip", CLIP) == NEW
    assert ledger.reason("vit", {"source": "v"}) is None


def test_state_survives_a_new_process() -> None:
    ledger = built(clip=CLIP)
    ledger.rebuild_next_time("vit", WARNED)
    again = Ledger.restore(ledger.state())
    again.begin(SHARED)
    assert again.reason("clip", CLIP) is None
    assert again.reason("vit", {"source": "v"}) == WARNED


def test_a_cleared_ledger_rebuilds_everything() -> None:
    ledger = built(clip=CLIP)
    ledger.clear()
    ledger.begin(SHARED)
    assert ledger.reason("clip", CLIP) == FIRST


names = st.sampled_from(["source", "footer", "header", *(f"neighbour: {c}.md" for c in "abcde")])
inputs = st.dictionaries(names, st.sampled_from(["1", "2", "3"]), max_size=6)


@given(was=inputs, now=inputs)
def test_kept_exactly_when_nothing_changed_and_the_reason_names_a_real_difference(
    was: dict[str, str], now: dict[str, str]
) -> None:
    ledger = built(page=was)
    ledger.begin(SHARED)
    reason = ledger.reason("page", now)
    if was == now:
        assert reason is None
        return
    assert reason is not None
    if reason.endswith(" (gone)"):
        name = reason.removesuffix(" (gone)")
        assert name in was and name not in now
    elif reason.endswith(" (added)"):
        name = reason.removesuffix(" (added)")
        assert name in now and name not in was
    else:
        assert was[reason] != now[reason]
