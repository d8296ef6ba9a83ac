"""Per-page reading features in headless Chromium, network off: callouts, Mermaid
diagrams from the site's own copy, figures and their lightbox, the phone's 目录 box,
the home page's feed links, opt-in comments and the palette's colours.

The scenario article is shaped like an Obsidian note on diffusion models: callouts,
two sections, two captioned figures (PNG files beside the note), a diagram and a
diagram with a typo.
"""

from __future__ import annotations

import importlib.util
import struct
import zlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = [390, 1280]

NOTE = """---
title: 扩散模型笔记
date: 2026-02-01
category: Generative Model
tags: [扩散模型]
---

扩散模型把数据一步步加噪成纯噪声，再训练一个网络一步步去噪，从噪声里生成数据。

> [!TIP] 小技巧
> 训练时对时间步 **均匀采样**，损失只是预测噪声的均方误差。

> [!WARNING]- 常见误区
> 噪声调度的 β 不能设得过大，否则前几步就把图像毁掉了。

> [!Recipe]
> 不认识的类型当作备注。

## 前向过程

![前向加噪示意](img/forward.png "图 1：前向加噪过程")

每一步加一点高斯噪声：

```mermaid
graph LR
  x0[数据 x0] -->|加噪| x1[x1]
  x1 -->|加噪| xT[噪声 xT]
```

## 反向过程

![采样轨迹](img/sampling.png "图 2：采样轨迹")

网络学会每一步去掉多少噪声。

```mermaid
graph LR
  A[开始 --> B(
```

正文到此结束。
"""

PLAIN = """---
title: 没有图的笔记
date: 2026-01-20
category: Generative Model
---

只有文字，没有图表也没有图片。
"""


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A solid-colour PNG, as a screenshot pasted into a note would be (smaller)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


def _shared() -> ModuleType:
    spec = importlib.util.spec_from_file_location("zhiku_conftest", ROOT / "tests" / "conftest.py")
    shared = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(shared)  # type: ignore[union-attr]
    return shared


def _build(root: Path, **replace: str) -> Path:
    shared = _shared()
    content = root / "content"
    (content / "img").mkdir(parents=True)
    (content / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (content / "kuosan.md").write_text(NOTE, encoding="utf-8")
    (content / "wenzi.md").write_text(PLAIN, encoding="utf-8")
    (content / "img" / "forward.png").write_bytes(_png(640, 360, (40, 120, 200)))
    (content / "img" / "sampling.png").write_bytes(_png(480, 480, (200, 80, 60)))
    config = shared.copy_sample_config(
        root, **{f"docs_dir: {ROOT / 'content'}": f"docs_dir: {content}", **replace}
    )
    return shared.build(config, root / "site")  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def note_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("reading-features"))


def _open(page: Any, url: str, width: int, scheme: str = "light") -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=scheme, reduced_motion="reduce")
    page.goto(url)
    page.wait_for_load_state("networkidle")


