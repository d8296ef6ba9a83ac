"""Listings, pure: cards, pagination, grouping, archive, related articles, feeds, markup.

Nothing here imports MkDocs; ``zhiku.glue.feed`` converts MkDocs objects at the edge.
"""

from zhiku.listing.cards import Entry, make_entry
from zhiku.listing.feeds import (
    ATOM,
    JSON,
    RSS,
    FeedInfo,
    atom,
    json_feed,
    rss,
)
from zhiku.listing.pages import ListingPage, Site, paginate, plan_site
from zhiku.listing.related import RelatedIndex, RelatedPicks, build_index, related
from zhiku.listing.render import Renderer
from zhiku.listing.urls import Urls

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
    "related",
    "rss",
]
