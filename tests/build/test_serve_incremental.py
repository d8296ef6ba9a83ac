"""``mkdocs serve`` rebuilds only the pages a save changes, and the site it serves is
byte for byte the site a cold build makes.

The builds here go through ``mkdocs.commands.serve.build``, the function ``mkdocs serve``
calls on every save (zhiku/cache wraps it when the session starts), with a fresh
configuration per rebuild, as the server does. One case runs the real ``mkdocs serve``.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from feed_sites import article
from mkdocs.commands import serve
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort
from test_render_cache import CASES, SERVED, dest, edit, pages_of, run, tree, write_site

from zhiku.glue.render_cache import CachePlugin

pytestmark = pytest.mark.slow

EDITS: dict[str, Callable[[Path], None]] = {
    **CASES,
    "new article": lambda root: (root / "docs" / "f.md").write_text(
        article("己：新文章", "2026-02-01", "大模型", ["Transformer"], "新文章的正文。"),
        encoding="utf-8",
    ),
    "deleted article": lambda root: (root / "docs" / "c.md").unlink(),
    # A static file dropped into the theme's folder: the rebuild lists the folder again.
    "new theme file": lambda root: (root / "overrides" / "extra.txt").write_text(
        "主题里的新文件", encoding="utf-8"
    ),
}


# Edits that withhold article a.md from a build (today is 2026-03-01, then 2026-01-13).
UNPUBLISH: dict[str, Callable[[Path], None]] = {
    "draft": lambda root: edit(root / "docs" / "a.md", "category:", "draft: true\ncategory:"),
    "dated into the future": lambda root: edit(root / "docs" / "a.md", "2026-01-15", "2099-01-01"),
    "today moved back": lambda root: os.environ.__setitem__("ZHIKU_TODAY", "2026-01-13"),
}


@contextmanager
def plugins_of(cache: dict[str, Any]) -> Iterator[None]:
    """Load configurations with these plugin instances. MkDocs keeps the plugins that have
    ``on_startup`` in one dict per process (so that serve's rebuilds find them again): a
    session or build that stands for a process of its own needs a dict of its own."""
    option = MkDocsConfig.plugins
    saved, option.plugin_cache = option.plugin_cache, cache
    try:
        yield
    finally:
        option.plugin_cache = saved


# Edits whose effect is local: a rebuild renders the pages that show the article only
# (its own, its neighbours', the listings).
LOCAL = ("article text", "tag", "neighbour title", "new article", "deleted article")


def rebuilt_pages(config: Any) -> set[str]:
    """The pages the last build through ``config``'s zhiku/cache rendered (by output path)."""
    plugin = config.plugins["zhiku/cache"]
    assert isinstance(plugin, CachePlugin)
    return {dest(src) for src in plugin.report.rebuilt}


def assert_rebuilt_what_changed(
    change: str, before: dict[str, bytes], after: dict[str, bytes], rebuilt: set[str]
) -> None:
    """Every page whose output changed was rendered, and a local edit rendered few."""
    changed = {p for p in pages_of(after) if before.get(p) != after[p]}
    # A retired tag's listing becomes a redirect page: a file written, not a page rendered.
    changed = {p for p in changed if b'http-equiv="refresh"' not in after[p]}
    assert changed <= rebuilt
    if change in LOCAL:
        assert len(rebuilt) < len(pages_of(after)) / 2, sorted(rebuilt)


class Session:
    """One ``mkdocs serve`` session, driven as the server drives it."""

    def __init__(self, config_file: Path, site: Path) -> None:
        self.config_file, self.site = config_file, site
        self.plugins: dict[str, Any] = {}  # what the session's process keeps
        self.first = self._config()
        self.first.plugins.on_startup(command="serve", dirty=False)

    def _config(self):  # type: ignore[no-untyped-def]
        with plugins_of(self.plugins):
            config = load_config(str(self.config_file), site_dir=str(self.site), strict=True)
        config.site_url = SERVED
        return config

    def build(self) -> set[str]:
        """Build as after a save; returns the pages the build rendered (by output path)."""
        serve.build(self._config(), serve_url=SERVED, dirty=False)
        return rebuilt_pages(self.first)

    def close(self) -> None:
        self.first.plugins.on_shutdown()


@pytest.mark.parametrize("change", list(EDITS))
def test_a_save_rebuilds_what_it_changes_and_the_site_equals_a_cold_build(
    change: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "root"
    config_file = write_site(root)
    session = Session(config_file, tmp_path / "served")
    try:
        session.build()
        before = tree(tmp_path / "served")
        EDITS[change](root)
        caplog.clear()
        rebuilt = session.build()
        after = tree(tmp_path / "served")
    finally:
        session.close()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], "a warning"

    shutil.move(root / ".cache", tmp_path / "served-cache")
    run(config_file, tmp_path / "cold", site_url=SERVED)
    cold = tree(tmp_path / "cold")
    assert pages_of(after) == pages_of(cold), "pages missing, or left over from before"
    for path in pages_of(cold):
        assert after[path] == cold[path], f"{path} differs from a cold build"

    assert_rebuilt_what_changed(change, before, after, rebuilt)


def test_a_save_with_nothing_changed_rebuilds_nothing(tmp_path: Path) -> None:
    session = Session(write_site(tmp_path / "root"), tmp_path / "served")
    try:
        session.build()
        assert session.build() == set()
    finally:
        session.close()


def test_a_failed_build_is_followed_by_a_full_one(tmp_path: Path) -> None:
    root = tmp_path / "root"
    session = Session(write_site(root), tmp_path / "served")
    try:
        everything = session.build()
        good = (root / "docs" / "d.md").read_text(encoding="utf-8")
        (root / "docs" / "d.md").write_text(good.replace("title: 丁", "title: [丁"), "utf-8")
        with pytest.raises(Abort):
            session.build()
        (root / "docs" / "d.md").write_text(good, encoding="utf-8")
        assert session.build() == everything
    finally:
        session.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return None


def _wait(what: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if what():
            return True
        time.sleep(0.2)
    return False


def _start_serve(config_file: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """The README's `mkdocs serve` of ``config_file`` on a free port, its output in
    ``log``; the process and its address."""
    port = _free_port()
    address = f"127.0.0.1:{port}"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config_file), "-a", address],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=config_file.parent,
            start_new_session=True,
        )
    return server, f"http://{address}/"


