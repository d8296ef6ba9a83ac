"""Placeholder for the Latest Updates plugin (``zhiku/feed``)."""

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin


class FeedConfig(Config):
    pass


class FeedPlugin(BasePlugin[FeedConfig]):
    pass
