// The browser engine on a small in-memory index: ranking, snippets, and hostile input.
import assert from "node:assert/strict";
import { test } from "node:test";

import fc from "fast-check";

import {
  FORMULA,
  SearchIndexError,
  createEngine,
  highlight,
  parseIndexScript,
  snippet,
} from "../../plugins/zhiku/search/assets/engine.mjs";
import { ALPHABET, fnv1a, pinyinShardKey, shardKey } from "../../plugins/zhiku/search/assets/tokenize.mjs";

function varints(values) {
  let out = "";
  for (let v of values) {
    while (v >= 32) {
      out += ALPHABET[32 + (v & 31)];
      v = Math.floor(v / 32);
    }
    out += ALPHABET[v];
  }
  return out;
}

// Two documents; postings are [doc delta, weight * 8, first occurrence], the last being
// 1 + 4 * offset + 2 * (in a heading) + (1 if in the body, 0 if in the title).
const SHARDS = 16;
const TERMS = {
  注意力: [100, [0, 40, 1, 1, 8, 2 + 4 * 13]],
  机制: [100, [0, 40, 1 + 4 * 3]],
  transformer: [0, [1, 48, 1]],
  模型: [100, [0, 8, 2 + 4 * 6, 1, 16, 1 + 4 * 12]],
  标签词: [0, [1, 24, 0]], // only in the tags of document 1
  远处: [0, [0, 8, 2 + 4 * 1500]], // in the body of document 0, in its second piece
  constructor: [0, [1, 8, 2 + 4 * 40]], // a word that is an Object.prototype member
};
const DOCS = [
  { u: "attention/", t: "注意力机制", x: "注意力机制让模型关注重要的部分。<script>alert(1)</script>" },
  { u: "transformer/", t: "Transformer 模型", x: "Transformer模型完全基于注意力。" },
];
const files = {};
for (const [term, [freq, postings]] of Object.entries(TERMS)) {
  const path = `t/${fnv1a(shardKey(term)) % SHARDS}.js`;
  files[path] = { ...files[path], [term]: [freq, varints(postings)] };
}
DOCS.forEach((doc, i) => (files[`d/${i}-0.js`] = doc));
files["d/0-1.js"] = { ...DOCS[0], x: "第二段的文字，远处的词在这里。" };
files[`t/${fnv1a("機") % SHARDS}.js`] = { ...files[`t/${fnv1a("機") % SHARDS}.js`], "": { 機: "机" } };
// Pinyin shards and facets (see plugins/zhiku/search/shards.py).
const PINYIN_SHARDS = 4;
for (const [key, terms] of Object.entries({ zhuyili: ["注意力"], zyl: ["注意力"], jizhi: ["机制"], moxing: ["模型"] })) {
  const path = `p/${fnv1a(pinyinShardKey(key)) % PINYIN_SHARDS}.js`;
  files[path] = { ...files[path], [key]: terms };
}
files["f.js"] = { c: ["Deep Learning", "NLP"], g: ["Transformer", "注意力"], d: [[0, 1], [1, 0, 1]] };
const fetched = [];
const fetchJSON = async (path) => {
  fetched.push(path);
  if (!(path in files)) throw new Error(`404 ${path}`);
  return structuredClone(files[path]);
};
const manifest = {
  format: 5,
  docs: 2,
  shards: SHARDS,
  pinyin_shards: PINYIN_SHARDS,
  chunk: 1024,
  log_total: 17.9,
  k1: 1.2,
  quantum: 8,
  stopwords: { 什么: 20000, 是: 800000 },
};
const engine = createEngine(manifest, fetchJSON);

