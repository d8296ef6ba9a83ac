/*
 * Mermaid diagrams (```mermaid fences, written by pymdownx.superfences as
 * <pre class="zk-mermaid"><code>source</code></pre>), drawn by the site's own copy of
 * Mermaid (assets/mermaid/mermaid.min.js; Material's own Mermaid support would fetch
 * it from a CDN, hence the class name it does not know).
 *
 * - Only pages with a diagram load this file, and this file loads Mermaid (about
 *   1.6 MB compressed) only when a diagram comes near the screen, so other pages and
 *   the first paint of this one cost nothing more.
 * - Mermaid runs in a hidden, sandboxed frame (diagram-frame.js beside it), not in the
 *   page: the frame has an opaque origin, which Chromium gives a process of its own,
 *   so the second or more Mermaid spends reading and laying out never blocks the
 *   reader's scrolling, selecting or typing. Only the finished SVG comes back. Where
 *   a frame cannot load the site's files (file://) or does not answer, Mermaid runs
 *   in the page as a fallback.
 * - Diagrams follow the light and dark palette, and are drawn again when the reader
 *   switches it.
 * - A diagram Mermaid cannot read keeps its source on the page with an error mark
 *   and Mermaid's message, never a blank box.
 * - Until drawn (and without JavaScript) the source shows as code.
 * <html data-zk-diagrams="done"> marks the page once every diagram is settled.
 */
