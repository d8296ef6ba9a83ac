"""Reading and writing article front matter.

Both directions are strict and deterministic: writing the same article twice
gives the same bytes, and a value that does not fit the contract is an
:class:`ArticleError` naming the file and line and saying what to do.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from typing import Any

import yaml

from zhiku.articles.model import (
    FIELD_ORDER,
    KNOWN_KEYS,
    MAX_TAGS,
    SYNONYMS,
    UNCATEGORIZED,
    URL_KEYS,
    Article,
    ArticleError,
    Paper,
)

# Closed by `---` or by YAML's own document end `...`, as MkDocs itself reads front matter.
_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# An opening fence followed by a `key:` line: front matter, whether or not it is closed.
_OPENED = re.compile(r"\A---[ \t]*\r?\n(?:[ \t]*\r?\n)*[ \t]*[\w-]+[ \t]*:")
# Separators a writer may put between tags in one string: `tags: CLIP, 多模态` or `CLIP、多模态`.
TAG_SEPARATORS = re.compile(r"[,，、]")


# libyaml's parser when PyYAML has it: a site's build reads every article's front matter,
# and the pure-Python parser spends most of that time scanning.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):  # type: ignore[valid-type,misc]
    """SafeLoader that leaves dates as text (so that we can read and report them ourselves).

    Front matter is read from the composed node tree, not from constructed values: every
    scalar keeps the text as written and its line, so ``arxiv: 2103.00020`` stays
    "2103.00020" and an error names the line of the very value that is wrong.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_YAML = "tag:yaml.org,2002:"
_STR, _NULL, _BOOL, _INT, _FLOAT = (_YAML + t for t in ("str", "null", "bool", "int", "float"))
# `date： 2026-01-15` typed through an IME: a key-like word, then a full-width colon.
_WIDE_COLON = re.compile(r"[ \t]*[A-Za-z_][A-Za-z0-9_.-]*[ \t]*：")  # keys are ASCII words
# A value that opens with a full-width quote, as if it quoted it: `title: “CLIP: 对比”`.
_WIDE_QUOTED = re.compile(r"(?:^|[:\[,{-])[ \t]*[“‘]")


class _Bad(Exception):
    """A wrong value at ``node``; :func:`parse_article` turns it into an ArticleError."""

    def __init__(self, node: yaml.Node, message: str) -> None:
        super().__init__(message)
        self.node, self.message = node, message


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 2  # the opening fence is line 1


def _yaml_error(path: str, meta_text: str, err: yaml.YAMLError) -> ArticleError:
    """The error for front matter YAML cannot read, with the fix for the usual mistakes."""
    mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
    at = int(mark.line) if mark is not None else 0
    lines = meta_text.split("\n")
    wide = _wide_colon(lines)
    if wide is not None:
        return wide.with_path(path)
    for n, text in enumerate(lines[: at + 2]):
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent and text.strip():
            return ArticleError(
                path, n + 2, "YAML does not allow tabs for indentation; indent with spaces"
            )
    for n in (at, at - 1, at + 1):
        if 0 <= n < len(lines) and _WIDE_QUOTED.search(lines[n]):
            return ArticleError(
                path,
                n + 2,
                'full-width quotes “…” are not YAML quotes; use ASCII quotes "…" around the value',
            )
    problem = getattr(err, "problem", None) or "syntax error"
    opened = getattr(err, "context_mark", None)
    last = max((n for n, text in enumerate(lines) if text.strip()), default=0)
    if opened is not None and int(opened.line) < at and at >= last:
        # Ran to the end looking for the close of what an earlier line opened.
        return ArticleError(
            path,
            int(opened.line) + 2,
            f"front matter is not valid YAML ({problem}); close the quote, [ or {{ this line opens",
        )
    return ArticleError(
        path, at + 2, f'front matter is not valid YAML ({problem}); quote the value with "…"'
    )


class _WideColon:
    def __init__(self, line: int) -> None:
        self.line = line

    def with_path(self, path: str) -> ArticleError:
        return ArticleError(
            path,
            self.line,
            "the key is followed by a full-width colon `：`; write an ASCII colon `:` after "
            "the key",
        )


