"""Dates as Chinese readers write them."""

from __future__ import annotations

import datetime as dt


def format_date(date: dt.date) -> str:
    """``2026年1月15日``."""
    return f"{date.year}年{date.month}月{date.day}日"


def format_month(year: int, month: int) -> str:
    """``2026年1月``."""
    return f"{year}年{month}月"