def test_the_readme_command_shows_a_save_on_every_page_it_touches(tmp_path: Path) -> None:
    """`mkdocs serve`, no flags: a new title shows on the article, its neighbours and the
    home page, and MkDocs' warning about dirty builds never appears."""
    root = tmp_path / "root"
    config_file = write_site(root)
    log = tmp_path / "serve.log"
    server, base = _start_serve(config_file, log)
    try:
        assert _wait(lambda: _fetch(base + "b/") is not None, 120), log.read_text("utf-8")
        edit(root / "docs" / "b.md", "乙：扩散模型", "乙：保存后的新标题")
        for page in ("b/", "a/", "c/", ""):
            assert _wait(lambda page=page: "保存后的新标题" in (_fetch(base + page) or ""), 60), (
                f"/{page} never showed the new title:\n" + log.read_text("utf-8")
            )
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    text = log.read_text("utf-8")
    assert "dirty" not in text.lower(), text
    rebuilt = re.search(r"zhiku/cache: rebuilt (\d+) of (\d+) pages", text)
    assert rebuilt is not None, text
    assert 0 < int(rebuilt[1]) < int(rebuilt[2]) / 2, text


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory urls", "file urls"])
@pytest.mark.parametrize("change", list(UNPUBLISH))
def test_an_article_withheld_after_a_save_is_served_as_a_new_session_serves_it(
    change: str, directory_urls: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under serve a draft or scheduled article stays, marked: after the save that
    withholds it, every page is what a session started afresh serves."""
    monkeypatch.setenv("ZHIKU_TODAY", "2026-03-01")
    root = tmp_path / "root"
    config_file = write_site(root)
    settings = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    settings["use_directory_urls"] = directory_urls
    config_file.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    session = Session(config_file, tmp_path / "served")
    try:
        session.build()
        UNPUBLISH[change](root)
        session.build()
    finally:
        session.close()
    shutil.move(root / ".cache", tmp_path / "served-cache")
    fresh = Session(config_file, tmp_path / "fresh")
    try:
        fresh.build()
    finally:
        fresh.close()
    served, cold = tree(tmp_path / "served"), tree(tmp_path / "fresh")
    assert served.keys() == cold.keys()
    for path in cold:
        assert served[path] == cold[path], f"{path} differs from a new session's"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel watcher is Linux's")
def test_serve_hears_every_kind_of_save_and_reading_is_no_save(tmp_path: Path) -> None:
    """`mkdocs serve` on Linux is told of changes by the kernel: a save in place, a save
    through a new file renamed over the old one (how many editors save), a note in a
    folder made after the server started, and an edit of mkdocs.yml each rebuild the
    site; the builds' own reading of every file starts no further build."""
    root = tmp_path / "root"
    config_file = write_site(root)
    log = tmp_path / "serve.log"
    server, base = _start_serve(config_file, log)

    def builds() -> int:
        return log.read_text("utf-8").count("Building documentation")

    def shows(page: str, text: str) -> bool:
        return _wait(lambda: text in (_fetch(base + page) or ""), 60)

    try:
        assert _wait(lambda: _fetch(base + "b/") is not None, 120), log.read_text("utf-8")
        time.sleep(3)  # a build that started another would have by now
        assert builds() == 1, log.read_text("utf-8")

        edit(root / "docs" / "b.md", "乙：扩散模型", "乙：原地保存")
        assert shows("b/", "乙：原地保存"), log.read_text("utf-8")

        renamed = root / "docs" / "b.md"
        draft = renamed.with_name(".b.md.swp")
        draft.write_text(renamed.read_text("utf-8").replace("原地保存", "换新文件保存"), "utf-8")
        draft.replace(renamed)
        assert shows("b/", "乙：换新文件保存"), log.read_text("utf-8")

        folder = root / "docs" / "notes"
        folder.mkdir()
        time.sleep(0.5)  # the new folder gets its own kernel watch
        (folder / "e.md").write_text(
            article(
                "戊：新文件夹里的笔记",
                "2024-06-01",
                "Machine Learning",
                ["Python"],
                "新文件夹里写下的第一篇笔记。\n",
            ),
            encoding="utf-8",
        )
        assert shows("", "戊：新文件夹里的笔记"), log.read_text("utf-8")

        settings = yaml.safe_load(config_file.read_text("utf-8"))
        settings["site_name"] = "改名后的测试站"
        replacement = config_file.with_name("mkdocs.yml.new")
        replacement.write_text(yaml.safe_dump(settings, allow_unicode=True), "utf-8")
        replacement.replace(config_file)
        assert shows("", "改名后的测试站"), log.read_text("utf-8")

        settled = builds()
        time.sleep(3)
        assert builds() == settled, log.read_text("utf-8")
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert "will not watch" not in log.read_text("utf-8")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the kernel watcher is Linux's")
def test_the_server_watcher_wants_a_build_for_a_write_not_for_a_read(tmp_path: Path) -> None:
    from mkdocs.livereload import LiveReloadServer

    from zhiku.glue import engine

    (tmp_path / "docs").mkdir()
    note = tmp_path / "docs" / "a.md"
    note.write_text("# 甲\n", encoding="utf-8")
    engine.install()
    try:
        server = LiveReloadServer(
            builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path)
        )
    finally:
        engine.uninstall()
    assert type(server.observer).__name__ == "_Watcher"
    server.watch(str(tmp_path / "docs"))
    server.observer.start()
    try:
        note.read_text(encoding="utf-8")
        time.sleep(1)
        assert not server._want_rebuild, "reading a note is no change"
        note.write_text("# 甲（改）\n", encoding="utf-8")
        assert _wait(lambda: server._want_rebuild, 5)
    finally:
        server.observer.stop()
        server.observer.join()
        server.server_close()


