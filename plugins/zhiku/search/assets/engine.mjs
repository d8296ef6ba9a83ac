// Zhiku's search engine: fetches the index shards a query needs, scores with BM25F
// (precomputed per posting at build time) plus coverage and adjacency boosts, and
// answers in the shape Material's result list renders. Pure apart from the injected
// `fetchJSON(path)`, so Node's tests drive it on a built index without a browser.
//
// Material inserts result titles and snippets as HTML: everything taken from the
// index or the query is escaped here, and only <mark> is added. The query is never
// turned into a regular expression.

import {
  MAX_QUERY_CHARS,
  asciiLower,
  decodeVarints,
  escapeHtml,
  fnv1a,
  fold,
  isHan,
  queryUnits,
  runs,
  latinParts,
  shardKey,
} from "./tokenize.mjs";

export const FORMAT = 1;
export const MAX_RESULTS = 10;
const MAX_UNITS = 16;
const PREFIX_EXPANSIONS = 8;
const SNIPPET_CHARS = 160;

/** The index was built by a Zhiku this engine cannot read. */
export class SearchIndexError extends Error {
  constructor(message) {
    super(message);
    this.name = "SearchIndexError";
  }
}

export function createEngine(manifest, fetchJSON) {
  if (!manifest || manifest.format !== FORMAT) {
    throw new SearchIndexError(
      `search index format ${JSON.stringify(manifest?.format)} is not supported ` +
        `(expected ${FORMAT}); rebuild the site with this version of Zhiku`,
    );
  }
  return new Engine(manifest, fetchJSON);
}

class Engine {
  constructor(manifest, fetchJSON) {
    this.m = manifest;
    this.fetchJSON = fetchJSON;
    this.stopwordFreq = manifest.stopwords;
    this.stopwords = new Set(Object.keys(manifest.stopwords));
    this.shards = new Map(); // shard number -> Promise<{term: [freq, postings], "": {trad: simp}}>
    this.pieces = new Map(); // "id-k" -> Promise<{u, t, x}>
    this.postings = new Map(); // term -> Map(doc id -> [weight, first occurrence])
  }

  shard(key) {
    const n = fnv1a(key) % this.m.shards;
    if (!this.shards.has(n)) {
      // A shard that does not exist holds no terms (the build writes only non-empty ones).
      this.shards.set(n, this.fetchJSON(`t/${n}.json`).catch(() => ({})));
    }
    return this.shards.get(n);
  }

  /** Traditional -> simplified for the query's characters, from the shards they name. */
  async t2s(text) {
    const table = {};
    const shards = await Promise.all([...new Set(text)].filter(isHan).map((ch) => this.shard(ch)));
    for (const shard of shards) Object.assign(table, shard[""]);
    return table;
  }

  piece(id, k) {
    const key = `${id}-${k}`;
    if (!this.pieces.has(key)) this.pieces.set(key, this.fetchJSON(`d/${key}.json`));
    return this.pieces.get(key);
  }

  postingsOf(term, entry) {
    if (!this.postings.has(term)) {
      const values = decodeVarints(entry[1]);
      const map = new Map();
      let doc = 0;
      for (let i = 0; i + 2 < values.length; i += 3) {
        doc += values[i];
        // First occurrence: 0 = only in the tags, else 1 + 2 * offset + (in the body).
        const first = values[i + 2];
        const where = first ? [(first - 1) >> 1, (first - 1) & 1] : [-1, -1];
        map.set(doc, [values[i + 1] / this.m.quantum, ...where]);
      }
      this.postings.set(term, map);
    }
    return this.postings.get(term);
  }

