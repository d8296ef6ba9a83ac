// Zhiku's search worker, served at the URL of Material's lunr worker so that Material's
// page script starts it and speaks its protocol (SearchMessageType: 0 setup, 1 ready,
// 2 query, 3 result). A classic worker, as Material creates it; the engine is an ES
// module loaded with import(), which Node's tests import directly too.
//
// Material renders the first page of results. What Zhiku's panel adds (result count,
// filter chips, misses and suggestions, "显示更多") travels on a BroadcastChannel to
// the page's panel.js, which also asks here for the next pages.
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// This file lives at assets/javascripts/workers/; the index at search/ in the site root.
const indexBase = new URL("../../../search/", self.location.href);
const engineModule = import(new URL("../../zhiku/search/engine.mjs", self.location.href).href);
const panel = typeof BroadcastChannel === "function" ? new BroadcastChannel("zhiku-search") : null;

// Index files are scripts for pages opened from disk; here they are fetched and their
// JSON parsed (engine.mjs' parseIndexScript), never evaluated. A term's postings are
// asked for as a byte range of their file (one JSON string): a server that ignores the
// Range header sends the whole file, which is read as a whole.
function fetchIndexFile(path, range) {
  const url = new URL(path, indexBase);
  const init = range ? { headers: { Range: `bytes=${range.start}-${range.end - 1}` } } : undefined;
  return Promise.all([fetch(url, init), engineModule]).then(async ([response, engine]) => {
    if (!response.ok) throw new Error(`${response.status} fetching ${response.url}`);
    const text = await response.text();
    if (range && response.status === 206) {
      try {
        return { [range.key]: JSON.parse(text) };
      } catch {
        // Not the bytes asked for (a proxy that ranges over compressed bytes): the file.
        return fetchIndexFile(path, null);
      }
    }
    return engine.parseIndexScript(text);
  });
}

let engine = null;
let latest = 0;

function panelData(query, data) {
  const { items, ...rest } = data;
  return { ...rest, query, shown: data.offset + items.length };
}

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    try {
      const { createEngine } = await engineModule;
      engine = createEngine(message.data.config.zhiku, fetchIndexFile);
    } catch (error) {
      // An index of another format, or an engine that cannot load: say why on the page
      // instead of leaving the box at "initialising".
      console.error("zhiku search:", error);
      panel?.postMessage({ type: "broken", message: String(error?.message ?? error) });
      return;
    }
    self.postMessage({ type: READY });
  } else if (message.type === QUERY && engine) {
    // Queries arrive on every keystroke; answer only the newest one.
    const ticket = ++latest;
    const query = String(message.data);
    let data;
    try {
      data = await engine.search(query);
    } catch (error) {
      // A missing or broken shard: say so in the console, and show "no results"
      // rather than leave the reader with a spinner.
      console.error("zhiku search:", error);
      data = { items: [], total: 0, offset: 0 };
    }
    if (ticket !== latest) return;
    self.postMessage({ type: RESULT, data: { items: data.items } });
    panel?.postMessage({ type: "result", data: panelData(query, data) });
  }
});

panel?.addEventListener("message", async (event) => {
  const message = event.data;
  if (message?.type !== "more" || !engine) return;
  try {
    const data = await engine.search(String(message.query), { offset: message.offset, facets: false });
    panel.postMessage({ type: "page", items: data.items, data: panelData(String(message.query), data) });
  } catch (error) {
    console.error("zhiku search:", error);
  }
});
