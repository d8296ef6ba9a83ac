"""Checks of the reading experience that several browser tests share.

Each fixture returns a function that inspects the page as it is rendered in
Chromium and returns what a reader would notice: elements that push the page
wider than the screen, tap targets smaller than a finger, formulas left as raw
TeX, accessibility violations. The tests assert that these lists are empty.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import pytest

# Elements wider than the screen, unless a scrolling (or clipping) box holds them:
# a long formula or code line may scroll inside its own box, the page may not.
_OVERFLOW_JS = """
() => {
  const vw = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if (ox !== "visible" && p.getBoundingClientRect().right <= vw + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= vw + 1) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.position === "fixed") continue;
    // Scaled decoration (Material's search overlay grows from a 2 rem circle):
    // its layout box fits, only its painted size does not.
    if (style.transform !== "none" && el.offsetWidth <= vw) continue;
    if (clipped(el)) continue;
    const name = el.tagName.toLowerCase() + (el.className && typeof el.className === "string"
      ? "." + el.className.trim().split(/\\s+/).join(".") : "");
    out.push(`${name} right=${Math.round(r.right)}`);
  }
  // How far can the reader pan sideways? The viewport takes the root's overflow,
  // or the body's when the root's is visible; Material sets it to hidden while its
  // search is open on a phone, and then nothing pans whatever the scroll width.
  const rootStyle = getComputedStyle(document.documentElement).overflowX;
  const viewportOverflow =
    rootStyle !== "visible" ? rootStyle : getComputedStyle(document.body).overflowX;
  const panned = ["hidden", "clip"].includes(viewportOverflow)
    ? 0
    : document.documentElement.scrollWidth - vw;
  return {panned, viewport: vw, offenders: out.slice(0, 10)};
}
"""

# Controls a reader taps on a phone: Zhiku's listings and navigation and the
# header's buttons. Links inside running text are exempt (WCAG 2.5.5 "inline").
_TAP_SELECTORS = ", ".join(
    [
        ".md-header a",
        ".md-header label.md-header__button",
        ".md-header button",
        ".md-search__form .md-search__icon",
        ".zk-search-chips button",
        ".zk-search-note button",
        ".zk-search-more",
        ".zk-feed a",
        ".zk-pagination a",
        ".zk-prevnext a",
        ".zk-related a",
        ".zk-index a",
        ".zk-archive li > a",
        ".zk-article-header a",
    ]
)

_TAP_JS = """
(selector) => {
  // Material keeps some controls (the search overlay's buttons) in a collapsed,
  // clipped box until they are needed: those are not on screen.
  const hiddenByAncestor = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      const r = p.getBoundingClientRect();
      if (s.overflow !== "visible" && (r.width === 0 || r.height === 0)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll(selector)) {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0) continue;
    if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
    if (hiddenByAncestor(el)) continue;
    if (r.width < 44 - 0.5 || r.height < 44 - 0.5) {
      const label = el.textContent.trim().slice(0, 20);
      out.push(`${el.tagName.toLowerCase()}.${el.className} "${label}" ` +
               `${Math.round(r.width)}x${Math.round(r.height)}`);
    }
  }
  return out;
}
"""

# TeX left visible to the reader: python-markdown-math's delimiters survive only
# when a formula was not typeset.
_RAW_TEX_JS = """
() => {
  const text = document.body.innerText;
  return ["\\\\(", "\\\\[", "$$"].filter((d) => text.includes(d));
}
"""

_MATH_JS = """
() => {
  const boxes = [...document.querySelectorAll(".zk-math")];
  return {
    pending: document.querySelectorAll('script[type^="math/tex"]').length,
    rendered: boxes.length,
    empty: boxes.filter((b) => {
      const k = b.querySelector(".katex");
      if (!k) return true;
      const r = k.getBoundingClientRect();
      return r.width === 0 || r.height === 0;
    }).map((b) => b.textContent.slice(0, 40)),
    errors: [...document.querySelectorAll(".zk-math--error, .katex-error")]
      .map((b) => b.textContent.slice(0, 60)),
  };
}
"""


# math.js typesets a page's formulas in slices, the ones on screen first, and marks
# <html data-zk-math="done"> once every formula is typeset and measured. Pages
# without math do not load it.
_MATH_DONE_JS = """
() => !document.querySelector('script[src*="assets/zhiku/math.js"]') ||
  document.documentElement.dataset.zkMath === "done"
"""


@pytest.fixture
def wait_for_math() -> Callable[..., None]:
    """``wait_for_math(page, timeout=10_000)``: until math.js is done with the page."""

    def _wait(page: Any, timeout: float = 10_000) -> None:
        page.wait_for_function(_MATH_DONE_JS, timeout=timeout)

    return _wait


@pytest.fixture
def overflow() -> Callable[[Any], dict[str, Any]]:
    """``overflow(page)`` -> how far the page pans sideways, and elements sticking out."""
    return lambda page: page.evaluate(_OVERFLOW_JS)


@pytest.fixture
def small_tap_targets() -> Callable[[Any], list[str]]:
    """``small_tap_targets(page)`` -> visible controls smaller than 44 x 44 px."""
    return lambda page: page.evaluate(_TAP_JS, _TAP_SELECTORS)


@pytest.fixture
def raw_tex() -> Callable[[Any], list[str]]:
    """``raw_tex(page)`` -> math delimiters visible in the page's text."""
    return lambda page: page.evaluate(_RAW_TEX_JS)