  /** Loads every shard the query's terms can live in; returns a synchronous lookup. */
  async vocabulary(folded) {
    const keys = new Set();
    for (const [kind, run] of runs(folded)) {
      if (kind === "han") for (const ch of run) keys.add(ch);
      else {
        keys.add(shardKey(asciiLower(run)));
        for (const part of latinParts(run)) keys.add(shardKey(part));
      }
    }
    const loaded = new Map();
    await Promise.all([...keys].map(async (key) => loaded.set(key, await this.shard(key))));
    const entry = (term) => (term ? loaded.get(shardKey(term))?.[term] : undefined);
    const stop = this.stopwordFreq;
    return {
      entry,
      lookup: (term) => entry(term)?.[0] ?? (Object.hasOwn(stop, term) ? stop[term] : null),
      shardOf: (term) => loaded.get(shardKey(term)),
    };
  }

  async search(rawQuery) {
    const query = String(rawQuery).slice(0, MAX_QUERY_CHARS);
    if (!query.trim()) return { items: [] };
    const folded = fold(query, await this.t2s(query));
    const vocab = await this.vocabulary(folded);
    const endsInWord = /[A-Za-z0-9]$/.test(folded);
    const units = queryUnits(folded, vocab.lookup, this.m.log_total, this.stopwords).slice(0, MAX_UNITS);

    // Each group is what one unit may match: alternatives, of which a document's best counts.
    const groups = [];
    units.forEach((unit, i) => {
      const last = i === units.length - 1;
      if (vocab.entry(unit.whole)) {
        groups.push({ label: unit.whole, terms: [unit.whole] });
      } else if (unit.parts.length && unit.parts.every((p) => vocab.entry(p))) {
        for (const part of unit.parts) groups.push({ label: part, terms: [part] });
      } else if (last && endsInWord && !isHan(unit.whole[0]) && unit.whole.length >= 2) {
        // The reader is still typing a Latin word: complete it from the shard it lives in.
        const shard = vocab.shardOf(unit.whole) ?? {};
        const completions = Object.keys(shard)
          .filter((term) => term.startsWith(unit.whole))
          .sort((a, b) => shard[b][1].length - shard[a][1].length)
          .slice(0, PREFIX_EXPANSIONS);
        groups.push({ label: unit.whole, terms: completions });
      } else if (!(isHan(unit.whole[0]) && unit.whole.length === 1)) {
        // Missing from every document: Material lists it as a missing term. (A lone Han
        // character outside the vocabulary is a fragment of a word; it is left out.)
        groups.push({ label: unit.whole, terms: [] });
      }
    });
    if (!groups.length) return { items: [] };

    const scores = new Map(); // doc -> {parts: score per group, at: [offset, field, term, idf]}
    groups.forEach((group, g) => {
      for (const term of group.terms) {
        const postings = this.postingsOf(term, vocab.entry(term));
        const idf = Math.log(1 + (this.m.docs - postings.size + 0.5) / (postings.size + 0.5));
        for (const [doc, [weight, offset, field]] of postings) {
          const value = (idf * weight * (this.m.k1 + 1)) / (weight + this.m.k1);
          let s = scores.get(doc);
          if (!s) scores.set(doc, (s = { parts: new Array(groups.length).fill(0), at: [] }));
          if (value > s.parts[g]) {
            s.parts[g] = value;
            s.at[g] = [offset, field, term, idf];
          }
        }
      }
    });

    const ranked = [];
    for (const [doc, s] of scores) {
      let sum = 0;
      let matched = 0;
      let adjacent = 0;
      for (let g = 0; g < groups.length; g++) {
        if (s.parts[g] > 0) {
          sum += s.parts[g];
          matched++;
          // Adjacent: the next group's term starts right after this one (one character,
          // such as 的, may sit between), in the same field.
          const [a, b] = [s.at[g], s.at[g + 1]];
          if (s.parts[g + 1] > 0 && a[0] >= 0 && b[0] >= 0 && a[1] === b[1]) {
            const gap = b[0] - (a[0] + a[2].length);
            if (gap >= 0 && gap <= 1) adjacent++;
          }
        }
      }
      const coverage = matched / groups.length;
      const phrase = groups.length > 1 ? 1 + adjacent / (groups.length - 1) : 1;
      ranked.push([doc, sum * coverage * coverage * phrase, s]);
    }
    ranked.sort((a, b) => b[1] - a[1] || a[0] - b[0]);

    const top = ranked.slice(0, MAX_RESULTS);
    // For each result, the piece of text where its rarest matched term first occurs.
    const chunks = top.map(([, , s]) => {
      const inBody = s.at.filter((at) => at && at[1] === 1).sort((x, y) => y[3] - x[3]);
      return inBody.length ? Math.floor(inBody[0][0] / this.m.chunk) : 0;
    });
    const docs = await Promise.all(top.map(([doc], i) => this.piece(doc, chunks[i])));
    const items = top.map(([, score, s], i) => {
      const found = groups.flatMap((group, g) => (s.parts[g] > 0 ? group.terms : []));
      const terms = {};
      groups.forEach((group, g) => {
        terms[group.label] = s.parts[g] > 0;
      });
      return [
        {
          location: docs[i].u,
          title: highlight(docs[i].t, 0, docs[i].t.length, found),
          text: `<p>${snippet(docs[i].x, found, chunks[i] > 0)}</p>`,
          score,
          terms,
        },
      ];
    });
    return { items };
  }
}

