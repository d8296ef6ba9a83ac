"""Formulas from the seed dumps, typeset offline by the site's own KaTeX.

A scenario site holds one article with the seeds' formulas as ingest keeps them
(inline \\( \\), display \\[ \\] and $$ $$): \\boldsymbol, \\mathbb, \\tag,
\\text{中文}, \\left( \\right), \\sim, \\qquad, \\, and a formula too wide for a phone.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]

# Two seed formulas verbatim (each is one line in the dumps).
SEED_2 = (
    r"\[\int p_{\theta}(z) f(z)dz\,\,\,\text{(连续情形)}\qquad\qquad "
    r"\sum_{z} p_{\theta}(z) f(z)\,\,\,\text{(离散情形)}\tag{2}\]"
)
GAN = (
    r"\min_G \max_D V(D,G) = \mathbb{E}_{x\sim p_{data}(x)}[\log D(x)] "
    r"+ \mathbb{E}_{z\sim p_z(z)}[\log(1-D(G(z)))]"
)

ARTICLE = r"""---
title: 公式排版
date: 2026-01-20
category: Generative Model
tags: [GAN]
---

对于生成器，我们需要学习关于数据 \(x\) 的一个分布 \(p_g\)，首先定义一个输入数据的先验分布
\(p_z(z)\)，其次定义一个映射 \(G \left(\boldsymbol{z}; \theta_g\right): \boldsymbol{z} \to x\)。

重参数实际上是处理如下期望形式的目标函数的一种技巧:
\[L_{\theta}=\mathbb{E}_{z\sim p_{\theta}(z)}[f(z)]\tag{1}\]
取决于 \(z\) 的连续性，它对应不同的形式:

{SEED_2}

$$
{GAN}
$$
""".replace("{SEED_2}", SEED_2).replace("{GAN}", GAN)

BROKEN = r"""---
title: 坏公式
date: 2026-01-21
category: Generative Model
---