@pytest.fixture
def math_state() -> Callable[[Any], dict[str, Any]]:
    """``math_state(page)`` -> formulas still pending, rendered, empty or in error."""
    return lambda page: page.evaluate(_MATH_JS)


@pytest.fixture
def axe_serious() -> Callable[[Any], list[str]]:
    """``axe_serious(page)`` -> axe-core violations of serious or critical impact.

    axe-playwright-python injects the axe.min.js it ships: nothing is fetched.
    """
    with warnings.catch_warnings():
        # It reads its bundled axe.min.js without naming an encoding; not ours to fix.
        warnings.simplefilter("ignore", EncodingWarning)
        from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def _run(page: Any) -> list[str]:
        results = axe.run(page)
        return [
            f"{v['id']} ({v['impact']}): {v['help']} at "
            + "; ".join(", ".join(n["target"]) for n in v["nodes"][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]

    return _run


# What a reviewer catches by eye on a screenshot, measured instead:
# - cards (and index boxes) in one row with different heights;
# - previous/next boxes side by side whose tops or heights differ;
# - an equation number touching the edge of the box that clips it (a glyph's ink
#   overhangs its box, so the box needs room inside the clip);
# - a heading set in another face than the text (a monospace year before a sans 年);
# - a title that leaves one character alone on its last line.
_LOOK_JS = """
() => {
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const label = (el) => el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 16) + '"';
  const out = {unevenRows: [], prevNext: [], clippedTags: [], headingFonts: [], lonely: []};

  for (const sel of [".zk-feed > .zk-card", ".zk-index li"]) {
    const rows = new Map();
    for (const el of document.querySelectorAll(sel)) {
      if (!visible(el)) continue;
      const r = el.getBoundingClientRect();
      const key = Math.round(r.top);
      if (!rows.has(key)) rows.set(key, []);
      rows.get(key).push(Math.round(r.height));
    }
    for (const [top, heights] of rows) {
      if (Math.max(...heights) - Math.min(...heights) > 1) {
        out.unevenRows.push(`${sel} at ${top}: ${heights.join("/")}`);
      }
    }
  }

  const pair = [...document.querySelectorAll(".zk-prevnext > a")].filter(visible);
  if (pair.length === 2) {
    const [a, b] = pair.map((el) => el.getBoundingClientRect());
    const sideBySide = Math.abs(a.left - b.left) > 1 && a.top < b.bottom && b.top < a.bottom;
    if (sideBySide && (Math.abs(a.top - b.top) > 1 || Math.abs(a.height - b.height) > 1)) {
      out.prevNext.push(`tops ${a.top}/${b.top}, heights ${a.height}/${b.height}`);
    }
  }

  for (const tag of document.querySelectorAll(".katex-tag")) {
    const box = tag.closest(".zk-math--display") || tag.closest(".katex-display");
    if (!box || !visible(tag)) continue;
    const em = parseFloat(getComputedStyle(tag).fontSize);
    // Measured against the box's scrollable width: a formula wider than the screen
    // scrolls, and its number must have room at the end of the scroll.
    const left = box.getBoundingClientRect().left + box.clientLeft;
    const end = left + box.scrollWidth - box.scrollLeft;
    const room = end - tag.getBoundingClientRect().right;
    if (room < 0.1 * em) out.clippedTags.push(`${tag.textContent} has ${room.toFixed(1)} px`);
  }

  const textFont = getComputedStyle(document.querySelector(".md-typeset") || document.body)
    .fontFamily;
  for (const h of document.querySelectorAll(".md-content h1, .md-content h2, .md-content h3")) {
    if (!visible(h)) continue;
    for (const el of [h, ...h.querySelectorAll("*")]) {
      if (el.closest(".headerlink, .katex, code")) continue;
      if (getComputedStyle(el).fontFamily !== textFont) {
        out.headingFonts.push(`${label(el)}: ${getComputedStyle(el).fontFamily.slice(0, 30)}`);
        break;
      }
    }
  }

  const titles = ".md-content h1, .md-content h2, .zk-card__title a, .zk-prevnext a, " +
    ".zk-related a, .zk-archive li > a, .zk-index a";
  for (const el of document.querySelectorAll(titles)) {
    if (!visible(el)) continue;
    // Characters in reading order; a new line starts where one sits below the last.
    const counts = [];
    let last = null;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest(".headerlink, .katex")) continue;
      for (let i = 0; i < node.data.length; i++) {
        if (!node.data[i].trim()) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = range.getClientRects()[0];
        if (!rect) continue;
        if (!last || rect.top > last.top + last.height / 2) counts.push(0);
        counts[counts.length - 1] += 1;
        last = rect;
      }
    }
    if (counts.length > 1 && counts[counts.length - 1] === 1) out.lonely.push(label(el));
  }
  return out;
}
"""


@pytest.fixture
def looks_wrong() -> Callable[[Any], dict[str, list[str]]]:
    """``looks_wrong(page)`` -> what a reviewer would see: uneven card rows, misaligned
    previous/next, clipped equation numbers, headings in another face, lonely characters."""
    return lambda page: page.evaluate(_LOOK_JS)