def _diagrams_done(page: Any) -> None:
    # diagrams.js loads Mermaid when a diagram nears the screen: bring one there.
    page.evaluate(
        "(document.querySelector('pre.zk-mermaid:not([hidden])')"
        " || document.querySelector('.zk-mermaid-diagram')).scrollIntoView()"
    )
    page.wait_for_function("document.documentElement.dataset.zkDiagrams === 'done'")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_note_reads_with_callouts_diagrams_and_figures(
    width: int,
    scheme: str,
    note_site: Path,
    serve: Any,
    page: Any,
    artifacts: Path,
    axe_serious: Any,
    overflow: Any,
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    _open(page, serve(note_site) + "kuosan/", width, scheme)
    _diagrams_done(page)
    page.screenshot(path=artifacts / f"reading-features-{width}-{scheme}.png", full_page=True)

    # Callouts are the theme's admonitions, titled, folded when written with "-".
    tip = page.locator(".admonition.tip")
    assert tip.locator(".admonition-title").inner_text().strip() == "小技巧"
    assert tip.locator("strong").inner_text() == "均匀采样"
    folded = page.locator("details.warning")
    assert folded.locator("summary").inner_text().strip() == "常见误区"
    assert folded.get_attribute("open") is None
    assert not folded.get_by_text("噪声调度").is_visible()
    folded.locator("summary").click()
    assert folded.get_by_text("噪声调度").is_visible()
    unknown = page.locator(".admonition.note", has_text="不认识的类型")
    assert unknown.locator(".admonition-title").inner_text().strip() == "Recipe"
    assert "[!" not in page.locator("article").inner_text()

    # The good diagram is an SVG drawn on the page; the bad one shows its source, marked.
    assert page.locator(".zk-mermaid-diagram svg").count() == 1
    assert page.locator(".zk-mermaid-diagram svg").bounding_box()["height"] > 20
    bad = page.locator("pre.zk-mermaid--error")
    assert bad.count() == 1 and bad.is_visible()
    assert "A[开始" in bad.inner_text()
    mark = page.locator(".zk-mermaid__error")
    assert mark.is_visible() and mark.inner_text().startswith("图表无法解析")
    # Mermaid ran in its hidden, sandboxed frame (its own process, so Playwright's
    # request events miss it): the frame fetched the site's copy, and nothing else.
    frame = next(f for f in page.frames if f.url == "about:srcdoc")
    fetched = frame.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
    assert any(url.endswith("/assets/mermaid/mermaid.min.js") for url in fetched), fetched
    assert all(url.startswith(page.url.split("/kuosan/")[0]) for url in fetched), fetched
    assert not [url for url in requests if "mermaid.min.js" in url], "not loaded in the page"

    # Captioned figures, lazy images.
    captions = page.locator("figure.zk-figure figcaption").all_inner_texts()
    assert captions == ["图 1：前向加噪过程", "图 2：采样轨迹"]
    assert page.locator("article img[loading=lazy][decoding=async]").count() == 2

    layout = overflow(page)
    assert layout["panned"] == 0, layout
    assert axe_serious(page) == []
    assert page.zhiku_offsite == []
    assert page.zhiku_failed == []
    assert page.zhiku_console_errors == []


@pytest.mark.parametrize("width", WIDTHS)
def test_phone_reader_gets_a_table_of_contents(
    width: int, note_site: Path, serve: Any, page: Any, axe_serious: Any, artifacts: Path
) -> None:
    _open(page, serve(note_site) + "kuosan/", width)
    box = page.locator("details.zk-toc-inline")
    if width >= 960:
        # Material's own table of contents sits beside the text: no second one.
        assert not box.is_visible()
        assert page.locator(".md-sidebar--secondary a", has_text="反向过程").is_visible()
        return
    assert box.is_visible()
    # Under the article's header, above its text.
    header = page.locator(".zk-article-header").bounding_box()
    assert box.bounding_box()["y"] >= header["y"] + header["height"] - 1
    summary = box.locator("summary")
    assert summary.inner_text().strip() == "目录"
    summary.focus()
    page.keyboard.press("Enter")
    link = box.locator("a", has_text="反向过程")
    assert link.is_visible()
    page.screenshot(path=artifacts / f"reading-toc-{width}.png")
    assert link.bounding_box()["height"] >= 44 - 0.5
    link.click()
    page.wait_for_url("**/kuosan/#*")
    assert page.evaluate("decodeURIComponent(location.hash)") == "#反向过程"
    assert axe_serious(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_lightbox_opens_moves_zooms_and_closes_by_keyboard(
    width: int, note_site: Path, serve: Any, page: Any, axe_serious: Any
) -> None:
    _open(page, serve(note_site) + "kuosan/", width)
    first = page.locator("button.zk-zoom").first
    assert first.get_attribute("aria-label") == "放大图片：前向加噪示意"
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.zk-lightbox")
    assert dialog.is_visible()
    assert dialog.locator(".zk-lightbox__caption").inner_text() == "图 1：前向加噪过程"
    assert page.evaluate("document.activeElement.closest('dialog') !== null"), "focus inside"
    assert axe_serious(page) == []
    page.keyboard.press("ArrowRight")
    assert dialog.locator(".zk-lightbox__caption").inner_text() == "图 2：采样轨迹"
    assert dialog.locator(".zk-lightbox__count").inner_text() == "2 / 2"
    image = dialog.locator(".zk-lightbox__image")
    page.wait_for_function("document.querySelector('.zk-lightbox__image').naturalWidth === 480")
    fitted = image.bounding_box()["width"]
    page.keyboard.press("+")
    assert dialog.get_attribute("class") == "zk-lightbox zk-lightbox--zoomed"
    assert image.bounding_box()["width"] > fitted, "zoomed to full size"
    page.keyboard.press("-")
    page.keyboard.press("ArrowRight")
    assert dialog.locator(".zk-lightbox__caption").inner_text() == "图 1：前向加噪过程"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    # The focus is back on the page, on the image last shown.
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "放大图片：前向加噪示意"
    )
    # A click opens it too, and 关闭 closes it.
    page.locator("button.zk-zoom").nth(1).click()
    assert dialog.locator(".zk-lightbox__caption").inner_text() == "图 2：采样轨迹"
    dialog.locator(".zk-lightbox__close").click()
    assert not dialog.is_visible()
    assert page.zhiku_console_errors == []


def test_diagrams_follow_the_dark_palette(note_site: Path, serve: Any, page: Any) -> None:
    _open(page, serve(note_site) + "kuosan/", 1280, "light")
    _diagrams_done(page)
    fill = (
        "getComputedStyle(document.querySelector('.zk-mermaid-diagram svg .node rect, "
        ".zk-mermaid-diagram svg .node polygon')).fill"
    )
    light = page.evaluate(fill)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function("document.documentElement.dataset.zkDiagrams === 'done'")
    page.wait_for_function(f"{fill} !== {light!r}")
    assert page.locator(".zk-mermaid-diagram svg").count() == 1
    assert page.locator("pre.zk-mermaid--error").count() == 1


def test_diagrams_draw_in_the_page_when_opened_as_a_file(note_site: Path, browser: Any) -> None:
    """A sandboxed frame cannot read file:// URLs: Mermaid then runs in the page itself."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((note_site / "kuosan" / "index.html").as_uri())
        _diagrams_done(page)
        assert page.locator(".zk-mermaid-diagram svg").count() == 1
        assert page.locator("pre.zk-mermaid--error").count() == 1
        assert page.locator("iframe.zk-mermaid-frame").count() == 0
        assert errors == []
    finally:
        context.close()


def test_pages_without_diagrams_or_images_load_neither_script(
    note_site: Path, serve: Any, page: Any
) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    base = serve(note_site)
    for path in ("", "wenzi/"):
        _open(page, base + path, 390)
    loaded = [url for url in requests if "mermaid" in url or "diagrams.js" in url]
    assert loaded == []
    assert not [url for url in requests if "lightbox.js" in url]
    assert not [url for url in requests if "comments.js" in url]


def test_home_shows_its_feeds_and_chinese_kicker(
    note_site: Path, serve: Any, page: Any, axe_serious: Any
) -> None:
    base = serve(note_site)
    _open(page, base, 390)
    kicker = page.locator(".zk-hero__eyebrow").inner_text().strip()
    assert kicker == "最新收录 · 持续更新"
    feeds = page.locator(".zk-hero__feeds")
    assert feeds.is_visible() and feeds.inner_text().startswith("订阅")
    hrefs = feeds.locator("a").evaluate_all("as => as.map(a => [a.textContent, a.href])")
    assert [text for text, _ in hrefs] == ["RSS", "Atom", "JSON Feed"]
    for _, href in hrefs:
        assert page.request.get(href).ok, href
    assert axe_serious(page) == []


@pytest.fixture(scope="module")
def comments_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    settings = (
        "extra:\n  comments:\n    provider: giscus\n    repo: zhiku-notes/zhiku\n"
        "    repo_id: R_kgDOExample\n    category: Announcements\n"
        "    category_id: DIC_kwDOExample\n"
    )
    return _build(
        tmp_path_factory.mktemp("reading-comments"),
        **{"not_in_nav: |": settings + "\nnot_in_nav: |"},
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_comments_load_nothing_until_scrolled_to(
    width: int, comments_site: Path, serve: Any, page: Any, axe_serious: Any
) -> None:
    base = serve(comments_site)
    _open(page, base + "kuosan/", width)
    section = page.locator(".zk-comments")
    assert section.count() == 1
    assert page.locator("#zk-comments-title").inner_text() == "评论"
    assert page.zhiku_offsite == [], "nothing asked of giscus before the reader scrolls"
    assert axe_serious(page) == []
    section.scroll_into_view_if_needed()
    page.wait_for_function(
        "['loaded', 'failed'].includes(document.getElementById('zk-comments-widget').dataset.state)"
    )
    assert any(url.startswith("https://giscus.app/") for url in page.zhiku_offsite)
    # Listings have no comment box.
    _open(page, base, width)
    assert page.locator(".zk-comments").count() == 0


def test_palette_colour_recolours_links_chips_and_marks(
    tmp_path_factory: pytest.TempPathFactory, serve: Any, page: Any
) -> None:
    site = _build(
        tmp_path_factory.mktemp("reading-indigo"),
        **{"primary: custom": "primary: indigo", "accent: custom": "accent: pink"},
    )
    _open(page, serve(site) + "kuosan/", 1280)
    link_colour = page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--md-typeset-a-color').trim()"
    )
    colours = page.evaluate(
        """() => {
          const rgb = (c) => { const d = document.createElement('i'); d.style.color = c;
            document.body.append(d); const v = getComputedStyle(d).color; d.remove(); return v; };
          return {
            expected: rgb(getComputedStyle(document.body).getPropertyValue('--md-typeset-a-color')),
            tag: getComputedStyle(document.querySelector('.zk-tag')).color,
            category: getComputedStyle(document.querySelector('.zk-card__category')).color,
            rule: getComputedStyle(document.querySelector('.admonition.tip')).borderLeftColor,
          };
        }"""
    )
    assert link_colour
    teal = {"rgb(10, 110, 105)", "rgb(63, 208, 201)"}
    assert colours["category"] == colours["expected"], colours
    assert colours["rule"] == colours["expected"], colours
    assert not teal & set(colours.values()), colours


@pytest.mark.parametrize(
    ("settings", "host"),
    [
        ("provider: waline\n    server_url: https://waline.example.org", "https://unpkg.com/"),
        ("provider: twikoo\n    env_id: https://twikoo.example.org", "https://cdn.jsdelivr.net/"),
    ],
)
def test_waline_and_twikoo_wait_for_the_reader_too(
    settings: str, host: str, tmp_path_factory: pytest.TempPathFactory, serve: Any, page: Any
) -> None:
    site = _build(
        tmp_path_factory.mktemp("reading-comments-other"),
        **{"not_in_nav: |": f"extra:\n  comments:\n    {settings}\n\nnot_in_nav: |"},
    )
    _open(page, serve(site) + "kuosan/", 390)
    assert page.zhiku_offsite == []
    page.locator(".zk-comments").scroll_into_view_if_needed()
    page.wait_for_function(
        "document.getElementById('zk-comments-widget').dataset.state === 'failed'"
    )
    assert any(url.startswith(host) for url in page.zhiku_offsite), page.zhiku_offsite
    # With the network off the widget cannot come: the box says so, in Chinese.
    assert page.locator(".zk-comments").inner_text().count("评论载入失败") == 1
