"""Whether an article is published by a build: drafts and scheduled articles are not.

- ``draft: true`` in front matter: never published by ``mkdocs build``; shown under
  ``mkdocs serve`` marked 草稿.
- A ``date`` after the build's today: published from that date on; shown under
  ``mkdocs serve`` marked 定时.

The build's today is the ``ZHIKU_TODAY`` environment variable (``YYYY-MM-DD``) when set,
so that tests and CI are deterministic, else the local calendar date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from zhiku.articles.model import Article

TODAY_ENV = "ZHIKU_TODAY"
DRAFT = "草稿"
SCHEDULED = "定时"


def withheld(article: Article, today: dt.date) -> str | None:
    """Why ``article`` is not published on ``today`` (its label: 草稿 or 定时), or None."""
    if article.draft:
        return DRAFT
    if article.date > today:
        return SCHEDULED
    return None


def build_today(environ: Mapping[str, str], default: dt.date | None = None) -> dt.date:
    """The build's today: ``ZHIKU_TODAY`` from ``environ``, else ``default`` (the real today).

    Raises ValueError with the message to show for a value that is not ``YYYY-MM-DD``,
    including one set but blank (``ZHIKU_TODAY= mkdocs build`` would otherwise mean the
    real today without a word).
    """
    if TODAY_ENV not in environ:
        return default or dt.date.today()
    raw = environ[TODAY_ENV].strip()
    if not raw:
        raise ValueError(
            f"{TODAY_ENV} is set but empty; set it like {TODAY_ENV}=2026-01-15, "
            "or unset it to build as of the real today"
        )
    try:
        return dt.date.fromisoformat(raw) if len(raw) == 10 else _bad(raw)
    except ValueError:
        return _bad(raw)


def _bad(raw: str) -> dt.date:
    raise ValueError(
        f"{TODAY_ENV}={raw} is not a YYYY-MM-DD date; set it like {TODAY_ENV}=2026-01-15"
    )
