/*
 * Typesets the math that python-markdown-math leaves in the page as
 * <script type="math/tex"> (inline) and <script type="math/tex; mode=display">
 * (display), with the KaTeX copy served by the site itself: no CDN, no network.
 *
 * Runs on every page Material shows (document$ also fires after instant
 * navigation), and only on script elements still in the page, so it is safe to
 * run twice. A formula KaTeX cannot parse is shown as its TeX source in a marked
 * box instead of vanishing.
 *
 * Nothing is typeset in one go while the page loads. The formulas on or near the
 * screen (two screen heights either way) come first, as soon as the browser has
 * laid the page out; the rest follow in document order whenever the browser is
 * idle, so the whole page is typeset shortly after load without any scrolling
 * (find-in-page and printing see every formula; printing earlier finishes the
 * job first). No slice of work runs longer than ~8 ms here, ~32 ms on a phone
 * four times slower: typesetting never makes a "long task" (> 50 ms) that would
 * delay a tap or a scroll. A page change stops the old page's pending work.
 * When a page is done, <html> gets data-zk-math="done" and document receives a
 * "zhiku:math-done" event.
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
  // laid out once, not once per formula. Boxes are fitted as they are typeset
  // (`boxes`, fresh ones); on resize every box is, with its marks dropped first.
  function fit(boxes, reset) {
    var inline = [];
    var display = [];
    var i;
    for (i = 0; i < boxes.length; i++) {
      if (!boxes[i].isConnected) continue;
      (boxes[i].classList.contains("zk-math--display") ? display : inline).push(boxes[i]);
    }
    if (reset) {
      for (i = 0; i < inline.length; i++) inline[i].classList.remove("zk-math--wide");
    }
    var wide = [];
    for (i = 0; i < inline.length; i++) {
      // A box already marked fits its line by now; only a resize measures it again.
      if (inline[i].classList.contains("zk-math--wide")) {
        wide.push(true);
        continue;
      }
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

  // Longest run of typesetting in one task, in ms of this device's time.
  var SLICE_MS = 8;
  // "Near the screen": two screen heights above and below (percentages of a
  // rootMargin's top and bottom are of the viewport's height).
  var NEAR = "200% 0px";

  function now() {
    return performance.now();
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
    return box;
  }

  // The page being typeset: its formulas in document order, those the reader can
  // see (or is about to) queued ahead of them, boxes typeset but not measured yet,
  // and whatever is scheduled, so that a page change can cancel it.
  var job = null;

  function setState(state) {
    document.documentElement.setAttribute("data-zk-math", state);
    if (state === "done") {
      var event;
      try {
        event = new CustomEvent("zhiku:math-done");
      } catch (err) {
        event = document.createEvent("Event");
        event.initEvent("zhiku:math-done", false, false);
      }
      document.dispatchEvent(event);
    }
  }

  // The next formula to typeset: one near the screen if any, else the first left
  // in document order. A script no longer in the page (already typeset, or gone
  // with the page) is skipped.
  function take(work, nearOnly) {
    while (work.near.length) {
      var script = work.near.shift();
      if (script.parentNode) return script;
    }
    if (nearOnly) return null;
    while (work.next < work.scripts.length) {
      var rest = work.scripts[work.next++];
      if (rest.parentNode) return rest;
    }
    return null;
  }

  // Typesets formulas until the slice's time is up or `more()` says to yield; at
  // least one, so that every slice moves the page forward.
  function typeset(work, nearOnly, more) {
    var start = now();
    var script;
    do {
      script = take(work, nearOnly);
      if (!script) break;
      work.fresh.push(renderOne(script));
    } while (now() - start < SLICE_MS && more());
    measureSoon(work);
    return !!script;
  }

  // Formulas near the screen: typeset promptly, in slices.
  function nearSoon(work) {
    if (work.timer || work.stopped) return;
    work.timer = setTimeout(function () {
      work.timer = 0;
      if (work.stopped) return;
      typeset(work, true, always);
      if (work.near.length) nearSoon(work);
    }, 0);
  }

  function always() {
    return true;
  }

  // Everything else: in slices while the browser is idle (or, where it cannot say
  // when it is, in slices between other tasks); the page is finished off even if
  // the reader never scrolls.
  var idle =
    typeof requestIdleCallback === "function"
      ? function (fn) {
          return requestIdleCallback(fn, { timeout: 1000 });
        }
      : function (fn) {
          return setTimeout(fn, 0);
        };
  var cancelIdle =
    typeof cancelIdleCallback === "function" ? cancelIdleCallback : clearTimeout;

  function idleSoon(work) {
    if (work.idle || work.stopped) return;
    work.idle = idle(function (deadline) {
      work.idle = 0;
      if (work.stopped) return;
      var more = function () {
        return !deadline || deadline.didTimeout || deadline.timeRemaining() > 1;
      };
      if (typeset(work, false, more)) idleSoon(work);
      else finish(work);
    });
  }

  // Every formula is typeset: typeset what is left of cut formulas, measure the
  // last boxes, and say so.
  function finish(work) {
    if (work.io) work.io.disconnect();
    var cut = repairCutFormulas(document.querySelector(".md-content"));
    Array.prototype.push.apply(work.fresh, cut);
    work.finished = true;
    measureSoon(work);
  }

  // New boxes are measured just after the next frame: the browser has laid the
  // page out for it anyway, so reading the boxes' sizes costs no layout of its own
  // (measuring inside the frame would add one to the frame's own work).
  function measureSoon(work) {
    if (work.frame || work.measure || work.stopped) return;
    work.frame = requestAnimationFrame(function () {
      work.frame = 0;
      work.measure = setTimeout(function () {
        work.measure = 0;
        if (work.stopped) return;
        fit(work.fresh.splice(0, work.fresh.length), false);
        if (work.finished && !work.done) {
          work.done = true;
          setState("done");
        }
      }, 0);
    });
  }

  function stop(work) {
    if (!work || work.stopped) return;
    work.stopped = true;
    if (work.io) work.io.disconnect();
    if (work.timer) clearTimeout(work.timer);
    if (work.idle) cancelIdle(work.idle);
    if (work.frame) cancelAnimationFrame(work.frame);
    if (work.measure) clearTimeout(work.measure);
  }

  // Printing before the idle slices are through: typeset the rest now.
  function finishNow(work) {
    if (!work || work.stopped || work.done) return;
    for (var script = take(work); script; script = take(work)) {
      work.fresh.push(renderOne(script));
    }
    if (!work.finished) finish(work);
    if (work.frame) cancelAnimationFrame(work.frame);
    if (work.measure) clearTimeout(work.measure);
    work.frame = work.measure = 0;
    fit(work.fresh.splice(0, work.fresh.length), false);
    work.done = true;
    setState("done");
  }

  function render(root) {
    stop(job);
    job = null;
    if (typeof katex === "undefined") return;
    var work = (job = {
      scripts: Array.prototype.slice.call(root.querySelectorAll(SELECTOR)),
      next: 0,
      near: [],
      fresh: [],
      io: null,
      timer: 0,
      idle: 0,
      frame: 0,
      measure: 0,
      stopped: false,
      finished: false,
      done: false,
    });
    setState("typesetting");
    // A <script> has no box of its own: watch the element that holds it.
    var holders = typeof Map === "function" ? new Map() : null;
    if (typeof IntersectionObserver !== "function" || !holders || !work.scripts.length) {
      idleSoon(work);
      return;
    }
    work.scripts.forEach(function (script) {
      var holder = script.parentElement;
      if (!holders.has(holder)) holders.set(holder, []);
      holders.get(holder).push(script);
    });
    var first = true;
    work.io = new IntersectionObserver(
      function (entries) {
        if (work.stopped) return;
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          work.io.unobserve(entry.target);
          Array.prototype.push.apply(work.near, holders.get(entry.target) || []);
        });
        if (work.near.length) nearSoon(work);
        // The observer reports every holder once at the start: the idle slices
        // begin after the formulas on screen are queued.
        if (first) {
          first = false;
          idleSoon(work);
        }
      },
      { rootMargin: NEAR }
    );
    holders.forEach(function (scripts, holder) {
      work.io.observe(holder);
    });
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
    if (typeof katex === "undefined" || !root) return [];
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
    return cut.map(function (item) {
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
      return box;
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
      fit(document.querySelectorAll(".zk-math"), true);
    });
  });

  window.addEventListener("beforeprint", function () {
    finishNow(job);
  });
})();