/** Where `terms` occur in `text` (case-insensitive, folded): sorted [start, end) ranges. */
export function occurrences(text, terms, t2s = {}) {
  const haystack = asciiLower(fold(text, t2s));
  const ranges = [];
  for (const term of terms) {
    if (!term) continue;
    const latin = !isHan(term[0]);
    for (let at = haystack.indexOf(term), n = 0; at >= 0 && n < 200; at = haystack.indexOf(term, at + 1)) {
      // A Latin term starts a word or a camel-case part ("attention" in FlashAttention,
      // not "ra" in "LoRA" typed as part of "explora...").
      if (latin && at > 0 && /[A-Za-z0-9]/.test(text[at - 1])) {
        const boundary =
          (/[a-z]/.test(text[at - 1]) && /[A-Z]/.test(text[at])) ||
          (/[0-9]/.test(text[at - 1]) !== /[0-9]/.test(text[at]));
        if (!boundary) continue;
      }
      ranges.push([at, at + term.length]);
      n++;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** text[start, end) as escaped HTML with every occurrence of `terms` in <mark>. */
export function highlight(text, start, end, terms) {
  let html = "";
  let at = start;
  for (const [a, b] of occurrences(text, terms)) {
    if (b <= start || a >= end) continue;
    const from = Math.max(a, start);
    const to = Math.min(b, end);
    html += escapeHtml(text.slice(at, from)) + "<mark>" + escapeHtml(text.slice(from, to)) + "</mark>";
    at = to;
  }
  return html + escapeHtml(text.slice(at, end));
}

/**
 * A window of `text` around its densest cluster of matches, escaped and highlighted.
 * `continued`: `text` is a piece from the middle of the article.
 */
export function snippet(text, terms, continued = false) {
  const ranges = occurrences(text, terms);
  let start = 0;
  if (ranges.length) {
    let best = -1;
    for (let i = 0; i < ranges.length; i++) {
      const seen = new Set();
      for (let j = i; j < ranges.length && ranges[j][0] < ranges[i][0] + SNIPPET_CHARS / 2; j++) {
        seen.add(asciiLower(text.slice(ranges[j][0], ranges[j][1])));
      }
      if (seen.size > best) {
        best = seen.size;
        start = ranges[i][0];
      }
    }
    // Back up to the start of the sentence when it is near, so the snippet reads well.
    const floor = Math.max(0, start - 40);
    let cut = start;
    while (cut > floor && !/[。！？!?；;\n]/.test(text[cut - 1])) cut--;
    start = cut === floor ? Math.max(0, start - 20) : cut;
  }
  const end = Math.min(text.length, start + SNIPPET_CHARS);
  const head = start > 0 || continued ? "…" : "";
  return head + highlight(text, start, end, terms) + (end < text.length ? "…" : "");
}
