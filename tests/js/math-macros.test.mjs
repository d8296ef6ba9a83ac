// The page's macros reach KaTeX in the worker: math.js hands the worker a `macros`
// object with the page's formulas (their definitions collected on the page), and every
// formula of that page is typeset with them, whatever order the formulas go in.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const MATH = new URL("../../theme_overrides/assets/zhiku/math.js", import.meta.url);
const KATEX = new URL("../../theme_overrides/assets/katex/katex.min.js", import.meta.url);

function startWorker() {
  const posted = [];
  const context = { performance, setTimeout, postMessage: (m) => posted.push(structuredClone(m)) };
  context.self = context;
  context.importScripts = () => vm.runInContext(readFileSync(KATEX, "utf8"), context);
  vm.createContext(context);
  vm.runInContext(readFileSync(MATH, "utf8"), context);
  const results = () => posted.flatMap((m) => m.results);
  return {
    send: (message) => context.onmessage({ data: message }),
    until: async (count) => {
      for (let i = 0; i < 200 && results().length < count; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return results().sort((a, b) => a.id - b.id);
    },
  };
}

const mathml = (html) => html.slice(html.indexOf("<math"), html.indexOf("</math>"));

test("the page's macros apply to each of its formulas, and \\S can be the note's own", async () => {
  const worker = startWorker();
  worker.send({
    page: 1,
    macros: { "\\S": "\\mathcal{S}", "\\abs": "\\left|#1\\right|" },
    add: [
      { id: 0, tex: "\\S", display: false },
      { id: 1, tex: "\\abs{x}", display: false },
      { id: 2, tex: "\\gdef\\leak{1}\\leak", display: false },
      { id: 3, tex: "\\leak", display: false },
    ],
  });
  const [s, abs, leak, after] = await worker.until(4);
  assert.match(mathml(s.html), /mathvariant="script">S</);
  assert.doesNotMatch(s.html, /§/);
  assert.match(mathml(abs.html), /<mo fence="true">∣<\/mo><mi>x<\/mi>/);
  assert.equal(leak.error, undefined);
  // What one formula defines for itself does not reach another: no order dependence.
  assert.match(after.error, /Undefined control sequence/);
});

test("a new page starts without the last page's macros", async () => {
  const worker = startWorker();
  worker.send({ page: 1, macros: { "\\RR": "\\mathbb{R}" }, add: [{ id: 0, tex: "\\RR", display: false }] });
  await worker.until(1);
  worker.send({ page: 2, add: [{ id: 0, tex: "\\RR", display: false }] });
  const results = await worker.until(2);
  assert.equal(results.length, 2);
  assert.match(results.find((r) => r.error !== undefined).error, /Undefined control sequence/);
});

test("scripts MathJax takes unbraced (f_\\boldsymbol{w}, \\max_\\boldsymbol\\alpha) typeset", async () => {
  const worker = startWorker();
  worker.send({
    page: 1,
    macros: {},
    add: [
      { id: 0, tex: "f_\\boldsymbol{w}(x_i)", display: false },
      { id: 1, tex: "\\max_\\boldsymbol\\alpha L(\\boldsymbol w)", display: true },
      { id: 2, tex: "x^\\mathrm T y", display: false },
      { id: 3, tex: "\\frac{1}{", display: false },
    ],
  });
  const [a, b, c, broken] = await worker.until(4);
  for (const result of [a, b, c]) assert.equal(result.error, undefined, result.error);
  assert.match(mathml(a.html), /<mi mathvariant="bold(?:-italic)?">w<\/mi>/);
  assert.match(mathml(b.html), /α/);
  assert.ok(broken.error, "a formula that is wrong stays an error");
});
