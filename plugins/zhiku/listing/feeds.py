"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 documents, built with xml.etree and json.

Every value goes through the XML or JSON serializer, so a title like
``Q&A <研究>`` stays text. Links are absolute, from ``site_url``.

Characters XML 1.0 forbids (C0 controls such as ESC and backspace, lone
surrogates, U+FFFE/U+FFFF) would make a feed not well-formed, and one bad
excerpt breaks every reader: the writers drop them, and the C1 controls with
them, from every value, whatever the content holds (defence in depth; ingest
cleans text too).
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email.utils import format_datetime

from zhiku.articles.model import Article
from zhiku.listing.cards import Entry
from zhiku.listing.urls import Urls
from zhiku.text.clean import xml_safe

FEEDS_DIR = "feeds"
RSS_NAME, ATOM_NAME, JSON_NAME = "rss.xml", "atom.xml", "feed.json"
RSS = f"{FEEDS_DIR}/{RSS_NAME}"
ATOM = f"{FEEDS_DIR}/{ATOM_NAME}"
JSON = f"{FEEDS_DIR}/{JSON_NAME}"
# One folder per set of feeds (the site's, and one per category and per tag): the glue
# puts an empty sitemap beside each for Material's page script (see zhiku.glue.material).
ATOM_NS = "http://www.w3.org/2005/Atom"
_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>\n"


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """What the feeds say about the site itself."""

    title: str
    description: str
    language: str
    author: str
    # Where this set of feeds lives and the page it follows (site URLs): the site's own
    # feeds by default; a category's or tag's feeds name their folder and listing page.
    folder: str = FEEDS_DIR
    home: str = ""


def feed_paths(folder: str) -> tuple[str, str, str]:
    """(RSS, Atom, JSON Feed) paths of the feeds in ``folder``."""
    return f"{folder}/{RSS_NAME}", f"{folder}/{ATOM_NAME}", f"{folder}/{JSON_NAME}"


def _moment(date: dt.date) -> dt.datetime:
    # A day without a time: midnight UTC of that day.
    return dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)


def _published(article: Article) -> dt.datetime:
    """When ``article`` was published: the time its ``date`` gives (UTC when written without
    a zone), else midnight UTC of its day."""
    if article.time is None:
        return _moment(article.date)
    time = article.time
    return time if time.tzinfo is not None else time.replace(tzinfo=dt.timezone.utc)


def _updated(entries: Sequence[Entry], updated: Mapping[str, dt.date] | None = None) -> dt.datetime:
    return max((_changed(e, updated) for e in entries), default=_moment(dt.date(1970, 1, 1)))


def _changed(entry: Entry, updated: Mapping[str, dt.date] | None) -> dt.datetime:
    """When ``entry`` last changed: its updated day if later than its publication, else
    its publication."""
    published = _published(entry.article)
    when = (updated or {}).get(entry.src_uri)
    return max(published, _moment(when)) if when is not None else published


def _serialize(root: ET.Element) -> bytes:
    for node in root.iter():
        node.text = xml_safe(node.text) if node.text else node.text
        node.attrib = {name: xml_safe(value) for name, value in node.attrib.items()}
    ET.indent(root)
    # The same bytes as ``ET.tostring(root, encoding="utf-8", xml_declaration=True)``, at
    # a third of the cost: that encoder writes every piece through a TextIOWrapper (a
    # group feed of 20 articles with 10 tags each is ~1,500 writes, for hundreds of tags).
    return _DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def rss(
    info: FeedInfo,
    entries: Sequence[Entry],
    urls: Urls,
    updated: Mapping[str, dt.date] | None = None,
) -> bytes:
    """An RSS 2.0 document for ``entries`` (newest first)."""
    ET.register_namespace("atom", ATOM_NS)
    root = ET.Element("rss", version="2.0")
    channel = ET.SubElement(root, "channel")
    ET.SubElement(channel, "title").text = info.title
    ET.SubElement(channel, "link").text = urls.absolute(info.home)
    ET.SubElement(channel, "description").text = info.description or info.title
    ET.SubElement(channel, "language").text = info.language
    ET.SubElement(channel, "lastBuildDate").text = format_datetime(_updated(entries, updated))
    ET.SubElement(
        channel,
        f"{{{ATOM_NS}}}link",
        href=urls.absolute(feed_paths(info.folder)[0]),
        rel="self",
        type="application/rss+xml",
    )
    for entry in entries:
        a = entry.article
        link = urls.absolute(urls.url(a.path))
        item = ET.SubElement(channel, "item")
        ET.SubElement(item, "title").text = a.title
        ET.SubElement(item, "link").text = link
        ET.SubElement(item, "guid", isPermaLink="true").text = link
        ET.SubElement(item, "pubDate").text = format_datetime(_published(a))
        ET.SubElement(item, "description").text = entry.excerpt
        for name in (a.category, *a.tags):
            ET.SubElement(item, "category").text = name
    return _serialize(root)


