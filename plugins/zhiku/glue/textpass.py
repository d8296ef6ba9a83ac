"""A Markdown preprocessor that runs one of the core's text rewrites over the whole page.

The core's rewrites (``$…$`` math, callouts) take and return the page's text and keep
every line where it was, so warnings still name the source's lines; an unchanged page
comes back as the same object and its lines are kept as they are.
"""

from __future__ import annotations

from collections.abc import Callable

from markdown import Markdown
from markdown.preprocessors import Preprocessor


class TextPass(Preprocessor):  # type: ignore[misc]  # Markdown ships no types
    def __init__(self, md: Markdown, rewrite: Callable[[str], str]) -> None:
        super().__init__(md)
        self._rewrite = rewrite

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        changed = self._rewrite(text)
        return lines if changed is text else changed.split("\n")
