// Zhiku's search engine: fetches the index shards a query needs, scores with BM25F
// (precomputed per posting at build time) plus coverage and adjacency boosts, and
// answers in the shape Material's result list renders. Pure apart from the injected
// `fetchJSON(path, range)`, which gives the data of an index file ("t/3.js"): the worker
// fetches the file and reads it with parseIndexScript, a page opened from disk loads it
// as a script; Node's tests drive the engine on a built index without a browser. For a
// term's postings it is also given `range` ({start, end, key}: the bytes of one JSON
// string in a postings file): the worker then asks for those bytes alone and answers
// {[key]: the string}; any fetcher may ignore it and give the whole file's data.
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
  latinParts,
  own,
  pinyinFold,
  pinyinShardKey,
  pinyinSplits,
  runs,
  segmentHan,
  shardKey,
  toneless,
} from "./tokenize.mjs";

export const FORMAT = 5;
export const PAGE = 10; // results per page: "显示更多" asks for the next one
export const MAX_RESULTS = PAGE;
const MAX_UNITS = 16;
const PREFIX_EXPANSIONS = 8;
const SNIPPET_CHARS = 160;
// A Han word found through its pinyin ranks below the same word typed in Han.
export const PINYIN_FACTOR = 0.7;
const MAX_PINYIN_JOIN = 6; // "zhu yi li": up to this many typed syllables make one word
const SPLITS_TRIED = 12; // ways to cut an unspaced pinyin word whose words are looked up
const FIRST_PARTS = 6; // parts of a key tried first (the most used): see bestSplit
const FACET_TAGS = 8; // tag chips shown for a query
// Weight of title coverage (the share of a title the query's words make up) in ranking.
// Measured on the sample mixed among 3,000 reworded notes (scripts/bench_search_relevance.py).
export const TITLE_COVER = 1;
// A page whose title or headings hold every word asked for scores this much more: past
// BM25's saturation, a page that merely mentions a word often must not outrank the page
// (or the section) named after it. (Weighing each word by where it is found instead let look-alike notes with one
// of the words in their titles outrank the answer: MRR 0.823 against 0.839 among 3,000.)
export const HEAD_BONUS = 0.5;
const VERIFIED = 2 * PAGE; // best results whose text is searched for the query's phrases
// Words typed apart ("量化 幻方") found within this many characters of each other count
// NEAR_WEIGHT of a pair found side by side: the reader asked for both, not for a phrase.
// (Among 3,000 look-alike notes: multi-word queries' MRR 0.719 -> 0.833, nothing lower;
// applied to words typed together too, "GPU显存" found near beat the phrase: 0.817 -> 0.636.)
const NEAR_CHARS = 8;
const NEAR_WEIGHT = 0.5;
// Partial matches (missing a word) follow full ones only when there are fewer full ones
// than this, and only those scoring at least RELATED times the last full match.
const FEW_FULL = 3;
const RELATED = 0.15;
// Typed filters: 分类:Python, 标签:扩散模型, tag:GAN, category:"Large Model".
const FILTER_RE =
  /(^|\s)(分类|类别|category|cat|标签|tag|tags)\s*[:：]\s*(?:"([^"]*)"|“([^”]*)”|(\S+))/gi;
const FILTER_KIND = { 分类: "category", 类别: "category", category: "category", cat: "category" };

/** The index was built by a Zhiku this engine cannot read. */
export class SearchIndexError extends Error {
  constructor(message) {
    super(message);
    this.name = "SearchIndexError";
  }
}

/**
 * The data of an index file, `zhikuIndex("t/3.js",{…});`: the JSON between the first comma
 * (file names hold none) and the last parenthesis, parsed, never evaluated.
 */
export function parseIndexScript(text) {
  const source = String(text);
  const start = source.indexOf(",");
  const end = source.lastIndexOf(")");
  if (!source.startsWith("zhikuIndex(") || start < 0 || end < start) {
    throw new SearchIndexError("not a Zhiku index file; rebuild the site with this version of Zhiku");
  }
  return JSON.parse(source.slice(start + 1, end));
}

