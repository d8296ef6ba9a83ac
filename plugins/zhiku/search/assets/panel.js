// Zhiku's search panel, around Material's result list in the header search box:
// - filter chips (categories and tags of the results, with counts); a chip writes its
//   typed form (分类:Python, 标签:GAN) into the box, so chips and typing are one thing;
// - the count ("共 23 篇") and "显示更多", which appends the next page of results;
// - honest misses: which words no article holds, and words the index knows instead;
// - search from disk (file://): no worker can start there, so the engine runs in the
//   page on the index's files, which are scripts (search/t/3.js …), and says why when it cannot.
// Over http the worker (assets/javascripts/workers/search.*.js) answers Material and
// sends this panel its extras on a BroadcastChannel. Everything shown is text or
// escaped by the engine; nothing from the query becomes markup here.
(() => {
  "use strict";
  const config = JSON.parse(document.getElementById("__config")?.textContent ?? "null");
  const input = document.querySelector("input.md-search__input");
  const result = document.querySelector(".md-search-result");
  const wrap = document.querySelector(".md-search__scrollwrap");
  if (!config || !input || !result || !wrap) return;
  const meta = result.querySelector(".md-search-result__meta");
  const list = result.querySelector(".md-search-result__list");
  const base = new URL(config.base ?? ".", location.href);
  const highlightTerms = (config.features ?? []).includes("search.highlight");
  const fromDisk = location.protocol === "file:";
  const FILTER_RE =
    /(^|\s)(分类|类别|category|cat|标签|tag|tags)\s*[:：]\s*(?:"([^"]*)"|“([^”]*)”|(\S+))/gi;

  const style = document.createElement("style");
  style.textContent = `
.zk-search-chips{padding:.4rem .8rem 0;font-size:.7rem;line-height:1.4;color:var(--md-default-fg-color)}
.zk-search-chips[hidden],.zk-search-note[hidden],.zk-search-more[hidden]{display:none}
/* The kind's name hangs to the left: a wrapped row of chips lines up under the first. */
.zk-search-facet{display:flex;flex-wrap:wrap;align-items:center;gap:.3rem;margin:0 0 .3rem;padding:0 0 0 2.6em}
.zk-search-facet b{font-weight:700;white-space:nowrap;flex:none;width:calc(2.6em - .3rem);margin-left:-2.6em}
.zk-chip{border:1px solid var(--md-default-fg-color--light);border-radius:1rem;padding:.15rem .6rem;
  flex:none;white-space:nowrap;cursor:pointer;background:var(--md-default-bg-color);color:var(--md-default-fg-color);font:inherit}
/* Pressed: the link colour, which stands out on the page in both schemes (the header's
   primary colour is near the dark page's own). */
.zk-chip[aria-pressed=true]{background:var(--md-typeset-a-color);border-color:var(--md-typeset-a-color);
  color:var(--md-default-bg-color)}
.zk-chip span{margin-left:.25rem;font-variant-numeric:tabular-nums}
.zk-search-note{padding:.5rem .8rem 0;font-size:.7rem;color:var(--md-default-fg-color)}
.zk-search-note button{border:0;background:none;color:var(--md-typeset-a-color);cursor:pointer;
  font:inherit;text-decoration:underline;padding:0 .2rem}
.zk-search-more{display:block;margin:.6rem auto 1rem;padding:.3rem 1.2rem;border-radius:1rem;
  border:1px solid var(--md-default-fg-color--light);background:var(--md-default-bg-color);
  color:var(--md-default-fg-color);cursor:pointer;font-size:.7rem}
@media screen and (max-width:44.9375em){
  .zk-chip,.zk-search-note button,.zk-search-more{min-height:44px;min-width:44px}
  .zk-search-facet{flex-wrap:nowrap;overflow-x:auto;overscroll-behavior-x:contain;scrollbar-width:none;
    margin:0 -.8rem .2rem;padding:0 .8rem}
  .zk-search-facet::-webkit-scrollbar{display:none}
  .zk-search-facet b{position:sticky;left:0;z-index:1;align-self:stretch;display:flex;align-items:center;
    width:auto;margin:0;padding-right:.3rem;background:var(--md-default-bg-color)}}`;
  document.head.append(style);

  const chips = element("div", "zk-search-chips");
  const note = element("div", "zk-search-note");
  note.setAttribute("role", "status");
  const more = element("button", "zk-search-more");
  more.type = "button";
  for (const node of [chips, note, more]) node.hidden = true;
  wrap.insertBefore(note, result);
  wrap.insertBefore(chips, note);
  wrap.append(more);

  let state = null; // the panel data of the query on screen
  let wanted = ""; // the meta line for it

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text != null) node.textContent = text;
    return node;
  }

  // Material hands the worker a lightly transformed query (quotes out, "+" in).
  const norm = (text) => String(text).replace(/[\s"+*^~:：\-]/g, "").toLowerCase();
  const current = () => state && input.value.trim() && norm(state.query) === norm(input.value);

  function setMeta(text) {
    wanted = text;
    if (meta.textContent !== text) meta.textContent = text;
  }
  // Material rewrites the line on every result: put ours back when it is for this query.
  new MutationObserver(() => {
    if (current() && wanted && meta.textContent !== wanted) meta.textContent = wanted;
  }).observe(meta, { childList: true, characterData: true, subtree: true });

  function quoteWords(words) {
    return words.map((w) => `“${w}”`).join("、");
  }

  /** Rewrites the box and searches again (Material reads the box on keyup). */
  function setQuery(text) {
    input.value = text.replace(/\s+/g, " ").trim();
    input.focus();
    search();
  }

  function filterSyntax(kind, name) {
    const label = kind === "category" ? "分类" : "标签";
    return /[\s"]/.test(name) ? `${label}:“${name}”` : `${label}:${name}`;
  }

  function toggleFilter(kind, name, on) {
    if (on) return setQuery(`${input.value} ${filterSyntax(kind, name)}`);
    const isCategory = (key) => /^(分类|类别|category|cat)$/i.test(key);
    setQuery(
      input.value.replace(FILTER_RE, (all, lead, key, q1, q2, bare) => {
        const value = (q1 ?? q2 ?? bare ?? "").trim().toLowerCase();
        const same = isCategory(key) === (kind === "category") && value === name.toLowerCase();
        return same ? lead : all;
      }),
    );
  }

  function chip(kind, name, count, pressed) {
    const button = element("button", "zk-chip", name);
    button.type = "button";
    button.dataset.kind = kind;
    button.dataset.name = name;
    button.setAttribute("aria-pressed", String(pressed));
    if (count != null) button.append(element("span", null, String(count)));
    button.addEventListener("click", () => toggleFilter(kind, name, !pressed));
    return button;
  }

  function renderChips(data) {
    chips.replaceChildren();
    const active = data.filters ?? [];
    const isActive = (kind, name) => active.some((f) => f.kind === kind && f.name === name);
    for (const [kind, label, entries] of [
      ["category", "分类", data.facets?.categories ?? []],
      ["tag", "标签", data.facets?.tags ?? []],
    ]) {
      const shown = entries.filter(([name]) => !isActive(kind, name));
      const on = active.filter((f) => f.kind === kind);
      if (!shown.length && !on.length) continue;
      // One row per kind: 分类 and 标签 never share a line (on a phone, a row scrolls).
      const row = element("div", "zk-search-facet");
      row.setAttribute("role", "group");
      row.setAttribute("aria-label", label);
      row.append(element("b", null, label));
      for (const f of on) {
        const count = entries.find(([name]) => name === f.name)?.[1];
        row.append(chip(kind, f.name, count, true));
      }
      for (const [name, count] of shown) row.append(chip(kind, name, count, false));
      chips.append(row);
    }
    chips.hidden = !chips.childElementCount;
  }

  function suggestion(word, near) {
    const button = element("button", null, near);
    button.type = "button";
    button.addEventListener("click", () => {
      const at = input.value.toLowerCase().indexOf(word.toLowerCase());
      setQuery(at >= 0 ? input.value.slice(0, at) + near + input.value.slice(at + word.length) : near);
    });
    return button;
  }

  function renderNote(data) {
    note.replaceChildren();
    for (const f of data.unknownFilters ?? []) {
      note.append(`没有名为“${f.value}”的${f.kind === "category" ? "分类" : "标签"}。`);
      if (f.near?.length) {
        note.append("试试：");
        for (const name of f.near) note.append(suggestion(f.value, name));
      }
    }
    if (data.miss) {
      const missing = data.miss.missing ?? [];
      note.append(
        data.total
          ? `没有找到包含${quoteWords(missing)}的文章；下面 ${data.total} 篇只含其余词语。`
          : `没有找到包含${quoteWords(missing)}的文章。`,
      );
      const near = (data.suggestions ?? []).filter((s) => s.near?.length);
      if (near.length) {
        note.append(" 你是不是要找：");
        for (const s of near) for (const word of s.near) note.append(suggestion(s.word, word));
      }
    }
    note.hidden = !note.childNodes.length;
  }

  function renderMore(data) {
    const rest = data.total - data.shown;
    more.hidden = !(rest > 0);
    more.disabled = false;
    more.textContent = `显示更多（还有 ${rest} 篇）`;
  }

  function render(data) {
    // Another tab's worker speaks on the same channel: keep only what answers this box.
    if (!input.value.trim() || norm(data.query) !== norm(input.value)) return;
    state = data;
    renderChips(data);
    renderNote(data);
    renderMore(data);
    if (data.total && data.miss) setMeta(`共 ${data.total} 篇（只含部分词语）`);
    else if (data.total && data.complete < data.total) {
      setMeta(`共 ${data.total} 篇，其中 ${data.complete} 篇含全部词语`);
    } else if (data.total) setMeta(`共 ${data.total} 篇`);
    else if (data.unknownFilters?.length) setMeta("没有结果");
    else setMeta(`没有找到“${data.query.trim()}”`);
  }

  function clear() {
    state = null;
    wanted = "";
    for (const node of [chips, note, more]) node.hidden = true;
  }

  /** Material's markup for one result (its escaping is the engine's: see engine.mjs). */
  function item([doc]) {
    const url = new URL(doc.location, base);
    const found = Object.entries(doc.terms ?? {}).filter(([, hit]) => hit).map(([term]) => term);
    if (highlightTerms && found.length) url.searchParams.set("h", found.join(" "));
    const li = element("li", "md-search-result__item");
    const a = element("a", "md-search-result__link");
    a.href = `${url}`;
    a.tabIndex = -1;
    const article = element("article", "md-search-result__article md-typeset");
    article.dataset.mdScore = Number(doc.score ?? 0).toFixed(2);
    const h1 = element("h1");
    h1.innerHTML = doc.title; // escaped by the engine, <mark> added
    const text = document.createElement("template");
    text.innerHTML = doc.text; // <p>…</p>, escaped by the engine
    article.append(element("div", "md-search-result__icon md-icon"), h1, text.content);
    const missing = Object.entries(doc.terms ?? {}).filter(([, hit]) => !hit);
    if (missing.length) {
      const p = element("p", "md-search-result__terms", "缺少: ");
      missing.forEach(([term], i) => p.append(...(i ? [" "] : []), element("del", null, term)));
      article.append(p);
    }
    a.append(article);
    li.append(a);
    return li;
  }

  function appendPage(items, data) {
    for (const entry of items) list.append(item(entry));
    state = { ...state, shown: data.shown };
    renderMore(state);
  }

  input.addEventListener("input", (event) => {
    // Until the answer to the new text arrives, the old chips and notes are not its own.
    if (!input.value.trim() || !current()) clear();
    // Material searches on keyup only: text pasted from a menu or by touch, dropped, or
    // cleared without a key would leave the old results on screen. An IME's keys compose
    // the text; its compositionend searches the committed words.
    if (!event.isComposing) search();
  });
  input.addEventListener("compositionend", () => search());

  /** Searches the text in the box now, as a key-up does for Material. */
  function search() {
    if (fromDisk) local.run();
    else input.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
  }

  // The browser's back and forward to a page's ?q= (Material reads it on load only).
  function fromAddress() {
    const query = new URL(location.href).searchParams.get("q");
    if (query == null || query === input.value) return;
    const toggle = document.getElementById("__search");
    if (toggle && !toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    input.value = query;
    input.focus();
    search();
  }
  window.addEventListener("popstate", fromAddress);
  window.addEventListener("pageshow", (event) => event.persisted && fromAddress());

  // --- over http: the worker computes, this panel shows the extras ---
  const channel = !fromDisk && typeof BroadcastChannel === "function" ? new BroadcastChannel("zhiku-search") : null;
  channel?.addEventListener("message", (event) => {
    const message = event.data;
    if (message?.type === "result") render(message.data);
    else if (message?.type === "page" && current() && norm(message.data.query) === norm(state.query)) {
      if (message.data.offset === state.shown) appendPage(message.items, message.data);
    } else if (message?.type === "broken") {
      setMeta(`搜索无法使用：${message.message}`);
    }
  });

  more.addEventListener("click", () => {
    if (!current()) return;
    more.disabled = true;
    if (fromDisk) local.more();
    else channel?.postMessage({ type: "more", query: state.query, offset: state.shown });
  });

  // --- from disk: the engine runs here, loading the index's files as scripts ---
  const local = {
    engine: null,
    ticket: 0,
    async start() {
      const index = new URL("search/", base);
      const waiting = new Map();
      self.zhikuIndex = (path, data) => {
        waiting.get(path)?.resolve(data);
        waiting.delete(path);
      };
      const load = (path) =>
        new Promise((resolve, reject) => {
          waiting.set(path, { resolve });
          const script = document.createElement("script");
          script.src = new URL(path.replace(/\.json$/, ".js"), index).href;
          script.onload = () => {
            script.remove();
            if (waiting.has(path)) reject(new Error(`${path} did not load`));
          };
          script.onerror = () => {
            script.remove();
            waiting.delete(path);
            reject(new Error(`${path} is missing`));
          };
          document.head.append(script);
        });
      const engineScript = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = new URL("../../zhiku/search/engine.js", new URL(config.search, location.href)).href;
        script.onload = resolve;
        script.onerror = () => reject(new Error("assets/zhiku/search/engine.js is missing"));
        document.head.append(script);
      });
      const [manifest] = await Promise.all([load("search_index.json"), engineScript]);
      this.engine = self.zhikuSearch.createEngine(manifest.config.zhiku, load);
    },
    async run() {
      const query = input.value;
      const ticket = ++this.ticket;
      if (!query.trim()) {
        clear();
        list.replaceChildren();
        return;
      }
      if (!this.engine) return;
      const data = await this.engine.search(query);
      if (ticket !== this.ticket) return;
      list.replaceChildren(...data.items.map(item));
      const { items, ...rest } = data;
      render({ ...rest, query, shown: data.offset + items.length });
    },
    async more() {
      const data = await this.engine.search(state.query, { offset: state.shown, facets: false });
      appendPage(data.items, { shown: data.offset + data.items.length });
    },
  };

  if (fromDisk) {
    // Material cannot start its worker from disk and hides the search box: show it again,
    // and open the panel on focus as Material would; Enter opens the best result.
    const box = document.querySelector(".md-search");
    const toggle = document.getElementById("__search");
    const show = () => box && box.hidden && (box.hidden = false);
    if (box) new MutationObserver(show).observe(box, { attributes: true, attributeFilter: ["hidden"] });
    show();
    input.addEventListener("focus", () => {
      if (toggle && !toggle.checked) {
        toggle.checked = true;
        toggle.dispatchEvent(new Event("change"));
      }
    });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      const first = list.querySelector("a.md-search-result__link");
      if (first) location.href = first.href;
    });
    setMeta("正在从本地文件加载搜索索引…");
    const started = local.start().then(
      () => {
        setMeta("键入以开始搜索");
        if (input.value.trim()) local.run();
      },
      (error) => {
        setMeta(
          `从本地文件打开时无法搜索（${error.message}）。请通过网址访问本站，` +
            "或在站点目录运行 python3 -m http.server 后打开 http://localhost:8000/",
        );
      },
    );
    for (const name of ["keyup", "focus"]) {
      input.addEventListener(name, () => started.then(() => local.run()));
    }
  }
})();
