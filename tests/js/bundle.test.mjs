// engine.js, the classic script a page opened from disk loads, is the same engine.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

import * as modules from "../../plugins/zhiku/search/assets/engine.mjs";

test("the classic script exposes the engine and answers as the modules do", async () => {
  const context = { self: {} };
  vm.createContext(context);
  vm.runInContext(readFileSync(new URL("../../plugins/zhiku/search/assets/engine.js", import.meta.url), "utf8"), context);
  const classic = context.self.zhikuSearch;
  for (const name of ["createEngine", "parseFilters", "highlight", "snippet", "FORMAT"]) {
    assert.ok(name in classic, name);
  }
  assert.equal(classic.FORMAT, modules.FORMAT);
  assert.deepEqual(
    JSON.parse(JSON.stringify(classic.parseFilters("注意力 标签:GAN"))),
    modules.parseFilters("注意力 标签:GAN"),
  );
  assert.throws(() => classic.createEngine({ format: 0 }, async () => ({})), /not supported/);
});
