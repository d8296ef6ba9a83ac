/*
 * Typesets the math that python-markdown-math leaves in the page as
 * <script type="math/tex"> (inline) and <script type="math/tex; mode=display">
 * (display), with the KaTeX copy served by the site itself: no CDN, no network.
 *
 * Runs on every page Material shows (document$ also fires after instant
 * navigation), and only on script elements still in the page, so it is safe to
 * run twice. A formula KaTeX cannot parse is shown as its TeX source in a marked
 * box instead of vanishing.
 */
(function () {
  "use strict";

  var SELECTOR = 'script[type^="math/tex"]';

  // Formulas are scraped text: whatever they say, they stay formulas. No links,
  // images, classes, ids or data attributes (trust off), no size beyond 10 em
  // (`\rule{100000em}{100000em}` would otherwise paint a box a million pixels
  // wide), and no macro expanded more than 200 times (a `\def` bomb stops with
  // an error instead of freezing the tab).
  function options(display) {
    return {
      displayMode: display,
      throwOnError: true,
      // Chinese inside math (outside \text) is common in these notes; render it
      // instead of warning about LaTeX compatibility.
      strict: "ignore",
      output: "htmlAndMathml",
      trust: false,
      maxSize: 10,
      maxExpand: 200,
    };
  }

  function markScrollable(box, scrolls) {
    // A display formula wider than a phone scrolls inside its own box; make that
    // box reachable from the keyboard (and say what it is) only when it scrolls.
    if (scrolls) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "公式（可横向滚动）");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  // An inline formula cannot wrap inside itself: one wider than its line (a long
  // nested root on a phone) becomes a box of its own that scrolls sideways, so the
  // page never does. All boxes are measured first and changed after, so the page is
  // laid out once, not once per formula; on resize the marks are dropped first.
  function fitAll(reset) {
    var inline = document.querySelectorAll(".zk-math:not(.zk-math--display)");
    var display = document.querySelectorAll(".zk-math--display");
    var i;
    if (reset) {
      for (i = 0; i < inline.length; i++) inline[i].classList.remove("zk-math--wide");
    }
    var wide = [];
    for (i = 0; i < inline.length; i++) {
      var block = inline[i].parentElement
        ? inline[i].parentElement.closest("p, li, td, th, blockquote, div")
        : null;
      wide.push(
        !!block &&
          inline[i].getBoundingClientRect().right > block.getBoundingClientRect().right + 1
      );
    }
    var scrolls = [];
    for (i = 0; i < display.length; i++) {
      scrolls.push(display[i].scrollWidth > display[i].clientWidth + 1);
    }
    for (i = 0; i < inline.length; i++) {
      inline[i].classList.toggle("zk-math--wide", wide[i]);
      if (wide[i]) inline[i].setAttribute("tabindex", "0");
      else inline[i].removeAttribute("tabindex");
    }
    for (i = 0; i < display.length; i++) markScrollable(display[i], scrolls[i]);
  }

  function renderOne(script) {
    var display = /mode\s*=\s*display/.test(script.type);
    var box = document.createElement(display ? "div" : "span");
    box.className = display ? "zk-math zk-math--display" : "zk-math";
    try {
      katex.render(script.textContent, box, options(display));
    } catch (err) {
      box.className += " zk-math--error";
      box.textContent = script.textContent;
      box.title = "公式无法排版：" + (err && err.message ? err.message : err);
    }
    script.parentNode.replaceChild(box, script);
  }

  // Typeset in slices of ~8 ms and yield in between, so a long article full of
  // formulas never blocks a tap or a scroll (no "long task", even on a phone
  // four times slower than this machine).
  function render(root) {
    if (typeof katex === "undefined") return;
    var scripts = Array.prototype.slice.call(root.querySelectorAll(SELECTOR));
    var next = 0;
    function slice() {
      var start = performance.now();
      while (next < scripts.length && performance.now() - start < 8) {
        var script = scripts[next++];
        if (script.parentNode) renderOne(script);
      }
      if (next < scripts.length) setTimeout(slice, 0);
      else {
        repairCutFormulas(document.querySelector(".md-content"));
        // Measured in the next frame, once the typeset page has been laid out anyway.
        requestAnimationFrame(function () {
          fitAll(false);
        });
      }
    }
    slice();
  }

  // A scraped excerpt can end inside a formula: "映射 \(G \left(\boldsymbol{z}…" has
  // no closing delimiter, so python-markdown-math leaves it as text. Typeset the
  // part that survived and mark it as cut, instead of showing raw TeX.
  var OPENERS = [
    ["\\(", "\\)"],
    ["\\[", "\\]"],
    ["$$", "$$"],
  ];

  function repairCutFormulas(root) {
    if (typeof katex === "undefined" || !root) return;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentElement;
        if (!parent || parent.closest("pre, code, script, style, .katex, .zk-math")) {
          return NodeFilter.FILTER_REJECT;
        }
        return NodeFilter.FILTER_ACCEPT;
      },
    });
    var cut = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      for (var i = 0; i < OPENERS.length; i++) {
        var at = node.data.lastIndexOf(OPENERS[i][0]);
        if (at >= 0 && node.data.indexOf(OPENERS[i][1], at + 2) < 0) {
          cut.push([node, at]);
          break;
        }
      }
    }
    cut.forEach(function (item) {
      var node = item[0];
      var tex = node.data.slice(item[1] + 2).replace(/(\.\.\.|…)\s*$/, "");
      var box = document.createElement("span");
      box.className = "zk-math zk-math--cut";
      box.title = "公式在抓取中被截断，这里只显示留下的部分";
      try {
        katex.render(tex, box, options(false));
      } catch (err) {
        box.className += " zk-math--error";
        box.textContent = tex;
      }
      node.data = node.data.slice(0, item[1]);
      node.parentNode.insertBefore(box, node.nextSibling);
    });
  }

  function renderAll() {
    render(document);
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }

  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(function () {
      fitAll(true);
    });
  });
})();
