// preview.js's pure parts: which links get a card, and what a page's card says.
// Node has no DOM: the pages below are read by a small parser of well-formed HTML
// (the shape `mkdocs build` writes), enough for the tree walking preview.js does.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const context = { self: {}, URL };
vm.createContext(context);
vm.runInContext(
  readFileSync(new URL("../../theme_overrides/assets/zhiku/preview.js", import.meta.url), "utf8"),
  context,
);
const { previewTarget, extract } = context.self.zhikuPreview;

const VOID = new Set(["meta", "link", "br", "img", "hr", "input", "wbr"]);

function parse(html) {
  const root = { tagName: "#document", childNodes: [], children: [], attrs: {} };
  const stack = [root];
  const add = (node) => {
    const parent = stack[stack.length - 1];
    node.parentNode = parent;
    parent.childNodes.push(node);
    if (node.nodeType === 1) parent.children.push(node);
  };
  const token = /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-zA-Z0-9]+)\s*>|<([a-zA-Z0-9]+)((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*\/?>|([^<]+)/gi;
  let found;
  while ((found = token.exec(html))) {
    if (found[4] !== undefined) {
      add({ nodeType: 3, data: found[4].replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&") });
    } else if (found[1]) {
      const name = found[1].toLowerCase();
      while (stack.length > 1 && stack.pop().tagName.toLowerCase() !== name);
    } else if (found[2]) {
      const name = found[2].toLowerCase();
      const attrs = {};
      for (const a of found[3].matchAll(/([^\s=]+)(?:="([^"]*)")?/g)) attrs[a[1]] = a[2] ?? "";
      const el = {
        nodeType: 1,
        tagName: name.toUpperCase(),
        attrs,
        childNodes: [],
        children: [],
        getAttribute: (key) => (key in attrs ? attrs[key] : null),
        get nextElementSibling() {
          const kids = this.parentNode.children;
          return kids[kids.indexOf(this) + 1] ?? null;
        },
      };
      add(el);
      if (name === "script") {
        const end = html.indexOf("</script>", token.lastIndex);
        el.childNodes.push({ nodeType: 3, data: html.slice(token.lastIndex, end) });
        token.lastIndex = end + "</script>".length;
      } else if (!VOID.has(name)) {
        stack.push(el);
      }
    }
  }
  return root;
}

// An article page as mkdocs build writes it: Material's frame, Zhiku's header, a series
// box, the text with a formula and a link, the footers.
const ARTICLE = `<!doctype html><html lang="zh"><head>
<meta name="description" content="Transformer 用注意力取代循环。">
<title>注意力机制 - 知库</title></head><body>
<nav class="md-nav"><p>不是正文</p></nav>
<div class="md-content"><article class="md-content__inner md-typeset">
<h1>注意力机制<a class="headerlink" href="#_1">¶</a></h1>
<header class="zk-article-header"><div class="zk-card__meta">
<a class="zk-card__category" href="../category/nlp/">NLP</a>
<span class="zk-card__when"><span class="zk-card__estimated" title="日期为推算值">约</span><time class="zk-card__date" datetime="2026-01-15">2026年1月15日</time>
<span class="zk-card__reading">约 3 分钟</span></span></div>
<ul class="zk-article-header__tags"><li><a class="zk-tag" href="../tags/x/">注意力</a></li></ul></header>
<nav class="zk-series"><p class="zk-series__title">系列「入门」</p></nav>
<details class="zk-toc-inline"><summary>目录</summary><p>不是正文</p></details>
<div class="admonition tip"><p class="admonition-title">提示</p><p>先读 RNN。</p></div>
<p>缩放点积注意力是 <script type="math/tex">\\mathrm{softmax}(QK^\\top/\\sqrt{d})V</script>，见 <a href="../rnn/">RNN</a>。</p>
<h2 id="多头注意力">多头注意力<a class="headerlink" href="#多头注意力">¶</a></h2>
<figure class="zk-figure"><img src="a.png"><figcaption>图 1</figcaption></figure>
<p>多个头各自学一种关系。</p>
<h2 id="空小节">空小节</h2>
<h2 id="下一节">下一节</h2><p>另一节的文字。</p>
<p class="zk-truncated">……摘录到此为止。</p>
<nav class="zk-prevnext"><a href="../b/">下一篇</a></nav>
</article></div></body></html>`;

test("a card shows the title, meta line and first paragraph of the article's text", () => {
  const card = extract(parse(ARTICLE), "");
  assert.equal(card.title, "注意力机制");
  assert.deepEqual([...card.meta], ["NLP", "约2026年1月15日", "约 3 分钟"]);
  assert.equal(card.date, "2026-01-15");
  const p = card.paragraph;
  assert.equal(p.tagName, "P");
  assert.ok(p.children.some((el) => el.tagName === "SCRIPT"), "the formula comes along");
  assert.equal(card.description, "Transformer 用注意力取代循环。");
});

test("a link to a section shows that section's heading and first paragraph", () => {
  const card = extract(parse(ARTICLE), "多头注意力");
  assert.equal(card.title, "注意力机制 › 多头注意力");
  assert.equal(card.paragraph.childNodes[0].data, "多个头各自学一种关系。");
  // A section without text of its own shows none, not the next section's.
  assert.equal(extract(parse(ARTICLE), "空小节").paragraph, null);
  // An anchor that is no heading: the page's card.
  assert.equal(extract(parse(ARTICLE), "nothing").title, "注意力机制");
});

test("a listing without paragraphs has its title and description", () => {
  const listing = `<html><head><meta name="description" content="分类 NLP 下的文章"><title>NLP - 知库</title></head>
<body><div class="md-content"><article><h1>NLP</h1>
<div class="zk-feed"><article class="zk-card"><h2>标题</h2><p>摘要</p></article></div>
</article></div></body></html>`;
  const card = extract(parse(listing), "");
  assert.equal(card.title, "NLP");
  assert.equal(card.paragraph, null);
  assert.deepEqual([...card.meta], []);
  assert.equal(card.description, "分类 NLP 下的文章");
});

test("a page without h1 takes its title from <title>", () => {
  const page = `<html><head><title>关于 - 知库</title></head><body><div class="md-content"><article><p>你好。</p></article></div></body></html>`;
  const card = extract(parse(page), "");
  assert.equal(card.title, "关于");
  assert.equal(card.paragraph.childNodes[0].data, "你好。");
});

test("only links to other pages of the same site get a card", () => {
  const page = "https://example.org/zhiku/attention/";
  const cases = [
    ["../rnn/", "https://example.org/zhiku/rnn/"],
    ["../rnn/#多头", "https://example.org/zhiku/rnn/"],
    ["/zhiku/rnn/index.html", "https://example.org/zhiku/rnn/index.html"],
    ["../rnn/?q=1", "https://example.org/zhiku/rnn/?q=1"],
    ["#多头", null],
    ["", null],
    ["./", null],
    ["../attention/#x", null],
    ["https://example.org/zhiku/attention/", null],
    ["https://other.example.org/zhiku/rnn/", null],
    ["http://example.org/zhiku/rnn/", null],
    ["//cdn.example.com/x/", null],
    ["mailto:a@example.org", null],
    ["javascript:alert(1)", null],
    ["../paper.pdf", null],
    ["../feeds/rss.xml", null],
    ["../feeds/feed.json", null],
    ["../img/fig.PNG", null],
    ["../papers/all.bib", null],
    ["../notes.tar.gz", null],
  ];
  for (const [href, expected] of cases) {
    assert.equal(previewTarget(href, page), expected, href);
  }
  // A site opened from disk: no fetch can work there, so no card.
  assert.equal(previewTarget("../rnn/index.html", "file:///home/me/site/attention/index.html"), null);
});
