"""Link previews in headless Chromium, network off, on a site served under a sub-path.

The scenario is three Obsidian-style notes on sequence models: 注意力 (no formula of its
own) links to 循环神经网络 by a wiki link; that note opens with a formula and links on to
长短期记忆, which links back to 注意力. Hovering, focusing or long-pressing a link shows
the target's title, meta line and opening paragraph in a card over the page.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = [390, 1280]

ATTENTION = """---
title: 注意力机制
date: 2026-02-10
category: NLP
tags: [Transformer]
---

注意力让模型直接看整句话，而不是像 [[循环神经网络]] 那样一步步传状态。

## 小节

本页的[小节](#小节)链接不弹出卡片；外部的 [论文](https://arxiv.org/abs/1706.03762) 也不。
"""

RNN = """---
title: 循环神经网络
date: 2026-01-05
category: NLP
---

循环神经网络的隐状态按 $h_t = \\tanh(W h_{t-1} + U x_t)$ 更新，梯度随时间连乘，
所以有了 [[长短期记忆]]。

## 训练

沿时间反向传播。
"""

LSTM = """---
title: 长短期记忆
date: 2026-01-12
category: NLP
---

长短期记忆用门控保存长程信息，后来被 [[注意力机制]] 取代。
"""

# Layout shifts the page went through (what CLS adds up), from the first paint on.
_CLS_INIT = """
window.__zkShift = 0;
window.__zkShifts = [];
const name = (node) => node && node.nodeType === 1 ? node.outerHTML.slice(0, 80) : String(node);
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.__zkShift += entry.value;
    window.__zkShifts.push(entry.sources.map((s) => name(s.node)).join(" | "));
  }
}).observe({type: "layout-shift", buffered: true});
"""


def _shared() -> ModuleType:
    spec = importlib.util.spec_from_file_location("zhiku_conftest", ROOT / "tests" / "conftest.py")
    shared = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(shared)  # type: ignore[union-attr]
    return shared


@pytest.fixture(scope="module")
def notes_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("link-preview")
    content = root / "content"
    content.mkdir()
    (content / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    for name, text in (("zhuyili", ATTENTION), ("xunhuan", RNN), ("lstm", LSTM)):
        (content / f"{name}.md").write_text(text, encoding="utf-8")
    shared = _shared()
    config = shared.copy_sample_config(
        root,
        **{
            f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}",
            "https://zhiku-notes.github.io/zhiku/": "https://example.org/notes/",
        },
    )
    return shared.build(config, root / "site")  # type: ignore[no-any-return]


def _open(page: Any, url: str, width: int) -> None:
    page.add_init_script(_CLS_INIT)
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(reduced_motion="reduce")
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _rnn_link(page: Any) -> Any:
    return page.locator("article a", has_text="循环神经网络").first


@pytest.mark.parametrize("width", WIDTHS)
def test_hover_shows_title_meta_and_typeset_paragraph(
    width: int, notes_site: Path, serve: Any, page: Any, axe_serious: Any, artifacts: Path
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    base = serve(notes_site, "/notes/")
    _open(page, base + "zhuyili/", width)
    # The page has no formula: KaTeX is not loaded until a card needs it.
    assert not [url for url in requests if "katex" in url]
    shift = page.evaluate("window.__zkShift")

    _rnn_link(page).hover()
    card = page.locator(".zk-preview")
    card.wait_for()
    assert card.get_attribute("role") == "tooltip"
    assert _rnn_link(page).get_attribute("aria-describedby") == card.get_attribute("id")
    assert card.locator(".zk-preview__title").inner_text() == "循环神经网络"
    meta = card.locator(".zk-preview__meta").inner_text()
    assert meta.startswith("NLP · 2026年1月5日"), meta
    text = card.locator(".zk-preview__text")
    assert text.inner_text().startswith("循环神经网络的隐状态按")
    page.wait_for_function("document.querySelector('.zk-preview .katex') !== null")
    assert card.locator(".zk-preview__math .katex").count() == 1
    assert "\\tanh" not in text.inner_text(), "the formula is typeset, not TeX"
    # Loaded from the site's own copy, under the sub-path.
    assert any(url.endswith("/notes/assets/katex/katex.min.js") for url in requests)
    # Inside the window, under (or above) the link, over the text: nothing moved.
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    link = _rnn_link(page).bounding_box()  # all its lines, when it wraps
    assert box["y"] >= link["y"] + link["height"] or box["y"] + box["height"] <= link["y"]
    assert page.evaluate("window.__zkShift") == shift, "\n".join(page.evaluate("window.__zkShifts"))
    page.screenshot(path=artifacts / f"link-preview-{width}.png")
    assert axe_serious(page) == []

    page.keyboard.press("Escape")
    assert card.count() == 0
    assert _rnn_link(page).get_attribute("aria-describedby") is None
    assert page.zhiku_offsite == []
    assert page.zhiku_failed == []
    assert page.zhiku_console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_keyboard_focus_opens_a_card_that_tab_enters(
    width: int, notes_site: Path, serve: Any, page: Any, axe_serious: Any
) -> None:
    _open(page, serve(notes_site, "/notes/") + "zhuyili/", width)
    link = _rnn_link(page)
    link.focus()
    card = page.locator(".zk-preview")
    card.wait_for()
    assert card.locator(".zk-preview__title").inner_text() == "循环神经网络"
    # Tab goes into the card, to its title, then to the card's own link: one more card.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.zk-preview') !== null")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "长短期记忆"
    page.locator(".zk-preview[data-level='2']").wait_for()
    assert page.locator(".zk-preview").count() == 2
    assert axe_serious(page) == []
    # Esc closes the top card, then the first, and the focus is back on the page's link.
    page.keyboard.press("Escape")
    assert page.locator(".zk-preview").count() == 1
    page.keyboard.press("Escape")
    assert page.locator(".zk-preview").count() == 0
    assert page.evaluate("document.activeElement.textContent") == "循环神经网络"
    # Moving the focus away (to a link of this page: no card) closes the card.
    here = page.locator("article p a", has_text="小节")
    here.focus()
    link.focus()
    card.wait_for()
    here.focus()
    card.wait_for(state="detached")
    assert page.zhiku_console_errors == []


def test_a_card_opens_one_more_card_and_no_third(notes_site: Path, serve: Any, page: Any) -> None:
    _open(page, serve(notes_site, "/notes/") + "zhuyili/", 1280)
    _rnn_link(page).hover()
    first = page.locator(".zk-preview[data-level='1']")
    first.wait_for()
    first.locator("a", has_text="长短期记忆").hover()
    second = page.locator(".zk-preview[data-level='2']")
    second.wait_for()
    assert second.locator(".zk-preview__title").inner_text() == "长短期记忆"
    assert first.is_visible(), "the first card stays while the pointer is on its child"
    second.locator("a", has_text="注意力机制").hover()
    page.wait_for_timeout(1200)
    assert page.locator(".zk-preview").count() == 2
    # Moving away closes both.
    page.mouse.move(5, 895)
    page.locator(".zk-preview").first.wait_for(state="detached")
    assert page.locator(".zk-preview").count() == 0


def test_links_that_are_not_other_pages_get_no_card(
    notes_site: Path, serve: Any, page: Any
) -> None:
    _open(page, serve(notes_site, "/notes/") + "zhuyili/", 1280)
    for text in ("小节", "论文"):
        page.locator("article p a", has_text=text).hover()
        page.wait_for_timeout(800)
        assert page.locator(".zk-preview").count() == 0, text
    assert page.zhiku_offsite == []


def test_long_press_on_a_phone_shows_the_card(notes_site: Path, serve: Any, browser: Any) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 800}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(serve(notes_site, "/notes/") + "zhuyili/")
        page.wait_for_load_state("networkidle")
        # The link may wrap onto two lines: press its first line.
        box = _rnn_link(page).evaluate(
            "(a) => { const r = a.getClientRects()[0];"
            " return {x: r.x, y: r.y, w: r.width, h: r.height}; }"
        )
        x, y = box["x"] + box["w"] / 2, box["y"] + box["h"] / 2
        session = context.new_cdp_session(page)
        point = [{"x": x, "y": y}]
        session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": point})
        page.locator(".zk-preview").wait_for(timeout=3000)
        session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_timeout(300)
        assert page.url.endswith("/zhuyili/"), "a long press does not follow the link"
        assert page.locator(".zk-preview__title").inner_text() == "循环神经网络"
    finally:
        context.close()


def test_opened_from_disk_links_stay_plain_links(notes_site: Path, browser: Any) -> None:
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # Material's own requests fail from disk (sitemap, search): only ours count here.
    page.on(
        "console",
        lambda m: (
            m.type == "error"
            and m.location.get("url", "").endswith("/preview.js")
            and errors.append(m.text)
        ),
    )
    try:
        page.goto((notes_site / "zhuyili" / "index.html").as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate("typeof self.zhikuPreview") == "object", "preview.js ran"
        _rnn_link(page).hover()
        page.wait_for_timeout(1000)
        assert page.locator(".zk-preview").count() == 0
        assert errors == []
    finally:
        context.close()
