"""Reading and writing article front matter.

Both directions are strict and deterministic: writing the same article twice
gives the same bytes, and a value that does not fit the contract is an
:class:`ArticleError` naming the file and line and saying what to do.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from zhiku.articles.model import FIELD_ORDER, UNCATEGORIZED, Article, ArticleError, Paper

# Closed by `---` or by YAML's own document end `...`, as MkDocs itself reads front matter.
_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# An opening fence followed by a `key:` line: front matter, whether or not it is closed.
_OPENED = re.compile(r"\A---[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*[\w-]+[ \t]*:")
# Separators a writer may put between tags in one string: `tags: CLIP, 多模态` or `CLIP、多模态`.
TAG_SEPARATORS = re.compile(r"[,，、]")
_ISO_DATE = re.compile(r"\A\d{4}-\d{2}-\d{2}\Z")


# libyaml's parser when PyYAML has it: a site's build reads every article's front matter,
# and the pure-Python parser spends most of that time scanning.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int) -> None:
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that leaves dates as strings (so that we can report bad ones ourselves),
    refuses a key given twice, and remembers where each top-level key is and how it was
    written (for messages that quote the writer's own text)."""

    def construct_document(self, node: yaml.Node) -> Any:
        self.zk_root = node
        self.zk_keys: dict[str, tuple[int, str | None]] = {}
        self.zk_items: dict[str, list[str | None]] = {}
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Any:
        seen: dict[object, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            line = key_node.start_mark.line + 2  # the opening fence is line 1
            if key_node.value in seen:
                raise _DuplicateKey(str(key_node.value), line, seen[key_node.value])
            seen[key_node.value] = line
            if node is getattr(self, "zk_root", None):
                raw = value_node.value if isinstance(value_node, yaml.ScalarNode) else None
                self.zk_keys[str(key_node.value)] = (line, raw)
                if isinstance(value_node, yaml.SequenceNode):
                    self.zk_items[str(key_node.value)] = [
                        item.value if isinstance(item, yaml.ScalarNode) else None
                        for item in value_node.value
                    ]
        return super().construct_mapping(node, deep)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key, as people write them by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    # Lists inline (`tags: [CLIP, 多模态]`); the mapping itself always in block style,
    # which default_flow_style=None would not give for an article without tags.
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _represent_list)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``text`` into (front matter YAML or None, body, line number the body starts on)."""
    text = text.removeprefix("\ufeff")
    match = _FENCE.match(text)
    if not match:
        return None, text, 1
    meta = match.group(1) or ""
    body = text[match.end() :]
    return meta, body, text[: match.end()].count("\n") + 1


def _load(
    path: str, meta_text: str
) -> tuple[Any, dict[str, tuple[int, str | None]], dict[str, list[str | None]]]:
    """The front matter's value, each top-level key's (line, text as written), and the
    items of top-level lists as written."""
    loader = _Loader(meta_text)
    try:
        meta = loader.get_single_data()
        return meta, getattr(loader, "zk_keys", {}), getattr(loader, "zk_items", {})
    except _DuplicateKey as err:
        raise ArticleError(
            path,
            err.line,
            f"{err.key} is given twice (also on line {err.first}) and only one can count; "
            "keep one of the two lines",
        ) from None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "syntax error"
        raise ArticleError(
            path,
            mark.line + 2 if mark is not None else 1,
            f'front matter is not valid YAML ({problem}); quote the value with "…"',
        ) from err
    finally:
        loader.dispose()


def _not_text(value: Any) -> str | None:
    """What YAML read an unquoted scalar as, when that is not text (``yes`` -> true/false)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if value is None:
        return "empty"
    return None