test("an index file is one script: loaded from disk it hands its data over, fetched it parses as JSON", async () => {
  const { runInNewContext } = await import("node:vm");
  // Commas, parentheses and a line separator inside the data (a title such as "f(x), g(x)").
  const data = { "f(x), g(x)": [3, "0A-_"], x: "一行\u2028两行 )；", "": { 機: "机" } };
  const text = `zhikuIndex("t/3.js",${JSON.stringify(data)});\n`;
  assert.deepEqual(parseIndexScript(text), data);
  const handed = [];
  runInNewContext(text, { zhikuIndex: (path, value) => handed.push([path, value]) });
  assert.deepEqual(JSON.parse(JSON.stringify(handed)), [["t/3.js", data]]);
  // Anything else (an error page, an index of another shape) is a named error, never run.
  assert.throws(() => parseIndexScript("<!doctype html><title>404</title>"), SearchIndexError);
  assert.throws(() => parseIndexScript('{"a": 1}'), SearchIndexError);
});

test("an index of another format is rejected with a named error", () => {
  assert.throws(() => createEngine({ ...manifest, format: 99 }, fetchJSON), SearchIndexError);
  assert.throws(() => createEngine(undefined, fetchJSON), /format undefined is not supported/);
});

test("title matches and adjacent words rank first, and a precise query is not padded", async () => {
  // transformer/ says 注意力 once in its body and never 机制: no answer beside the page
  // named after both words.
  const { items } = await engine.search("什么是注意力机制");
  assert.deepEqual(
    items.map(([doc]) => doc.location),
    ["attention/"],
  );
  assert.deepEqual(items[0][0].terms, { 注意力: true, 机制: true });
});

test("with no page holding every word, pages holding some are shown with what they miss", async () => {
  const { items, complete } = await engine.search("Transformer 机制");
  assert.equal(complete, 0);
  assert.deepEqual(items.map(([doc]) => doc.location).sort(), ["attention/", "transformer/"]);
  const byUrl = Object.fromEntries(items.map(([doc]) => [doc.location, doc.terms]));
  assert.deepEqual(byUrl["attention/"], { transformer: false, 机制: true });
  assert.deepEqual(byUrl["transformer/"], { transformer: true, 机制: false });
});

test("traditional characters find simplified text", async () => {
  const { items } = await engine.search("注意力機制");
  assert.equal(items[0][0].location, "attention/");
  assert.deepEqual(items[0][0].terms, { 注意力: true, 机制: true });
});

test("mixed Latin and Chinese without a space", async () => {
  const { items } = await engine.search("Transformer模型");
  assert.equal(items[0][0].location, "transformer/");
  assert.equal(items[0][0].title, "<mark>Transformer</mark> <mark>模型</mark>");
});

