"""`mkdocs serve` answers a failed rebuild in the browser, at once, with the file, line and
fix, and the page shows the site again once a save fixes the mistake."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from feed_sites import article, write_site
from test_serve_incremental import _free_port, _wait

pytestmark = pytest.mark.slow


def _get(url: str) -> tuple[int, str] | None:
    """Status and text of ``url``; None when nothing answers within 10 s (a hang)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode("utf-8")
    except OSError:
        return None


def test_a_front_matter_error_under_serve_is_an_error_page_not_a_hang(tmp_path: Path) -> None:
    good = article("甲：正文", "2026-01-10", "笔记", ["CLIP"], "正文。")
    config = write_site(
        tmp_path, {"a.md": good, "b.md": article("乙", "2026-01-11", "笔记", [], "乙。")}
    )
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("w", encoding="utf-8") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-f", str(config), "-a", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert _wait(lambda: (_get(base + "a/") or (0, ""))[0] == 200, 120), log.read_text("utf-8")
        broken = article("甲：正文", "2026-13-40", "笔记", ["CLIP"], "正文。")
        (tmp_path / "docs" / "a.md").write_text(broken, "utf-8")

        def shows_error() -> bool:
            got = _get(base + "b/")
            assert got is not None, "the page hung:\n" + log.read_text("utf-8")
            return got[0] == 500 and "a.md:" in got[1]

        assert _wait(shows_error, 60), log.read_text("utf-8")
        status, page = _get(base + "b/") or (0, "")
        assert status == 500
        assert "构建失败" in page and "2026-13-40" in page and "livereload" in page
        assert "<script>alert" not in page
        # Assets still load; the page reloads itself when the file is fixed.
        (tmp_path / "docs" / "a.md").write_text(good, "utf-8")
        assert _wait(lambda: (_get(base + "b/") or (0, ""))[0] == 200, 60), log.read_text("utf-8")
        assert "构建失败" not in (_get(base + "b/") or (0, ""))[1]
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)
    assert "appear stuck" not in log.read_text("utf-8")