def parse_article(path: str, text: str) -> Article | None:
    """Parse one content file; None when it is an ordinary page (no ``date``).

    Raises :class:`ArticleError` for front matter that is not valid YAML, is never
    closed, gives a key twice, or holds a value of the wrong kind.
    """
    meta_text, body, body_line = split_front_matter(text)
    if meta_text is None:
        if _OPENED.match(text.removeprefix("\ufeff")):
            raise ArticleError(
                path,
                1,
                "front matter opened with --- is never closed; "
                "add a line --- after its last `key: value` line",
            )
        return None
    meta, keys, items_written = _load(path, meta_text)
    if meta is None:
        return None
    if not isinstance(meta, dict):
        raise ArticleError(path, 2, "front matter must be a list of `key: value` lines")
    if "date" not in meta:
        return None

    def fail(key: str, message: str) -> ArticleError:
        return ArticleError(path, keys.get(key, (1, None))[0], message)

    def written(key: str) -> str:
        raw = keys.get(key, (1, None))[1]
        return raw if raw is not None else str(meta[key])

    date = _parse_date(meta["date"])
    if date is None:
        raise fail(
            "date",
            f'date "{meta["date"]}" is not a YYYY-MM-DD date; write it like 2026-01-15',
        )
    updated = None
    if meta.get("updated") is not None:
        updated = _parse_date(meta["updated"])
        if updated is None:
            raise fail(
                "updated",
                f'updated "{written("updated")}" is not a YYYY-MM-DD date; '
                "write it like 2026-02-01 or delete the line",
            )
    series = meta.get("series")
    if series is not None and (not isinstance(series, str) or not series.strip()):
        raise fail("series", 'series must be the series\' name as text; quote it with "…"')
    series_order = meta.get("series_order")
    if series_order is not None and (
        isinstance(series_order, bool) or not isinstance(series_order, int)
    ):
        raise fail("series_order", "series_order must be a whole number, like `series_order: 2`")
    paper = _parse_paper(meta.get("paper"), fail)
    title = meta.get("title")
    if title is None or not str(title).strip():
        raise fail("title", "the article has no title; add a line `title: …`")
    if isinstance(title, (dict, list)):
        raise fail("title", 'title must be text; quote it with "…"')
    if not isinstance(title, str):
        raise fail(
            "title",
            f"title {written('title')} is read as {_not_text(title)}, not as text; "
            f'quote it: title: "{written("title")}"',
        )
    category = meta.get("category", UNCATEGORIZED)
    if category is None or isinstance(category, (dict, list)) or not str(category).strip():
        raise fail(
            "category", "category must be one name; write `category: 名称` or delete the line"
        )
    if not isinstance(category, str):
        raise fail(
            "category",
            f"category {written('category')} is read as {_not_text(category)}, not as a name; "
            f'quote it: category: "{written("category")}"',
        )
    raw_tags = meta.get("tags")
    items = raw_tags if isinstance(raw_tags, list) else [raw_tags]
    odd = next((i for i, t in enumerate(items) if t is not None and _not_text(t)), None)
    if odd is not None:
        as_written = items_written.get("tags", [])
        shown = as_written[odd] if odd < len(as_written) else None
        shown = shown or written("tags")
        raise fail(
            "tags",
            f"the tag {shown} is read as {_not_text(items[odd])}, not as a name; "
            f'quote it as written, like "{shown}"',
        )
    tags = _parse_tags(raw_tags)
    if tags is None:
        raise fail("tags", "tags must be a list of names, like `tags: [Transformer, 注意力]`")
    flags = {}
    for key in ("date_estimated", "category_inferred", "truncated", "draft", "pinned"):
        value = meta.get(key, False)
        if not isinstance(value, bool):
            raise fail(key, f"{key} must be true or false")
        flags[key] = value
    source = meta.get("source")
    if source is not None and not (isinstance(source, str) and re.match(r"https?://\S+\Z", source)):
        raise fail("source", "source must be an http(s) URL; fix it or delete the line")
    description = meta.get("description")
    if description is not None and not isinstance(description, str):
        raise fail("description", 'description must be text; quote it with "…"')
    extra = tuple((k, v) for k, v in meta.items() if k not in FIELD_ORDER)
    return Article(
        path=path,
        title=title.strip(),
        date=date,
        body=body.lstrip("\n"),
        category=category.strip(),
        tags=tags,
        date_estimated=flags["date_estimated"],
        category_inferred=flags["category_inferred"],
        source=source,
        truncated=flags["truncated"],
        description=description,
        draft=flags["draft"],
        pinned=flags["pinned"],
        updated=updated,
        series=series.strip() if series else None,
        series_order=series_order,
        paper=paper,
        front_lines=body_line - 1 + len(body) - len(body.lstrip("\n")),
        extra=extra,
    )


ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})")