def _wide_colon(lines: list[str]) -> _WideColon | None:
    for n, text in enumerate(lines):
        if _WIDE_COLON.match(text) and text.lstrip()[:1] not in ("#", "-"):
            return _WideColon(n + 2)
    return None


def _compose(path: str, meta_text: str) -> yaml.Node | None:
    """The front matter's node tree (None when empty). Anchors and aliases are refused
    before anything is built: nine levels of aliases make a billion values."""
    if "&" in meta_text or "*" in meta_text:
        try:
            for event in yaml.parse(meta_text, Loader=_Loader):
                if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                    mark = event.start_mark
                    raise ArticleError(
                        path,
                        int(mark.line) + 2 if mark is not None else 1,
                        "YAML anchors and aliases (&name, *name) are not allowed in front "
                        "matter; write the value out in full",
                    )
        except yaml.YAMLError as err:
            raise _yaml_error(path, meta_text, err) from None
    loader = _Loader(meta_text)
    try:
        return loader.get_single_node()  # type: ignore[no-any-return]
    except yaml.YAMLError as err:
        raise _yaml_error(path, meta_text, err) from None
    finally:
        loader.dispose()


def _mapping(node: yaml.MappingNode, what: str) -> dict[str, tuple[yaml.Node, yaml.Node]]:
    """key -> (key node, value node); a key given twice or a key that is not a name is
    an error."""
    out: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _NULL:
            raise _Bad(key_node, f"{what} keys must be names; write them like `title: …`")
        key = str(key_node.value)
        if key in out:
            raise _Bad(
                key_node,
                f"{key} is given twice (also on line {_line(out[key][0])}) and only one can "
                "count; keep one of the two lines",
            )
        out[key] = (key_node, value_node)
    return out


def _text(node: yaml.Node, key: str) -> str | None:
    """The scalar at ``node`` as written (``1.10`` stays "1.10", ``yes`` stays "yes");
    None when it is empty (nothing, ``~`` or ``null``)."""
    if not isinstance(node, yaml.ScalarNode):
        raise _Bad(node, f'{key} must be text, not a list or mapping; quote it with "…"')
    if node.tag == _NULL and not node.style:
        return None
    return str(node.value)


def _required(node: yaml.Node, key: str, example: str) -> str:
    text = _text(node, key)
    if text is None or not text.strip():
        raise _Bad(
            node, f"{key} has no value; write one, like `{key}: {example}`, or delete the line"
        )
    return text


def _flag(node: yaml.Node, key: str) -> bool:
    if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
        return node.value.lower() in ("true", "yes", "on", "y")
    raise _Bad(node, f"{key} must be true or false; write `{key}: true` or delete the line")


def _whole(node: yaml.Node, key: str, example: int) -> int:
    """A positive whole number written in decimal digits (``010`` is ten, not YAML's eight)."""
    text = _required(node, key, str(example)).strip()
    if not re.fullmatch(r"\+?\d{1,9}", text) or int(text) < 1:
        raise _Bad(
            node, f"{key} {text} is not a whole number of 1 or more; write one, like {example}"
        )
    return int(text)


def _value(node: yaml.Node) -> object:
    """A key Zhiku does not read, as a value to keep: numbers only when written as YAML
    itself writes them (``1.10`` and ``010`` stay text), so a rewrite never changes them."""
    if isinstance(node, yaml.MappingNode):
        return {key: _value(value) for key, (_, value) in _mapping(node, "mapping").items()}
    if isinstance(node, yaml.SequenceNode):
        return [_value(item) for item in node.value]
    assert isinstance(node, yaml.ScalarNode)
    if node.tag == _NULL and not node.style:
        return None
    if node.tag == _BOOL:
        return node.value.lower() in ("true", "yes", "on", "y")
    if node.tag in (_INT, _FLOAT) and not node.style:
        number = int(node.value) if node.tag == _INT and node.value.isdigit() else None
        if number is not None and str(number) == node.value:
            return number
        decimal = re.fullmatch(r"-?\d+\.\d+", node.value)
        if node.tag == _FLOAT and decimal and repr(float(node.value)) == node.value:
            return float(node.value)
    return str(node.value)


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """Split ``text`` into (front matter YAML or None, body, line number the body starts on)."""
    text = text.removeprefix("\ufeff")
    match = _FENCE.match(text)
    if not match:
        return None, text, 1
    meta = match.group(1) or ""
    body = text[match.end() :]
    return meta, body, text[: match.end()].count("\n") + 1


