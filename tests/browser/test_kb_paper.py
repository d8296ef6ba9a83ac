"""The paper card: links, a keyboard-usable 复制 BibTeX button, and search by arXiv id or title."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_search import search

ARTICLE = "clip-suanfa-yuanli/"


@pytest.mark.parametrize("width", [390, 1280])
def test_copy_bibtex_from_the_keyboard(
    sample_site: Path, serve: Any, page: Any, axe_serious: Any, width: int
) -> None:
    base = serve(sample_site)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base[:-1])
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base + ARTICLE)
    card = page.locator(".zk-paper")
    assert card.is_visible()
    assert "Learning Transferable Visual Models" in card.inner_text()
    assert card.locator('a[href="https://arxiv.org/abs/2103.00020"]').count() == 1
    assert axe_serious(page) == []
    button = card.locator("button", has_text="复制 BibTeX")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('.zk-paper__status').textContent === '已复制'")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@inproceedings{radford2021learning,")
    assert "eprint = {2103.00020}" in copied
    assert page.zhiku_offsite == [] and page.zhiku_console_errors == []


@pytest.mark.parametrize("query", ["2103.00020", "Learning Transferable Visual"])
def test_search_finds_the_article_by_its_paper(
    sample_site: Path, serve: Any, page: Any, query: str
) -> None:
    page.goto(serve(sample_site))
    assert "clip-suanfa-yuanli" in search(page, query, paste=True)[:3]
