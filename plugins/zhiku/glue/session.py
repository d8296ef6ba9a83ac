"""One build session per ``mkdocs.yml``: what Zhiku's plugins share about its builds.

MkDocs gives each plugin its own object and no place to meet. What one plugin's output
depends on that another works out (the listing a page shows, the neighbours in an
article's footer) is *declared* here, by the plugin that knows, and read here by the one
that decides what to rebuild (``zhiku/cache``); no plugin looks another up.

A session lives as long as the process and survives ``mkdocs serve``'s rebuilds (MkDocs
loads the configuration anew for each, from the same file): it also carries what the
serve or build in progress is doing with the site folder (:mod:`zhiku.glue.engine`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from zhiku.build.ledger import Inputs

PageInputs = Callable[[str], Inputs]
"""A page's inputs that one plugin contributes, by the page's source path."""


class BuildSession:
    """What the builds of one configuration file share within a process."""

    def __init__(self, config_file: str) -> None:
        self.config_file = config_file
        self._page_inputs: dict[str, PageInputs] = {}
        self.ready = False
        """Under ``mkdocs serve``: the last build succeeded and its outputs are recorded,
        so the next one may keep the site folder."""
        self.dirty = False
        """The build under way keeps the previous build's site folder."""
        self.collection: threading.Timer | None = None
        """Under ``mkdocs serve``: the collection of cyclic garbage due after the last
        rebuild (:mod:`zhiku.glue.engine`, bend 7)."""

    def declare_page_inputs(self, owner: str, inputs: PageInputs) -> None:
        """``owner`` (a plugin's name) adds ``inputs(src_uri)`` to what pages show."""
        self._page_inputs[owner] = inputs

    def declares(self, owner: str) -> bool:
        """Whether ``owner`` puts anything on pages in this build (it is on)."""
        return owner in self._page_inputs

    def withdraw(self, owner: str) -> None:
        """``owner`` adds nothing to pages in this build (it is turned off)."""
        self._page_inputs.pop(owner, None)

    def page_inputs(self, src_uri: str) -> dict[str, str]:
        """Every plugin's inputs of the page at ``src_uri``, each name led by its owner's
        when two owners use the same name."""
        found: dict[str, str] = {}
        for owner, inputs in self._page_inputs.items():
            for name, digest in inputs(src_uri).items():
                found[name if name not in found else f"{owner} {name}"] = digest
        return found


_sessions: dict[str, BuildSession] = {}


def _key(config: Mapping[str, Any] | Any) -> str:
    path = getattr(config, "config_file_path", None) or ""
    return str(Path(path).resolve()) if path else ""


def of(config: Any) -> BuildSession:
    """The session of ``config``'s configuration file (made on first use)."""
    key = _key(config)
    found = _sessions.get(key)
    if found is None:
        found = _sessions[key] = BuildSession(key)
    return found
