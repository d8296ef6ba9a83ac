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

  function markScrollable(box) {
    // A display formula wider than a phone scrolls inside its own box; make that
    // box reachable from the keyboard (and say what it is) only when it scrolls.
    if (box.scrollWidth > box.clientWidth + 1) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "公式（可横向滚动）");
    } else {
      box.removeAttribute("tabindex");
      box.removeAttribute("role");
      box.removeAttribute("aria-label");
    }
  }

  function render(root) {
    if (typeof katex === "undefined") return;
    var scripts = root.querySelectorAll(SELECTOR);
    for (var i = 0; i < scripts.length; i++) {
      var script = scripts[i];
      var display = /mode\s*=\s*display/.test(script.type);
      var box = document.createElement(display ? "div" : "span");
      box.className = display ? "zk-math zk-math--display" : "zk-math";
      try {
        katex.render(script.textContent, box, {
          displayMode: display,
          throwOnError: true,
          // Chinese inside math (outside \text) is common in these notes; render it
          // instead of warning about LaTeX compatibility.
          strict: "ignore",
          output: "htmlAndMathml",
        });
      } catch (err) {
        box.className += " zk-math--error";
        box.textContent = script.textContent;
        box.title = "公式无法排版：" + (err && err.message ? err.message : err);
      }
      script.parentNode.replaceChild(box, script);
      if (display) markScrollable(box);
    }
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
      var boxes = document.querySelectorAll(".zk-math--display");
      for (var i = 0; i < boxes.length; i++) markScrollable(boxes[i]);
    });
  });
})();
