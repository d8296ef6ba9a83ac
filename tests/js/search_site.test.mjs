// The engine on a real index (tests/vectors/search_site.json, built by the indexer from a
// dozen notes shaped like an ML and algorithms blog's): pinyin typed without spaces,
// initials, ranking and precision, as a reader typing into the box meets them.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import fc from "fast-check";

import { PINYIN_FACTOR, createEngine } from "../../plugins/zhiku/search/assets/engine.mjs";
import { pinyinSplits, segmentHan } from "../../plugins/zhiku/search/assets/tokenize.mjs";

const files = JSON.parse(readFileSync(new URL("../vectors/search_site.json", import.meta.url), "utf8"));
const manifest = files["search_index.json"].config.zhiku;
const fetchJSON = async (path) => {
  if (!Object.hasOwn(files, path)) throw new Error(`404 ${path}`);
  return structuredClone(files[path]);
};
const fresh = () => createEngine(manifest, fetchJSON);
const engine = fresh();

async function urls(query) {
  const { items } = await engine.search(query);
  return items.map(([doc]) => doc.location);
}

// What the index knows, read back from its files: every term, and each Han term's keys.
const terms = new Map();
for (const [path, shard] of Object.entries(files)) {
  if (path.startsWith("t/")) for (const [term, entry] of Object.entries(shard)) if (term) terms.set(term, entry[0]);
}
const keysOf = new Map(); // Han term -> {full, initials}
for (const [path, shard] of Object.entries(files)) {
  if (!path.startsWith("p/")) continue;
  for (const [key, han] of Object.entries(shard)) {
    for (const term of han) {
      const entry = keysOf.get(term) ?? {};
      if (key.length === term.length) entry.initials = key;
      else entry.full = key;
      keysOf.set(term, entry);
    }
  }
}
const lookup = (word) => (terms.has(word) ? terms.get(word) : null);

test("unspaced pinyin of a term the index holds as several words finds what the Han finds", async () => {
  for (const [han, typed] of [
    ["梯度检查点", ["tidujianchadian", "tdjcd", "tidujcd", "ti1du4jian3cha2dian3", "梯度jianchadian"]],
    ["激活函数", ["jihuohanshu", "jhhs", "jihuohs"]],
    ["生成对抗网络", ["shengchengduikangwangluo", "scdkwl"]],
    ["注意力机制", ["zhuyilijizhi", "zhuyilijz", "zylji zhi".replace(" ", "")]],
    ["目标检测", ["mubiaojiance", "mbjc"]],
    ["卷积核", ["juanjihe"]],
    ["感受野", ["ganshouye"]],
  ]) {
    const expected = (await urls(han))[0];
    assert.ok(expected, han);
    for (const query of typed) assert.equal((await urls(query))[0], expected, `${query} (${han})`);
  }
});

test("initials of a character beside a word jieba keeps apart find the term", async () => {
  // 感受野 is 感受 + 野 and 卷积核 卷积 + 核 in the index: a title or two articles say them.
  for (const [han, typed] of [
    ["感受野", ["gsy", "ganshouye"]],
    ["卷积核", ["jjh", "juanjihe"]],
  ]) {
    const expected = (await urls(han))[0];
    for (const query of typed) assert.equal((await urls(query))[0], expected, `${query} (${han})`);
  }
});

test("the word still being typed completes the phrase", async () => {
  assert.equal((await urls("tidujianchad"))[0], "tidu-jianchadian/");
});

test("pinyin ranks below the same words typed in Han", async () => {
  const han = (await engine.search("梯度检查点")).items[0][0];
  const pinyin = (await engine.search("tidujianchadian")).items[0][0];
  assert.equal(pinyin.location, han.location);
  assert.ok(pinyin.score < han.score);
  assert.ok(Math.abs(pinyin.score / han.score - PINYIN_FACTOR) < 0.05);
});

