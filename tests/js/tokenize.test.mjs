// The shared tokenizer vectors, JavaScript side (tests/unit/search/test_vectors.py is the
// Python side): the browser's query tokenizer must produce the same units as the indexer's.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { decodeVarints, fnv1a, fold, queryUnits, shardKey, toneless } from "../../plugins/zhiku/search/assets/tokenize.mjs";

const vectors = JSON.parse(readFileSync(new URL("../vectors/tokenizer.json", import.meta.url)));
const stopwordData = JSON.parse(
  readFileSync(new URL("../../plugins/zhiku/search/assets/stopwords.json", import.meta.url)),
);
const stopwords = new Set([...stopwordData.han, ...stopwordData.latin]);
const lookup = (word) => (Object.hasOwn(vectors.dictionary, word) ? vectors.dictionary[word] : null);

for (const c of vectors.cases) {
  // Own keys only: a case named "constructor" must not find Object.prototype's.
  const skip = Object.hasOwn(vectors.skip.js, c.input) ? vectors.skip.js[c.input] : false;
  test(`query units of ${JSON.stringify(c.input)}`, { skip }, () => {
    const units = queryUnits(fold(c.input, vectors.t2s), lookup, vectors.log_total, stopwords);
    assert.deepEqual(
      units.map((u) => [u.whole, ...u.parts]),
      c.query,
    );
  });
}

test("shard keys and hashes agree with the indexer", () => {
  for (const [term, [key, hash]] of Object.entries(vectors.hashes)) {
    assert.equal(shardKey(term), key);
    assert.equal(fnv1a(key), hash);
  }
});

test("posting varints decode as the indexer encoded them", () => {
  assert.deepEqual(decodeVarints(vectors.varints.encoded), vectors.varints.values);
});

test("tone digits come off typed pinyin, and any other word is left as typed", () => {
  assert.equal(toneless("zhu4yi4li4"), "zhuyili");
  assert.equal(toneless("zhu4yili"), "zhuyili");
  assert.equal(toneless("zhuyili"), "zhuyili");
  for (const word of ["fp8", "4zhu", "zhu44", "a8"]) assert.equal(toneless(word), word);
});

// A long word with a digit that is not a tone once took the search minutes. It runs in a
// child process with a deadline (a synchronous regex cannot be interrupted in this one):
// a liveness guard against that exponential case, not a speed measurement.
test("a long word ending in a digit is answered at once", () => {
  const script = `
    import { queryUnits, toneless } from ${JSON.stringify(new URL("../../plugins/zhiku/search/assets/tokenize.mjs", import.meta.url).href)};
    const word = "a".repeat(5000) + "8";
    if (toneless(word) !== word) throw new Error("changed");
    queryUnits(word, () => null, 17.9, new Set());
  `;
  execFileSync(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 });
});