/** A document's text as the index packs it: deflated (zlib), in base 64 (shards.py's pack_text). */
export async function unpackText(packed) {
  const bytes = Uint8Array.from(atob(packed), (ch) => ch.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
  return new Response(stream).text();
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

/** The filters typed in a query, and the rest of it: {text, filters: [{kind, value}]}. */
export function parseFilters(query) {
  const filters = [];
  const text = String(query).replace(FILTER_RE, (all, lead, key, q1, q2, bare) => {
    const kind = own(FILTER_KIND, key.toLowerCase()) ?? "tag";
    const value = (q1 ?? q2 ?? bare ?? "").trim();
    if (value) filters.push({ kind, value });
    return lead || " ";
  });
  return { text, filters };
}

/** The typed form of a filter, as a chip writes it into the search box. */
export function filterSyntax(kind, name) {
  const label = kind === "category" ? "分类" : "标签";
  return /[\s"]/.test(name) ? `${label}:“${name}”` : `${label}:${name}`;
}

function editDistance(a, b, limit) {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      best = Math.min(best, row[j]);
    }
    if (best > limit) return limit + 1;
    prev = row;
  }
  return prev[b.length];
}

class Engine {
  constructor(manifest, fetchJSON) {
    this.m = manifest;
    this.fetchJSON = fetchJSON;
    this.stopwordFreq = new Map(Object.entries(manifest.stopwords ?? {}));
    this.stopwords = new Set(this.stopwordFreq.keys());
    this.shards = new Map(); // shard number -> Promise<{term: [freq, postings], "": {trad: simp}}>
    this.pinyinShards = new Map(); // shard number -> Promise<{key: [Han terms]}>
    this.pieces = new Map(); // "id-k" -> Promise<{u, t, x}>
    this.postings = new Map(); // term -> Map(doc id -> [weight, first occurrence])
    this.codes = new Map(); // term -> Promise<its postings as stored, or null>
    this.facetData = null; // Promise<{c, g, d}>
    this.memo = null; // the last query's ranking: paging costs no recomputation
  }

  shard(key) {
    const n = fnv1a(key) % this.m.shards;
    if (!this.shards.has(n)) {
      // A shard that does not exist holds no terms (the build writes only non-empty ones).
      this.shards.set(n, this.fetchJSON(`t/${n}.js`).catch(() => ({})));
    }
    return this.shards.get(n);
  }

  pinyinShard(key) {
    if (!this.m.pinyin_shards) return Promise.resolve({});
    const n = fnv1a(pinyinShardKey(key)) % this.m.pinyin_shards;
    if (!this.pinyinShards.has(n)) {
      this.pinyinShards.set(n, this.fetchJSON(`p/${n}.js`).catch(() => ({})));
    }
    return this.pinyinShards.get(n);
  }

  /** Categories, tags and each document's: {c: [names], g: [names], d: [[cat, tag...]]}. */
  facets() {
    if (!this.facetData) {
      // Packed as a document's text is (a list per document: it grows with the site).
      this.facetData = this.fetchJSON("f.js")
        .then(async (data) => (typeof data?.z === "string" ? JSON.parse(await unpackText(data.z)) : data))
        .catch(() => ({ c: [], g: [], d: [] }));
    }
    return this.facetData;
  }

  /** Traditional -> simplified for the query's characters, from the shards they name. */
  async t2s(text) {
    const table = new Map();
    const shards = await Promise.all([...new Set(text)].filter(isHan).map((ch) => this.shard(ch)));
    for (const shard of shards) {
      const part = own(shard, "");
      if (part && typeof part === "object") {
        for (const [from, to] of Object.entries(part)) table.set(from, to);
      }
    }
    return Object.fromEntries(table);
  }

  piece(id, k) {
    const key = `${id}-${k}`;
    if (!this.pieces.has(key)) {
      this.pieces.set(
        key,
        this.fetchJSON(`d/${key}.js`).then(async (doc) =>
          typeof doc?.z === "string" ? { ...doc, x: await unpackText(doc.z) } : doc,
        ),
      );
    }
    return this.pieces.get(key);
  }

  /**
   * Fetches the postings of `terms` the dictionary only points to (see shards.py: a
   * rare term's postings are in its entry), so that postingsOf has them.
   */
  async loadPostings(terms, vocab) {
    const wanted = [...new Set(terms)].filter((term) => !this.postings.has(term));
    await Promise.all(
      wanted.map((term) => {
        const entry = vocab.entry(term);
        if (!pointer(entry)) return null;
        if (!this.codes.has(term)) {
          const [, , file, start, end] = entry;
          const path = `i/${file}.js`;
          this.codes.set(
            term,
            this.fetchJSON(path, { start, end, key: term })
              .then((data) => {
                // A whole file (no ranges served, or from disk): keep its other terms too.
                for (const [other, code] of Object.entries(data ?? {})) {
                  if (other !== term && typeof code === "string" && !this.codes.has(other)) {
                    this.codes.set(other, Promise.resolve(code));
                  }
                }
                const code = own(data, term);
                return typeof code === "string" ? code : null;
              })
              .catch(() => null),
          );
        }
        return this.codes.get(term).then((code) => {
          if (!this.postings.has(term)) this.postings.set(term, this.decodePostings(code));
        });
      }),
    );
  }

  /** How many documents hold a term, from its dictionary entry. */
  documents(term, entry) {
    if (pointer(entry)) return entry[1];
    return this.postingsOf(term, entry).size;
  }

  postingsOf(term, entry) {
    if (!this.postings.has(term)) {
      if (pointer(entry)) return new Map(); // not loaded: loadPostings comes first
      this.postings.set(term, this.decodePostings(Array.isArray(entry) ? entry[1] : null));
    }
    return this.postings.get(term);
  }

  decodePostings(code) {
    {
      const map = new Map();
      const values = typeof code === "string" ? decodeVarints(code) : [];
      let doc = 0;
      for (let i = 0; i + 2 < values.length; i += 3) {
        doc += values[i];
        // First occurrence: 0 = only in the tags, else 1 + 4 * offset + 2 * (in a heading)
        // + (in the body).
        const first = values[i + 2];
        const where = first ? [Math.floor((first - 1) / 4), (first - 1) & 1, ((first - 1) >> 1) & 1] : [-1, -1, 0];
        map.set(doc, [values[i + 1] / this.m.quantum, ...where]);
      }
      return map;
    }
  }

  /** Loads every shard the query's terms can live in; returns a synchronous lookup. */
  async vocabulary(folded, extraTerms) {
    const keys = new Set();
    for (const [kind, run] of runs(folded)) {
      if (kind === "han") for (const ch of run) keys.add(ch);
      else {
        keys.add(shardKey(asciiLower(run)));
        for (const part of latinParts(run)) keys.add(shardKey(part));
      }
    }
    for (const term of extraTerms) keys.add(shardKey(term));
    const loaded = new Map();
    await Promise.all([...keys].map(async (key) => loaded.set(key, await this.shard(key))));
    const entry = (term) => {
      if (!term) return undefined;
      const value = own(loaded.get(shardKey(term)), term);
      return Array.isArray(value) ? value : undefined;
    };
    const stop = this.stopwordFreq;
    return {
      entry,
      lookup: (term) => entry(term)?.[0] ?? (stop.has(term) ? stop.get(term) : null),
      shardOf: (term) => loaded.get(shardKey(term)) ?? {},
      loaded,
    };
  }

  /**
   * Typed pinyin: joins syllables typed apart ("zhu yi li" -> "zhuyili") when the joined
   * word is a key the index knows, and returns the text with a Map key -> Han terms.
   */
  async pinyin(folded) {
    const words = [...folded.matchAll(/[A-Za-z0-9]+/g)].map((m) => ({
      start: m.index,
      end: m.index + m[0].length,
      key: toneless(asciiLower(m[0])),
    }));
    // Chains: words with only spaces between them.
    const chains = [];
    words.forEach((w, i) => {
      const glued = i > 0 && /^\s+$/.test(folded.slice(words[i - 1].end, w.start));
      if (glued) chains[chains.length - 1].push(w);
      else chains.push([w]);
    });
    const candidates = new Set();
    for (const chain of chains) {
      for (let i = 0; i < chain.length; i++) {
        let key = "";
        for (let j = i; j < Math.min(chain.length, i + MAX_PINYIN_JOIN); j++) {
          key += chain[j].key;
          candidates.add(key);
        }
      }
    }
    const table = new Map();
    await Promise.all(
      [...candidates].map(async (key) => {
        const terms = own(await this.pinyinShard(key), key);
        // Only whole words: a part (a lone character, two initials) is no word on its own.
        const words = Array.isArray(terms) ? terms.filter((t) => typeof t === "string" && t && !isPart(key, t)) : [];
        if (words.length) table.set(key, words);
      }),
    );
    // Rewrite, longest joins first, right to left so positions stay valid.
    const joins = [];
    for (const chain of chains) {
      for (let i = 0; i < chain.length; ) {
        let best = i;
        let key = chain[i].key;
        for (let j = i + 1, joined = key; j < Math.min(chain.length, i + MAX_PINYIN_JOIN); j++) {
          joined += chain[j].key;
          if (table.has(joined)) {
            best = j;
            key = joined;
          }
        }
        if (best > i) joins.push([chain[i].start, chain[best].end, key]);
        i = best + 1;
      }
    }
    let text = folded;
    for (const [start, end, key] of joins.reverse()) text = text.slice(0, start) + key + text.slice(end);
    // The word still being typed ("zhuyil"): the words whose pinyin it begins, if few.
    const last = /([a-z]{3,})$/.exec(asciiLower(text));
    if (last && !table.has(last[1])) {
      const shard = await this.pinyinShard(last[1]);
      const keys = Object.keys(shard).filter((key) => key.startsWith(last[1]) && Array.isArray(own(shard, key)));
      if (keys.length && keys.length <= PREFIX_EXPANSIONS) {
        const words = keys
          .sort((a, b) => a.length - b.length)
          .flatMap((key) => own(shard, key).filter((t) => typeof t === "string" && t && !isPart(key, t)));
        if (words.length) table.set(last[1], [...new Set(words)]);
      }
    }
    return { text, table };
  }

  /**
   * Unspaced pinyin: each Latin word of `folded` that is neither a word of the index nor
   * a pinyin key of one, cut into keys of adjacent words ("tidujianchadian" -> tidu
   * jianchadian, "tdjcd" -> td jcd, "zhuyilijz" -> zhuyili jz). Of the ways to cut it,
   * fewest pieces first, the one whose words the index most often holds side by side
   * wins; no way is taken on words that are never adjacent, unless every piece names
   * whole words (then found together in one article is enough). Returns Map word ->
   * [{key, terms}] (the Han terms each piece may be, in the order typed).
   */
  async splitPinyin(folded, vocab, pinyin) {
    const out = new Map();
    if (!this.m.pinyin_shards) return out;
    const endsInWord = /[A-Za-z0-9]$/.test(folded);
    const words = [...folded.matchAll(/[A-Za-z0-9]+/g)].map((m) => [toneless(asciiLower(m[0])), m.index + m[0].length]);
    for (const [word, end] of words) {
      if (out.has(word) || !/^[a-z]+$/.test(word) || vocab.entry(word)) continue;
      if ((pinyin.get(word) ?? []).some((t) => isWord(word, t))) continue;
      const pieces = await this.bestSplit(word, endsInWord && end === folded.length);
      if (pieces) out.set(word, pieces);
    }
    return out;
  }

  async bestSplit(word, typing) {
    const prefixes = new Set();
    for (let i = 0; i + 2 <= word.length; i++) {
      prefixes.add(word.slice(i, i + 2));
      if (i + 3 <= word.length) prefixes.add(word.slice(i, i + 3));
    }
    const loaded = new Map();
    await Promise.all([...prefixes].map(async (p) => loaded.set(p, await this.pinyinShard(p))));
    const shardOf = (key) => loaded.get(pinyinShardKey(key)) ?? {};
    const termsOf = (key) => {
      const terms = own(shardOf(key), key);
      return Array.isArray(terms) ? terms.filter((t) => typeof t === "string" && t) : [];
    };
    // The word the reader is still typing: its last piece may begin a key ("jianchad").
    const completions = (piece) => {
      if (!typing || piece.length < 3) return [];
      const keys = Object.keys(shardOf(piece)).filter((key) => key.startsWith(piece) && termsOf(key).length);
      if (keys.length > PREFIX_EXPANSIONS) return [];
      return keys.sort((a, b) => a.length - b.length).flatMap((key) => termsOf(key).filter((t) => !isPart(key, t)));
    };
    const splits = pinyinSplits(
      word,
      (piece) => termsOf(piece).length > 0,
      (piece) => completions(piece).length > 0,
    );
    // Parts are many per key, and each costs the fetch of its shard: the most used come
    // first, and the rest only when no way to cut the word finds its words side by side.
    for (const parts of [FIRST_PARTS, Infinity]) {
      let best = null; // [pieces, documents where they are adjacent, typed pieces]
      let together = null; // the first split of whole words found together in one article
      for (const split of splits.slice(0, SPLITS_TRIED)) {
        if (best && split.length > best[2]) break;
        const pieces = split
          .flatMap((key, i) =>
            expandPhrases(key, termsOf(key).length ? termsOf(key) : i === split.length - 1 ? completions(key) : []),
          )
          .map((piece) => ({ ...piece, terms: trimParts(piece, parts) }));
        if (pieces.length < 2) continue; // one word: handled as typed
        // Once a way is found, others are weighed against it only if they cost no parts.
        if (best && pieces.some((piece) => piece.terms.some((t) => isPart(piece.key, t)))) continue;
        const pieceTerms = pieces.flatMap((piece) => piece.terms);
        const vocab = await this.vocabulary("", pieceTerms);
        await this.loadPostings(pieceTerms, vocab);
        const [alive, support, docs] = this.adjacency(pieces, vocab);
        if (support > (best?.[1] ?? 0)) best = [alive, support, split.length];
        if (!together && docs) together = this.together(pieces, vocab);
      }
      if (best || together) return best ? best[0] : together;
      if (!splits.slice(0, SPLITS_TRIED).some((split) => split.some((key) => termsOf(key).filter((t) => isPart(key, t)).length > parts))) break;
    }
    return null;
  }

  /**
   * When no way to cut a typed word finds its words side by side (the index keeps first
   * occurrences only): its whole words, and for at most one piece of parts ("jz" in
   * "zyljz") the part found with them in the most articles, if some article holds them
   * all. Null otherwise: parts alone ("dzjc") would name any two common words.
   */
  together(pieces, vocab) {
    const post = (t) => this.postingsOf(t, vocab.entry(t));
    const words = pieces.map((piece) => piece.terms.filter((t) => !isPart(piece.key, t)));
    if (words.filter((w) => !w.length).length > 1 || words.every((w) => !w.length)) return null;
    // A lone character found somewhere in the same article is no evidence at all.
    if (pieces.some((piece, k) => !words[k].length && piece.terms.some((t) => t.length === 1))) return null;
    let common = null;
    const meet = (docs) => (common = common ? new Set([...common].filter((d) => docs.has(d))) : docs);
    for (const w of words) if (w.length) meet(new Set(w.flatMap((t) => [...post(t).keys()])));
    const chosen = words.map((w, k) => {
      if (w.length) return w;
      let best = null;
      for (const t of pieces[k].terms) {
        const n = [...post(t).keys()].filter((d) => common.has(d)).length;
        if (n > (best?.[1] ?? 0)) best = [t, n];
      }
      if (best) meet(new Set(post(best[0]).keys()));
      return best ? [best[0]] : [];
    });
    if (!common?.size || chosen.some((c) => !c.length)) return null;
    return pieces.map((piece, k) => ({ ...piece, terms: chosen[k] }));
  }

  /**
   * How the words of consecutive `pieces` occur side by side in the index (each term's
   * first occurrence in the body, or anywhere in one title): [the pieces with only the terms on some
   * chain of adjacent words, how many documents hold a whole chain, and whether any
   * document holds a word of every piece].
   */
  adjacency(pieces, vocab) {
    const post = (t) => this.postingsOf(t, vocab.entry(t));
    const next = (a, b, doc) => {
      const x = post(a).get(doc);
      const y = post(b).get(doc);
      if (!x || !y || x[1] < 0 || y[1] < 0 || x[2] !== y[2]) return false;
      // Both in one title: a title is a few words, and the index keeps only a word's first
      // occurrence (元学习：学会学习 has 学习 first inside 元学习, not after 学会).
      if (x[2] === 0) return true;
      const gap = y[1] - (x[1] + a.length);
      return gap >= 0 && gap <= 1;
    };
    // reach[k]: term -> documents where a chain of adjacent words ends on it at piece k.
    const reach = [new Map(pieces[0].terms.map((t) => [t, new Set(post(t).keys())]))];
    for (let k = 1; k < pieces.length; k++) {
      const here = new Map();
      for (const t of pieces[k].terms) {
        const docs = new Set();
        for (const [before, seen] of reach[k - 1]) {
          for (const doc of seen) if (next(before, t, doc)) docs.add(doc);
        }
        if (docs.size) here.set(t, docs);
      }
      reach.push(here);
    }
    let together = true;
    let common = null;
    for (const piece of pieces) {
      const docs = new Set(piece.terms.flatMap((t) => [...post(t).keys()]));
      common = common ? new Set([...common].filter((d) => docs.has(d))) : docs;
      if (!common.size) together = false;
    }
    const last = reach[pieces.length - 1];
    const ends = new Set([...last.values()].flatMap((docs) => [...docs]));
    if (!ends.size) return [null, 0, together];
    // Back from the last piece: keep the terms that lead to a chain's end.
    const alive = [new Set(last.keys())];
    for (let k = pieces.length - 2; k >= 0; k--) {
      const after = alive[0];
      alive.unshift(
        new Set(
          [...reach[k]].filter(([t, docs]) =>
            [...after].some((u) => [...docs].some((doc) => reach[k + 1].get(u)?.has(doc) && next(t, u, doc))),
          ).map(([t]) => t),
        ),
      );
    }
    return [pieces.map((piece, k) => ({ ...piece, terms: piece.terms.filter((t) => alive[k].has(t)) })), ends.size, together];
  }

  /** Each group is what one unit of the query may match: alternatives, the best counts. */
  groupsOf(text, vocab, pinyin, splits = null) {
    const groups = [];
    const endsInWord = /[A-Za-z0-9]$/.test(text);
    const parts = runs(text.slice(0, MAX_QUERY_CHARS));
    parts.forEach(([kind, run], r) => {
      if (kind === "han") {
        const words = segmentHan(run, vocab.lookup, this.m.log_total);
        let single = [];
        const flush = () => {
          if (single.length === 1) {
            // A lone character beside words: it counts when the index knows it, but a
            // document matching only such characters is no answer.
            const ch = single[0];
            if (run.length === 1) groups.push({ label: ch, terms: [[ch, 1]], weak: false });
            else if (vocab.entry(ch)) groups.push({ label: ch, terms: [[ch, 1]], weak: true });
          } else if (single.length > 1) {
            // Characters that make no known word together (量子 in 量子计算 on a site that
            // never says 量子): one word the reader asked for, found or missing as a whole.
            const word = single.join("");
            groups.push({ label: word, terms: vocab.entry(word) ? [[word, 1]] : [], weak: false });
          }
          single = [];
        };
        for (const word of words) {
          if (this.stopwords.has(word)) flush();
          else if (word.length === 1) single.push(word);
          else {
            flush();
            groups.push({ label: word, terms: [[word, 1]], weak: false });
          }
        }
        flush();
        return;
      }
      const whole = asciiLower(run);
      const key = toneless(whole);
      const pieces = splits?.get(key);
      const camel = latinParts(run);
      // A camel-case word whose parts the index knows ("PrefixTuning") is read as typed.
      if (pieces && !(camel.length > 1 && camel.every((p) => vocab.entry(p)))) {
        // Unspaced pinyin of adjacent words: one group per word, as if typed in Han.
        for (const piece of pieces) {
          const terms = piece.terms.filter((t) => vocab.entry(t)).map((t) => [t, PINYIN_FACTOR]);
          groups.push({ label: piece.label ?? piece.key, terms, weak: piece.terms.every((t) => t.length === 1) });
        }
        return;
      }
      const han = (pinyin.get(key) ?? [])
        .filter((t) => !isPart(key, t) && vocab.entry(t))
        .map((t) => [t, PINYIN_FACTOR]);
      if (this.stopwords.has(whole) && !han.length) return;
      const last = r === parts.length - 1;
      const split = latinParts(run);
      if (vocab.entry(whole)) {
        groups.push({ label: whole, terms: [[whole, 1], ...han], weak: false });
      } else if (split.length > 1 && split.every((p) => vocab.entry(p)) && !han.length) {
        for (const p of split) groups.push({ label: p, terms: [[p, 1]], weak: false });
      } else {
        const terms = [...han];
        if (last && endsInWord && whole.length >= 2) {
          // The reader is still typing a Latin word: complete it from the shard it lives in.
          const shard = vocab.shardOf(whole);
          const completions = Object.keys(shard)
            .filter((t) => t.startsWith(whole) && vocab.entry(t))
            .sort((a, b) => this.documents(b, shard[b]) - this.documents(a, shard[a]) || (a < b ? -1 : 1))
            .slice(0, PREFIX_EXPANSIONS);
          terms.push(...completions.map((t) => [t, 1]));
        }
        groups.push({ label: whole, terms, weak: false });
      }
    });
    return groups.slice(0, MAX_UNITS);
  }

  /** The ranking of a query, without snippets: cached, so "显示更多" costs no recomputation. */
  async rank(rawQuery) {
    const query = String(rawQuery).slice(0, MAX_QUERY_CHARS);
    if (this.memo && this.memo.query === query) return this.memo;
    const { text: rest, filters } = parseFilters(query);
    const plain = pinyinFold(rest);
    const [t2s, { text: joined, table: pinyin }, meta] = await Promise.all([
      this.t2s(plain),
      this.pinyin(fold(plain, {})),
      this.facets(),
    ]);
    const folded = fold(joined, t2s);
    const pinyinTerms = [...pinyin.values()].flat().filter((t) => !isPhrase(t));
    let vocab = await this.vocabulary(folded, pinyinTerms);
    const splits = await this.splitPinyin(folded, vocab, pinyin);
    if (splits.size) {
      const splitTerms = [...splits.values()].flat().flatMap((piece) => piece.terms);
      vocab = await this.vocabulary(folded, [...pinyinTerms, ...splitTerms]);
    }
    const groups = this.groupsOf(folded, vocab, pinyin, splits);
    groups.apart = /\S\s+\S/.test(folded.trim()); // words typed apart: near counts too

    // Filters: the documents of the named categories and tags (all must hold).
    const state = { query, groups, filters: [], unknown: [], ranked: [], complete: 0, vocab };
    let allowed = null;
    if (filters.length) {
      for (const { kind, value } of filters) {
        const names = kind === "category" ? meta.c : meta.g;
        const want = asciiLower(fold(value, t2s));
        const index = names.findIndex((name) => asciiLower(fold(name, t2s)) === want);
        if (index < 0) {
          state.unknown.push({ kind, value, near: nearNames(names, want, t2s) });
          continue;
        }
        state.filters.push({ kind, name: names[index] });
        const docs = new Set();
        meta.d.forEach((d, doc) => {
          if (kind === "category" ? d[0] === index : d.indexOf(index, 1) > 0) docs.add(doc);
        });
        allowed = allowed ? new Set([...allowed].filter((doc) => docs.has(doc))) : docs;
      }
      if (state.unknown.length) allowed = new Set();
    }

    if (!groups.length) {
      // Filters alone: every document they allow, newest first.
      if (allowed) state.ranked = [...allowed].sort((a, b) => a - b).map((doc) => [doc, 0, null]);
      state.complete = state.ranked.length;
      this.memo = state;
      return state;
    }

    await this.loadPostings(
      groups.flatMap((group) => group.terms.map(([term]) => term)),
      vocab,
    );
    const scores = new Map(); // doc -> {parts: score per group, at: [offset, field, term, idf]}
    groups.forEach((group, g) => {
      // The words one unit may be (显存 and 现存 for "xiancun", a Latin word's completions)
      // are one word to the reader: they share the IDF of their documents together, so
      // that a rare reading the reader hardly meant does not outscore the common one.
      const all = group.terms.map(([term]) => this.postingsOf(term, vocab.entry(term)));
      const df = all.length === 1 ? all[0].size : new Set(all.flatMap((postings) => [...postings.keys()])).size;
      const idf = Math.log(1 + (this.m.docs - df + 0.5) / (df + 0.5));
      for (const [term, factor] of group.terms) {
        const postings = this.postingsOf(term, vocab.entry(term));
        for (const [doc, [weight, offset, field, heading]] of postings) {
          if (allowed && !allowed.has(doc)) continue;
          const value = (factor * idf * weight * (this.m.k1 + 1)) / (weight + this.m.k1);
          let s = scores.get(doc);
          if (!s) scores.set(doc, (s = { parts: new Array(groups.length).fill(0), at: [] }));
          if (value > s.parts[g]) {
            s.parts[g] = value;
            s.at[g] = [offset, field, term, idf, heading];
          }
        }
      }
    });

    const strong = groups.filter((group) => !group.weak).length;
    for (const [doc, s] of scores) {
      let strongMatched = 0;
      let matched = 0;
      for (let g = 0; g < groups.length; g++) {
        if (s.parts[g] > 0) {
          matched++;
          if (!groups[g].weak) strongMatched++;
        }
      }
      // A document matching only lone characters of a longer query is no answer.
      if (!strongMatched) continue;
      s.complete = strongMatched === strong;
      s.whole = matched === groups.length; // every word asked for, lone characters too
      s.adjacent = adjacentPairs(s, groups);
      s.titleLength = meta.l?.[doc] ?? 1;
      state.ranked.push([doc, score(s, groups), s]);
    }
    const order = (a, b) =>
      b[2].complete - a[2].complete || b[2].whole - a[2].whole || b[1] - a[1] || a[0] - b[0];
    state.ranked.sort(order);
    if (await this.verifyPhrases(state.ranked.slice(0, VERIFIED), groups)) state.ranked.sort(order);
    state.ranked = precise(state.ranked);
    state.complete = state.ranked.filter(([, , s]) => s.complete).length;
    this.memo = state;
    return state;
  }

  /**
   * Phrases the index cannot see: it keeps where each word of a document first occurs,
   * so 元 … 学习 at their first occurrences may still be 元学习 further on. For the best
   * results, the piece of text a snippet would show is searched for each pair of the
   * query's consecutive words side by side; found, they count as adjacent (typed apart
   * and found near each other, NEAR_WEIGHT). Returns
   * whether a score changed.
   */
  async verifyPhrases(top, groups) {
    if (groups.length < 2) return false;
    const pending = top.filter(([, , s]) => s.whole && s.adjacent < groups.length - 1);
    const pieces = await Promise.all(
      pending.map(([doc, , s]) => this.piece(doc, this.chunkOf(s)).catch(() => null)),
    );
    let changed = false;
    pending.forEach((entry, i) => {
      const s = entry[2];
      const piece = pieces[i];
      if (!piece) return;
      const text = asciiLower(fold(`${piece.t ?? ""}\n${piece.x ?? ""}`, {}));
      let found = 0;
      for (let g = 0; g + 1 < groups.length; g++) {
        const a = s.at[g]?.[2];
        const b = s.at[g + 1]?.[2];
        if (a && b && (text.includes(a + b) || text.includes(`${a} ${b}`))) found++;
        else if (groups.apart && a && b && nearIn(text, a, b)) found += NEAR_WEIGHT;
      }
      if (found > s.adjacent) {
        s.adjacent = found;
        entry[1] = score(s, groups);
        changed = true;
      }
    });
    return changed;
  }

  /** The piece of a result's text where its rarest matched word first occurs. */
  chunkOf(s) {
    const inBody = (s?.at ?? []).filter((at) => at && at[1] === 1).sort((x, y) => y[3] - x[3]);
    return inBody.length ? Math.floor(inBody[0][0] / this.m.chunk) : 0;
  }

  /**
   * Results `offset` to `offset + limit` of a query, in the shape Material's result list
   * renders ({items}), with what Zhiku's panel adds: the total, the filters, a miss and
   * its suggestions, and the chip counts (facets).
   */
  async search(rawQuery, { offset = 0, limit = PAGE, facets = true } = {}) {
    const query = String(rawQuery ?? "");
    if (!query.trim()) return { items: [], total: 0, offset: 0 };
    const state = await this.rank(query);
    const { groups, ranked } = state;
    const top = ranked.slice(offset, offset + limit);
    // For each result, the piece of text where its rarest matched term first occurs.
    const chunks = top.map(([, , s]) => this.chunkOf(s));
    const docs = await Promise.all(top.map(([doc], i) => this.piece(doc, chunks[i])));
    const items = top.map(([, score, s], i) => {
      const found = s ? groups.flatMap((group, g) => (s.parts[g] > 0 ? group.terms.map(([t]) => t) : [])) : [];
      const terms = {};
      groups.forEach((group, g) => {
        if (!group.weak) terms[group.label] = Boolean(s && s.parts[g] > 0);
      });
      const doc = docs[i] ?? {};
      const title = String(doc.t ?? "");
      return [
        {
          location: String(doc.u ?? ""),
          title: highlight(title, 0, title.length, found),
          text: `<p>${snippet(String(doc.x ?? ""), found, chunks[i] > 0)}</p>`,
          score,
          terms,
        },
      ];
    });
    const result = {
      items,
      total: ranked.length,
      complete: state.complete, // results holding every word asked for (they come first)
      offset,
      filters: state.filters,
      unknownFilters: state.unknown,
      miss: null,
      suggestions: [],
    };
    if (groups.length && !state.complete) {
      // No document holds every word: say which are missing, and offer words the index knows.
      const missing = groups.filter((group, g) => !group.weak && !ranked.some(([, , s]) => s.parts[g] > 0));
      result.miss = { missing: missing.map((group) => group.label) };
      result.suggestions = await Promise.all(
        missing.map(async (group) => ({
          word: group.label,
          near: [...new Set([...this.near(group.label, state.vocab), ...(await this.nearPinyin(group.label))])],
        })),
      );
    }
    if (facets) result.facets = await this.counts(state);
    return result;
  }

  /** Chip counts for the query's results: [[name, count]] per category and (top) tags. */
  async counts(state) {
    const meta = await this.facets();
    const cats = new Map();
    const tags = new Map();
    for (const [doc] of state.ranked) {
      const d = meta.d[doc];
      if (!d) continue;
      if (d[0] >= 0) cats.set(d[0], (cats.get(d[0]) ?? 0) + 1);
      for (let i = 1; i < d.length; i++) tags.set(d[i], (tags.get(d[i]) ?? 0) + 1);
    }
    const named = (map, names, n) =>
      [...map]
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, n)
        .map(([i, count]) => [names[i], count]);
    return { categories: named(cats, meta.c, Infinity), tags: named(tags, meta.g, FACET_TAGS) };
  }

  /** Han words whose pinyin is within a typo of a missing Latin `word` ("zhuyli" -> 注意力). */
  async nearPinyin(word) {
    if (isHan(word[0]) || word.length < 4 || !/^[a-z]+$/.test(word)) return [];
    const shard = await this.pinyinShard(word);
    const found = [];
    for (const key of Object.keys(shard)) {
      const terms = own(shard, key);
      if (!Array.isArray(terms) || !terms.length) continue;
      const d = editDistance(word, key, word.length >= 6 ? 2 : 1);
      if (d <= (word.length >= 6 ? 2 : 1)) found.push([d, String(terms[0])]);
    }
    return found.sort((a, b) => a[0] - b[0]).slice(0, 2).map(([, term]) => term);
  }

  /** Terms the index knows that are closest to a missing `word` (most documents first). */
  near(word, vocab) {
    const found = new Map(); // term -> [closeness, documents]
    const consider = (term, closeness) => {
      const entry = vocab.entry(term);
      if (!entry || term === word) return;
      const df = this.documents(term, entry);
      const old = found.get(term);
      if (!old || closeness > old[0]) found.set(term, [closeness, df]);
    };
    if (isHan(word[0])) {
      for (const ch of new Set(word)) {
        const shard = vocab.shardOf(ch);
        for (const term of Object.keys(shard)) {
          if (term.length < 2 || !isHan(term[0])) continue;
          let shared = 0;
          for (const c of new Set(term)) if (word.includes(c)) shared++;
          if (shared) consider(term, shared / Math.max(term.length, word.length));
        }
      }
    } else {
      const limit = word.length >= 6 ? 2 : 1;
      for (const term of Object.keys(vocab.shardOf(word))) {
        if (!term || isHan(term[0])) continue;
        const d = editDistance(word, term, limit);
        if (d <= limit) consider(term, 1 - d / 10);
      }
    }
    return [...found]
      .sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 4)
      .map(([term]) => term);
  }
}