(() => {
  "use strict";

  const blocks = [...document.querySelectorAll("pre.zk-mermaid")];
  if (!blocks.length) return;
  const here = document.currentScript ? document.currentScript.src : "";
  const asset = (path) => new URL(path, here || document.baseURI).href;
  const library = asset("../mermaid/mermaid.min.js");
  const root = document.documentElement;

  // A drawer turns (id, source, config) into Mermaid's SVG, or throws Mermaid's error.
  const inPage = () =>
    new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = library;
      script.onload = () => resolve(window.mermaid);
      script.onerror = () => reject(new Error(`无法载入 ${library}`));
      document.head.append(script);
    }).then((mermaid) => async (id, source, config) => {
      mermaid.initialize(config);
      try {
        return (await mermaid.render(id, source)).svg;
      } catch (error) {
        // Mermaid may leave its scratch element behind on failure.
        document.getElementById(`d${id}`)?.remove();
        document.getElementById(id)?.remove();
        throw error;
      }
    });

  const attribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");
  const inFrame = (width) =>
    new Promise((resolve, reject) => {
      const frame = document.createElement("iframe");
      frame.setAttribute("sandbox", "allow-scripts");
      frame.setAttribute("aria-hidden", "true");
      frame.tabIndex = -1;
      frame.title = "图表绘制";
      frame.className = "zk-mermaid-frame";
      // As wide as the text, so Mermaid fits diagrams to the same measure.
      frame.style.width = `${Math.max(320, Math.round(width))}px`;
      frame.srcdoc =
        '<!doctype html><meta charset="utf-8">' +
        `<script src="${attribute(library)}"></script>` +
        `<script src="${attribute(asset("diagram-frame.js"))}"></script>`;
      const waiting = new Map();
      const giveUp = setTimeout(() => {
        frame.remove();
        reject(new Error("the drawing frame did not answer"));
      }, 20000);
      addEventListener("message", (event) => {
        const data = event.data;
        if (event.source !== frame.contentWindow || !data || typeof data !== "object") return;
        if ("ready" in data) {
          clearTimeout(giveUp);
          if (data.ready) {
            resolve(draw);
          } else {
            frame.remove();
            reject(new Error(`无法载入 ${library}`));
          }
          return;
        }
        const answer = waiting.get(data.id);
        if (!answer) return;
        waiting.delete(data.id);
        if (typeof data.svg === "string") answer.resolve(data.svg);
        else answer.reject(new Error(String(data.error)));
      });
      const draw = (id, source, config) =>
        new Promise((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          frame.contentWindow.postMessage({ id, source, config }, "*");
        });
      document.body.append(frame);
    });

  let drawer = null;
  const drawerFor = (width) => {
    drawer ||=
      location.protocol === "file:" ? inPage() : inFrame(width).catch(() => inPage());
    return drawer;
  };

  const dark = () => document.body.getAttribute("data-md-color-scheme") === "slate";

  // Mermaid's "base" theme in the page's own colours (Zhiku's, or those of the palette
  // set in mkdocs.yml), so diagrams read like the page in both schemes: ink on paper,
  // nodes tinted with the accent. Colours are read from the CSS as the browser
  // computes them (a canvas turns any CSS colour into #rrggbb for Mermaid).
  const themeVariables = () => {
    const style = getComputedStyle(document.body);
    const ctx = document.createElement("canvas").getContext("2d");
    const hex = (name, fallback) => {
      ctx.fillStyle = fallback;
      ctx.fillStyle = style.getPropertyValue(name).trim() || fallback;
      return /^#[0-9a-f]{6}$/i.test(ctx.fillStyle) ? ctx.fillStyle : fallback;
    };
    const mix = (a, b, t) => {
      const channel = (c, i) => parseInt(c.slice(1 + 2 * i, 3 + 2 * i), 16);
      return `#${[0, 1, 2]
        .map((i) => Math.round(channel(a, i) * t + channel(b, i) * (1 - t)))
        .map((v) => v.toString(16).padStart(2, "0"))
        .join("")}`;
    };
    const isDark = dark();
    const ink = hex("--zk-ink", isDark ? "#e6e9ee" : "#1b1f24");
    const paper = hex("--zk-paper", isDark ? "#11151b" : "#fbfaf7");
    const card = hex("--zk-card", isDark ? "#171c23" : "#ffffff");
    const muted = hex("--zk-muted", isDark ? "#9aa4b1" : "#5b6470");
    const accent = hex("--zk-accent", isDark ? "#3fd0c9" : "#0a6e69");
    return {
      darkMode: isDark,
      fontFamily: style.fontFamily,
      background: paper,
      textColor: ink,
      primaryColor: mix(accent, card, 0.16),
      primaryTextColor: ink,
      primaryBorderColor: accent,
      secondaryColor: mix(muted, card, 0.14),
      secondaryTextColor: ink,
      tertiaryColor: card,
      tertiaryTextColor: ink,
      lineColor: muted,
      edgeLabelBackground: paper,
      nodeTextColor: ink,
      noteBkgColor: mix(accent, card, 0.08),
      noteTextColor: ink,
      clusterBkg: mix(muted, card, 0.06),
      titleColor: ink,
    };
  };
  let counter = 0;

  const mark = (pre, message) => {
    pre.hidden = false;
    pre.classList.add("zk-mermaid--error");
    let note = pre.previousElementSibling;
    if (!note || !note.classList.contains("zk-mermaid__error")) {
      note = document.createElement("p");
      note.className = "zk-mermaid__error";
      pre.before(note);
    }
    note.textContent = `图表无法解析，下面是它的源码。${message ? `（${message}）` : ""}`;
    pre.title = "图表无法解析";
    const figure = pre.nextElementSibling;
    if (figure && figure.classList.contains("zk-mermaid-diagram")) figure.remove();
  };

  const draw = async (render, config, pre) => {
    const source = pre.textContent;
    const id = `zk-mermaid-${++counter}`;
    try {
      const svg = await render(id, source, config);
      let figure = pre.nextElementSibling;
      if (!figure || !figure.classList.contains("zk-mermaid-diagram")) {
        figure = document.createElement("div");
        figure.className = "zk-mermaid-diagram";
        // A wide diagram scrolls inside its own box, which the keyboard can reach.
        figure.tabIndex = 0;
        figure.setAttribute("role", "group");
        figure.setAttribute("aria-label", "图表");
        pre.after(figure);
      }
      // Mermaid's own output, sanitised by Mermaid (securityLevel "strict").
      figure.innerHTML = svg;
      pre.hidden = true;
      pre.classList.remove("zk-mermaid--error");
      const note = pre.previousElementSibling;
      if (note && note.classList.contains("zk-mermaid__error")) note.remove();
    } catch (error) {
      mark(pre, String((error && error.message) || error).split("\n")[0].slice(0, 160));
    }
  };

  const run = async () => {
    let render;
    try {
      render = await drawerFor(blocks[0].parentElement.clientWidth);
    } catch (error) {
      for (const pre of blocks) mark(pre, error.message);
      root.dataset.zkDiagrams = "done";
      return;
    }
    const config = {
      startOnLoad: false,
      securityLevel: "strict",
      suppressErrorRendering: true,
      theme: "base",
      themeVariables: themeVariables(),
    };
    // One at a time: Mermaid's renderer is not re-entrant.
    for (const pre of blocks) await draw(render, config, pre);
    root.dataset.zkDiagrams = "done";
  };

  // Drawings queue up (a palette switch while drawing waits for the first pass).
  let queue = Promise.resolve();
  const drawAll = () => {
    queue = queue.then(run);
    return queue;
  };

  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    drawAll();
  };
  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          start();
        }
      },
      { rootMargin: "400px 0px" },
    );
    for (const pre of blocks) observer.observe(pre);
  } else {
    start();
  }

  // The palette toggle changes the body's scheme: draw again in the new colours.
  new MutationObserver(() => {
    if (!started) return;
    root.dataset.zkDiagrams = "pending";
    drawAll();
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
})();
