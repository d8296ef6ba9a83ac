"""Every place Zhiku bends MkDocs 1.6 itself, in one module (as :mod:`zhiku.glue.material`
is for Material).

MkDocs rebuilds the whole site on every save under ``mkdocs serve`` (it empties the site
folder and renders every page through the theme), and under ``--dirtyreload`` re-renders
only the pages whose own source is newer than their output, so listings, previous/next
and related links on other pages go stale. Zhiku builds only the pages whose inputs
changed (:mod:`zhiku.build.ledger`), which takes five bends, each documented where it is:

1. :func:`install` wraps the ``build`` that ``mkdocs serve`` calls, so that every build
   after the session's first successful one keeps the site folder (a dirty build),
   whichever reload flag was given.
2. :func:`install_build` wraps the ``build`` that ``mkdocs build`` (and ``gh-deploy``)
   calls, so that a build keeps the site folder when it is, file for file and byte for
   byte, what the previous successful build left (``resume`` says so).
3. :func:`answer_modified` replaces a ``File``'s ``is_modified``: MkDocs asks it, in a
   dirty build, before reading a page and before rendering it, and copying a static file.
4. :func:`skip_render` replaces a ``Page``'s ``render`` for one build, with a function
   that puts a stored conversion in place; :func:`render_with` wraps it, to watch which
   files a conversion looks up.
5. :func:`replay_loader` adds a one-line template that prints a page's stored output.

Both wrapped builds also turn a file or folder they could not write into one line
``path: what; fix`` (MkDocs prints a traceback), and drop MkDocs' warning about dirty
builds when Zhiku, not the user, made the build dirty (it would fail ``--strict``).
What a build is doing lives in its :class:`~zhiku.glue.session.BuildSession`, not here.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.exceptions import Abort
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page

from zhiku.files import FileProblem, explain
from zhiku.glue import session

_BUILD_LOG = logging.getLogger("mkdocs.commands.build")
# What MkDocs logs on every dirty build; a build Zhiku made dirty does not say it.
_DIRTY_NOTES = (
    "A 'dirty' build is being performed",
    "The directory contains stale files",
)


class _Originals:
    """MkDocs' own functions while Zhiku's wrappers stand in for them, and what keeps the
    site folder of the ``mkdocs build`` command this process runs (MkDocs calls the
    wrapped build before any plugin has seen the configuration)."""

    serve: Callable[..., None] | None = None
    build: Callable[..., None] | None = None
    resume: Callable[[Any], bool] | None = None
    finish: Callable[[Any], None] | None = None


def install() -> None:
    """Make the builds of a ``mkdocs serve`` run keep the site folder once it is current
    (idempotent)."""
    from mkdocs.commands import serve

    if _Originals.serve is None:
        _Originals.serve = serve.build  # type: ignore[attr-defined]
        serve.build = _serve_build  # type: ignore[attr-defined]


def uninstall() -> None:
    from mkdocs.commands import serve

    if _Originals.serve is not None:
        serve.build = _Originals.serve  # type: ignore[attr-defined]
        _Originals.serve = None


def install_build(resume: Callable[[Any], bool], finish: Callable[[Any], None]) -> None:
    """Make ``mkdocs build`` go on from the site folder the last build left: before the
    build ``resume(config)`` says whether the folder is exactly that (and loads what it
    was built from), after a successful build ``finish(config)`` records it. Idempotent."""
    from mkdocs.commands import build

    if _Originals.build is None:
        _Originals.build = build.build
        build.build = _one_build
    _Originals.resume, _Originals.finish = resume, finish


def uninstall_build() -> None:
    from mkdocs.commands import build

    if _Originals.build is not None:
        build.build = _Originals.build
        _Originals.build = None
    _Originals.resume = _Originals.finish = None


# What a file system says when a folder is in the way, closed, full or read-only: the
# user's to fix, said as a sentence (MkDocs would print a traceback).
_NOT_OURS = frozenset(
    {
        errno.EEXIST,
        errno.ENOTDIR,
        errno.EISDIR,
        errno.EACCES,
        errno.EPERM,
        errno.ENOSPC,
        errno.EDQUOT,
        errno.EROFS,
    }
)


@contextmanager
def _in_one_line() -> Iterator[None]:
    """A file or folder the build could not write stops it with ``path: what; fix``."""
    try:
        yield
    except OSError as err:
        if isinstance(err, FileProblem):
            sentence = str(err)
        elif err.errno in _NOT_OURS and err.filename is not None:
            sentence = explain(Path(os.fsdecode(err.filename)), err)
        else:
            raise
        _BUILD_LOG.error(sentence)
        raise Abort("Aborted with a BuildError!") from err


def _one_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    assert _Originals.build is not None
    current = session.of(config)
    with _in_one_line():
        keep = _Originals.resume is not None and _Originals.resume(config)
    current.dirty = keep
    try:
        with _quiet_dirty_warning(forced=keep and not dirty), _in_one_line():
            _Originals.build(config, serve_url=serve_url, dirty=keep or dirty)
        if _Originals.finish is not None:
            _Originals.finish(config)
    finally:
        current.dirty = False


def _serve_build(config: Any, *, serve_url: str | None = None, dirty: bool = False) -> None:
    assert _Originals.serve is not None
    current = session.of(config)
    keep = dirty or current.ready
    current.dirty = keep
    try:
        with _quiet_dirty_warning(forced=keep and not dirty), _in_one_line():
            _Originals.serve(config, serve_url=serve_url, dirty=keep)
    finally:
        current.dirty = False


class _DropDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(_DIRTY_NOTES)


@contextmanager
def _quiet_dirty_warning(*, forced: bool) -> Iterator[None]:
    """MkDocs warns on every dirty build that its links may be wrong; ours are not, and
    the warning would fail ``--strict``. A flag the user gave keeps it."""
    if not forced:
        yield
        return
    drop = _DropDirtyWarning()
    _BUILD_LOG.addFilter(drop)
    try:
        yield
    finally:
        _BUILD_LOG.removeFilter(drop)


def answer_modified(file: File, value: bool) -> None:
    """What MkDocs' ``File.is_modified`` answers for ``file`` in this build: in a dirty
    build MkDocs reads, renders or copies only files that answer True."""
    file.is_modified = lambda: value  # type: ignore[method-assign]


def skip_render(page: Page, restore: Callable[[Page, Any, Any], None]) -> None:
    """This build, ``page.render(config, files)`` calls ``restore(page, config, files)``
    instead of converting the Markdown (a new ``Markdown`` instance costs about a
    millisecond even with nothing to convert)."""
    page.render = lambda config, files: restore(page, config, files)  # type: ignore[method-assign]


def render_with(page: Page, wrap: Callable[[Any], Any]) -> None:
    """This build, ``page.render(config, files)`` converts with ``wrap(files)`` in the
    files' place (to see which files the conversion looks up)."""
    original = page.render
    page.render = lambda config, files: original(config, wrap(files))  # type: ignore[method-assign]


def replay_loader(loader: jinja2.BaseLoader | None, name: str, variable: str) -> jinja2.BaseLoader:
    """``loader`` with one more template, ``name``, that prints ``variable``: a page whose
    ``meta["template"]`` is ``name`` and whose context holds its stored output is written
    as stored, with MkDocs' ``on_post_page`` hooks still run on it."""
    own = jinja2.DictLoader({name: "{{ " + variable + " }}"})
    return jinja2.ChoiceLoader([own, loader] if loader else [own])
