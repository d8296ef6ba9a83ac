"""What a source note says about itself: its front matter (YAML ``---`` or TOML ``+++``)
and the dates written in it, read leniently (other tools wrote these files)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import tomllib
import yaml

_YAML = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)?(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_TOML = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?\r?\n)?\+\+\+[ \t]*(?:\r?\n|\Z)", re.DOTALL)
# Hexo's own post format: front matter closed by `---` without an opening fence.
_HEXO_BARE = re.compile(r"\A((?:[A-Za-z_][\w-]*[ \t]*:.*\r?\n)(?:.*\r?\n)*?)---[ \t]*(?:\r?\n|\Z)")
_WHEN = re.compile(
    r"\A(?P<y>\d{4})[-/](?P<m>\d{1,2})[-/](?P<d>\d{1,2})"
    r"(?:[ T]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:\.\d+)?)?)?"
    r"[ \t]*(?P<z>Z|[+-]\d{2}:?\d{2})?\Z"
)


class SourceError(Exception):
    """A source note whose front matter cannot be read: ``(line, what is wrong)``."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps dates as written (read by :func:`parse_when`) and ignores the
    custom tags some tools put in configuration files (``!!python/name:…``, ``!ENV``)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)  # type: ignore[arg-type]


_Loader.add_multi_constructor("", _unknown_tag)


def load_yaml(text: str) -> Any:
    """YAML as :class:`_Loader` reads it; raises :class:`SourceError`."""
    try:
        return yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or "syntax error"
        raise SourceError(mark.line + 1 if mark else 1, f"not valid YAML ({problem})") from err


def split_source(text: str, *, bare: bool = False) -> tuple[dict[str, Any], str, str | None]:
    """(front matter, body, "yaml" | "toml" | None) of a note; ``bare`` also reads Hexo's
    front matter that has no opening ``---``. Raises :class:`SourceError`."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    for pattern, kind in ((_YAML, "yaml"), (_TOML, "toml")):
        match = pattern.match(text)
        if match:
            raw = match.group(1) or ""
            body = text[match.end() :]
            if kind == "toml":
                try:
                    meta: Any = tomllib.loads(raw)
                except tomllib.TOMLDecodeError as err:
                    line = int(m.group(1)) + 1 if (m := re.search(r"line (\d+)", str(err))) else 1
                    raise SourceError(line, f"front matter is not valid TOML ({err})") from err
            else:
                try:
                    meta = load_yaml(raw)
                except SourceError as err:
                    raise SourceError(err.line + 1, f"front matter is {err.message}") from err
            if meta is None:
                meta = {}
            if not isinstance(meta, dict):
                raise SourceError(2, "front matter is not a list of `key: value` lines")
            return {str(k): v for k, v in meta.items()}, body, kind
    if bare:
        match = _HEXO_BARE.match(text)
        if match:
            try:
                meta = load_yaml(match.group(1))
            except SourceError:
                meta = None
            if isinstance(meta, dict):
                return {str(k): v for k, v in meta.items()}, text[match.end() :], "yaml"
    return {}, text, None


When = dt.date | dt.datetime


def parse_when(value: Any) -> When | None:
    """A date as Hexo, Hugo, Jekyll and Obsidian write it: the day alone stays a date,
    a time makes a datetime (aware when a zone is written). None when it is no date."""
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)  # to the second, as front matter writes it
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str | int):
        return None
    match = _WHEN.match(str(value).strip().strip("'\""))
    if not match:
        return None
    try:
        day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        if match["H"] is None:
            return day
        zone = None
        if match["z"]:
            if match["z"] == "Z":
                zone = dt.timezone.utc
            else:
                digits = match["z"].replace(":", "")
                sign = -1 if digits[0] == "-" else 1
                offset = dt.timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
                zone = dt.timezone(sign * offset)
        return dt.datetime(
            day.year,
            day.month,
            day.day,
            int(match["H"]),
            int(match["M"]),
            int(match["S"] or 0),
            tzinfo=zone,
        )
    except ValueError:
        return None


def day_of(when: When) -> dt.date:
    """The calendar day as written."""
    return when.date() if isinstance(when, dt.datetime) else when


def names(value: Any) -> list[str]:
    """A list of names from a string (``"a, b"`` or ``"a b"`` is not split: one name),
    a list, or nothing; values that are not text are written as text."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    text = str(value).strip()
    return [text] if text else []