def atom(
    info: FeedInfo,
    entries: Sequence[Entry],
    urls: Urls,
    updated: Mapping[str, dt.date] | None = None,
) -> bytes:
    """An Atom 1.0 document for ``entries`` (newest first); ``updated`` by source path."""
    ET.register_namespace("", ATOM_NS)

    def el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        node = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        node.text = text
        return node

    root = ET.Element(f"{{{ATOM_NS}}}feed", {"xml:lang": info.language})
    el(root, "title", info.title)
    if info.description:
        el(root, "subtitle", info.description)
    el(root, "id", urls.absolute(feed_paths(info.folder)[1] if info.home else ""))
    el(root, "link", href=urls.absolute(info.home), rel="alternate", type="text/html")
    el(
        root,
        "link",
        href=urls.absolute(feed_paths(info.folder)[1]),
        rel="self",
        type="application/atom+xml",
    )
    el(root, "updated", _updated(entries, updated).isoformat())
    author = el(root, "author")
    el(author, "name", info.author or info.title)
    for entry in entries:
        a = entry.article
        link = urls.absolute(urls.url(a.path))
        node = el(root, "entry")
        el(node, "title", a.title, type="text")
        el(node, "id", link)
        el(node, "link", href=link, rel="alternate", type="text/html")
        el(node, "published", _published(a).isoformat())
        el(node, "updated", _changed(entry, updated).isoformat())
        el(node, "summary", entry.excerpt, type="text")
        for name in (a.category, *a.tags):
            el(node, "category", term=name)
    return _serialize(root)


def json_feed(
    info: FeedInfo,
    entries: Sequence[Entry],
    urls: Urls,
    updated: Mapping[str, dt.date] | None = None,
) -> bytes:
    """A JSON Feed 1.1 document for ``entries`` (newest first); ``updated`` by source path."""
    items = []
    for entry in entries:
        a = entry.article
        link = urls.absolute(urls.url(a.path))
        changed, published = _changed(entry, updated), _published(a)
        modified = {"date_modified": changed.isoformat()} if changed != published else {}
        items.append(
            {
                "id": link,
                "url": link,
                "title": a.title,
                "content_text": entry.excerpt,
                "summary": entry.excerpt,
                "date_published": published.isoformat(),
                **modified,
                "tags": [a.category, *a.tags],
            }
        )
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": info.title,
        "home_page_url": urls.absolute(info.home),
        "feed_url": urls.absolute(feed_paths(info.folder)[2]),
        "description": info.description or info.title,
        "language": info.language,
        "authors": [{"name": info.author or info.title}],
        "items": items,
    }
    return json.dumps(_json_safe(document), ensure_ascii=False, indent=2).encode("utf-8") + b"\n"


def _json_safe(value: object) -> object:
    # JSON could escape controls, but readers render the feed's text as XML/HTML and a
    # lone surrogate cannot even be encoded as UTF-8: the same characters go.
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_safe(item) for item in value]
    return value