def _parse_paper(value: Any, fail: Any) -> Paper | None:
    """``paper:`` front matter as a :class:`Paper`; ``fail(key, message)`` makes the error."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise fail("paper", 'paper must be a mapping, like `paper: {arxiv: "2103.00020"}`')
    unknown = sorted(set(value) - set(Paper.__slots__))
    if unknown:
        raise fail(
            "paper",
            f"paper has an unknown key {unknown[0]}; use arxiv, title, authors, venue, year, code",
        )
    arxiv = value.get("arxiv")
    if arxiv is not None:
        arxiv = str(arxiv).strip().removeprefix("arXiv:").removeprefix("arxiv:")
        arxiv = re.sub(r"v\d+\Z", "", arxiv)
        if not ARXIV_ID.fullmatch(arxiv):
            raise fail(
                "paper", f'paper.arxiv "{arxiv}" is not an arXiv id; write it like "2103.00020"'
            )
    texts = {}
    for key in ("title", "venue"):
        item = value.get(key)
        if item is not None and not isinstance(item, str):
            raise fail("paper", f'paper.{key} must be text; quote it with "…"')
        texts[key] = item.strip() if item else None
    authors = value.get("authors") or ()
    if isinstance(authors, str):
        authors = [a for a in re.split(r"\s*(?:,|，|、|\band\b)\s*", authors) if a]
    if not isinstance(authors, (list, tuple)) or not all(isinstance(a, str) for a in authors):
        raise fail(
            "paper", "paper.authors must be a list of names, like `[Alec Radford, Jong Wook Kim]`"
        )
    year = value.get("year")
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise fail("paper", "paper.year must be a year, like `year: 2021`")
    code = value.get("code")
    if code is not None and not (isinstance(code, str) and re.match(r"https?://\S+\Z", code)):
        raise fail("paper", "paper.code must be an http(s) URL; fix it or delete the line")
    inferred = value.get("arxiv_inferred", False)
    if not isinstance(inferred, bool):
        raise fail("paper", "paper.arxiv_inferred must be true or false")
    return Paper(
        arxiv=arxiv,
        title=texts["title"],
        authors=tuple(a.strip() for a in authors if a.strip()),
        venue=texts["venue"],
        year=year,
        code=code,
        arxiv_inferred=inferred,
    )


def _dump_paper(paper: Paper) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if paper.arxiv:
        out["arxiv"] = paper.arxiv
        if paper.arxiv_inferred:
            out["arxiv_inferred"] = True
    for key in ("title", "venue", "year", "code"):
        if getattr(paper, key) is not None:
            out[key] = getattr(paper, key)
    if paper.authors:
        out["authors"] = list(paper.authors)
    return out


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def split_tags(value: str) -> list[str]:
    """Tag names in one string: ``"CLIP, 多模态"``, ``"CLIP、多模态"`` and ``"CLIP，多模态"``
    each hold two tags. A tag name never holds one of these separators."""
    return [name.strip() for name in TAG_SEPARATORS.split(value) if name.strip()]


def _parse_tags(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or any(not isinstance(v, str) for v in value):
        return None
    seen: dict[str, None] = {}
    for tag in value:
        for name in split_tags(tag):
            seen.setdefault(name, None)
    return tuple(seen)


def front_matter(article: Article) -> dict[str, Any]:
    """The front matter mapping for ``article``, in the contract's key order, defaults omitted."""
    meta: dict[str, Any] = {"title": article.title, "date": article.date}
    if article.date_estimated:
        meta["date_estimated"] = True
    meta["category"] = article.category
    if article.category_inferred:
        meta["category_inferred"] = True
    if article.tags:
        meta["tags"] = list(article.tags)
    if article.source:
        meta["source"] = article.source
    if article.truncated:
        meta["truncated"] = True
    if article.description:
        meta["description"] = article.description
    if article.draft:
        meta["draft"] = True
    if article.pinned:
        meta["pinned"] = True
    if article.updated is not None:
        meta["updated"] = article.updated
    if article.series:
        meta["series"] = article.series
    if article.series_order is not None:
        meta["series_order"] = article.series_order
    if article.paper is not None:
        meta["paper"] = _dump_paper(article.paper)
    meta.update(article.extra)
    return meta


def dump_article(article: Article) -> str:
    """The full file text for ``article``: ``---`` fenced YAML, then the body."""
    return dump_meta(front_matter(article), article.body)


def dump_meta(meta: dict[str, Any], body: str) -> str:
    """A file's text from front matter ``meta`` (keys in order) and ``body``, as
    :func:`dump_article` writes it: for values an :class:`Article` cannot hold yet."""
    text = yaml.dump(
        meta,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=10**6,
    )
    body = body if body.endswith("\n") else body + "\n"
    return f"---\n{text}---\n\n{body.lstrip(chr(10))}"
