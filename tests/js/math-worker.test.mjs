// math.js as the page starts it in a worker: it loads the site's KaTeX with
// importScripts and answers {page, add, near, hold} messages with each formula's
// HTML, the ones near the screen first. Run here in a bare context, as in a worker
// (no document), with the vendored KaTeX.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const MATH = new URL("../../theme_overrides/assets/zhiku/math.js", import.meta.url);
const KATEX = new URL("../../theme_overrides/assets/katex/katex.min.js", import.meta.url);

function startWorker() {
  const posted = [];
  const context = {
    performance,
    setTimeout,
    postMessage: (message) => posted.push(structuredClone(message)),
  };
  context.self = context;
  context.importScripts = (path) => {
    assert.equal(path, "../katex/katex.min.js", "KaTeX from the site, next to math.js");
    vm.runInContext(readFileSync(KATEX, "utf8"), context);
  };
  vm.createContext(context);
  vm.runInContext(readFileSync(MATH, "utf8"), context);
  assert.equal(typeof context.onmessage, "function", "math.js listens as a worker");
  const results = () => posted.flatMap((m) => m.results.map((r) => ({ page: m.page, ...r })));
  return {
    send: (message) => context.onmessage({ data: message }),
    results,
    // Until `count` results are back, or a quiet moment when none are expected.
    until: async (count) => {
      for (let i = 0; i < 200 && results().length < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      return results();
    },
  };
}

const items = (texts) => texts.map((tex, id) => ({ id, tex, display: false }));

test("formulas come back as KaTeX HTML with MathML, or as the reason they failed", async () => {
  const worker = startWorker();
  worker.send({
    page: 1,
    add: [
      { id: 0, tex: "\\sum_{i=1}^n x_i", display: true },
      { id: 1, tex: "\\frac{1}{2", display: false },
      { id: 2, tex: "\\href{javascript:alert(1)}{点我}", display: false },
      {
        id: 3,
        tex: "\\def\\a{xxxxxxxxxx}\\def\\b{\\a\\a\\a\\a\\a\\a\\a\\a\\a\\a}\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b\\b",
        display: false,
      },
      { id: 4, tex: "\\rule{100000em}{100000em}", display: false },
    ],
  });
  const [sum, cut, link, bomb, rule] = await worker.until(5);
  assert.match(sum.html, /katex-display/);
  assert.match(sum.html, /<math/);
  assert.match(cut.error, /KaTeX parse error/);
  // trust is off: \href is not a link.
  assert.ok(link.html !== undefined && !/<a[\s>]/.test(link.html), link.html);
  assert.match(bomb.error, /Too many expansions/);
  // maxSize 10: the rule is 10 em, not 100000.
  assert.match(rule.html, /border-right-width:10em/);
  assert.doesNotMatch(rule.html, /:\s*100000em/);
});

test("held formulas wait for the ones near the screen, which then go first", async () => {
  const worker = startWorker();
  worker.send({ page: 1, add: items(["a", "b", "c", "d", "e", "f"]), hold: true });
  assert.deepEqual(await worker.until(0), [], "nothing before the page says what is near");
  worker.send({ page: 1, near: [4, 5] });
  const order = (await worker.until(6)).map((r) => r.id);
  assert.deepEqual(order, [4, 5, 0, 1, 2, 3]);
});

test("an empty near list releases the hold in document order", async () => {
  const worker = startWorker();
  worker.send({ page: 1, add: items(["a", "b", "c"]), hold: true });
  worker.send({ page: 1, near: [] });
  assert.deepEqual((await worker.until(3)).map((r) => r.id), [0, 1, 2]);
});

test("a new page drops what is left of the old one", async () => {
  const worker = startWorker();
  worker.send({ page: 1, add: items(Array.from({ length: 300 }, (_, i) => `x_{${i}}`)) });
  worker.send({ page: 2, add: items(["y", "z"]) });
  const results = await worker.until(2);
  assert.deepEqual(
    results.map((r) => [r.page, r.id]),
    [
      [2, 0],
      [2, 1],
    ],
  );
});
