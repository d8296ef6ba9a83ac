"""Ingest's data: chrome lines, section names, taxonomy and tag vocabulary.

Defaults ship in ``zhiku/data/``; a site overrides or extends them with files of
the same name in ``content/.zhiku/`` (MkDocs does not publish dot folders).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

FILES = ("ingest.yml", "taxonomy.yml", "vocabulary.yml")


class RulesError(Exception):
    """A data file that cannot be used; ``str()`` is ``path: what; what to do``."""


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything ingest reads from data files, already validated."""

    chrome_lines: tuple[str, ...]
    section_names: tuple[str, ...]  # longest first
    labels: tuple[str, ...]
    title_labels: tuple[str, ...]
    openers: tuple[str, ...]
    definition_suffixes: tuple[str, ...]
    intent_patterns: tuple[re.Pattern[str], ...]
    max_title_length: int
    max_clause_length: int
    lost_marks: tuple[tuple[str, str], ...]
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    category_min_score: int
    tags: tuple[tuple[str, tuple[str, ...]], ...]
    tag_min_hits: int
    max_tags: int

    @property
    def known_categories(self) -> frozenset[str]:
        return frozenset(name for name, _ in self.categories)


def _load(text: str, where: str) -> dict[str, Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise RulesError(f"{where}{line}: not valid YAML; fix the syntax") from err
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RulesError(f"{where}: expected `key: value` lines at the top level")
    return data


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        raise RulesError(f"{where}: {key} must be a list of words, like [Transformer, 注意力]")
    return tuple(str(v).strip() for v in value if str(v).strip())


def _mapping(
    base: dict[str, Any], override: dict[str, Any], where: str, key: str
) -> dict[str, Any]:
    value = override.get(key)
    if value is None:
        return dict(base.get(key) or {})
    if not isinstance(value, dict):
        raise RulesError(f"{where}: {key} must be a mapping of name: [words]")
    merged = dict(base.get(key) or {})
    for name, words in value.items():
        if words in (None, []):
            merged.pop(str(name), None)  # `Name: []` removes a default entry
        else:
            merged[str(name)] = words
    return merged


def load_rules(site_dir: Path | None = None) -> Rules:
    """The ingest rules: packaged defaults, overridden by ``site_dir`` files when present."""
    merged: dict[str, dict[str, Any]] = {}
    for name in FILES:
        base = _load(
            resources.files("zhiku").joinpath("data", name).read_text(encoding="utf-8"),
            f"zhiku/data/{name}",
        )
        override: dict[str, Any] = {}
        where = f"zhiku/data/{name}"
        if site_dir is not None and (site_dir / name).is_file():
            where = str(site_dir / name)
            override = _load((site_dir / name).read_text(encoding="utf-8-sig"), where)
        combined = {
            **base,
            **{k: v for k, v in override.items() if k not in ("categories", "tags")},
        }
        if name == "taxonomy.yml":
            combined["categories"] = _mapping(base, override, where, "categories")
        if name == "vocabulary.yml":
            combined["tags"] = _mapping(base, override, where, "tags")
        combined["__where__"] = where
        merged[name] = combined
    ingest, taxonomy, vocabulary = (merged[n] for n in FILES)
    where = ingest["__where__"]
    patterns = []
    for pattern in _strings(ingest.get("intent_patterns"), where, "intent_patterns"):
        try:
            patterns.append(re.compile(pattern))
        except re.error as err:
            raise RulesError(
                f"{where}: intent pattern {pattern!r} is not a regular expression ({err})"
            ) from err
    lost = ingest.get("lost_marks") or {}
    if not isinstance(lost, dict):
        raise RulesError(f"{where}: lost_marks must map a hole like [代码] to the text shown")
    return Rules(
        chrome_lines=_strings(ingest.get("chrome_lines"), where, "chrome_lines"),
        section_names=tuple(
            sorted(
                _strings(ingest.get("section_names"), where, "section_names"), key=len, reverse=True
            )
        ),
        labels=_strings(ingest.get("labels"), where, "labels"),
        title_labels=_strings(ingest.get("title_labels"), where, "title_labels"),
        openers=_strings(ingest.get("openers"), where, "openers"),
        definition_suffixes=_strings(
            ingest.get("definition_suffixes"), where, "definition_suffixes"
        ),
        intent_patterns=tuple(patterns),
        max_title_length=int(ingest.get("max_title_length", 60)),
        max_clause_length=int(ingest.get("max_clause_length", 40)),
        lost_marks=tuple((str(k), str(v)) for k, v in lost.items()),
        categories=tuple(
            (name, _strings(words, taxonomy["__where__"], f"categories.{name}"))
            for name, words in taxonomy["categories"].items()
        ),
        category_min_score=int(taxonomy.get("min_score", 3)),
        tags=tuple(
            (name, _strings(words, vocabulary["__where__"], f"tags.{name}"))
            for name, words in vocabulary["tags"].items()
        ),
        tag_min_hits=int(vocabulary.get("min_hits", 2)),
        max_tags=int(vocabulary.get("max_tags", 5)),
    )
