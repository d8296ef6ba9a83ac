"""Under `mkdocs serve`, a rebuild does not wait for the search index, which catches up."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from zhiku.search.shards import read_index_file

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def _titles(site: Path) -> set[str]:
    return {
        read_index_file(piece.read_text(encoding="utf-8"))["t"]
        for piece in (site / "search" / "d").glob("*-0.js")
    }


def _wait_for(predicate, seconds: float = 60) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_return_before_the_index_and_the_index_catches_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    text = text.replace("docs_dir: content", f"docs_dir: {content}")
    text = text.replace("custom_dir: theme_overrides", f"custom_dir: {ROOT / 'theme_overrides'}")
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    site = tmp_path / "site"
    config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        assert _wait_for(lambda: "DeepSeek-V3" in _titles(site)), "the first index never came"

        article = content / "deepseek-v3.md"
        article.write_text(
            article.read_text(encoding="utf-8").replace(
                "title: DeepSeek-V3", "title: DeepSeek-V3 技术报告"
            ),
            encoding="utf-8",
        )
        caplog.clear()
        with caplog.at_level("INFO", logger="mkdocs.plugins.zhiku.glue.search"):
            build(config, dirty=True)
        assert "zhiku/search: indexing in the background" in caplog.messages
        # The rebuild returned with the pages written; the index follows shortly.
        assert "DeepSeek-V3 技术报告" in (site / "deepseek-v3" / "index.html").read_text("utf-8")
        assert _wait_for(lambda: "DeepSeek-V3 技术报告" in _titles(site)), "index stayed stale"
    finally:
        config.plugins.on_shutdown()