/** A dictionary entry that points to its postings in a postings file: [freq, documents,
 * file, start, end] (a rare term's entry is [freq, postings]). */
function pointer(entry) {
  return Array.isArray(entry) && entry.length === 5 && typeof entry[1] === "number";
}

/** A piece's terms with at most `limit` parts (words and phrases all kept). */
function trimParts(piece, limit) {
  let kept = 0;
  return piece.terms.filter((t) => !isPart(piece.key, t) || kept++ < limit);
}

/** A phrase of a pinyin key: adjacent terms jieba keeps apart ("感受 野"), see pinyin.py. */
export function isPhrase(term) {
  return term.includes(" ");
}

/** A Han term a pinyin key may name on its own: neither a part nor a phrase. */
export function isWord(key, term) {
  return !isPart(key, term) && !isPhrase(term);
}

/**
 * The pieces one typed key stands for: itself with its words, or, when it names only
 * phrases ("gsy" -> "感受 野"), one piece per word of its phrases of the commonest length.
 */
function expandPhrases(key, terms) {
  const words = terms.filter((t) => !isPhrase(t));
  const phrases = terms.filter(isPhrase).map((t) => t.split(" "));
  if (words.length || !phrases.length) return [{ key, terms: words }];
  const size = phrases[0].length;
  const same = phrases.filter((p) => p.length === size);
  return Array.from({ length: size }, (_, i) => {
    const terms = [...new Set(same.map((p) => p[i]))];
    return { key, label: terms[0], terms };
  });
}

