"""Small article factories for the listing tests (pytest puts this folder on sys.path)."""

from __future__ import annotations

import datetime as dt

from zhiku.articles import Article
from zhiku.listing import Entry, make_entry


def article(
    path: str,
    date: str = "2026-01-15",
    title: str | None = None,
    category: str = "Large Model",
    tags: tuple[str, ...] = (),
    body: str = "正文。",
    **extra: object,
) -> Article:
    return Article(
        path=path,
        title=title or path.removesuffix(".md"),
        date=dt.date.fromisoformat(date),
        body=body,
        category=category,
        tags=tags,
        **extra,  # type: ignore[arg-type]
    )


def entry(*args: object, **kwargs: object) -> Entry:
    return make_entry(article(*args, **kwargs))  # type: ignore[arg-type]
