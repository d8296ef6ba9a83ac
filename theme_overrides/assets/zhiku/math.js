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
 * KaTeX runs in a worker started from this same file: parsing and compiling its
 * 270 KB and typesetting happen off the page's main thread, which only puts the
 * finished HTML in place. Where no worker can start (a page opened from disk,
 * file://) or the worker fails, the page loads KaTeX itself and typesets there.
 *
 * Nothing is done in one go while the page loads. The formulas on or near the
 * screen (two screen heights either way) come first, as soon as the browser has
 * laid the page out; the rest follow in document order whenever the browser is
 * idle, so the whole page is typeset shortly after load without any scrolling
 * (find-in-page and printing see every formula). No slice of work on the page
 * runs longer than ~8 ms here, ~32 ms on a phone four times slower: math never
 * makes a "long task" (> 50 ms) that would delay a tap or a scroll. A page change
 * drops the old page's pending work, in the worker too. When a page is done,
 * <html> gets data-zk-math="done" and document receives a "zhiku:math-done" event.
 */
(function () {
  "use strict";

  var SELECTOR = 'script[type^="math/tex"]';

  // Formulas are scraped text: whatever they say, they stay formulas. No links,
  // images, classes, ids or data attributes (trust off), no size beyond 10 em
  // (`\rule{100000em}{100000em}` would otherwise paint a box a million pixels
  // wide), and no macro expanded more than 200 times (a `\def` bomb stops with
  // an error instead of freezing the tab).
  function options(display, macros) {
    var own = {};
    for (var name in macros || {}) {
      if (Object.prototype.hasOwnProperty.call(macros, name)) own[name] = macros[name];
    }
    return {
      displayMode: display,
      // The page's macros (see collectMacros), copied: what one formula defines with
      // \gdef stays in that formula, so the order formulas are typeset in never matters.
      macros: own,
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

  function now() {
    return performance.now();
  }

  // ------------------------------------------------------- a page's macros

  // `{…}` starting at tex[i] (braces balanced, `\{` skipped): [content, index after].
  function group(tex, i) {
    if (tex.charAt(i) !== "{") return null;
    var depth = 0;
    for (var j = i; j < tex.length; j++) {
      var ch = tex.charAt(j);
      if (ch === "\\") j++;
      else if (ch === "{") depth++;
      else if (ch === "}" && --depth === 0) return [tex.slice(i + 1, j), j + 1];
    }
    return null;
  }

  function skipSpaces(tex, i) {
    while (i < tex.length && /\s/.test(tex.charAt(i))) i++;
    return i;
  }

  // A control sequence at tex[i] (`\name` or `\@`), or `{\name}`: [name, index after].
  function controlName(tex, i, braced) {
    if (braced && tex.charAt(i) === "{") {
      var inner = group(tex, i);
      if (!inner || !/^\s*\\([a-zA-Z@]+|.)\s*$/.test(inner[0])) return null;
      return [inner[0].trim(), inner[1]];
    }
    var found = /^\\([a-zA-Z@]+|.)/.exec(tex.slice(i, i + 80));
    return found ? [found[0], i + found[0].length] : null;
  }

  // What notes written for MathJax use and KaTeX lacks: equation labels and references
  // (no numbering here: a reference shows the label's name), MathJax's \require, \mbox,
  // \mathbbm. The site's macros and the page's own override these.
  var MATHJAX = {
    "\\label": "\\@secondoftwo{#1}{}",
    "\\require": "\\@secondoftwo{#1}{}",
    "\\eqref": "(\\text{#1})",
    "\\ref": "\\text{#1}",
    "\\mbox": "\\text{#1}",
    "\\mathbbm": "\\mathbb{#1}",
  };

  var DEFINES = /\\(newcommand|renewcommand|providecommand|DeclareMathOperator|def|gdef)(?![a-zA-Z@])(\*?)/g;

  // One definition starting at `at` (the match of DEFINES): {name, body, end}, or null
  // for a form KaTeX's macros cannot hold (an optional argument, delimited parameters).
  function definition(tex, found) {
    var command = found[1];
    var i = skipSpaces(tex, found.index + found[0].length);
    var name = controlName(tex, i, command !== "def" && command !== "gdef");
    if (!name) return null;
    i = skipSpaces(tex, name[1]);
    var body;
    if (command === "DeclareMathOperator") {
      body = group(tex, i);
      if (!body) return null;
      var op = found[2] ? "\\operatorname*{" : "\\operatorname{";
      return { name: name[0], body: op + body[0] + "}", end: body[1] };
    }
    if (command === "def" || command === "gdef") {
      var params = /^(#[1-9])*/.exec(tex.slice(i))[0];
      for (var n = 0; n < params.length / 2; n++) {
        if (params.charAt(2 * n + 1) !== String(n + 1)) return null;
      }
      i += params.length;
    } else if (tex.charAt(i) === "[") {
      var count = /^\[\s*[0-9]\s*\]/.exec(tex.slice(i));
      if (!count) return null;
      i = skipSpaces(tex, i + count[0].length);
      if (tex.charAt(i) === "[") return null; // a default for the first argument
    }
    body = group(tex, i);
    if (!body) return null;
    return { name: name[0], body: body[0], end: body[1] };
  }

  // Notes written for MathJax define their macros (\newcommand, \renewcommand, \def,
  // \DeclareMathOperator) in one formula and use them in all the others, above it as
  // well as below, and redefine names TeX already has (\S, \P) with \newcommand,
  // which MathJax allows. All the definitions of the page are collected before any
  // formula is typeset (the ones on screen go first, wherever they are), taken out of
  // their formulas and handed to KaTeX as the page's `macros`, over the site's own
  // (mkdocs.yml `extra: katex_macros`). Returns {macros, texts} (texts: the formulas
  // without the definitions). A definition of a form KaTeX's macros cannot hold stays
  // in its formula, where KaTeX reads it.
  function collectMacros(texts, site) {
    var macros = {};
    var name;
    for (name in MATHJAX) macros[name] = MATHJAX[name];
    for (name in site || {}) {
      if (Object.prototype.hasOwnProperty.call(site, name) && typeof site[name] === "string") {
        macros[name.charAt(0) === "\\" ? name : "\\" + name] = site[name];
      }
    }
    var cleaned = texts.map(function (tex) {
      // eqnarray (MathJax has it, KaTeX not): the same three columns, right, centre, left.
      tex = tex.replace(/\\(begin|end)\{eqnarray\*?\}/g, function (all, which) {
        return which === "begin" ? "\\begin{array}{rcl}" : "\\end{array}";
      });
      if (tex.indexOf("command") < 0 && tex.indexOf("def") < 0 && tex.indexOf("Declare") < 0) {
        return tex;
      }
      var out = "";
      var last = 0;
      var found;
      DEFINES.lastIndex = 0;
      while ((found = DEFINES.exec(tex))) {
        if (found.index > 0 && tex.charAt(found.index - 1) === "\\") continue;
        var made = definition(tex, found);
        if (!made) continue;
        if (!(found[1] === "providecommand" && made.name in macros)) macros[made.name] = made.body;
        out += tex.slice(last, found.index);
        last = made.end;
        DEFINES.lastIndex = made.end;
      }
      return out + tex.slice(last);
    });
    return { macros: macros, texts: cleaned };
  }

  // The site's macros, from mkdocs.yml (`extra: katex_macros`), put on the page by
  // main.html as JSON.
  function siteMacros() {
    var holder = typeof document !== "undefined" && document.getElementById("zk-katex-macros");
    if (!holder) return null;
    try {
      return JSON.parse(holder.textContent);
    } catch (err) {
      return null;
    }
  }

  // KaTeX's HTML (with MathML) for one request {id, tex, display}, or why it
  // failed. KaTeX escapes what it writes: the HTML holds the formula as markup only.
  // MathJax takes a command with its argument as a sub- or superscript without braces
  // (`f_\boldsymbol{w}`, `\max_\mathbf x`); KaTeX wants them braced. A formula KaTeX
  // refuses is tried once more with such scripts braced.
  var UNBRACED_SCRIPT = new RegExp(
    "([_^])\\s*(\\\\(?:boldsymbol|bm|mathbf|mathrm|mathit|mathsf|mathtt|mathcal|mathbb|" +
      "mathfrak|mathscr|operatorname|text|textbf|textit|textrm|hat|bar|tilde|vec|dot|ddot|" +
      "check|breve|widehat|widetilde|overline|underline|overrightarrow))\\s*" +
      "(\\{(?:[^{}]|\\{[^{}]*\\})*\\}|\\\\[A-Za-z]+|[^\\s{}\\\\])",
    "g"
  );
  function braceScripts(tex) {
    return tex.replace(UNBRACED_SCRIPT, "$1{$2$3}");
  }

  function typeset(item, macros) {
    try {
      return { id: item.id, html: katex.renderToString(item.tex, options(item.display, macros)) };
    } catch (err) {
      var braced = braceScripts(item.tex);
      if (braced !== item.tex) {
        try {
          return { id: item.id, html: katex.renderToString(braced, options(item.display, macros)) };
        } catch (again) {
          // fall through: the first error is the one the writer can act on
        }
      }
      return { id: item.id, error: String(err && err.message ? err.message : err) };
    }
  }

  // The formulas of one page waiting for KaTeX: those near the screen first, then
  // the rest in the order they came. A message {page, add, near, hold} adds requests
  // ({id, tex, display}) or moves some ahead by id; a message for another page
  // drops whatever is left of the last one. `hold` keeps the formulas waiting until
  // the page says which are near the screen (a `near` list, empty or not), so that
  // none far away goes first.
  function Queue() {
    this.page = null;
    this.reset();
  }

  Queue.prototype.reset = function () {
    this.byId = {};
    this.order = [];
    this.next = 0;
    this.near = [];
    this.held = false;
    this.macros = null;
  };

  Queue.prototype.receive = function (message) {
    var i;
    if (message.page !== this.page) {
      this.page = message.page;
      this.reset();
    }
    if (message.macros) this.macros = message.macros;
    var add = message.add || [];
    for (i = 0; i < add.length; i++) {
      this.byId[add[i].id] = add[i];
      this.order.push(add[i]);
    }
    if (message.hold) this.held = true;
    if (message.near) this.held = false;
    var near = message.near || [];
    for (i = 0; i < near.length; i++) {
      var item = this.byId[near[i]];
      if (item && !item.taken) this.near.push(item);
    }
  };

  Queue.prototype.take = function () {
    if (this.held) return null;
    var item = null;
    while (!item && this.near.length) {
      item = this.near.shift();
      if (item.taken) item = null;
    }
    while (!item && this.next < this.order.length) {
      item = this.order[this.next++];
      if (item.taken) item = null;
    }
    if (item) item.taken = true;
    return item;
  };

  Queue.prototype.hasNear = function () {
    while (this.near.length && this.near[0].taken) this.near.shift();
    return this.near.length > 0;
  };

  // Whether there is something to typeset now.
  Queue.prototype.ready = function () {
    while (this.next < this.order.length && this.order[this.next].taken) this.next++;
    return !this.held && (this.hasNear() || this.next < this.order.length);
  };

  // ---------------------------------------------------------- in the worker
  if (typeof document === "undefined") {
    // Relative to this file, as on the page: the site's own copy.
    importScripts("../katex/katex.min.js");
    var queue = new Queue();
    var running = false;
    var run = function () {
      running = false;
      var start = now();
      var results = [];
      for (var item = queue.take(); item; item = queue.take()) {
        results.push(typeset(item, queue.macros));
        // Hand back what is ready and hear the page (a formula scrolled into view,
        // a page change) between batches.
        if (now() - start > 10) break;
      }
      if (results.length) self.postMessage({ page: queue.page, results: results });
      if (queue.ready()) {
        running = true;
        setTimeout(run, 0);
      }
    };
    self.onmessage = function (event) {
      queue.receive(event.data);
      if (!running && queue.ready()) {
        running = true;
        setTimeout(run, 0);
      }
    };
    return;
  }

  // ------------------------------------------------------------ on the page

  // Longest run of work in one task, in ms of this device's time.
  var SLICE_MS = 8;
  // "Near the screen": two screen heights above and below (percentages of a
  // rootMargin's top and bottom are of the viewport's height).
  var NEAR = "200% 0px";

  var here = document.currentScript ? document.currentScript.src : "";

  var idle =
    typeof requestIdleCallback === "function"
      ? function (fn) {
          return requestIdleCallback(fn, { timeout: 1000 });
        }
      : function (fn) {
          return setTimeout(fn, 0);
        };
  var cancelIdle = typeof cancelIdleCallback === "function" ? cancelIdleCallback : clearTimeout;

  // KaTeX's stylesheet and the two fonts nearly every formula uses are fetched from
  // here, not from the page's head, where they would hold up its first paint: only
  // the formulas need them. No formula is put in place before the stylesheet has
  // loaded (or failed to: then the formulas go in unstyled rather than never).
  var styled = false;
  function loadStyles() {
    if (!here) {
      styled = true; // nowhere to load it from
      return;
    }
    var href = new URL("../katex/katex.min.css", here).href;
    var links = document.querySelectorAll('link[rel="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      if (links[i].href === href) {
        styled = true; // a page that links it itself
        return;
      }
    }
    ["KaTeX_Main-Regular", "KaTeX_Math-Italic"].forEach(function (name) {
      var font = document.createElement("link");
      font.rel = "preload";
      font.as = "font";
      font.type = "font/woff2";
      font.crossOrigin = "anonymous";
      font.href = new URL("../katex/fonts/" + name + ".woff2", here).href;
      document.head.appendChild(font);
    });
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = href;
    link.onload = link.onerror = function () {
      styled = true;
      if (job) applySoon(job);
    };
    document.head.appendChild(link);
  }

  function always() {
    return true;
  }

  // In an idle callback, go on while the browser says there is time left (or it
  // ran the callback because it waited too long); elsewhere, until the slice's end.
  function whileIdle(deadline) {
    return function () {
      return !deadline || deadline.didTimeout || deadline.timeRemaining() > 1;
    };
  }

  // Where KaTeX runs: `post(message)` hands it requests (see Queue); results come
  // back to `arrived` as {page, results: [{id, html} or {id, error}]}.
  var engine = null;

  function startWorker() {
    if (!here || typeof Worker !== "function" || location.protocol === "file:") return null;
    var worker;
    try {
      worker = new Worker(here);
    } catch (err) {
      return null;
    }
    // This page's requests, to hand to the page's own KaTeX if the worker fails.
    var sent = [];
    var handle = {
      post: function (message) {
        if (sent.length && sent[0].page !== message.page) sent = [];
        sent.push(message);
        worker.postMessage(message);
      },
    };
    worker.onmessage = function (event) {
      arrived(event.data);
    };
    worker.onerror = function () {
      // KaTeX could not load in the worker, or the worker broke: typeset on the
      // page instead, starting with what this page asked the worker for.
      worker.terminate();
      if (engine !== handle) return;
      engine = pageEngine();
      for (var i = 0; i < sent.length; i++) {
        if (job && sent[i].page === job.page) engine.post(pending(job, sent[i]));
      }
    };
    return handle;
  }

  // What of a request message is still owed to the page: a fallback engine need
  // not typeset what has already arrived from the worker.
  function pending(work, message) {
    return {
      page: message.page,
      add: (message.add || []).filter(function (item) {
        return !work.got[item.id];
      }),
      near: message.near,
      hold: message.hold,
      macros: message.macros,
    };
  }

  // KaTeX on the page itself, loaded on first use, in slices: formulas near the
  // screen in short tasks straight away, the rest in idle time.
  function pageEngine() {
    var queue = new Queue();
    var loading = false;
    var timer = 0;
    var idleId = 0;

    function loaded() {
      if (typeof katex !== "undefined") return true;
      if (!loading && here) {
        loading = true;
        var script = document.createElement("script");
        script.src = new URL("../katex/katex.min.js", here).href;
        script.onload = schedule;
        document.head.appendChild(script);
      }
      return false;
    }

    function slice(more) {
      var start = now();
      var results = [];
      for (var item = queue.take(); item; item = queue.take()) {
        results.push(typeset(item, queue.macros));
        if (now() - start >= SLICE_MS || !more()) break;
      }
      if (results.length) arrived({ page: queue.page, results: results });
      schedule();
    }

    function schedule() {
      if (!loaded() || !queue.ready()) return;
      if (queue.hasNear()) {
        if (!timer) {
          timer = setTimeout(function () {
            timer = 0;
            slice(always);
          }, 0);
        }
      } else if (!idleId) {
        idleId = idle(function (deadline) {
          idleId = 0;
          slice(whileIdle(deadline));
        });
      }
    }

    return {
      post: function (message) {
        queue.receive(message);
        schedule();
      },
      // Everything asked for, now (before printing), near the screen or not.
      flush: function () {
        if (!loaded()) return;
        queue.held = false;
        var results = [];
        for (var item = queue.take(); item; item = queue.take()) results.push(typeset(item, queue.macros));
        if (results.length) arrived({ page: queue.page, results: results });
      },
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

  // The page being typeset: its formulas by id (script elements, then formulas the
  // scrape cut short), which of them are near the screen, the results waiting to be
  // put in place (near ones first), boxes not measured yet, how many formulas are
  // left, and whatever is scheduled, so that a page change can cancel it.
  var pages = 0;
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

  function arrived(message) {
    var work = job;
    if (!work || work.stopped || message.page !== work.page) return; // an old page's
    for (var i = 0; i < message.results.length; i++) {
      var result = message.results[i];
      if (work.got[result.id]) continue;
      work.got[result.id] = true;
      (work.near[result.id] ? work.ready : work.later).push(result);
    }
    applySoon(work);
  }

  // Results near the screen go in promptly, the rest in idle time; each in slices.
  function applySoon(work) {
    if (work.stopped || work.frame || work.measure) return; // measureSoon calls again
    if (!styled) return; // loadStyles calls again
    if (work.ready.length) {
      if (!work.timer) {
        work.timer = setTimeout(function () {
          work.timer = 0;
          apply(work, always);
        }, 0);
      }
    } else if (work.later.length && !work.idle) {
      work.idle = idle(function (deadline) {
        work.idle = 0;
        apply(work, whileIdle(deadline));
      });
    }
  }

  // One slice of results a frame: the next slice waits until the boxes of the last
  // one have been laid out and measured (measureSoon), so measuring never has to lay
  // the page out itself.
  function apply(work, more) {
    if (work.stopped || work.frame || work.measure) return;
    var start = now();
    do {
      var result = work.ready.length ? work.ready.shift() : work.later.shift();
      if (!result) break;
      place(work, result);
    } while (now() - start < SLICE_MS && more());
    measureSoon(work);
    if (work.left === 0) finish(work);
    else applySoon(work);
  }

  // Puts one typeset formula in place of its script (or after what the scrape left
  // of it), or its TeX in a marked box if KaTeX could not typeset it.
  function place(work, result) {
    var target = work.targets[result.id];
    work.left--;
    var box;
    if (target.script) {
      var script = target.script;
      if (!script.parentNode) return;
      box = document.createElement(target.display ? "div" : "span");
      box.className = target.display ? "zk-math zk-math--display" : "zk-math";
      if (result.error === undefined) box.innerHTML = result.html;
      else {
        box.className += " zk-math--error";
        box.textContent = target.tex;
        box.title = "公式无法排版：" + result.error;
      }
      script.parentNode.replaceChild(box, script);
    } else {
      var node = target.node;
      if (!node.parentNode) return;
      box = document.createElement("span");
      box.className = "zk-math zk-math--cut";
      box.title = "公式在抓取中被截断，这里只显示留下的部分";
      if (result.error === undefined) box.innerHTML = result.html;
      else {
        box.className += " zk-math--error";
        box.textContent = target.tex;
      }
      node.data = node.data.slice(0, target.at);
      node.parentNode.insertBefore(box, node.nextSibling);
    }
    work.fresh.push(box);
  }

  // A scraped excerpt can end inside a formula: "映射 \(G \left(\boldsymbol{z}…" has
  // no closing delimiter, so python-markdown-math leaves it as text. Typeset the
  // part that survived and mark it as cut, instead of showing raw TeX.
  var OPENERS = [
    ["\\(", "\\)"],
    ["\\[", "\\]"],
    ["$$", "$$"],
  ];

  function findCutFormulas(root) {
    if (!root) return [];
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        // Most text holds no opener at all: say so before looking at its ancestors.
        if (!/\\[([]|\$\$/.test(node.data)) return NodeFilter.FILTER_REJECT;
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
          var tex = node.data.slice(at + 2).replace(/(\.\.\.|…)\s*$/, "");
          cut.push({ node: node, at: at, tex: tex, display: false });
          break;
        }
      }
    }
    return cut;
  }

  // Looks for cut formulas once, in idle time, and asks for them after the scripts.
  function searchCuts(work) {
    if (work.searched) return;
    work.searched = true;
    if (work.search) cancelIdle(work.search);
    work.search = 0;
    var cut = findCutFormulas(document.querySelector(".md-content"));
    var add = [];
    for (var i = 0; i < cut.length; i++) {
      var id = work.targets.length;
      work.targets.push(cut[i]);
      add.push({ id: id, tex: cut[i].tex, display: false });
    }
    work.left += add.length - 1; // the search itself was one thing left to do
    if (add.length) engine.post({ page: work.page, add: add });
    else if (work.left === 0) finish(work);
  }

  // Every formula is in place: measure the last boxes, then say so.
  function finish(work) {
    if (work.finished) return;
    work.finished = true;
    if (work.io) work.io.disconnect();
    measureSoon(work);
  }

  // New boxes are measured just after the next frame: the browser has laid the
  // page out for it anyway, so reading the boxes' sizes costs no layout of its own
  // (measuring inside the frame, or after more boxes went in, would add one).
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
        applySoon(work);
      }, 0);
    });
  }

  function stop(work) {
    if (!work || work.stopped) return;
    work.stopped = true;
    if (work.io) work.io.disconnect();
    if (work.timer) clearTimeout(work.timer);
    if (work.idle) cancelIdle(work.idle);
    if (work.search) cancelIdle(work.search);
    if (work.release) clearTimeout(work.release);
    if (work.frame) cancelAnimationFrame(work.frame);
    if (work.measure) clearTimeout(work.measure);
  }

  // Printing: put in place everything there is now. With the page's own KaTeX that
  // is every formula; the worker's formulas are all back a moment after load.
  function finishNow(work) {
    if (!work || work.stopped || work.done) return;
    searchCuts(work);
    if (engine.flush) engine.flush();
    while (work.ready.length || work.later.length) {
      place(work, work.ready.length ? work.ready.shift() : work.later.shift());
    }
    fit(work.fresh.splice(0, work.fresh.length), false);
    if (work.left === 0) finish(work);
  }

  function render(root) {
    stop(job);
    var scripts = Array.prototype.slice.call(root.querySelectorAll(SELECTOR));
    var work = (job = {
      page: ++pages,
      scripts: scripts,
      targets: [],
      near: {},
      got: {},
      ready: [],
      later: [],
      fresh: [],
      // Every script, and the search for cut formulas.
      left: scripts.length + 1,
      searched: false,
      io: null,
      timer: 0,
      idle: 0,
      search: 0,
      release: 0,
      frame: 0,
      measure: 0,
      stopped: false,
      finished: false,
      done: false,
    });
    setState("typesetting");
    if (!engine) engine = startWorker() || pageEngine();
    var page = collectMacros(
      scripts.map(function (script) {
        return script.textContent;
      }),
      siteMacros()
    );
    var add = scripts.map(function (script, id) {
      var target = {
        script: script,
        tex: script.textContent,
        display: /mode\s*=\s*display/.test(script.type),
      };
      work.targets.push(target);
      return { id: id, tex: page.texts[id], display: target.display };
    });
    // Until the page is laid out and the observer says which formulas are near the
    // screen, the engine holds them (a hidden page, laid out only when shown, or
    // one slow to lay out, lets it go after a second).
    var hold = canWatch(work) && !document.hidden;
    engine.post({ page: work.page, add: add, hold: hold, macros: page.macros });
    if (hold) {
      work.release = setTimeout(function () {
        work.release = 0;
        engine.post({ page: work.page, near: [] });
      }, 1000);
    }
    work.search = idle(function () {
      work.search = 0;
      if (!work.stopped) searchCuts(work);
    });
    if (canWatch(work)) watch(work);
  }

  function canWatch(work) {
    return (
      work.scripts.length > 0 &&
      typeof IntersectionObserver === "function" &&
      typeof Map === "function"
    );
  }

  // A <script> has no box of its own: watch the element that holds it, and when
  // it comes near the screen, move its formulas ahead of the rest. The observer
  // reports every holder once at the start: that first report releases the engine.
  function watch(work) {
    var first = true;
    var holders = new Map();
    work.scripts.forEach(function (script, id) {
      var holder = script.parentElement;
      if (!holders.has(holder)) holders.set(holder, []);
      holders.get(holder).push(id);
    });
    work.io = new IntersectionObserver(
      function (entries) {
        if (work.stopped) return;
        var near = [];
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          work.io.unobserve(entry.target);
          Array.prototype.push.apply(near, holders.get(entry.target) || []);
        });
        if (first) {
          first = false;
          if (work.release) clearTimeout(work.release);
          work.release = 0;
          engine.post({ page: work.page, near: near });
        } else if (near.length) {
          engine.post({ page: work.page, near: near });
        }
        if (!near.length) return;
        near.forEach(function (id) {
          work.near[id] = true;
        });
        // Results already here but waiting for idle time go first too.
        work.later = work.later.filter(function (result) {
          if (!work.near[result.id]) return true;
          work.ready.push(result);
          return false;
        });
        applySoon(work);
      },
      { rootMargin: NEAR }
    );
    holders.forEach(function (ids, holder) {
      work.io.observe(holder);
    });
  }

  // Started now, the worker loads KaTeX while the page finishes loading.
  engine = startWorker();
  loadStyles();

  // A new page (document$ fires inside Material's own DOMContentLoaded work, or after
  // instant navigation): the old page's work stops now, the new page's starts in a
  // task of its own.
  var starting = 0;
  function renderAll() {
    stop(job);
    clearTimeout(starting);
    starting = setTimeout(function () {
      render(document);
    }, 0);
  }

  if (typeof document$ !== "undefined" && document$.subscribe) {
    document$.subscribe(renderAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", renderAll);
  } else {
    renderAll();
  }

  var resizing = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(resizing);
    resizing = requestAnimationFrame(function () {
      fit(document.querySelectorAll(".zk-math"), true);
    });
  });

  window.addEventListener("beforeprint", function () {
    finishNow(job);
  });
})();