/** Whether a Han term is listed under a pinyin key only as part of a longer typed phrase
 * (a single character, or two characters under their two initials: pinyin.py is_part). */
export function isPart(key, term) {
  return term.length === 1 || (term.length === key.length && key.length < 3);
}

/** How many of the query's consecutive words a document has side by side (first
 * occurrences, one character such as 的 may sit between, in the same field), with
 * words typed apart found near each other in the body counting NEAR_WEIGHT a pair. */
function adjacentPairs(s, groups) {
  let adjacent = 0;
  for (let g = 0; g + 1 < groups.length; g++) {
    const [a, b] = [s.at[g], s.at[g + 1]];
    if (s.parts[g] > 0 && s.parts[g + 1] > 0 && a[0] >= 0 && b[0] >= 0 && a[1] === b[1]) {
      const gap = b[0] - (a[0] + a[2].length);
      if (gap >= 0 && gap <= 1) adjacent++;
      else if (groups.apart && a[1] !== 0 && nearBy(a[0], a[2].length, b[0], b[2].length)) adjacent += NEAR_WEIGHT;
    }
  }
  return adjacent;
}

/** Whether two words at `a` and `b` stand within NEAR_CHARS of each other, either order. */
function nearBy(a, aLength, b, bLength) {
  const gap = a <= b ? b - (a + aLength) : a - (b + bLength);
  return gap >= 0 && gap <= NEAR_CHARS;
}

