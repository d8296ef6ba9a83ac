"""The build's today: ZHIKU_TODAY when set, and set means a date."""

from __future__ import annotations

import datetime as dt

import pytest

from zhiku.articles.publish import build_today


def test_unset_is_the_real_today_and_a_date_is_that_date() -> None:
    assert build_today({}, default=dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert build_today({"ZHIKU_TODAY": " 2026-01-15 "}) == dt.date(2026, 1, 15)


@pytest.mark.parametrize("blank", ["", "   ", "\t"])
def test_set_but_blank_is_an_error_not_the_real_today(blank: str) -> None:
    with pytest.raises(ValueError, match=r"^ZHIKU_TODAY is set but empty; set it like"):
        build_today({"ZHIKU_TODAY": blank}, default=dt.date(2026, 1, 1))


@pytest.mark.parametrize("value", ["2026-1-5", "明天", "2026-02-30", "20260115"])
def test_a_value_that_is_not_a_date_is_an_error_saying_how_to_write_one(value: str) -> None:
    with pytest.raises(ValueError, match=r"is not a YYYY-MM-DD date; set it like ZHIKU_TODAY="):
        build_today({"ZHIKU_TODAY": value})