def _root(path: str, text: str) -> tuple[dict[str, tuple[yaml.Node, yaml.Node]], str, int] | None:
    """The front matter's top-level keys, the body and its first line; None without front
    matter."""
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
    root = _compose(path, meta_text)
    if root is None:
        return {}, body, body_line
    if not isinstance(root, yaml.MappingNode):
        wide = _wide_colon(meta_text.split("\n"))
        if wide is not None:
            raise wide.with_path(path)
        raise ArticleError(
            path,
            2,
            "front matter is not a list of `key: value` lines; write one `key: value` per line",
        )
    try:
        keys = _mapping(root, "front matter")
    except _Bad as bad:
        raise ArticleError(path, _line(bad.node), bad.message) from None
    for key, (key_node, _) in keys.items():
        if "：" in key:
            raise ArticleError(path, _line(key_node), _WideColon(0).with_path("").message)
    return keys, body, body_line


def parse_article(path: str, text: str) -> Article | None:
    """Parse one content file; None when it is an ordinary page (no ``date``).

    Raises :class:`ArticleError` for front matter that is not valid YAML, is never
    closed, gives a key twice, uses anchors, or holds a value of the wrong kind.
    """
    found = _root(path, text)
    if found is None or "date" not in found[0]:
        return None
    keys, body, body_line = found
    try:
        return _article(path, keys, body, body_line)
    except _Bad as bad:
        raise ArticleError(path, _line(bad.node), bad.message) from None


def _article(
    path: str, keys: dict[str, tuple[yaml.Node, yaml.Node]], body: str, body_line: int
) -> Article:
    def node(key: str) -> yaml.Node | None:
        return keys[key][1] if key in keys else None

    for alias, key in SYNONYMS.items():
        if alias in keys and key in keys:
            first, second = sorted((keys[alias][0], keys[key][0]), key=_line)
            raise _Bad(
                second,
                f"{key} and {alias} both give the article's {key} (also line {_line(first)}); "
                "keep one of the two",
            )
    date_node = keys["date"][1]
    day, time = _when(_required(date_node, "date", "2026-01-15"), date_node, "date")
    updated = None
    updated_node = node("updated") or node("lastmod")
    if updated_node is not None:
        name = "updated" if "updated" in keys else "lastmod"
        updated, _ = _when(_required(updated_node, name, "2026-02-01"), updated_node, name)
    title_node = keys["title"][1] if "title" in keys else date_node
    title = _text(title_node, "title") if "title" in keys else None
    if title is None or not title.strip():
        raise _Bad(title_node, "the article has no title; add a line `title: …`")
    category = _category(node("category") or node("categories"))
    tags = _tags(node("tags"))
    flags = {}
    for key in ("date_estimated", "category_inferred", "truncated", "draft", "pinned"):
        value = node(key)
        flags[key] = _flag(value, key) if value is not None else False
    source = None
    if (source_node := node("source")) is not None:
        source = _required(source_node, "source", "https://…").strip()
        if not re.fullmatch(r"https?://\S+", source):
            raise _Bad(source_node, "source must be an http(s) URL; fix it or delete the line")
    description = _text(d, "description") if (d := node("description")) is not None else None
    series = None
    if (series_node := node("series")) is not None:
        series = _required(series_node, "series", "扩散模型入门").strip()
    order = node("series_order")
    paper = _paper(p) if (p := node("paper")) is not None else None
    aliases = _aliases(a) if (a := node("aliases")) is not None else None
    extra = [(k, keys[k][0], v) for k, (_, v) in keys.items() if k not in FIELD_ORDER]
    extra = [e for e in extra if e[0] not in SYNONYMS]
    return Article(
        path=path,
        title=title.strip(),
        date=day,
        body=body.lstrip("\n"),
        category=category,
        tags=tags,
        date_estimated=flags["date_estimated"],
        category_inferred=flags["category_inferred"],
        source=source,
        truncated=flags["truncated"],
        description=description,
        draft=flags["draft"],
        pinned=flags["pinned"],
        updated=updated,
        time=time,
        series=series,
        series_order=_whole(order, "series_order", 2) if order is not None else None,
        paper=paper,
        front_lines=body_line - 1 + len(body) - len(body.lstrip("\n")),
        extra=tuple((k, aliases if k == "aliases" else _value(v)) for k, _, v in extra),
        extra_lines=tuple(_line(key_node) for _, key_node, _ in extra),
    )


