"""Where a link to a missing heading is: MkDocs' anchor warning with the file and line.

MkDocs 1.6 checks every link to an anchor (``validation: anchors: warn`` in mkdocs.yml)
and says ``Doc file 'a.md' contains a link '#x', but there is no such anchor on this
page.``; this filter on its logger rewrites that into the house form,
``content/a.md:12: link to #x names no heading of this page; …``. The check itself
stays MkDocs' own.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from urllib.parse import unquote

from mkdocs.structure.files import Files

from zhiku.glue.catalogue import shown_path
from zhiku.listing.links import link_line

_LOGGER = logging.getLogger("mkdocs.structure.pages")
_MESSAGE = re.compile(
    r"Doc file '(?P<src>[^']+)' contains a link '(?P<link>[^']+)', but "
    r"(?:there is no such anchor on this page|the doc '(?P<other>[^']+)' does not contain "
    r"an anchor '#(?P<anchor>[^']+)')\.(?P<context>.*)",
    re.DOTALL,
)


class AnchorLines(logging.Filter):
    """Rewrites MkDocs' missing-anchor warnings of the pages in ``docs_dir``."""

    def __init__(self, docs_dir: str) -> None:
        super().__init__()
        self.docs_dir = docs_dir
        self.files: Files | None = None  # the build's files, once known (on_env)

    def _has(self, src: str, anchor: str) -> bool:
        file = self.files.get_file_from_path(src) if self.files is not None else None
        ids = file.page.present_anchor_ids if file is not None and file.page else None
        return ids is not None and anchor in ids

    def filter(self, record: logging.LogRecord) -> bool:
        found = _MESSAGE.fullmatch(record.getMessage())
        if found is None:
            return True
        src, link = found.group("src"), found.group("link")
        other = found.group("other")
        anchor = "#" + (found.group("anchor") or link.partition("#")[2])
        # Copied from a browser's address bar (#%E5%A4%B1…): the browser decodes it, and
        # finds the heading; MkDocs compares it undecoded.
        if unquote(anchor) != anchor and self._has(other or src, unquote(anchor)[1:]):
            return False
        path = Path(self.docs_dir, src)
        try:
            line = link_line(path.read_text(encoding="utf-8-sig"), link)
        except (OSError, UnicodeDecodeError):
            line = None
        where = shown_path(str(path)) + (f":{line}" if line is not None else "")
        page = shown_path(str(Path(self.docs_dir, other))) if other else "this page"
        record.msg = (
            f"{where}: link to {unquote(anchor)} names no heading of {page}; link to a heading "
            "it has "
            "(its anchor is the heading's own text, like #失配指针, _1 added for a repeat) "
            f"or add the heading.{found.group('context')}"
        )
        record.args = ()
        return True


def watch(docs_dir: str, previous: AnchorLines | None) -> AnchorLines:
    """Start rewriting the anchor warnings of ``docs_dir`` (instead of ``previous``)."""
    if previous is not None:
        _LOGGER.removeFilter(previous)
    made = AnchorLines(docs_dir)
    _LOGGER.addFilter(made)
    return made


def unwatch(previous: AnchorLines | None) -> None:
    if previous is not None:
        _LOGGER.removeFilter(previous)