def test_folders_other_kernels_change_are_polled_not_watched() -> None:
    """inotify never hears a change made on a network share or, under WSL, by a Windows
    editor on /mnt/c: such folders are polled as MkDocs polls them."""
    from zhiku.glue.engine import local_filesystem

    mounts = (
        "/dev/sdb / ext4 rw 0 0\n"
        "C:\\134 /mnt/c 9p rw 0 0\n"
        "server:/notes /home/me/nfs nfs4 rw 0 0\n"
        "me@host: /home/me/remote fuse.sshfs rw 0 0\n"
        "/dev/sdc /home/me/my\\040notes ext4 rw 0 0\n"
    )
    assert local_filesystem("/home/me/kb", mounts)
    assert local_filesystem("/mnt/cdrom", mounts)
    assert local_filesystem("/home/me/my notes/kb", mounts)
    assert not local_filesystem("/mnt/c/Users/me/kb", mounts)
    assert not local_filesystem("/home/me/nfs/kb", mounts)
    assert not local_filesystem("/home/me/remote/kb", mounts)
    assert not local_filesystem("/home/me/kb", "")  # cannot tell: poll


def test_a_rebuild_leaves_garbage_collection_on_and_collects_after(tmp_path: Path) -> None:
    """A serve rebuild runs without Python's cyclic collector (a full pass over a large
    site took most of a second inside each rebuild) and schedules one pass just after;
    whether the rebuild succeeds or fails, the collector is on again."""
    import gc
    from types import SimpleNamespace

    from zhiku.glue import engine
    from zhiku.glue import session as build_session

    root = tmp_path / "root"
    config_file = write_site(root)
    session = Session(config_file, tmp_path / "served")
    seen: list[bool] = []
    try:
        session.build()
        edit(root / "docs" / "b.md", "乙：扩散模型", "乙：改过的标题")
        with pytest.MonkeyPatch.context() as patch:
            # What the collector is while MkDocs' own build runs inside Zhiku's wrapper.
            def watched(*args: Any, **kwargs: Any) -> Any:
                seen.append(gc.isenabled())
                return inner(*args, **kwargs)

            inner = engine._Originals.serve
            patch.setattr(engine._Originals, "serve", watched)
            session.build()
            good = (root / "docs" / "c.md").read_text(encoding="utf-8")
            (root / "docs" / "c.md").write_text(good.replace("title: 丙", "title: [丙"), "utf-8")
            with pytest.raises(Abort):
                session.build()
        assert gc.isenabled()
        # The collection due is the serve session's own, not a module's.
        timer = build_session.of(SimpleNamespace(config_file_path=str(config_file))).collection
        assert timer is not None and timer.interval == engine.COLLECT_AFTER
    finally:
        session.close()
    assert seen == [False, False]
