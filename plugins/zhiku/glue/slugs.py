"""The record of published slugs, ``content/.zhiku/slugs.yml`` (:mod:`zhiku.listing.slugbook`):
read at the start of a build, written after a ``mkdocs build`` that published new names,
so a slug stays its article's or group's, and an old name keeps leading somewhere."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from zhiku.files import FileProblem, write_atomic
from zhiku.glue import catalogue
from zhiku.listing import Site
from zhiku.listing.redirects import recorded_after
from zhiku.listing.slugbook import Slugbook, SlugbookError, dump_slugbook, read_slugbook

# Beside the content, in its .zhiku folder (not published).
SLUGBOOK = "slugs.yml"


def slugbook_path(config: MkDocsConfig) -> Path:
    return Path(config.docs_dir, ".zhiku", SLUGBOOK)


def shown_path(config: MkDocsConfig) -> str:
    """The record's path as messages name it."""
    return catalogue.shown_path(str(slugbook_path(config)))


def read(config: MkDocsConfig) -> Slugbook:
    """The record (empty when there is none yet); a damaged one stops the build."""
    path = slugbook_path(config)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Slugbook()
    except (OSError, UnicodeDecodeError) as err:
        raise PluginError(
            f"{shown_path(config)}: cannot be read ({err}); fix or delete it"
        ) from err
    try:
        return read_slugbook(text)
    except SlugbookError as err:
        raise PluginError(f"{shown_path(config)}: {err}") from err


def record(config: MkDocsConfig, book: Slugbook, site: Site) -> Slugbook:
    """``book`` with the slugs ``site`` published added, and where the names it no longer
    uses lead (decided once, then read from the record); written when it changed."""
    after = recorded_after(book, site)
    if after == book:
        return book
    try:
        write_atomic(slugbook_path(config), dump_slugbook(after).encode("utf-8"))
    except FileProblem as err:  # a full disk, a read-only file system: its own fix
        raise PluginError(str(err)) from err
    except OSError as err:
        raise PluginError(
            f"{shown_path(config)}: cannot record the published slugs "
            f"({err.strerror}); make the folder writable, then build again"
        ) from err
    return after
