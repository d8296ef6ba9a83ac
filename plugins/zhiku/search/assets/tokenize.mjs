// Query tokenizer of Zhiku's search: the browser half of plugins/zhiku/search/tokens.py.
// Pure functions only (no DOM, no fetch), so Node's test runner imports this file as is
// and checks it against tests/vectors/tokenizer.json, the same cases pytest reads.

export const HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff";
export const MAX_QUERY_CHARS = 200; // a 10,000-character paste must not stall the page
export const MAX_WORD_CHARS = 16;
const RUN_RE = new RegExp(`([${HAN}]+)|([A-Za-z0-9]+)`, "g");
const HAN_RE = new RegExp(`[${HAN}]`);
const PART_RE = /[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g;
export const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/** Full-width ASCII to ASCII, traditional to simplified; keeps the length of `text`. */
export function fold(text, t2s) {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    let ch = text[i];
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) ch = String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) ch = " ";
    out += own(t2s, ch) ?? ch;
  }
  return out;
}

/** ASCII-only lower case (String#toLowerCase may change the length of non-ASCII text). */
export function asciiLower(text) {
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

export function isHan(ch) {
  return HAN_RE.test(ch);
}

/** [kind, run] pieces of folded text: kind is "han" or "latin". */
export function runs(text) {
  const out = [];
  for (const match of text.matchAll(RUN_RE)) {
    out.push(match[1] ? ["han", match[1]] : ["latin", match[2]]);
  }
  return out;
}

/** Camel-case and letter/digit parts of an ASCII token, lower-cased. */
export function latinParts(token) {
  return (token.match(PART_RE) ?? []).map(asciiLower);
}

/**
 * jieba's max-probability segmentation of a Han run over the words `lookup` knows.
 * `lookup(word)` gives jieba's frequency (0 for a word only the index knows) or null.
 * Ties go to the longer word, as in jieba (tuples compare on the end index).
 */
export function segmentHan(run, lookup, logTotal) {
  const n = run.length;
  const dag = [];
  for (let k = 0; k < n; k++) {
    const ends = [];
    for (let i = k; i < Math.min(n, k + MAX_WORD_CHARS); i++) {
      if (lookup(run.slice(k, i + 1)) != null) ends.push(i);
    }
    dag.push(ends.length ? ends : [k]);
  }
  const route = new Array(n + 1);
  route[n] = [0, 0];
  for (let idx = n - 1; idx >= 0; idx--) {
    let best = null;
    for (const x of dag[idx]) {
      const score = Math.log(lookup(run.slice(idx, x + 1)) || 1) - logTotal + route[x + 1][0];
      if (best === null || score > best[0] || (score === best[0] && x > best[1])) best = [score, x];
    }
    route[idx] = best;
  }
  const words = [];
  for (let k = 0; k < n; ) {
    const end = route[k][1] + 1;
    words.push(run.slice(k, end));
    k = end;
  }
  return words;
}

/**
 * What a query asks for: [{whole, parts}] units, stop words dropped.
 * `query` must already be folded (see fold); it is cut at MAX_QUERY_CHARS.
 */
export function queryUnits(folded, lookup, logTotal, stopwords) {
  const units = [];
  for (const [kind, run] of runs(folded.slice(0, MAX_QUERY_CHARS))) {
    if (kind === "han") {
      for (const word of segmentHan(run, lookup, logTotal)) {
        if (!stopwords.has(word)) units.push({ whole: word, parts: [] });
      }
    } else {
      const whole = asciiLower(run);
      if (stopwords.has(whole)) continue;
      const parts = latinParts(run);
      units.push({ whole, parts: parts.length > 1 ? parts : [] });
    }
  }
  return units;
}

/** 32-bit FNV-1a over code points, as shards.fnv1a in Python. */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (const ch of text) {
    h ^= ch.codePointAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The part of a term that picks its shard: first Han character or first two letters. */
export function shardKey(term) {
  const chars = [...term]; // code points, as Python indexes strings
  return isHan(chars[0]) ? chars[0] : chars.slice(0, 2).join("");
}

export function decodeVarints(text) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const ch of text) {
    const digit = ALPHABET.indexOf(ch);
    if (digit >= 32) {
      value += (digit - 32) * 2 ** shift;
      shift += 5;
    } else {
      values.push(value + digit * 2 ** shift);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Text made safe to place in HTML (Material inserts result titles and snippets as HTML). */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// Pinyin as readers type it: tone marks and ü folded to plain letters, one character to
// one (so positions stay), ü and its tones to "v" as on a keyboard (lü, lǜ -> lv).
const PINYIN_FOLD = new Map(
  Object.entries({
    a: "āáǎàÀÁÂÃÄÅàáâãäå",
    e: "ēéěèÈÉÊËèéêë",
    i: "īíǐìÌÍÎÏìíîï",
    o: "ōóǒòÒÓÔÕÖòóôõö",
    u: "ūúǔùÙÚÛùúû",
    v: "üǖǘǚǜÜǕǗǙǛ",
    n: "ńňǹ",
    m: "ḿ",
  }).flatMap(([to, from]) => [...from].map((ch) => [ch, to])),
);

export function pinyinFold(text) {
  let out = "";
  for (const ch of text) out += PINYIN_FOLD.get(ch) ?? ch;
  return out;
}

/** A typed pinyin word without tone digits ("zhu4yi4li4" -> "zhuyili"), else as is. */
export function toneless(word) {
  // Letters, each tone digit after letters. Written so that no string has two ways to
  // match: the nested (?:[a-z]+[1-5]?)+ it replaces backtracked exponentially, and a long
  // word ending in another digit ("aaaa…a8") froze the search for minutes.
  return /^[a-z]+(?:[1-5][a-z]+)*[1-5]?$/.test(word) ? word.replace(/[1-5]/g, "") : word;
}

export const PINYIN_KEY_CHARS = 3;

/** The part of a pinyin key that picks its shard (pinyin.key_shard in Python). */
export function pinyinShardKey(key) {
  return key.slice(0, PINYIN_KEY_CHARS);
}

/** An own property of a parsed JSON object, never one inherited from Object.prototype. */
export function own(object, key) {
  return object != null && Object.hasOwn(object, key) ? object[key] : undefined;
}

// Unspaced pinyin ("tidujianchadian", "tdjcd", "zhuyilijz") names several adjacent words.
export const MAX_SPLIT_CHARS = 40; // longer Latin words are not pinyin phrases
export const MAX_SPLIT_PIECES = 6;
const SPLIT_STEPS = 20000; // enumeration work, whatever the word: a query never stalls

/**
 * The ways to cut `word` into pieces that are pinyin keys, fewest pieces first (at most
 * `limit`), each a list of pieces. `isKey(piece)` says whether the index knows a key;
 * `isLast(piece)`, whether the word's last piece may be `piece` although it is no key
 * (the reader is still typing it). Pieces have two or more letters.
 */
export function pinyinSplits(word, isKey, isLast = () => false, limit = 24) {
  const n = word.length;
  if (n < 2 || n > MAX_SPLIT_CHARS) return [];
  const ends = [];
  for (let i = 0; i < n; i++) {
    const here = [];
    for (let j = n; j >= i + 2; j--) {
      const piece = word.slice(i, j);
      if (isKey(piece) || (j === n && isLast(piece))) here.push(j);
    }
    ends.push(here); // longest first: among splits of one size, long pieces come first
  }
  const need = new Array(n + 1).fill(Infinity); // fewest pieces from i to the end
  need[n] = 0;
  for (let i = n - 1; i >= 0; i--) for (const j of ends[i]) need[i] = Math.min(need[i], 1 + need[j]);
  const out = [];
  let steps = 0;
  for (let size = need[0]; size <= MAX_SPLIT_PIECES && out.length < limit; size++) {
    const path = [];
    const walk = (i) => {
      if (out.length >= limit || ++steps > SPLIT_STEPS) return;
      if (i === n) {
        if (path.length === size) out.push([...path]);
        return;
      }
      if (path.length + need[i] > size) return;
      for (const j of ends[i]) {
        path.push(word.slice(i, j));
        walk(j);
        path.pop();
      }
    };
    walk(0);
  }
  return out;
}
