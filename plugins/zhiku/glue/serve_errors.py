"""``mkdocs serve`` answers in the browser when a rebuild fails.

MkDocs 1.6's live-reload server logs a failed rebuild and then holds every page request
until a later build succeeds ("the server will appear stuck"): the writer sees a spinner,
and the error only in the terminal. :func:`install` bends two things of the one server
the ``on_serve`` event hands over, and nothing else:

- its ``builder``: a rebuild that fails is caught; its warnings and errors (the
  ``path:line: what; fix`` lines) are kept, and the server goes on as after a build, so
  waiting pages reload;
- its request handler: while the last rebuild failed, every page (a URL ending in ``/``
  or ``.html``) is answered with an error page listing those lines (with MkDocs'
  live-reload script, so it reloads itself once a save fixes the problem); assets and
  the live-reload poll are served as usual.

The state lives on the :class:`Failure` held by the wrapped functions, not in a module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import contextmanager
from typing import Any

from zhiku.listing.render import build_error_page

log = logging.getLogger("mkdocs.plugins.zhiku.feed")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage().strip()
        if text and text not in self.lines:
            self.lines.append(text)


@contextmanager
def _collecting() -> Any:
    handler = _Collect()
    root = logging.getLogger("mkdocs")
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)


class Failure:
    """What the last rebuild of one serve session said, when it failed (else nothing)."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def builder(self, build: Callable[[], None]) -> Callable[[], None]:
        def guarded() -> None:
            with _collecting() as said:
                try:
                    build()
                except Exception as err:  # shown in the browser; the server goes on
                    message = str(err).strip() or type(err).__name__
                    self.problems = [*said.lines, *([] if message in said.lines else [message])]
                    log.error(
                        "zhiku: the rebuild failed; every page shows why until a save fixes it"
                    )
                    return
            self.problems = []

        return guarded


def install(server: Any, site_name: str) -> None:
    """Make ``server`` (MkDocs' ``LiveReloadServer``) answer failed rebuilds in the browser."""
    failure = Failure()
    server.builder = failure.builder(server.builder)
    serve = server._serve_request
    mount = server.mount_path

    def answer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        path = environ.get("PATH_INFO", "")
        is_page = path.startswith(mount) and (path.endswith("/") or path.endswith(".html"))
        if not failure.problems or not is_page:
            return serve(environ, start_response)
        page = build_error_page(failure.problems, site_name).encode("utf-8")
        page = server._inject_js_into_html(page, server._visible_epoch)
        start_response(
            "500 Internal Server Error",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(page)))],
        )
        return [page]

    server._serve_request = answer
