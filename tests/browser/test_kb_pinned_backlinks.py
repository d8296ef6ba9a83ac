"""Pinned articles and 被引用 as a reader sees them, on a phone and a laptop."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = {
    "guide": ("阅读指南", "2025-06-01", {"pinned": True}, "从这里开始。"),
    "attention": ("注意力机制", "2026-01-10", {}, "见 [[阅读指南]]。"),
    "newest": ("最新的笔记", "2026-01-20", {}, "最新。参考 [注意力](attention.md)。"),
    # Between the citing articles and those they cite, so that no citing article is also
    # the next one in time (a neighbour that cites is marked in the navigation instead).
    "between-1": ("卷积网络", "2025-12-01", {}, "卷积。"),
    "between-2": ("残差连接", "2026-01-15", {}, "残差。"),
}


@pytest.fixture(scope="module")
def kb_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("zhiku_conftest", ROOT / "tests" / "conftest.py")
    shared = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(shared)  # type: ignore[union-attr]
    root = tmp_path_factory.mktemp("kb")
    content = root / "content"
    content.mkdir()
    (content / "index.md").write_text("# 知库\n", encoding="utf-8")
    for slug, (title, date, more, body) in ARTICLES.items():
        front = {"title": title, "date": date, "category": "Notes", **more}
        lines = "".join(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in front.items())
        (content / f"{slug}.md").write_text(f"---\n{lines}---\n\n{body}\n", encoding="utf-8")
    config = shared.copy_sample_config(
        root, **{f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}"}
    )
    return shared.build(config, root / "site")  # type: ignore[no-any-return]


@pytest.mark.parametrize("width", [390, 1280])
def test_pinned_on_top_and_backlinks_lead_back(
    kb_site: Path, serve: Any, page: Any, axe_serious: Any, width: int
) -> None:
    base = serve(kb_site)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base)
    first = page.locator(".zk-card").first
    assert first.locator(".zk-card__title").inner_text() == "阅读指南"
    assert first.locator(".zk-badge--pinned").is_visible()
    assert page.locator(".zk-badge--pinned").count() == 1
    assert axe_serious(page) == []
    first.locator(".zk-card__title a").click()
    page.wait_for_url(base + "guide/")
    cited = page.locator(".zk-backlinks")
    assert cited.is_visible() and "被引用" in cited.inner_text()
    cited.locator("a", has_text="注意力机制").click()
    page.wait_for_url(base + "attention/")
    assert page.locator(".zk-backlinks a", has_text="最新的笔记").is_visible()
    assert axe_serious(page) == []
    assert page.zhiku_offsite == [] and page.zhiku_console_errors == []
