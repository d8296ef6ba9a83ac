"""Fixtures shared by the build, browser and crawl tests.

- ``build_site(config_file, **overrides)`` builds a site with MkDocs' own
  ``load_config`` -> ``build`` (``strict`` on) into a temporary folder.
- ``sample_site``: the repository's own sample site, built once per session.
- ``serve(folder, prefix)``: a loopback HTTP server that serves ``folder`` under
  ``prefix`` (``/`` or ``/repo/``), as GitHub Pages does for a project site,
  answering a missing URL with the site's ``404.html`` (status 404) as Pages does.
- ``browser`` / ``page``: Debian's Chromium through Playwright, with every request
  to another host refused and recorded (``page.zhiku_offsite``), and console
  errors collected (``page.zhiku_console_errors``).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from zhiku.articles import Article

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]
ARTIFACTS = ROOT / "test-artifacts"


def build(config_file: Path, site_dir: Path, **overrides: Any) -> Path:
    """Build ``config_file`` strictly into ``site_dir`` and return it."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    config = load_config(str(config_file), site_dir=str(site_dir), strict=True, **overrides)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
    finally:
        config.plugins.on_shutdown()
    return site_dir


@pytest.fixture(scope="session")
def mkdocs_build() -> Callable[..., Path]:
    """:func:`build` itself, for fixtures of any scope: ``(config_file, site_dir, **overrides)``."""
    return build


@pytest.fixture
def build_site(tmp_path: Path) -> Callable[..., Path]:
    def _build(config_file: Path = ROOT / "mkdocs.yml", **overrides: Any) -> Path:
        return build(Path(config_file), tmp_path / "site", **overrides)

    return _build


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample site as the README builds it, at the root of a host."""
    return build(ROOT / "mkdocs.yml", tmp_path_factory.mktemp("sample") / "site")


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    extra_headers: dict[str, str] = {}  # noqa: RUF012 (set per server by _start_server)

    def end_headers(self) -> None:
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        super().end_headers()

    def translate_path(self, path: str) -> str:
        path = urlsplit(path).path
        if not path.startswith(self.prefix):
            return str(Path(self.directory) / "__outside_prefix__")
        return super().translate_path("/" + path[len(self.prefix) :])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # As GitHub Pages does: a missing URL under the site gets the site's own
        # 404.html as the body, still with status 404.
        page = Path(self.directory) / "404.html"
        inside = urlsplit(self.path).path.startswith(self.prefix)
        if code != 404 or not inside or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _start_server(
    folder: Path, prefix: str, headers: dict[str, str] | None
) -> http.server.ThreadingHTTPServer:
    handler = type("Handler", (_Handler,), {"prefix": prefix, "extra_headers": headers or {}})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(folder))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@contextlib.contextmanager
def _servers() -> Iterator[Callable[..., str]]:
    servers: list[http.server.ThreadingHTTPServer] = []

    def _serve(folder: Path, prefix: str = "/", headers: dict[str, str] | None = None) -> str:
        server = _start_server(folder, prefix, headers)
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}{prefix}"

    try:
        yield _serve
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


@pytest.fixture
def serve() -> Iterator[Callable[..., str]]:
    """Start loopback servers; each call returns the base URL (ending in the prefix).

    ``serve(folder, prefix="/", headers=None)``: ``headers`` go on every response.
    """
    with _servers() as serve:
        yield serve


@pytest.fixture(scope="session")
def site_server() -> Iterator[Callable[..., str]]:
    """``serve`` for fixtures wider than a test (module or session scope)."""
    with _servers() as serve:
        yield serve


@pytest.fixture(scope="session")
def site_builder(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``build_site`` for fixtures wider than a test: each call builds into a new folder."""

    def _build(config_file: Path = ROOT / "mkdocs.yml", **overrides: Any) -> Path:
        return build(Path(config_file), tmp_path_factory.mktemp("site") / "site", **overrides)

    return _build


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing; run ./scripts/test, which installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page whose requests may only go to 127.0.0.1 (the network is 'off')."""
    context = browser.new_context()
    page = context.new_page()
    page.zhiku_offsite = []
    page.zhiku_console_errors = []
    page.zhiku_failed = []

    def guard(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            page.zhiku_offsite.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page.on("console", lambda m: m.type == "error" and page.zhiku_console_errors.append(m.text))
    page.on("pageerror", lambda e: page.zhiku_console_errors.append(str(e)))
    page.on("requestfailed", lambda r: page.zhiku_failed.append(r.url))
    page.on(
        "response",
        lambda r: r.status >= 400 and page.zhiku_failed.append(f"{r.status} {r.url}"),
    )
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Folder for screenshots a person can look at after the run."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def copy_sample_config(tmp_path: Path, **replace: str) -> Path:
    """A copy of the repo's mkdocs.yml pointing at the repo's content, for scenario builds."""
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {ROOT / 'content'}")
    text = text.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    for old, new in replace.items():
        text = text.replace(old, new)
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The paths the article catalogue parses, in order (a spy on its parser)."""
    from zhiku.articles import catalogue

    seen: list[str] = []
    real = catalogue.parse_article

    def spy(path: str, text: str) -> Article | None:
        seen.append(path)
        return real(path, text)

    monkeypatch.setattr(catalogue, "parse_article", spy)
    return seen
