/*
 * Link previews: hovering a link to another page of the site (after a short delay),
 * long-pressing it on a touch screen, or focusing it from the keyboard shows a small
 * card with the target's title, its meta line (category, date, reading time) and its
 * opening paragraph, formulas typeset. A link inside a card opens one more card (one
 * level); Esc closes the top card, moving away closes them all.
 *
 * The card is read from the site itself: the target page is fetched (same origin
 * only, so nothing is asked of another host), parsed with DOMParser, and only the
 * nodes the card needs are copied, element by element, through an allow-list (no
 * innerHTML of fetched markup). One fetch per URL per visit. Where fetching cannot
 * work (a site opened from disk, file://) or fails, the link stays a plain link.
 *
 * The card floats over the page (position: absolute, outside the text's flow): it
 * never moves what is already laid out. It is a role="tooltip" tied to its link with
 * aria-describedby; from a focused link, Tab enters the card and Tab past its last
 * link comes back to the page after the link.
 *
 * Formulas: the card typesets them with the site's own KaTeX, loaded (with its
 * stylesheet) the first time a card holds a formula on a page that has none itself.
 *
 * The pure parts (which links preview, what a page's card says) are exposed as
 * self.zhikuPreview for the node tests (tests/js/preview.test.mjs).
 */
(function () {
  "use strict";

  // Files a link may point at that are not pages: never fetched for a card.
  var NOT_A_PAGE =
    /\.(pdf|xml|json|rss|atom|txt|csv|tsv|bib|zip|gz|tgz|bz2|xz|7z|rar|tar|png|jpe?g|gif|webp|avif|svg|ico|bmp|mp3|mp4|m4a|webm|ogg|wav|mov|ipynb|py|js|mjs|css|map|woff2?|ttf|otf|epub|docx?|xlsx?|pptx?)$/i;

  /*
   * The URL (without its #fragment) whose card a link with `href`, on the page at
   * `pageUrl`, shows; null when it shows none: another origin (or scheme), the page
   * itself (its own anchors), a file that is not a page (.pdf, .xml, images…).
   */
  function previewTarget(href, pageUrl) {
    if (href == null || href === "") return null;
    var url;
    var here;
    try {
      here = new URL(pageUrl);
      url = new URL(href, here);
    } catch (err) {
      return null;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (url.origin !== here.origin) return null;
    url.hash = "";
    here.hash = "";
    if (url.href === here.href) return null;
    var last = url.pathname.slice(url.pathname.lastIndexOf("/") + 1);
    if (NOT_A_PAGE.test(last)) return null;
    if (/\.[a-z0-9]+$/i.test(last) && !/\.html?$/i.test(last)) return null;
    return url.href;
  }

  // ------------------------------------------------- reading a fetched page

  // Tree helpers written on children/tagName/getAttribute only, so that the node
  // tests can hand in a small document of their own.
  function tag(el) {
    return (el.tagName || "").toLowerCase();
  }

  function hasClass(el, name) {
    var value = el.getAttribute ? el.getAttribute("class") : null;
    return !!value && (" " + value + " ").replace(/\s+/g, " ").indexOf(" " + name + " ") >= 0;
  }

  function elementChildren(el) {
    return Array.prototype.slice.call(el.children || []);
  }

  // The first element under `root` (depth first, in document order) that `match`
  // accepts; `skip` prunes whole subtrees.
  function find(root, match, skip) {
    var kids = elementChildren(root);
    for (var i = 0; i < kids.length; i++) {
      if (skip && skip(kids[i])) continue;
      if (match(kids[i])) return kids[i];
      var deeper = find(kids[i], match, skip);
      if (deeper) return deeper;
    }
    return null;
  }

  // Text as a reader sees it: the permalink ¶ and formulas' TeX left out.
  function text(el) {
    if (!el) return "";
    if (el.nodeType === 3) return el.data || el.nodeValue || "";
    if (tag(el) === "script" || tag(el) === "style" || hasClass(el, "headerlink")) return "";
    var out = "";
    var nodes = el.childNodes || [];
    for (var i = 0; i < nodes.length; i++) out += text(nodes[i]);
    return out;
  }

  function squeeze(value) {
    return value.replace(/\s+/g, " ").trim();
  }

  // Parts of an article page that are not its text: its header, series box, phone
  // table of contents, callouts and figures, footers, listings.
  function notText(el) {
    var name = tag(el);
    return (
      name === "header" ||
      name === "nav" ||
      name === "footer" ||
      name === "aside" ||
      name === "details" ||
      name === "figure" ||
      name === "table" ||
      name === "pre" ||
      hasClass(el, "admonition") ||
      hasClass(el, "zk-card") ||
      hasClass(el, "zk-feed") ||
      hasClass(el, "zk-related") ||
      hasClass(el, "zk-paper") ||
      hasClass(el, "zk-truncated") ||
      hasClass(el, "zk-prevnext__label") ||
      hasClass(el, "zk-backlinks")
    );
  }

  function isParagraph(el) {
    if (tag(el) !== "p") return false;
    // A paragraph that holds only a formula is text too.
    return squeeze(text(el)) !== "" || !!find(el, function (e) { return tag(e) === "script"; });
  }

  function byId(root, id) {
    return find(root, function (el) {
      return el.getAttribute && el.getAttribute("id") === id;
    });
  }

  /*
   * What a page's card says, from the page as parsed (`doc`): {title, meta, paragraph,
   * description}. `meta` lists the article header's category, date and reading time
   * as text; `paragraph` is the first paragraph of the text (an element of `doc`, not
   * copied yet); `description` the page's meta description, for pages that have no
   * paragraph of their own (listings). With `fragment` naming a heading of the page,
   * the card is that section's: its heading after the title, its first paragraph.
   */
  function extract(doc, fragment) {
    var body = doc.body || find(doc, function (el) { return tag(el) === "body"; }) || doc;
    var content =
      find(body, function (el) { return hasClass(el, "md-content"); }) || body;
    var article = find(content, function (el) { return tag(el) === "article"; }) || content;
    var h1 = find(article, function (el) { return tag(el) === "h1"; });
    var title = squeeze(text(h1));
    if (!title) {
      var head = find(doc, function (el) { return tag(el) === "title"; });
      title = squeeze(text(head)).replace(/\s+-\s+[^-]+$/, "");
    }
    var meta = [];
    var date = "";
    var header = find(article, function (el) { return hasClass(el, "zk-article-header"); });
    if (header) {
      var line = find(header, function (el) { return hasClass(el, "zk-card__meta"); }) || header;
      var parts = ["zk-card__category", "zk-card__when", "zk-card__reading"];
      for (var i = 0; i < parts.length; i++) {
        var part = find(line, (function (name) {
          return function (el) { return hasClass(el, name); };
        })(parts[i]));
        if (!part) continue;
        if (parts[i] === "zk-card__when") {
          // The date alone (with its 约 when estimated); the reading time is its own part.
          var time = find(part, function (el) { return tag(el) === "time"; });
          if (!time) continue;
          var estimated = find(part, function (el) { return hasClass(el, "zk-card__estimated"); });
          date = time.getAttribute("datetime") || "";
          meta.push(squeeze((estimated ? text(estimated) : "") + text(time)));
        } else {
          var value = squeeze(text(part));
          if (value) meta.push(value);
        }
      }
    }
    var scope = article;
    var paragraph = null;
    if (fragment) {
      var target = byId(article, fragment);
      if (target && /^h[2-6]$/.test(tag(target))) {
        var section = squeeze(text(target));
        if (section && section !== title) title = title ? title + " › " + section : section;
        // The first paragraph after the heading, before the next heading.
        for (var next = target.nextElementSibling; next; next = next.nextElementSibling) {
          if (/^h[1-6]$/.test(tag(next))) break;
          if (notText(next)) continue;
          paragraph = isParagraph(next) ? next : find(next, isParagraph, notText);
          if (paragraph) break;
        }
        scope = null;
      }
    }
    if (scope) paragraph = find(scope, isParagraph, notText);
    var described = find(doc, function (el) {
      return tag(el) === "meta" && el.getAttribute("name") === "description";
    });
    return {
      title: title,
      meta: meta,
      date: date,
      paragraph: paragraph,
      description: described ? squeeze(described.getAttribute("content") || "") : "",
    };
  }

  var api = { previewTarget: previewTarget, extract: extract };
  if (typeof self !== "undefined") self.zhikuPreview = api;
  if (typeof document === "undefined" || typeof window === "undefined") return;

  // ------------------------------------------------------------ on the page

  var here = document.currentScript ? document.currentScript.src : "";
  var HOVER_MS = 350; // hover this long before a card opens
  var LEAVE_MS = 300; // time to move the pointer from the link onto its card
  var PRESS_MS = 500; // a long press on a touch screen
  var MAX_LEVEL = 2; // a card, and one card from a link inside it
  var FONTS_MS = 1500; // longest wait for KaTeX's fonts before a card shows anyway

  // One fetch per URL: a promise of the page's parsed data (null: no card).
  var pages = new Map();
  var cards = []; // open cards, level 1 first: {el, anchor, url, level}
  var serial = 0;
  var hoverTimer = 0;
  var leaveTimer = 0;
  var pressTimer = 0;
  var pressed = null; // the link a long press opened a card for: its click is eaten
  var quiet = null; // a link focused by the card itself: do not reopen its card

  function load(url) {
    if (pages.has(url)) return pages.get(url);
    var promise = fetch(url, { credentials: "same-origin" })
      .then(function (response) {
        var type = response.headers.get("content-type") || "";
        if (!response.ok || type.indexOf("html") < 0) return null;
        return response.text();
      })
      .then(function (html) {
        if (html == null) return null;
        return new DOMParser().parseFromString(html, "text/html");
      })
      .catch(function () {
        return null; // offline, file://, a page gone: the link stays a plain link
      });
    pages.set(url, promise);
    return promise;
  }

  function levelOf(anchor) {
    var card = anchor.closest(".zk-preview");
    if (!card) return anchor.closest(".md-content") || anchor.classList.contains("zk-wikilink") ? 1 : 0;
    var level = Number(card.getAttribute("data-level"));
    return level < MAX_LEVEL ? level + 1 : 0;
  }

  // The link an event is about, and its card's URL, or null.
  function candidate(target) {
    if (!target || !target.closest) return null;
    var anchor = target.closest("a[href]");
    if (!anchor || anchor.classList.contains("headerlink") || anchor.hasAttribute("download")) {
      return null;
    }
    // A card's own title is the page the card already shows.
    if (anchor.closest(".md-nav, .zk-toc-inline, .zk-preview__title")) return null;
    var level = levelOf(anchor);
    if (!level) return null;
    var url = previewTarget(anchor.getAttribute("href"), location.href);
    if (!url) return null;
    return { anchor: anchor, url: url, level: level };
  }

  // ------------------------------------------------ copying what a card shows

  var KEEP = {
    a: 1, abbr: 1, b: 1, bdi: 1, br: 1, cite: 1, code: 1, del: 1, dfn: 1, em: 1, i: 1,
    ins: 1, kbd: 1, mark: 1, q: 1, s: 1, samp: 1, small: 1, span: 1, strong: 1, sub: 1,
    sup: 1, time: 1, u: 1, var: 1,
  };
  var DROP = { script: 1, style: 1, img: 1, svg: 1, iframe: 1, object: 1, embed: 1, video: 1,
    audio: 1, canvas: 1, button: 1, input: 1, select: 1, textarea: 1, template: 1, noscript: 1 };

  // A copy of `source`'s content made of new elements of this page: allowed inline
  // elements keep no attribute but a link's resolved href; formulas become boxes that
  // hold their TeX until KaTeX typesets them; anything else gives only its text.
  function copyInto(parent, source, base, formulas) {
    var nodes = source.childNodes;
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      if (node.nodeType === 3) {
        parent.appendChild(document.createTextNode(node.data));
        continue;
      }
      if (node.nodeType !== 1) continue;
      var name = node.tagName.toLowerCase();
      if (name === "script" && /^math\/tex/.test(node.getAttribute("type") || "")) {
        var box = document.createElement("span");
        box.className = "zk-preview__math";
        box.textContent = node.textContent;
        formulas.push({ box: box, tex: node.textContent, display: /mode\s*=\s*display/.test(node.getAttribute("type")) });
        parent.appendChild(box);
        continue;
      }
      if (DROP[name] || node.classList.contains("headerlink")) continue;
      if (!KEEP[name]) {
        copyInto(parent, node, base, formulas);
        continue;
      }
      var copy = document.createElement(name);
      if (name === "a") {
        var url = null;
        try {
          url = new URL(node.getAttribute("href") || "", base);
        } catch (err) {
          url = null;
        }
        if (url && (url.protocol === "http:" || url.protocol === "https:")) copy.href = url.href;
        if (node.classList.contains("zk-wikilink")) copy.className = "zk-wikilink";
      } else if (name === "span" && node.classList.contains("zk-lost")) {
        copy.className = "zk-lost";
      }
      copyInto(copy, node, base, formulas);
      parent.appendChild(copy);
    }
  }

  // ------------------------------------------------------------------ KaTeX

  var katexLoading = null;

  function loadKatex() {
    if (typeof katex !== "undefined") return Promise.resolve(true);
    if (katexLoading) return katexLoading;
    if (!document.querySelector('link[href*="katex/katex.min.css"]')) {
      var sheet = document.createElement("link");
      sheet.rel = "stylesheet";
      sheet.href = new URL("../katex/katex.min.css", here).href;
      document.head.appendChild(sheet);
    }
    katexLoading = new Promise(function (resolve) {
      var script = document.createElement("script");
      script.src = new URL("../katex/katex.min.js", here).href;
      script.onload = function () {
        resolve(typeof katex !== "undefined");
      };
      script.onerror = function () {
        resolve(false);
      };
      document.head.appendChild(script);
    });
    return katexLoading;
  }

  // The site's macros (mkdocs.yml `extra: katex_macros`), as the target page has them.
  function macrosOf(doc) {
    var holder = doc.getElementById("zk-katex-macros");
    var macros = {};
    if (!holder) return macros;
    try {
      var site = JSON.parse(holder.textContent);
      for (var name in site) {
        if (Object.prototype.hasOwnProperty.call(site, name) && typeof site[name] === "string") {
          macros[name.charAt(0) === "\\" ? name : "\\" + name] = site[name];
        }
      }
    } catch (err) {
      // no macros: formulas that use them show as errors, with their TeX
    }
    return macros;
  }

  // Typesets a card's formulas; resolves once they are drawn with KaTeX's fonts (or
  // could not be), so that the card is shown once, at its final size.
  function typeset(formulas, macros, card) {
    if (!formulas.length) return Promise.resolve();
    return loadKatex().then(function (ready) {
      if (!ready) return null;
      formulas.forEach(function (item) {
        try {
          // Same limits as math.js: scraped TeX stays a formula, nothing more.
          katex.render(item.tex, item.box, {
            displayMode: item.display,
            macros: Object.assign({}, macros),
            throwOnError: true,
            strict: "ignore",
            output: "htmlAndMathml",
            trust: false,
            maxSize: 10,
            maxExpand: 200,
          });
        } catch (err) {
          item.box.classList.add("zk-math--error");
          item.box.title = "公式无法排版：" + (err && err.message ? err.message : err);
        }
      });
      if (!document.fonts || !document.fonts.ready) return null;
      // Laying the card out asks for the fonts its formulas use; then wait for them.
      return new Promise(function (resolve) {
        card.getBoundingClientRect();
        requestAnimationFrame(function () {
          document.fonts.ready.then(resolve);
        });
        setTimeout(resolve, FONTS_MS);
      });
    });
  }

  // -------------------------------------------------------------- the cards

  function make(tagName, className, content) {
    var el = document.createElement(tagName);
    if (className) el.className = className;
    if (content != null) el.textContent = content;
    return el;
  }

  function build(doc, url, level, fragment) {
    var data = extract(doc, fragment);
    if (!data.title && !data.paragraph && !data.description) return null;
    var card = make("div", "zk-preview md-typeset");
    card.id = "zk-preview-" + ++serial;
    card.setAttribute("role", "tooltip");
    card.setAttribute("data-level", String(level));
    var heading = make("p", "zk-preview__title");
    var link = make("a", null, data.title || url);
    link.href = url + (fragment ? "#" + encodeURIComponent(fragment) : "");
    heading.appendChild(link);
    card.appendChild(heading);
    if (data.meta.length) card.appendChild(make("p", "zk-preview__meta", data.meta.join(" · ")));
    var formulas = [];
    var body = make("p", "zk-preview__text");
    if (data.paragraph) copyInto(body, data.paragraph, url, formulas);
    else body.textContent = data.description;
    if (squeeze(body.textContent)) card.appendChild(body);
    return { el: card, formulas: formulas, macros: macrosOf(doc) };
  }

  // Under the link (above it when there is no room below), inside the window.
  function place(card) {
    var entry = cards.find(function (c) { return c.el === card; });
    if (!entry) return;
    // A link that wraps onto two lines: below (or above) all of it, from its start.
    var rects = entry.anchor.getClientRects();
    var whole = entry.anchor.getBoundingClientRect();
    var rect = { left: rects.length ? rects[0].left : whole.left, top: whole.top, bottom: whole.bottom };
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    var box = card.getBoundingClientRect();
    var gap = 6;
    var left = Math.min(Math.max(8, rect.left), Math.max(8, width - box.width - 8));
    var top = rect.bottom + gap;
    if (top + box.height > height - 8 && rect.top - gap - box.height >= 8) {
      top = rect.top - gap - box.height;
    }
    card.style.left = Math.round(left + window.scrollX) + "px";
    card.style.top = Math.round(top + window.scrollY) + "px";
  }

  function closeFrom(level) {
    while (cards.length && cards[cards.length - 1].level >= level) {
      var entry = cards.pop();
      entry.el.remove();
      var described = (entry.anchor.getAttribute("aria-describedby") || "")
        .split(/\s+/)
        .filter(function (id) { return id && id !== entry.el.id; });
      if (described.length) entry.anchor.setAttribute("aria-describedby", described.join(" "));
      else entry.anchor.removeAttribute("aria-describedby");
    }
  }

  function open(found, fromKeyboard) {
    var existing = cards[found.level - 1];
    if (existing && existing.anchor === found.anchor) return;
    var fragment = "";
    try {
      fragment = decodeURIComponent(new URL(found.anchor.href).hash.slice(1));
    } catch (err) {
      fragment = "";
    }
    load(found.url).then(function (doc) {
      if (!doc || !found.anchor.isConnected) return;
      // Still wanted? The pointer or focus may have moved on while it loaded.
      if (!fromKeyboard && !found.anchor.matches(":hover") && pressed !== found.anchor) return;
      if (fromKeyboard && document.activeElement !== found.anchor) return;
      if (found.level > 1 && !cards[found.level - 2]) return;
      closeFrom(found.level);
      var made = build(doc, found.url, found.level, fragment);
      if (!made) return;
      var card = made.el;
      // Laid out but unseen until its formulas are typeset: shown once, in its place.
      card.style.visibility = "hidden";
      card.style.left = "0px";
      card.style.top = "0px";
      document.body.appendChild(card);
      var entry = { el: card, anchor: found.anchor, url: found.url, level: found.level };
      cards.push(entry);
      var described = found.anchor.getAttribute("aria-describedby");
      found.anchor.setAttribute("aria-describedby", (described ? described + " " : "") + card.id);
      typeset(made.formulas, made.macros, card).then(function () {
        if (cards.indexOf(entry) < 0) return;
        place(card);
        card.style.removeProperty("visibility");
      });
    });
  }

  function inCards(node) {
    return !!(node && node.closest && node.closest(".zk-preview"));
  }

  function isCardAnchor(node) {
    return cards.some(function (c) { return c.anchor === node || c.anchor.contains(node); });
  }

  function cancelLeave() {
    clearTimeout(leaveTimer);
    leaveTimer = 0;
  }

  // The pointer left a link or a card: close what it is no longer over.
  function leaveSoon() {
    cancelLeave();
    leaveTimer = setTimeout(function () {
      var keep = 0;
      for (var i = cards.length - 1; i >= 0; i--) {
        if (cards[i].el.matches(":hover") || cards[i].anchor.matches(":hover") ||
            cards[i].el.contains(document.activeElement) || cards[i].anchor === document.activeElement) {
          keep = cards[i].level;
          break;
        }
      }
      closeFrom(keep + 1);
    }, LEAVE_MS);
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType === "touch") return;
    if (inCards(event.target) || isCardAnchor(event.target)) cancelLeave();
    var found = candidate(event.target);
    if (!found) return;
    if (event.relatedTarget && found.anchor.contains(event.relatedTarget)) return;
    clearTimeout(hoverTimer);
    load(found.url); // while the pointer rests, the page is on its way
    hoverTimer = setTimeout(function () {
      open(found, false);
    }, HOVER_MS);
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType === "touch") return;
    var from = event.target.closest ? event.target.closest("a[href], .zk-preview") : null;
    if (!from || (event.relatedTarget && from.contains(event.relatedTarget))) return;
    clearTimeout(hoverTimer);
    if (cards.length) leaveSoon();
  });

  document.addEventListener("focusin", function (event) {
    if (inCards(event.target) || isCardAnchor(event.target)) cancelLeave();
    var asked = quiet === event.target;
    quiet = null;
    if (asked) return;
    var found = candidate(event.target);
    // Focus a pointer gave (a click on the link) is not a reader tabbing to it.
    if (found && focusVisible(found.anchor)) open(found, true);
  });

  document.addEventListener("focusout", function (event) {
    var next = event.relatedTarget;
    if (!cards.length || (next && (inCards(next) || isCardAnchor(next)))) return;
    // Focus left the cards and their links: close, unless the pointer holds them.
    leaveSoon();
  });

  function focusVisible(el) {
    try {
      return el.matches(":focus-visible");
    } catch (err) {
      return true; // a browser without :focus-visible: every focus counts
    }
  }

  function focusables(card) {
    return Array.prototype.slice.call(card.querySelectorAll("a[href]"));
  }

  document.addEventListener("keydown", function (event) {
    if (!cards.length) return;
    if (event.key === "Escape") {
      var top = cards[cards.length - 1];
      var back = top.el.contains(document.activeElement) || document.activeElement === top.anchor;
      closeFrom(top.level);
      if (back && document.activeElement !== top.anchor) {
        quiet = top.anchor;
        top.anchor.focus();
      }
      event.preventDefault();
      return;
    }
    if (event.key !== "Tab") return;
    var active = document.activeElement;
    for (var i = cards.length - 1; i >= 0; i--) {
      var entry = cards[i];
      var inside = focusables(entry.el);
      if (!inside.length) continue;
      if (active === entry.anchor && !event.shiftKey) {
        // Tab from the link goes into its card.
        event.preventDefault();
        inside[0].focus();
        return;
      }
      if (entry.el.contains(active)) {
        var at = inside.indexOf(active);
        if (event.shiftKey && at === 0) {
          event.preventDefault();
          quiet = entry.anchor;
          entry.anchor.focus();
        } else if (!event.shiftKey && at === inside.length - 1) {
          // Past the card's last link: on to whatever follows the link on the page.
          quiet = entry.anchor;
          entry.anchor.focus();
          closeFrom(entry.level);
        }
        return;
      }
    }
  });

  // Touch: a long press opens the card (and its click does not follow the link);
  // a tap anywhere else closes the cards.
  document.addEventListener(
    "touchstart",
    function (event) {
      var found = candidate(event.target);
      if (!inCards(event.target) && !found) closeFrom(1);
      clearTimeout(pressTimer);
      if (!found) return;
      load(found.url);
      pressTimer = setTimeout(function () {
        pressed = found.anchor;
        open(found, false);
      }, PRESS_MS);
    },
    { passive: true }
  );
  ["touchend", "touchmove", "touchcancel"].forEach(function (type) {
    document.addEventListener(
      type,
      function () {
        clearTimeout(pressTimer);
      },
      { passive: true }
    );
  });
  document.addEventListener(
    "click",
    function (event) {
      if (pressed && pressed.contains(event.target)) {
        event.preventDefault();
        pressed = null;
      }
    },
    true
  );
  document.addEventListener("contextmenu", function (event) {
    if (pressed && pressed.contains(event.target)) event.preventDefault();
  });

  window.addEventListener("resize", function () {
    closeFrom(1);
  });
})();
