// The shared tokenizer vectors, JavaScript side (tests/unit/search/test_vectors.py is the
// Python side): the browser's query tokenizer must produce the same units as the indexer's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { decodeVarints, fnv1a, fold, queryUnits, shardKey } from "../../plugins/zhiku/search/assets/tokenize.mjs";

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
