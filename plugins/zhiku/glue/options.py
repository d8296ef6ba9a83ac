"""Strict plugin options, on MkDocs' own config option classes.

MkDocs reports a :class:`~mkdocs.config.base.ValidationError` raised here as one line at
startup (``Config value 'plugins': Plugin 'zhiku/feed' option 'feed_size': …``) and stops
before building. What its stock ``Type`` lets through, these do not: ``true`` where a
number belongs (``bool`` is an ``int`` in Python), and an empty value (``feed_size:``),
which stock options silently replace with the default.
"""

from __future__ import annotations

import re
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError


def _shown(value: object) -> str:
    """``value`` as the writer typed it in YAML."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)


class _NotEmpty:
    """Mixin: an option written with no value is an error, never the default in disguise.

    Before validation a Config holds every option's default (``set_defaults``) updated by
    what the user wrote, so an option that is None there was written empty.
    """

    default: Any
    example: str

    def pre_validation(self, config: Config, key_name: str) -> None:
        if key_name in config and config[key_name] is None and self.default is not None:
            raise ValidationError(
                f"has no value; write one, like `{key_name}: {self.example}`, "
                "or delete the line to keep the default"
            )


class Flag(_NotEmpty, c.Type[bool]):
    """true or false."""

    example = "true"

    def __init__(self, default: bool) -> None:
        super().__init__(bool, default=default)

    def run_validation(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValidationError(f"{_shown(value)} is not true or false; write true or false")
        return value


class Count(_NotEmpty, c.Type[int]):
    """A whole number of at least ``least``."""

    def __init__(self, default: int, least: int) -> None:
        super().__init__(int, default=default)
        self.least = least
        self.example = str(default)

    def run_validation(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(
                f"{_shown(value)} is not a whole number; "
                f"write one of {self.least} or more, like {self.default}"
            )
        if value < self.least:
            raise ValidationError(f"{value} is too small; set it to {self.least} or more")
        return value


class Fraction(_NotEmpty, c.Type[float]):
    """A number from 0 to 1."""

    def __init__(self, default: float) -> None:
        super().__init__((int, float), default=default)
        self.example = str(default)

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValidationError(
                f"{_shown(value)} is not a number; write one from 0 to 1, like {self.default}"
            )
        if not 0 <= value <= 1:
            raise ValidationError(f"{value} is out of range; set it from 0 to 1")
        return float(value)


class Text(_NotEmpty, c.Type[str]):
    """Non-empty text, optionally a path ending in ``suffix``, relative and inside its folder."""

    def __init__(self, default: str, suffix: str = "", relative: bool = False) -> None:
        super().__init__(str, default=default)
        self.suffix = suffix
        self.relative = relative
        self.example = default

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"{_shown(value)} is not text; write one, like {self.default}")
        if self.suffix and not value.endswith(self.suffix):
            raise ValidationError(
                f"{_shown(value)} is not a {self.suffix} file; name one, like {self.default}"
            )
        parts = value.replace("\\", "/").split("/")
        if self.relative and (value.startswith(("/", "\\")) or ".." in parts or ":" in parts[0]):
            raise ValidationError(
                f"{_shown(value)} is not inside docs_dir; write its path relative to docs_dir, "
                f"like {self.default}"
            )
        return value


class Names(_NotEmpty, c.Type[list]):  # type: ignore[type-arg]
    """A list of names (front-matter keys), each a word like ``cover`` or ``og-image``."""

    example = "[cover, lang]"

    def __init__(self) -> None:
        super().__init__(list, default=[])

    def run_validation(self, value: object) -> list[str]:
        if not isinstance(value, list):
            raise ValidationError(f"{_shown(value)} is not a list; write one, like [cover, lang]")
        for item in value:
            if not isinstance(item, str) or not re.fullmatch(r"[\w-]+", item):
                raise ValidationError(
                    f"{_shown(item)} is not a front-matter key name; write names like [cover, lang]"
                )
        return list(value)
