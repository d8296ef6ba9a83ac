"""What a page's output is a function of, read from MkDocs' objects: the named inputs
the ledger compares (:mod:`zhiku.build.ledger`), and the keys of stored conversions.

Options are inputs one by one (``option: extra``), the theme file by file (``theme file:
main.html``), so that ``mkdocs build -v`` can say which changed.
"""

from __future__ import annotations

import functools
import json
import site
import types
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from zhiku.build.keys import code_version, digest, versions

SCHEMA = 5
"""Bumped whenever what the render cache stores changes shape; part of every key."""
# Settings that say where or how MkDocs runs, not what it builds.
NOT_CONTENT = frozenset({"site_dir", "dev_addr", "watch", "strict", "config_file_path"})
# Hooks that change what a page shows; only Zhiku's say what their changes depend on.
PAGE_EVENTS = (
    "pre_page",
    "page_read_source",
    "page_markdown",
    "page_content",
    "page_context",
    "post_page",
    "env",
)
# Hooks of other plugins here could write to the site folder, or change pages, in ways
# no input of Zhiku's sees: a build then starts from an empty folder.
SITE_EVENTS = (
    "pre_build",
    "files",
    "nav",
    "post_build",
    "pre_template",
    "template_context",
    "post_template",
)


def _plain(value: Any) -> Any:
    """A JSON-able picture of a configuration value (objects by their public state)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if isinstance(value, BasePlugin):
        return [type(value).__module__, type(value).__qualname__, _plain(dict(value.config))]
    if isinstance(value, Config):
        return _plain(dict(value))
    if isinstance(value, functools.partial):
        # toc's slugify (pymdownx.slugs): by what it calls and with what, not its address.
        return ["partial", _plain(value.func), _plain(value.args), _plain(value.keywords)]
    if isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
        return [value.__module__, value.__qualname__]
    if hasattr(value, "dirs") and hasattr(value, "name") and hasattr(value, "__iter__"):
        # mkdocs.theme.Theme: its name, folders and options.
        return [value.name, list(value.dirs), {k: _plain(value[k]) for k in value}]
    return [type(value).__module__, type(value).__qualname__, repr(value)]


# What Page.render reads from the configuration (besides the files, keyed apart).
_CONVERSION_SETTINGS = ("markdown_extensions", "mdx_configs", "validation", "use_directory_urls")


def conversion_digest(config: MkDocsConfig) -> str:
    """The settings and software a page's Markdown conversion depends on."""
    plain = {k: _plain(config[k]) for k in _CONVERSION_SETTINGS}
    return digest(SCHEMA, json.dumps(plain, sort_keys=True, default=repr), versions())


def option_inputs(config: MkDocsConfig) -> dict[str, str]:
    """Every setting a page's output can read, one named input each (``option: extra``),
    and the software that builds it."""
    found = {
        f"option: {key}": digest(json.dumps(_plain(value), sort_keys=True, default=repr))
        for key, value in config.items()
        if key not in NOT_CONTENT
    }
    found["software"] = digest(SCHEMA, versions())
    found["Zhiku's code"] = code_version()
    return found


def theme_inputs(config: MkDocsConfig) -> dict[str, str]:
    """The theme's templates, one named input each: installed themes by folder (their
    versions are in ``software``), the user's overrides and other folders file by file
    (``theme file: main.html``)."""
    installed = {Path(p).resolve() for p in [*site.getsitepackages(), site.getusersitepackages()]}
    found: dict[str, str] = {}
    for folder in config.theme.dirs:
        path = Path(folder).resolve()
        if any(path.is_relative_to(root) for root in installed):
            found[f"theme: {folder}"] = folder
            continue
        for file in sorted(path.rglob("*")):
            if file.is_file():
                name = f"theme file: {file.relative_to(path).as_posix()}"
                if name not in found:  # the first folder's file is the one the theme uses
                    found[name] = digest(file.read_bytes())
    return found


def files_digest(files: Files) -> str:
    rows = sorted((f.src_uri, f.url, f.inclusion.is_excluded()) for f in files)
    return digest(json.dumps(rows))


def nav_digest(nav: Navigation, source_of: Callable[[str], str | None]) -> str | None:
    """The navigation as the theme shows it. A title known only after rendering is
    represented by its page's source (``source_of``); None when that cannot be read."""

    def walk(items: list[Any]) -> Iterator[Any]:
        for item in items:
            if isinstance(item, Section):
                yield ["section", item.title, list(walk(item.children))]
            elif isinstance(item, Link):
                yield ["link", item.title, item.url]
            elif isinstance(item, Page):
                src = item.file.src_uri
                if "title" in vars(item):
                    yield ["page", item.title, item.url, src]
                elif (source := source_of(src)) is not None:
                    yield ["page from source", source, item.url, src]
                else:
                    raise LookupError(src)

    try:
        return digest(json.dumps(list(walk(nav.items))))
    except LookupError:
        return None


def only_zhiku_hooks(config: MkDocsConfig, events: Sequence[str]) -> bool:
    """Whether every plugin hooked into ``events`` is one of Zhiku's own."""
    return all(
        type(getattr(method, "__self__", None)).__module__.startswith("zhiku.")
        for event in events
        for method in config.plugins.events[event]
    )


def source_reader(files: Files, known: Mapping[str, str]) -> Callable[[str], str | None]:
    """``source_of(src_uri)``: the hash of a page's source, read once a build (``known``:
    the hashes the catalogue read already); None when it cannot be read."""
    sources: dict[str, str | None] = {}

    def source_of(src_uri: str) -> str | None:
        if src_uri not in sources:
            found = known.get(src_uri)
            if found is None:
                file = files.get_file_from_path(src_uri)
                try:
                    found = digest(file.content_bytes) if file is not None else None
                except (OSError, ValueError):
                    found = None
            sources[src_uri] = found
        return sources[src_uri]

    return source_of