/** Whether `a` and `b` occur within NEAR_CHARS of each other somewhere in `text`. */
function nearIn(text, a, b) {
  for (let at = text.indexOf(a), n = 0; at >= 0 && n < 100; at = text.indexOf(a, at + 1), n++) {
    const from = Math.max(0, at - NEAR_CHARS - b.length);
    if (text.slice(from, at + a.length + NEAR_CHARS + b.length).includes(b)) return true;
  }
  return false;
}

/**
 * A document's score: BM25F summed over the query's words (saturated per word at build
 * and here), times how many of the words it holds, how many it holds side by side, and
 * how much it has them in its title rather than only in its body or tags.
 */
function score(s, groups) {
  let sum = 0;
  let matched = 0;
  let inTitle = 0;
  let inHead = 0;
  let covered = 0;
  for (let g = 0; g < groups.length; g++) {
    if (!(s.parts[g] > 0)) continue;
    sum += s.parts[g];
    matched++;
    const [offset, field, term, , heading] = s.at[g];
    // Not the tags: the index tells a word only in the tags (-1) from one in the body, but
    // not one in the tags and the body too; tags weigh 3 in BM25F already.
    if ((field === 0 && offset >= 0) || heading) inHead++;
    if (field === 0 && offset >= 0) {
      inTitle++;
      covered += isHan(term[0]) ? term.length : 1;
    }
  }
  const coverage = matched / groups.length;
  const phrase = groups.length > 1 ? 1 + s.adjacent / (groups.length - 1) : 1;
  // How much of the title the query is: "梯度检查点" is all of the title 梯度检查点
  // (Gradient Checkpointing) but half of 梯度检查点原理详解（1404）.
  const cover = Math.min(1, covered / Math.max(1, s.titleLength));
  const title =
    (inTitle === groups.length ? 1.25 : 1) * (1 + TITLE_COVER * cover * cover) * (inHead === groups.length ? 1 + HEAD_BONUS : 1);
  return sum * coverage * coverage * phrase * title;
}

