// Zhiku's search worker, served at the URL of Material's lunr worker so that Material's
// page script starts it and speaks its protocol (SearchMessageType: 0 setup, 1 ready,
// 2 query, 3 result). A classic worker, as Material creates it; the engine is an ES
// module loaded with import(), which Node's tests import directly too.
"use strict";

const SETUP = 0;
const READY = 1;
const QUERY = 2;
const RESULT = 3;

// This file lives at assets/javascripts/workers/; the index at search/ in the site root.
const indexBase = new URL("../../../search/", self.location.href);
const engineModule = import(new URL("../../zhiku/search/engine.mjs", self.location.href).href);

function fetchJSON(path) {
  return fetch(new URL(path, indexBase)).then((response) => {
    if (!response.ok) throw new Error(`${response.status} fetching ${response.url}`);
    return response.json();
  });
}

let engine = null;
let latest = 0;

self.addEventListener("message", async (event) => {
  const message = event.data;
  if (message.type === SETUP) {
    const { createEngine } = await engineModule;
    // Throws SearchIndexError for an index of another format version: it shows in the
    // console, and the search box stays at "initialising" rather than answer wrongly.
    engine = createEngine(message.data.config.zhiku, fetchJSON);
    self.postMessage({ type: READY });
  } else if (message.type === QUERY && engine) {
    // Queries arrive on every keystroke; answer only the newest one.
    const ticket = ++latest;
    let data;
    try {
      data = await engine.search(message.data);
    } catch (error) {
      // A missing or broken shard: say so in the console, and show "no results"
      // rather than leave the reader with a spinner.
      console.error("zhiku search:", error);
      data = { items: [] };
    }
    if (ticket === latest) self.postMessage({ type: RESULT, data });
  }
});
