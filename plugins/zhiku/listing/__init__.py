"""Listings, pure: cards, pagination, grouping, archive, related articles, feeds, markup.

Nothing here imports MkDocs; ``zhiku.glue.feed`` converts MkDocs objects at the edge.

The names below are imported when first asked for, not with the package: a process
that needs one small module of it (the search worker reads ``zhiku.listing.papers``)
does not pay for the templates and the feeds. ``related()`` is imported from
``zhiku.listing.related``: its module has the same name.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zhiku.listing.cards import Entry, make_entry
    from zhiku.listing.feeds import ATOM, JSON, RSS, FeedInfo, atom, json_feed, rss
    from zhiku.listing.pages import ListingPage, Site, paginate, plan_site
    from zhiku.listing.related import RelatedIndex, RelatedPicks, build_index
    from zhiku.listing.render import Renderer
    from zhiku.listing.urls import Urls

_WHERE = {
    "Entry": "cards",
    "make_entry": "cards",
    "ATOM": "feeds",
    "JSON": "feeds",
    "RSS": "feeds",
    "FeedInfo": "feeds",
    "atom": "feeds",
    "json_feed": "feeds",
    "rss": "feeds",
    "ListingPage": "pages",
    "Site": "pages",
    "paginate": "pages",
    "plan_site": "pages",
    "RelatedIndex": "related",
    "RelatedPicks": "related",
    "build_index": "related",
    "Renderer": "render",
    "Urls": "urls",
}

__all__ = [
    "ATOM",
    "JSON",
    "RSS",
    "Entry",
    "FeedInfo",
    "ListingPage",
    "RelatedIndex",
    "RelatedPicks",
    "Renderer",
    "Site",
    "Urls",
    "atom",
    "build_index",
    "json_feed",
    "make_entry",
    "paginate",
    "plan_site",
    "rss",
]


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
