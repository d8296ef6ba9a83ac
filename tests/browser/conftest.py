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
