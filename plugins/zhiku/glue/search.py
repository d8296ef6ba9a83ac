"""Placeholder for the jieba search plugin (``zhiku/search``)."""

from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin


class SearchConfig(Config):
    pass


class SearchPlugin(BasePlugin[SearchConfig]):
    pass
