// Property test: random strings thrown at the tokenizer and the engine never raise, and
// results stay escaped. Strings are drawn from any Unicode, from the pieces that broke
// engines before (Object.prototype member names, pattern and markup characters, filter
// syntax, pinyin with tones), and from mixtures of both.
import assert from "node:assert/strict";
import { test } from "node:test";

import fc from "fast-check";

import { createEngine, parseFilters } from "../../plugins/zhiku/search/assets/engine.mjs";
import { fnv1a, fold, pinyinFold, queryUnits, shardKey } from "../../plugins/zhiku/search/assets/tokenize.mjs";

const PROTO = Object.getOwnPropertyNames(Object.prototype);
const PIECES = [
  ...PROTO,
  "注意力", "機制", "模型", "量子", "zhuyili", "zhu yi li", "lǜ", "lv", "zyl", "Transformer",
  "分类:", "标签:", "tag:", "category:", "“", "”", '"', ":", "：", " ", "　", "<img src=x onerror=alert(1)>",
  ".*", "(((", "\\", "[a-z]+$", "${x}", "&amp;", "\u0000", "\u200b", "😀", "ＦＰ８", "qwen3VL", "-", "_",
];
const query = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.fullUnicodeString({ maxLength: 40 }),
  fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map((parts) => parts.join("")),
  fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.fullUnicodeString({ maxLength: 3 })), { maxLength: 8 }).map(
    (parts) => parts.join(" "),
  ),
);

// An index whose shards hold every Object.prototype name as a real term, and a few others.
const SHARDS = 8;
const files = {};
const put = (path, key, value) => (files[path] = { ...files[path], [key]: value });
for (const term of [...PROTO.map((n) => n.toLowerCase()), "注意力", "机制", "模型", "transformer", "proto"]) {
  put(`t/${fnv1a(shardKey(term)) % SHARDS}.js`, term, [10, "010"]);
}
put(`t/${fnv1a("機") % SHARDS}.js`, "", { 機: "机" });
for (const name of PROTO) put(`p/${fnv1a(name.slice(0, 3).toLowerCase()) % 2}.js`, name.toLowerCase(), ["注意力"]);
put("p/0.js", "zhuyili", ["注意力"]);
files["f.js"] = { c: ["constructor", "Python"], g: ["__proto__", "toString", "标签"], d: [[0, 1, 2], [1, 0]] };
const fetchJSON = async (path) => {
  if (!Object.hasOwn(files, path)) {
    if (path.startsWith("d/")) return { u: "x/", t: "标题 <b>", x: "正文 constructor 注意力机制" };
    throw new Error(`404 ${path}`);
  }
  return structuredClone(files[path]);
};
const engine = createEngine(
  { format: 5, docs: 2, shards: SHARDS, pinyin_shards: 2, chunk: 1024, log_total: 17.9, k1: 1.2, quantum: 8, stopwords: { 的: 1000, the: 0 } },
  fetchJSON,
);

test("the tokenizer takes any string", () => {
  fc.assert(
    fc.property(query, (q) => {
      const lookup = (w) => (w.length < 4 ? 1 : null);
      const units = queryUnits(fold(pinyinFold(q), { 機: "机" }), lookup, 17.9, new Set(["的"]));
      assert.ok(Array.isArray(units));
      parseFilters(q);
    }),
    { numRuns: 2000 },
  );
});

test("the engine answers any string without throwing, and escapes what it shows", async () => {
  await fc.assert(
    fc.asyncProperty(query, async (q) => {
      const result = await engine.search(q);
      assert.ok(Array.isArray(result.items));
      for (const [doc] of result.items) assert.doesNotMatch(doc.title + doc.text, /<(?!\/?(mark|p)>)/);
      await engine.search(q, { offset: 10 });
    }),
    { numRuns: 1000 },
  );
});