# 2021-06-29, 2021-06-29 01:52, 2021-06-29 01:52:57, 2021-06-29T01:52:57.5, each with an
# optional zone (Z, +08:00, +0800). One-digit months, days and hours are read too (Hexo's
# moment.js writes them); `/` between the parts as well.
_WHEN = re.compile(
    r"(?P<y>\d{4})(?P<sep>[-/])(?P<m>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:[Tt]|[ \t]+)(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,](?P<f>\d{1,9}))?)?"
    r"[ \t]*(?P<z>[Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)


def parse_when(text: str) -> tuple[dt.date, dt.datetime | None] | None:
    """The calendar day and, when a time is written, the moment in ``text``; None when it
    is not one of the date forms front matter accepts."""
    match = _WHEN.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    try:
        date = dt.date(year, month, day)
        if match["H"] is None:
            return date, None
        zone = None
        if match["z"] is not None:
            offset = match["z"].upper()
            if offset == "Z":
                zone = dt.timezone.utc
            else:
                digits = offset[1:].replace(":", "")
                minutes = int(digits[:2]) * 60 + int(digits[2:] or 0)
                if minutes >= 24 * 60 or int(digits[2:] or 0) >= 60:
                    return None
                sign = -1 if offset[0] == "-" else 1
                zone = dt.timezone(dt.timedelta(minutes=sign * minutes))
        fraction = int((match["f"] or "0")[:6].ljust(6, "0"))
        time = dt.datetime(
            year,
            month,
            day,
            int(match["H"]),
            int(match["M"]),
            int(match["S"] or 0),
            fraction,
            tzinfo=zone,
        )
    except ValueError:
        return None
    return date, time


def _when(text: str, node: yaml.Node, key: str) -> tuple[dt.date, dt.datetime | None]:
    found = parse_when(text)
    if found is None or not 1000 <= found[0].year <= 9999:
        if ":" in text:
            raise _Bad(
                node,
                f'{key} "{text.strip()}" is not a date and time; write it like '
                "2026-01-15 10:30 or 2026-01-15T10:30:00+08:00",
            )
        example = "2026-01-15" if key == "date" else "2026-02-01"
        fix = "" if key == "date" else " or delete the line"
        raise _Bad(
            node, f'{key} "{text.strip()}" is not a YYYY-MM-DD date; write it like {example}{fix}'
        )
    return found


def _category(node: yaml.Node | None) -> str:
    """``category:``/``categories:`` as one name or a path: ``[机器学习, 强化学习]`` and
    ``机器学习/强化学习`` are both "机器学习/强化学习" (Hexo's list is a hierarchy)."""
    if node is None:
        return UNCATEGORIZED
    if isinstance(node, yaml.MappingNode):
        raise _Bad(
            node, "category must be a name or a list of names; write it like `category: 名称`"
        )
    if isinstance(node, yaml.SequenceNode):
        items = node.value
        if len(items) == 1 and isinstance(items[0], yaml.SequenceNode):
            items = items[0].value  # Hexo's `- [机器学习, 强化学习]`: one path
        parts = []
        for item in items:
            if isinstance(item, yaml.SequenceNode):
                raise _Bad(
                    item,
                    "an article has one category; [[a, b], c] gives several, keep one, like [a, b]",
                )
            text = _text(item, "category")
            if text is None or not text.strip():
                raise _Bad(item, "a category in the list is empty; write its name or remove it")
            if "/" in text:
                raise _Bad(
                    item,
                    f'the category "{text.strip()}" holds a `/`, which separates a path\'s '
                    "parts; write each part as its own item, like [机器学习, 强化学习]",
                )
            parts.append(text.strip())
        return "/".join(parts) or UNCATEGORIZED
    text = _text(node, "category")
    if text is None:
        return UNCATEGORIZED
    parts = [part.strip() for part in text.split("/")]
    if not all(parts):
        raise _Bad(
            node,
            f'category "{text.strip()}" has an empty part; write a name, or a path like '
            "机器学习/强化学习",
        )
    return "/".join(parts)


def _tags(node: yaml.Node | None) -> tuple[str, ...]:
    if node is None:
        return ()
    if isinstance(node, yaml.MappingNode):
        raise _Bad(
            node, "tags must be a list of names; write them like `tags: [Transformer, 注意力]`"
        )
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    seen: dict[str, None] = {}
    for item in items:
        if not isinstance(item, yaml.ScalarNode):
            raise _Bad(
                item, "tags must be a list of names; write them like `tags: [Transformer, 注意力]`"
            )
        for name in split_tags(_text(item, "tags") or ""):
            seen.setdefault(name, None)
    if len(seen) > MAX_TAGS:
        raise _Bad(
            node,
            f"the article has {len(seen)} tags and may carry at most {MAX_TAGS}; "
            f"keep the {MAX_TAGS} that say most about it",
        )
    return tuple(seen)


def _aliases(node: yaml.Node) -> list[str]:
    """``aliases:`` as the list of paths written (one string is a list of one)."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    out = []
    for item in items:
        text = _text(item, "aliases") if isinstance(item, yaml.ScalarNode) else None
        if text is None or not text.strip() or "://" in text:
            raise _Bad(
                item,
                "aliases must be a list of this site's old URL paths; write them like "
                "`aliases: [/2021/06/29/old-post/]`",
            )
        out.append(text.strip())
    return out


ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})")
_AUTHORS = "paper.authors must be a list of names; write them like `[Alec Radford, Jong Wook Kim]`"
_PAPER_KEYS = ("arxiv", "title", "authors", "venue", "year", "code", "arxiv_inferred")


def _paper(node: yaml.Node) -> Paper:
    """``paper:`` front matter as a :class:`Paper`."""
    if not isinstance(node, yaml.MappingNode):
        raise _Bad(node, 'paper must be a mapping; write it like `paper: {arxiv: "2103.00020"}`')
    keys = _mapping(node, "paper")
    for key, (key_node, _) in keys.items():
        if key not in _PAPER_KEYS:
            near = difflib.get_close_matches(key, _PAPER_KEYS, n=1)
            hint = f'did you mean "{near[0]}"? ' if near else ""
            raise _Bad(
                key_node,
                f"paper has an unknown key {key}; {hint}use arxiv, title, authors, venue, "
                "year, code",
            )

    def text(key: str) -> str | None:
        value = _text(keys[key][1], f"paper.{key}") if key in keys else None
        return value.strip() or None if value is not None else None

    arxiv = text("arxiv")
    if arxiv is not None:
        arxiv = arxiv.removeprefix("arXiv:").removeprefix("arxiv:").strip()
        arxiv = re.sub(r"v\d+\Z", "", arxiv)
        if not ARXIV_ID.fullmatch(arxiv):
            raise _Bad(
                keys["arxiv"][1],
                f'paper.arxiv "{arxiv}" is not an arXiv id; write it like "2103.00020"',
            )
    authors: list[str] = []
    if "authors" in keys:
        authors_node = keys["authors"][1]
        if isinstance(authors_node, yaml.SequenceNode):
            for item in authors_node.value:
                if not isinstance(item, yaml.ScalarNode):
                    raise _Bad(
                        item,
                        _AUTHORS,
                    )
                authors.append(_text(item, "paper.authors") or "")
        elif isinstance(authors_node, yaml.ScalarNode):
            written = _text(authors_node, "paper.authors") or ""
            authors = re.split(r"\s*(?:,|，|、|\band\b)\s*", written)
        else:
            raise _Bad(authors_node, _AUTHORS)
    year = None
    if (year_text := text("year")) is not None:
        if not re.fullmatch(r"\d{4}", year_text) or not 1000 <= int(year_text) <= 2100:
            raise _Bad(
                keys["year"][1],
                f"paper.year {year_text} is not a year from 1000 to 2100; write it like "
                "`year: 2021`",
            )
        year = int(year_text)
    code = text("code")
    if code is not None and not re.fullmatch(r"https?://\S+", code):
        raise _Bad(keys["code"][1], "paper.code must be an http(s) URL; fix it or delete the line")
    inferred = (
        _flag(keys["arxiv_inferred"][1], "paper.arxiv_inferred")
        if "arxiv_inferred" in keys
        else False
    )
    return Paper(
        arxiv=arxiv,
        title=text("title"),
        authors=tuple(a.strip() for a in authors if a.strip()),
        venue=text("venue"),
        year=year,
        code=code,
        arxiv_inferred=inferred,
    )


def unknown_keys(article: Article, declared: Iterable[str] = ()) -> list[tuple[int, str]]:
    """(line, message) for each front-matter key of ``article`` Zhiku does not know and the
    site has not declared: a typo (``catgory``) would otherwise be silently ignored."""
    declared = set(declared)
    known = KNOWN_KEYS | declared
    out = []
    for (key, _), line in zip(article.extra, article.extra_lines, strict=False):
        if key in known:
            continue
        near = difflib.get_close_matches(key.lower(), sorted(known), n=1, cutoff=0.6)
        if key in URL_KEYS:
            message = (
                f"{key} is not read: an article's URL is its file name; rename the file to "
                "change it, and list the old URL under `aliases:` so links to it keep working"
            )
        elif near:
            message = (
                f'unknown front-matter key "{key}"; did you mean "{near[0]}"? (declare keys '
                "of your own in mkdocs.yml: zhiku/feed option extra_front_matter)"
            )
        else:
            message = (
                f'unknown front-matter key "{key}"; declare it in mkdocs.yml (zhiku/feed '
                f"option extra_front_matter: [{key}]) if the site uses it, or delete the line"
            )
        out.append((line, message))
    return out


def _like_date(key: str) -> bool:
    """``Date``, ``dtae``, ``dates``, ``日期``: a date key mistyped (``data`` is not)."""
    low = key.lower()
    if key == "date":
        return False
    return (
        sorted(low) == sorted("date")
        or difflib.SequenceMatcher(None, low, "date").ratio() >= 0.85
        or key == "日期"
    )


def page_note(path: str, text: str) -> tuple[int, str] | None:
    """A warning for an ordinary page whose front matter looks like an article's that lost
    its ``date`` (``dtae:``, ``Date:``): without one it is in no listing."""
    try:
        found = _root(path, text)
    except ArticleError:
        return None  # parse_article reports it
    if not found or "date" in found[0]:
        return None
    for key, (key_node, _) in found[0].items():
        if _like_date(key):
            return (
                _line(key_node),
                f'front-matter key "{key}" is not `date`, so this file is an ordinary page, '
                'in no listing; did you mean "date"? write `date: 2026-01-15`',
            )
    return None


class _Dumper(yaml.SafeDumper):
    """SafeDumper that indents lists under their key, as people write them by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    # Lists inline (`tags: [CLIP, 多模态]`); the mapping itself always in block style,
    # which default_flow_style=None would not give for an article without tags.
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(list, _represent_list)


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


def split_tags(value: str) -> list[str]:
    """Tag names in one string: ``"CLIP, 多模态"``, ``"CLIP、多模态"`` and ``"CLIP，多模态"``
    each hold two tags. A tag name never holds one of these separators."""
    return [name.strip() for name in TAG_SEPARATORS.split(value) if name.strip()]


def front_matter(article: Article) -> dict[str, Any]:
    """The front matter mapping for ``article``, in the contract's key order, defaults omitted."""
    # A time written is kept: `2021-06-29 01:52:57`, `… 01:52:57+08:00` (YAML's own form).
    # (Only a time of the article's own day: ``date`` is what the article says.)
    time = article.time
    when = time if time is not None and time.date() == article.date else article.date
    meta: dict[str, Any] = {"title": article.title, "date": when}
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