/**
 * Full matches (every word asked for) first; partial ones only when full ones are few,
 * and then only those scoring near them: a precise query is not padded with pages that
 * share one common word with it. With no full match, every partial one is kept (the
 * panel says which words are missing).
 */
function precise(ranked) {
  const full = ranked.filter(([, , s]) => s.complete && s.whole);
  if (!full.length || full.length === ranked.length) return ranked;
  if (full.length >= FEW_FULL) return full;
  const floor = RELATED * Math.min(...full.map(([, value]) => value));
  return [...full, ...ranked.filter(([, value, s]) => !(s.complete && s.whole) && value >= floor)];
}

function nearNames(names, want, t2s) {
  return names.filter((name) => {
    const n = asciiLower(fold(name, t2s));
    return n.includes(want) || want.includes(n);
  }).slice(0, 4);
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

// Where a snippet may start and end: after a sentence's end, else after a clause's.
const SENTENCE_END = /[。！？!?；;\n]/;
const CLAUSE_END = /[，,、：:]/;
// The mark the indexer leaves where a formula stood (zhiku.text.excerpt.FORMULA).
export const FORMULA = "[公式]";

/**
 * A window of `text` around its densest cluster of matches, escaped and highlighted: it
 * starts at a sentence (or clause) when one starts near, ends at one when one ends in its
 * second half, and shows a lost formula's mark at most once.
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
    start = backTo(text, start, SENTENCE_END, 40) ?? backTo(text, start, CLAUSE_END, 20) ?? Math.max(0, start - 20);
  }
  while (start < text.length && /\s/.test(text[start])) start++;
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  let whole = end === text.length; // the snippet ends where a sentence ends
  if (!whole) {
    const half = start + SNIPPET_CHARS / 2;
    const sentence = forwardTo(text, end, half, SENTENCE_END);
    const clause = sentence ?? forwardTo(text, end, half, CLAUSE_END);
    if (sentence != null) [end, whole] = [sentence, true];
    else if (clause != null) end = clause - 1; // the comma itself gives way to "…"
  }
  const shown = oneFormula(text.slice(start, end));
  const head = start > 0 || continued ? "…" : "";
  return head + highlight(shown, 0, shown.length, terms) + (whole ? "" : "…");
}

/** The start of the sentence (or clause) holding `at`, if it starts within `reach`. */
function backTo(text, at, mark, reach) {
  for (let cut = at; cut >= Math.max(0, at - reach); cut--) {
    if (cut === 0 || mark.test(text[cut - 1])) return cut;
  }
  return null;
}

/** The end (just past the mark) of the last sentence or clause ending in (floor, end]. */
function forwardTo(text, end, floor, mark) {
  for (let i = end; i > floor; i--) if (mark.test(text[i - 1])) return i;
  return null;
}

/** `text` with a lost formula's mark shown once: later ones become "…" (none when they
 * follow the one shown: several formulas in a row). */
function oneFormula(text) {
  const parts = text.split(FORMULA);
  if (parts.length <= 2) return text;
  let out = parts[0] + FORMULA;
  for (let i = 1; i < parts.length; i++) {
    if (i > 1) {
      out = out.replace(/\s+$/, "");
      if (!out.endsWith(FORMULA) && !out.endsWith("…")) out += "…";
    }
    out += i > 1 ? parts[i].replace(/^\s+/, "") : parts[i];
  }
  return out;
}