test("article text reaches the snippet escaped", async () => {
  const { items } = await engine.search("注意力");
  const text = items.find(([doc]) => doc.location === "attention/")[0].text;
  assert.match(text, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.doesNotMatch(text, /<script/);
});

test("hostile queries are inert", async () => {
  for (const query of ["<img src=x onerror=alert(1)>", ".*", "(((", "\\", "注意力".repeat(4000)]) {
    const { items } = await engine.search(query);
    for (const [doc] of items) {
      assert.doesNotMatch(doc.title + doc.text, /<img|onerror=/);
    }
  }
  assert.deepEqual((await engine.search("   ")).items, []);
});

test("only the shards a query needs are fetched", async () => {
  fetched.length = 0;
  await engine.search("机制");
  assert.ok(fetched.every((path) => !path.startsWith("d/") || path === "d/0-0.js"), fetched);
  assert.ok(fetched.filter((path) => path.startsWith("t/")).length <= 2, fetched);
});

test("a tag-only match shows the start of the article", async () => {
  const { items } = await engine.search("标签词");
  assert.equal(items[0][0].location, "transformer/");
  assert.match(items[0][0].text, /^<p>Transformer模型/);
});

test("the snippet comes from the piece of the article where the term occurs", async () => {
  fetched.length = 0;
  const { items } = await engine.search("远处");
  assert.deepEqual(fetched.filter((path) => path.startsWith("d/")), ["d/0-1.js"]);
  assert.equal(items[0][0].text, "<p>…第二段的文字，<mark>远处</mark>的词在这里。</p>");
});

test("highlighting never treats the query as a pattern or as markup", () => {
  assert.equal(highlight("(a.*b) <i>", 0, 10, ["a.*b"]), "(<mark>a.*b</mark>) &lt;i&gt;");
  assert.equal(highlight("a+b", 0, 3, ["a.b"]), "a+b");
  assert.equal(highlight("FlashAttention", 0, 14, ["attention"]), "Flash<mark>Attention</mark>");
  assert.equal(highlight("exploration", 0, 11, ["ra"]), "exploration");
  // The snippet starts at the sentence holding the match.
  assert.equal(snippet("前文。".repeat(100) + "这一句有关键词", ["关键词"]), "…这一句有<mark>关键词</mark>");
});

const locations = (result) => result.items.map(([doc]) => doc.location);

test("words that are Object.prototype members are ordinary words", async () => {
  // Regression: "constructor" found Object.prototype.constructor in a shard and threw.
  for (const query of ["toString", "valueOf", "hasOwnProperty", "__proto__", "isPrototypeOf", "__defineGetter__"]) {
    const result = await engine.search(query);
    assert.deepEqual(result.items, [], query);
    assert.equal(result.total, 0);
  }
  assert.deepEqual(locations(await engine.search("constructor")), ["transformer/"]);
  assert.deepEqual(locations(await engine.search("Transformer constructor")), ["transformer/"]);
});

test("pinyin, syllables typed apart, initials and tone marks find the Han word", async () => {
  for (const query of ["zhuyili", "zhu yi li", "zyl", "zhùyìlì", "zhu4yi4li4", "ZhuYiLi"]) {
    assert.deepEqual(locations(await engine.search(query))[0], "attention/", query);
  }
  // While the reader is still typing the pinyin.
  assert.deepEqual(locations(await engine.search("zhuyil"))[0], "attention/");
  const { items } = await engine.search("zhuyili jizhi");
  assert.equal(items[0][0].location, "attention/");
  assert.equal(items[0][0].title, "<mark>注意力机制</mark>");
});

test("a word found through its pinyin ranks below the same word typed in Han", async () => {
  const han = await engine.search("模型");
  const pinyin = await engine.search("moxing");
  assert.deepEqual(locations(pinyin), locations(han));
  assert.ok(pinyin.items[0][0].score < han.items[0][0].score);
});

test("typed filters narrow the results and count the chips", async () => {
  const all = await engine.search("注意力");
  assert.equal(all.total, 2);
  assert.deepEqual(all.facets.categories, [["Deep Learning", 1], ["NLP", 1]]);
  assert.deepEqual(all.facets.tags, [["注意力", 2], ["Transformer", 1]]);
  for (const query of ["注意力 分类:NLP", "注意力 category:nlp", "注意力 tag:Transformer", "标签：transformer 注意力"]) {
    assert.deepEqual(locations(await engine.search(query)), ["transformer/"], query);
  }
  // A filter alone lists its articles, newest first.
  assert.deepEqual(locations(await engine.search("标签:注意力")), ["attention/", "transformer/"]);
  const unknown = await engine.search("注意力 标签:量子");
  assert.equal(unknown.total, 0);
  assert.deepEqual(unknown.unknownFilters.map((f) => f.value), ["量子"]);
});

test("results are paged: the total is stated and the next page follows", async () => {
  const first = await engine.search("注意力", { limit: 1 });
  assert.equal(first.total, 2);
  assert.deepEqual(locations(first), ["attention/"]);
  const second = await engine.search("注意力", { offset: 1, limit: 1 });
  assert.deepEqual(locations(second), ["transformer/"]);
});

test("a word the site never uses is an honest miss, not single-character matches", async () => {
  // 注 and 模 are terms of the index; 注模 is no word of it.
  const miss = await engine.search("量子计算");
  assert.deepEqual(miss.items, []);
  assert.deepEqual(miss.miss.missing, ["量子计算"]);
  const near = await engine.search("注意");
  assert.deepEqual(near.items, []);
  assert.ok(near.suggestions[0].near.includes("注意力"), JSON.stringify(near.suggestions));
  const typo = await engine.search("transformr");
  assert.deepEqual(typo.items, []);
  assert.deepEqual(typo.suggestions[0].near, ["transformer"]);
  // A typo in pinyin: the Han word whose pinyin it nearly is.
  assert.ok((await engine.search("zhuyli")).suggestions[0].near.includes("注意力"));
  // Part of the query found: the results say which word is missing.
  const part = await engine.search("注意力 量子");
  assert.ok(part.miss.missing.includes("量子"));
  assert.equal(part.items[0][0].terms["量子"], false);
});

test("a snippet starts at a sentence or a clause and ends at one", () => {
  const text = `${"前面的铺垫。".repeat(10)}梯度检查点只保存部分激活值，反向传播时重新计算。${"后面的内容很多，".repeat(30)}`;
  const shown = snippet(text, ["梯度", "检查点"]);
  assert.ok(shown.startsWith("…<mark>梯度检查点</mark>只保存部分激活值"), shown);
  // No sentence ends in the window's second half: it ends at a clause, the comma giving way.
  assert.ok(shown.endsWith("后面的内容很多…"), shown);
  // A sentence ending in the window's second half ends it, whole, with no "…".
  const sentence = `梯度检查点用时间换显存，${"这里解释原理".repeat(15)}。下一句${"其他".repeat(80)}`;
  assert.ok(snippet(sentence, ["梯度"]).endsWith("这里解释原理。"));
});

test("a snippet shows a lost formula's mark at most once", () => {
  const text = "前言。设 [公式] 且 [公式]，则梯度 [公式] [公式] 成立。下一句。";
  assert.equal(snippet(text, ["梯度"]), "…设 [公式] 且…，则<mark>梯度</mark>…成立。下一句。");
});

test("property: a snippet marks the word, shows one formula mark at most, and is escaped", () => {
  const piece = fc.constantFrom(FORMULA, " ", "梯度", "。", "，", "<b>", "检查", "点", "a&b", "\n", "很长的说明文字");
  fc.assert(
    fc.property(fc.array(piece, { maxLength: 120 }), (pieces) => {
      const text = pieces.join("");
      const shown = snippet(text, ["梯度"]);
      assert.ok(shown.split(FORMULA).length <= 2, shown);
      assert.ok(!/<(?!\/?mark>)/.test(shown), shown); // only <mark> is markup
      if (text.includes("梯度")) assert.match(shown, /<mark>[^<]*梯度[^<]*<\/mark>/);
    }),
    { numRuns: 300 },
  );
});

test("a common term's postings are fetched as the byte range its entry names, or from the whole file", async () => {
  // The same index with 注意力 and 模型 in a postings file (shards.py: a term many articles
  // hold points to its postings; the browser asks for those bytes alone).
  const moved = structuredClone(files);
  const pointed = ["注意力", "模型"];
  let text = 'zhikuIndex("i/0.js",{';
  const where = {};
  pointed.forEach((term, n) => {
    const shard = `t/${fnv1a(shardKey(term)) % SHARDS}.js`;
    const code = moved[shard][term][1];
    text += `${n ? "," : ""}${JSON.stringify(term)}:`;
    const start = Buffer.byteLength(text);
    text += JSON.stringify(code);
    where[term] = [shard, start, Buffer.byteLength(text)];
  });
  text += "});\n";
  for (const [term, [shard, start, end]] of Object.entries(where)) {
    moved[shard][term] = [TERMS[term][0], TERMS[term][1].length / 3, 0, start, end];
  }
  const bytes = Buffer.from(text);
  const asked = [];
  const ranged = async (path, range) => {
    asked.push([path, range?.key ?? null]);
    if (path === "i/0.js") {
      if (!range) return parseIndexScript(text);
      return { [range.key]: JSON.parse(bytes.subarray(range.start, range.end).toString("utf8")) };
    }
    if (!(path in moved)) throw new Error(`404 ${path}`);
    return structuredClone(moved[path]);
  };
  const whole = async (path) => (path === "i/0.js" ? parseIndexScript(text) : ranged(path));
  const expected = (await createEngine(manifest, fetchJSON).search("注意力 模型")).items;
  const byRange = createEngine(manifest, ranged);
  assert.deepEqual((await byRange.search("注意力 模型")).items, expected);
  assert.deepEqual(
    asked.filter(([path]) => path.startsWith("i/")).sort(),
    [["i/0.js", "模型"], ["i/0.js", "注意力"]],
  );
  // A server that ignores ranges (or a page opened from disk) gives the whole file.
  assert.deepEqual((await createEngine(manifest, whole).search("注意力 模型")).items, expected);
  // A term that never gets its postings (a missing file) is a term without documents.
  const broken = async (path, range) => (path.startsWith("i/") ? Promise.reject(new Error("404")) : ranged(path, range));
  assert.deepEqual((await createEngine(manifest, broken).search("注意力")).items, []);
});

test("the readings of a typed pinyin word share one IDF: the reading the site uses wins on its counts", async () => {
  // "xiancun" is 显存 (GPU memory, in five of eight notes, one about it) or 现存 (extant,
  // said once in one note). Alone, 现存's rarity would put its passing mention first.
  const own = {};
  const put = (path, key, value) => (own[path] = { ...own[path], [key]: value });
  const post = { 显存: [0, 40, 2, 2, 8, 2, 1, 8, 2, 1, 8, 2, 1, 8, 2], 现存: [1, 8, 2] };
  for (const [term, postings] of Object.entries(post)) put(`t/${fnv1a(shardKey(term)) % SHARDS}.js`, term, [3000, varints(postings)]);
  put(`p/${fnv1a(pinyinShardKey("xiancun")) % PINYIN_SHARDS}.js`, "xiancun", ["显存", "现存"]);
  for (let i = 0; i < 6; i++) own[`d/${i}-0.js`] = { u: `n${i}/`, t: `笔记${i}`, x: i === 1 ? "现存的资料" : "显存不够" };
  own["f.js"] = { c: [], g: [], d: [], l: [] };
  const small = createEngine({ ...manifest, docs: 8 }, async (path) => {
    if (!(path in own)) throw new Error(`404 ${path}`);
    return structuredClone(own[path]);
  });
  const { items } = await small.search("xiancun");
  assert.equal(items[0][0].location, "n0/");
  assert.deepEqual(items.map(([doc]) => doc.location).sort(), ["n0/", "n1/", "n2/", "n3/", "n4/", "n5/"]);
});

test("words typed apart found near each other outrank one of them in a title and the other far away", async () => {
  // "量化 幻方": note n1 says 幻方量化 in one sentence; note n0 is titled 量化笔记 and says
  // 幻方 once, far down. The reader asked for both words together, not for a title.
  const own = {};
  const put = (path, key, value) => (own[path] = { ...own[path], [key]: value });
  const post = { 量化: [0, 40, 1, 1, 12, 2 + 4 * 18], 幻方: [0, 8, 2 + 4 * 900, 1, 16, 2 + 4 * 22] };
  for (const [term, postings] of Object.entries(post)) put(`t/${fnv1a(shardKey(term)) % SHARDS}.js`, term, [500, varints(postings)]);
  own["d/0-0.js"] = { u: "n0/", t: "量化笔记", x: "这是一篇很长很长的关于模型训练和推理部署的笔记，最后才提到幻方。" };
  own["d/1-0.js"] = { u: "n1/", t: "团队", x: "DeepSeek 的论文里说，团队来自幻方量化。" };
  own["f.js"] = { c: [], g: [], d: [], l: [4, 2] };
  const small = createEngine({ ...manifest, docs: 10 }, async (path) => {
    if (!(path in own)) throw new Error(`404 ${path}`);
    return structuredClone(own[path]);
  });
  const first = async (query) => (await small.search(query)).items[0][0].location;
  assert.equal(await first("量化 幻方"), "n1/");
  assert.equal(await first("幻方 量化"), "n1/");
});