这个公式少了一个括号：\(\frac{1}{2\) ，读者应当看到它的源码而不是一片空白。
"""

# The seeds' GAN excerpt ends inside a formula (the scrape cut it): no closing \).
# Ingest escapes such a fragment as Markdown text, as here, so it reaches the page
# as the characters "\(G \left(...".
CUT = r"""---
title: 截断的公式
date: 2026-01-22
category: Generative Model
---

对于生成器，其次定义一个映射 \\(G \\left(\\boldsymbol\{z\}; \\theta\_g\\right): \\boldsymbol\{z\}
"""

# KaTeX's tricks, as a scraped article could hold them: the formulas must stay formulas.
BOMB = r"\def\a{xxxxxxxxxx}\def\b{\a\a\a\a\a\a\a\a\a\a}\def\c{\b\b\b\b\b\b\b\b\b\b}\c\c\c"
TRICKS = (
    r"""---
title: 公式里的把戏
date: 2026-01-23
category: Generative Model
---

巨大的方块 \(\rule{100000em}{100000em}\) 与巨大的空白 \(a\kern{100000em}b\hspace{50000em}c\)。

链接 \(\href{javascript:alert(1)}{点我}\)、\(\url{https://example.com/}\)，
数据属性 \(\htmlData{evil=1}{x}\)、\(\htmlClass{md-header}{y}\)、\(\htmlId{__search}{z}\)，
图片 \(\includegraphics[height=100000em]{https://example.com/x.png}\)。

宏炸弹 \(BOMB\)

深嵌套 \(DEEP\) 与 \(FRACS\)
""".replace("BOMB", BOMB)
    .replace("DEEP", "\\sqrt{" * 80 + "x" + "}" * 80)
    .replace("FRACS", "{" * 2000 + "x" + "}" * 2000)
)


@pytest.fixture(scope="module")
def math_site(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: Any) -> Path:

    docs = tmp_path_factory.mktemp("math-docs")
    (docs / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (docs / "gongshi.md").write_text(ARTICLE, encoding="utf-8")
    (docs / "huai-gongshi.md").write_text(BROKEN, encoding="utf-8")
    (docs / "jieduan.md").write_text(CUT, encoding="utf-8")
    (docs / "bashi.md").write_text(TRICKS, encoding="utf-8")
    site = tmp_path_factory.mktemp("math-site") / "site"
    return mkdocs_build(ROOT / "mkdocs.yml", site, docs_dir=str(docs))


def _open(page: Any, url: str, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(url)
    page.wait_for_load_state("networkidle")
    # Formulas are typeset in slices after load; math.js marks the page when the last
    # one is typeset and measured.
    page.wait_for_function("document.documentElement.dataset.zkMath === 'done'", timeout=10_000)


@pytest.mark.parametrize("width", [1280, 390])
def test_seed_formulas_are_typeset_from_the_site_itself(
    width: int,
    math_site: Path,
    serve: Callable[..., str],
    page: Any,
    artifacts: Path,
    raw_tex: Callable[[Any], list[str]],
    math_state: Callable[[Any], dict[str, Any]],
    overflow: Callable[[Any], dict[str, Any]],
    looks_wrong: Callable[[Any], dict[str, list[str]]],
) -> None:
    html = (math_site / "gongshi" / "index.html").read_text(encoding="utf-8")
    formulas = html.count('type="math/tex')
    assert formulas == 8, "python-markdown-math should have kept every formula"

    _open(page, serve(math_site) + "gongshi/", width)
    page.screenshot(path=artifacts / f"math-seed-formulas-{width}.png", full_page=True)

    state = math_state(page)
    assert state == {"pending": 0, "rendered": formulas, "empty": [], "errors": []}
    assert raw_tex(page) == []
    assert page.locator(".zk-math--display").count() == 3
    # \tag numbers sit at the right of their display formula.
    assert page.locator(".zk-math--display .katex-tag").all_inner_texts() == ["(1)", "(2)"]
    # ... whole: the closing parenthesis's ink is not clipped by the scroll box.
    assert looks_wrong(page)["clippedTags"] == []
    # \text{中文} stays Chinese text inside the formula.
    assert "连续情形" in page.locator(".zk-math--display").nth(1).inner_text()
    assert page.locator(".zk-math .boldsymbol").count() >= 2
    assert page.locator(".zk-math .mathbb").count() >= 1
    # MathML is kept beside the visual rendering for screen readers.
    assert page.locator(".zk-math math").count() == formulas
    # KaTeX's fonts come from the site; nothing was asked of another host.
    assert page.zhiku_offsite == []
    assert page.zhiku_failed == []
    assert page.zhiku_console_errors == []

    layout = overflow(page)
    assert layout["panned"] == 0, f"the page scrolls sideways: {layout}"
    assert layout["offenders"] == [], layout
    wide = page.evaluate(
        """[...document.querySelectorAll('.zk-math--display')]
             .filter((b) => b.scrollWidth > b.clientWidth + 1)
             .map((b) => b.getAttribute('tabindex'))"""
    )
    if width < 500:
        # The GAN objective is wider than a phone: it scrolls inside its own box,
        # which a keyboard user can reach.
        assert wide and all(t == "0" for t in wide), wide
    else:
        assert wide == []


def test_formula_katex_cannot_parse_shows_its_source(
    math_site: Path,
    serve: Callable[..., str],
    page: Any,
    math_state: Callable[[Any], dict[str, Any]],
) -> None:
    _open(page, serve(math_site) + "huai-gongshi/", 390)
    state = math_state(page)
    assert state["pending"] == 0
    assert len(state["errors"]) == 1
    box = page.locator(".zk-math--error")
    assert "\\frac{1}{2" in box.inner_text()
    assert box.get_attribute("title", timeout=1000).startswith("公式无法排版")
    assert page.zhiku_console_errors == []


def test_formula_cut_by_the_scrape_is_typeset_as_far_as_it_goes(
    math_site: Path,
    serve: Callable[..., str],
    page: Any,
    raw_tex: Callable[[Any], list[str]],
) -> None:
    assert 'type="math/tex' not in (math_site / "jieduan" / "index.html").read_text(
        encoding="utf-8"
    ), "python-markdown-math leaves an unclosed formula as text"
    _open(page, serve(math_site) + "jieduan/", 390)
    page.wait_for_selector(".zk-math--cut")
    assert raw_tex(page) == []
    cut = page.locator(".zk-math--cut")
    assert cut.count() == 1
    assert cut.locator(".katex .boldsymbol").count() >= 1
    assert "截断" in (cut.get_attribute("title") or "")
    assert page.locator(".zk-math--error").count() == 0
    assert page.zhiku_console_errors == []


def test_pages_without_math_do_not_load_katex(
    math_site: Path, serve: Callable[..., str], page: Any
) -> None:
    def has_math(html: str) -> bool:
        return any(mark in html for mark in ('type="math/tex', "\\(", "\\["))

    plain = [
        p
        for p in sorted(math_site.rglob("index.html"))
        if not has_math(p.read_text(encoding="utf-8"))
    ]
    assert plain, "the scenario site has listing pages without formulas"
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(serve(math_site) + plain[0].parent.relative_to(math_site).as_posix() + "/")
    page.wait_for_load_state("networkidle")
    assert requested, "the page was loaded"
    assert not [u for u in requested if "katex" in u], "KaTeX loaded on a page with no formula"


@pytest.mark.parametrize("width", [1280, 390])
def test_katex_tricks_stay_formulas_of_bounded_size(
    width: int,
    math_site: Path,
    serve: Callable[..., str],
    page: Any,
    artifacts: Path,
    math_state: Callable[[Any], dict[str, Any]],
    overflow: Callable[[Any], dict[str, Any]],
) -> None:
    html = (math_site / "bashi" / "index.html").read_text(encoding="utf-8")
    assert html.count('type="math/tex') == 11, "every trick reaches the page as a formula"
    _open(page, serve(math_site) + "bashi/", width)
    page.screenshot(path=artifacts / f"math-tricks-{width}.png", full_page=True)

    assert math_state(page)["pending"] == 0, "deep nesting must not stall typesetting"
    # \rule, \kern and \hspace are capped (maxSize): the page is as wide as the screen.
    layout = overflow(page)
    assert layout["panned"] == 0, f"the page scrolls sideways: {layout}"
    assert layout["offenders"] == [], layout
    # The rule and the spaces are at most 10 em each (the formula's own em).
    sizes = page.evaluate(
        """() => [...document.querySelectorAll('.zk-math')].slice(0, 2).map((b) => {
          const em = parseFloat(getComputedStyle(b.querySelector('.katex')).fontSize);
          const r = b.getBoundingClientRect();
          return [r.width / em, r.height / em];
        })"""
    )
    (rule_w, rule_h), (space_w, _) = sizes
    assert 9 < rule_w <= 10.5 and rule_h <= 11, sizes
    assert space_w <= 21.5, sizes
    # trust is off: no link, image, data attribute, class or id comes out of a formula.
    made = page.evaluate(
        """() => {
          const boxes = [...document.querySelectorAll('.zk-math')];
          const inside = (sel) => boxes.flatMap((b) => [...b.querySelectorAll(sel)]).length;
          return {
            links: inside('a'), images: inside('img'), data: inside('[data-evil]'),
            classes: inside('.md-header'), ids: inside('[id="__search"]'),
          };
        }"""
    )
    assert made == {"links": 0, "images": 0, "data": 0, "classes": 0, "ids": 0}
    # The macro bomb stops at maxExpand and shows its source in a marked box.
    titles = page.locator(".zk-math--error").evaluate_all("bs => bs.map((b) => b.title)")
    assert any("Too many expansions" in t for t in titles), titles
    assert page.zhiku_offsite == [], "a formula made the page ask another host"
    assert page.zhiku_console_errors == []


# A long article: 40 sections of 20 inline formulas each, every formula its own TeX
# (a_{section,k}) so the order they were typeset in can be read back.
SECTIONS, PER_SECTION = 40, 20
LONG = """---
title: 很长的公式文章
date: 2026-01-24
category: Generative Model
---

""" + "\n".join(
    f"## Section {s}\n\n第 {s} 节："
    + "，".join(f"\\(a_{{{s},{k}}}\\)" for k in range(1, PER_SECTION + 1))
    + "。\n"
    for s in range(1, SECTIONS + 1)
)
SHORT = (
    """---
title: 短的公式文章
date: 2026-01-25
category: Generative Model
---

"""
    + "，".join(f"\\(b_{{{k}}}\\)" for k in range(1, 6))
    + "。\n"
)

# Records, from the first script on, the TeX of every formula box put into the page (in
# the order math.js puts them there) and every "done" math.js announces, with the
# formulas still untypeset at that moment.
RECORDER = """
window.__zk = {order: [], done: []};
document.addEventListener("zhiku:math-done", () => __zk.done.push({
  path: location.pathname,
  pending: document.querySelectorAll('script[type^="math/tex"]').length,
}));
new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node.nodeType !== 1 || !node.classList.contains("zk-math")) continue;
      const tex = node.querySelector("annotation");
      __zk.order.push(tex ? tex.textContent : node.textContent);
      if (window.__zkOnFirst) window.__zkOnFirst();
    }
  }
}).observe(document, {childList: true, subtree: true});
"""

# A page change as Material's instant navigation makes one: the article is swapped for
# the short one's and document$ announces the new page. It happens as soon as the first
# formula of the long article is typeset (its page is fetched beforehand, so the swap
# itself is immediate); the long article's content is kept, detached, to count what
# is typeset in it afterwards.
PAGE_CHANGE = """
fetch("../duan/").then((r) => r.text()).then((html) => {
  const next = new DOMParser().parseFromString(html, "text/html");
  window.__zkOnFirst = () => {
    window.__zkOnFirst = null;
    const old = document.querySelector(".md-content");
    __zk.old = old;
    __zk.oldAtChange = old.querySelectorAll(".zk-math").length;
    old.replaceWith(document.adoptNode(next.querySelector(".md-content")));
    history.pushState(null, "", "../duan/");
    document$.next(document);
  };
});
"""


@pytest.fixture(scope="module")
def long_site(tmp_path_factory: pytest.TempPathFactory, mkdocs_build: Any) -> Path:
    docs = tmp_path_factory.mktemp("math-long-docs")
    (docs / "index.md").write_text(
        (ROOT / "content" / "index.md").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (docs / "changqi.md").write_text(LONG, encoding="utf-8")
    (docs / "duan.md").write_text(SHORT, encoding="utf-8")
    site = tmp_path_factory.mktemp("math-long") / "site"
    return mkdocs_build(ROOT / "mkdocs.yml", site, docs_dir=str(docs))


def test_formulas_on_screen_come_first_and_the_rest_follow_without_scrolling(
    long_site: Path,
    serve: Callable[..., str],
    page: Any,
    math_state: Callable[[Any], dict[str, Any]],
) -> None:
    """A link into the middle of a long article: the formulas the reader lands on are
    typeset before those of the first section, far above, and every formula of the
    article ends up typeset although nobody scrolls."""
    total = SECTIONS * PER_SECTION
    html = (long_site / "changqi" / "index.html").read_text(encoding="utf-8")
    assert html.count('type="math/tex') == total
    page.add_init_script(RECORDER)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(serve(long_site) + "changqi/#section-30")
    page.wait_for_function("document.documentElement.dataset.zkMath === 'done'", timeout=20_000)

    assert math_state(page) == {"pending": 0, "rendered": total, "empty": [], "errors": []}
    order = page.evaluate("__zk.order")
    assert sorted(order) == sorted(
        f"a_{{{s},{k}}}" for s in range(1, SECTIONS + 1) for k in range(1, PER_SECTION + 1)
    )
    # The reader is still where the link put them: section 30 is on screen.
    on_screen = page.evaluate(
        """() => [...document.querySelectorAll('h2')]
             .filter((h) => { const r = h.getBoundingClientRect();
                              return r.bottom > 0 && r.top < innerHeight; })
             .map((h) => h.id)"""
    )
    assert "section-30" in on_screen, on_screen
    at = {tex: i for i, tex in enumerate(order)}
    landed = [at[f"a_{{30,{k}}}"] for k in range(1, PER_SECTION + 1)]
    first = [at[f"a_{{1,{k}}}"] for k in range(1, PER_SECTION + 1)]
    assert max(landed) < min(first), "the first section was typeset before the one on screen"
    assert page.evaluate("__zk.done") == [{"path": "/changqi/", "pending": 0}]
    assert page.zhiku_console_errors == []


def test_a_page_change_stops_the_old_pages_typesetting(
    long_site: Path,
    serve: Callable[..., str],
    page: Any,
    math_state: Callable[[Any], dict[str, Any]],
) -> None:
    """A page change (document$, as Material's instant navigation announces one) while a
    long article is being typeset: the new page is typeset and announced done once, and
    nothing more of the old page is typeset (its work would otherwise go on in the
    detached article and announce "done" a second time, over the new page)."""
    page.add_init_script(RECORDER)
    page.add_init_script(PAGE_CHANGE)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(serve(long_site) + "changqi/")
    page.wait_for_function("location.pathname === '/duan/' && __zk.done.length > 0")
    # Time enough for the old page's 800 formulas, were they still being typeset.
    page.wait_for_timeout(2_000)

    old = page.evaluate("[__zk.oldAtChange, __zk.old.querySelectorAll('.zk-math').length]")
    assert old[0] < SECTIONS * PER_SECTION, "the page changed while the old one was typeset"
    assert old[1] == old[0], "the old page's typesetting went on after the page change"
    assert math_state(page) == {"pending": 0, "rendered": 5, "empty": [], "errors": []}
    assert page.evaluate("__zk.done") == [{"path": "/duan/", "pending": 0}]
    assert page.zhiku_console_errors == []


def test_katex_runs_off_the_pages_main_thread(
    math_site: Path,
    serve: Callable[..., str],
    page: Any,
    math_state: Callable[[Any], dict[str, Any]],
) -> None:
    """KaTeX is parsed, compiled and run in a worker: the page itself never loads it
    (the long tasks a phone would spend on it are not the page's), yet every formula
    is typeset."""
    _open(page, serve(math_site) + "gongshi/", 390)
    assert math_state(page) == {"pending": 0, "rendered": 8, "empty": [], "errors": []}
    assert page.evaluate("typeof katex") == "undefined"
    assert page.locator('script[src*="katex"]').count() == 0
    assert page.zhiku_offsite == []
    assert page.zhiku_console_errors == []


# Browsers, or pages, where the worker cannot help: none can be started, or the one
# started breaks (here: a worker that fails as it starts, as one whose KaTeX cannot
# load would).
NO_WORKER = {
    "none": "window.Worker = function () { throw new Error('no workers here'); };",
    "broken": """
      window.Worker = class extends Worker {
        constructor() {
          super(URL.createObjectURL(new Blob(["throw new Error('broken worker');"])));
        }
      };""",
}


@pytest.mark.parametrize("case", sorted(NO_WORKER))
def test_without_a_working_worker_the_page_typesets_itself(
    case: str,
    math_site: Path,
    serve: Callable[..., str],
    page: Any,
    math_state: Callable[[Any], dict[str, Any]],
    looks_wrong: Callable[[Any], dict[str, list[str]]],
) -> None:
    page.add_init_script(NO_WORKER[case])
    _open(page, serve(math_site) + "gongshi/", 390)
    assert page.evaluate("typeof katex") == "object", "the page loaded KaTeX itself"
    assert math_state(page) == {"pending": 0, "rendered": 8, "empty": [], "errors": []}
    assert page.locator(".zk-math--display .katex-tag").all_inner_texts() == ["(1)", "(2)"]
    assert looks_wrong(page)["clippedTags"] == []
    assert page.zhiku_offsite == []
    assert [e for e in page.zhiku_console_errors if "broken worker" not in e] == []


def test_formulas_are_typeset_from_disk(math_site: Path, browser: Any) -> None:
    """A page opened as file:// can start no worker: it typesets with its own KaTeX."""
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto((math_site / "gongshi" / "index.html").as_uri())
        page.wait_for_function("document.documentElement.dataset.zkMath === 'done'")
        assert page.evaluate(
            """() => [document.querySelectorAll('script[type^="math/tex"]').length,
                      document.querySelectorAll('.zk-math .katex').length,
                      document.querySelectorAll('.zk-math--error').length]"""
        ) == [0, 8, 0]
        assert errors == []
    finally:
        context.close()


def test_printing_typesets_every_formula_left_at_once(
    long_site: Path, serve: Callable[..., str], page: Any
) -> None:
    """On the page's own KaTeX, printing (beforeprint) while the idle slices are still
    going typesets every formula left before the page is laid out for paper."""
    page.add_init_script(NO_WORKER["none"])
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(serve(long_site) + "changqi/", wait_until="commit")
    before, after = page.evaluate(
        """async () => {
          const pending = () => document.querySelectorAll('script[type^="math/tex"]').length;
          await new Promise((ready) => {
            const wait = () => (typeof katex !== "undefined" ? ready() : setTimeout(wait, 0));
            wait();
          });
          const before = pending();
          dispatchEvent(new Event("beforeprint"));
          return [before, pending()];
        }"""
    )
    assert before > 0, "typesetting had not finished when printing started"
    assert after == 0
    assert page.zhiku_console_errors == []
