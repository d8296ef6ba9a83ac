"""The article contract shared by ingest (writer) and the build plugins (readers)."""

from zhiku.articles.frontmatter import dump_article, parse_article, split_front_matter
from zhiku.articles.model import Article, ArticleError, ArticleErrors

__all__ = [
    "Article",
    "ArticleError",
    "ArticleErrors",
    "dump_article",
    "parse_article",
    "split_front_matter",
]