test("two initials alone, or initials of words never side by side, find nothing", async () => {
  for (const query of ["td", "jz", "hs", "jc"]) assert.deepEqual(await urls(query), [], query);
  // 检查 and 点 occur in tidu-xiajiang/ but apart: "jcd" there is no phrase.
  const { items } = await engine.search("jcjh"); // 检查 … 激活: never adjacent anywhere
  assert.deepEqual(items, []);
});

test("pinyin of words the site never says finds nothing, not characters met by chance", async () => {
  // 上海 and 中国 are in no note; 上, 中 and words read hai or guo are.
  for (const query of ["shanghai", "zhongguo", "women", "hello"]) assert.deepEqual(await urls(query), [], query);
});

test("an ambiguous syllable split takes the word the index holds", async () => {
  // xian: 西安 (xi'an) is a word of the index; 先 and 线 are single characters.
  assert.deepEqual(await urls("xian"), ["xian-lvxing/"]);
});

test("the exact word outranks its characters scattered through a page", async () => {
  // shuju-guanli/ says 元数据 and 学习 many times, never 元学习.
  assert.deepEqual((await urls("元学习"))[0], "yuan-xuexi/");
});

test("a title match outranks a page that mentions the word more often", async () => {
  assert.deepEqual(await urls("KMP"), ["kmp/", "zifuchuan-suanfa/"]);
});

test("a heading match outranks a page that only mentions the word more often", async () => {
  // suanfa-biji/ has a section 前缀函数; tijie/ says 前缀函数 four times in passing.
  const found = await urls("前缀函数");
  assert.ok(found.indexOf("suanfa-biji/") >= 0 && found.indexOf("suanfa-biji/") < found.indexOf("tijie/"), `${found}`);
});

test("a precise query is not padded with pages sharing one common word", async () => {
  assert.deepEqual(await urls("梯度检查点"), ["tidu-jianchadian/"]);
  assert.deepEqual(await urls("tdjcd"), ["tidu-jianchadian/"]);
});

test("cutting pinyin: fewest pieces first, every piece a key, no piece of one letter", () => {
  const keys = new Set(["xian", "xi", "an", "tidu", "jianchadian", "jiancha", "dian", "td", "jcd"]);
  const isKey = (piece) => keys.has(piece);
  assert.deepEqual(pinyinSplits("xian", isKey), [["xian"], ["xi", "an"]]);
  assert.deepEqual(pinyinSplits("tidujianchadian", isKey).slice(0, 2), [
    ["tidu", "jianchadian"],
    ["tidu", "jiancha", "dian"],
  ]);
  assert.deepEqual(pinyinSplits("tdjcd", isKey), [["td", "jcd"]]);
  assert.deepEqual(pinyinSplits("tdx", isKey), []);
  assert.deepEqual(pinyinSplits("a".repeat(200), () => true), []); // no stall either
});

test("property: any run of adjacent words of a title, typed as pinyin or initials, finds its page", async () => {
  // Phrases derived from the index itself: the words a title segments into, side by side.
  const phrases = [];
  for (const [path, piece] of Object.entries(files)) {
    if (!/^d\/\d+-0\.js$/.test(path)) continue;
    for (const run of piece.t.match(/[\u4e00-\u9fff]+/g) ?? []) {
      const words = segmentHan(run, lookup, manifest.log_total).filter((w) => keysOf.get(w)?.full && w.length > 1);
      for (let i = 0; i + 1 < words.length; i++) {
        if (run.includes(words[i] + words[i + 1])) phrases.push([piece.u, [words[i], words[i + 1]]]);
      }
    }
  }
  assert.ok(phrases.length >= 5, `only ${phrases.length} phrases`);
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...phrases), fc.array(fc.boolean(), { minLength: 2, maxLength: 2 }), async ([url, words], initials) => {
      const typed = words
        .map((w, i) => (initials[i] && keysOf.get(w).initials ? keysOf.get(w).initials : keysOf.get(w).full))
        .join("");
      const found = await urls(typed);
      assert.ok(found.slice(0, 3).includes(url), `${typed} (${words.join("")}) -> ${found}`);
    }),
    { numRuns: 60 },
  );
});
