/*
 * Mermaid diagrams (```mermaid fences, written by pymdownx.superfences as
 * <pre class="zk-mermaid"><code>source</code></pre>), drawn by the site's own copy of
 * Mermaid (assets/mermaid/mermaid.min.js; Material's own Mermaid support would fetch
 * it from a CDN, hence the class name it does not know).
 *
 * - Only pages with a diagram load this file, and this file loads Mermaid (about
 *   1.6 MB compressed) only when a diagram comes near the screen, so other pages and
 *   the first paint of this one cost nothing more.
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
  const library = new URL("../mermaid/mermaid.min.js", here || document.baseURI).href;
  const root = document.documentElement;

  let loading = null;
  const load = () => {
    loading ||= new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = library;
      script.onload = () => resolve(window.mermaid);
      script.onerror = () => reject(new Error(`无法载入 ${library}`));
      document.head.append(script);
    });
    return loading;
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

  const draw = async (mermaid, pre) => {
    const source = pre.textContent;
    const id = `zk-mermaid-${++counter}`;
    try {
      const { svg, bindFunctions } = await mermaid.render(id, source);
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
      if (bindFunctions) bindFunctions(figure);
      pre.hidden = true;
      pre.classList.remove("zk-mermaid--error");
      const note = pre.previousElementSibling;
      if (note && note.classList.contains("zk-mermaid__error")) note.remove();
    } catch (error) {
      // Mermaid may leave its scratch element behind on failure.
      document.getElementById(`d${id}`)?.remove();
      document.getElementById(id)?.remove();
      mark(pre, String((error && error.message) || error).split("\n")[0].slice(0, 160));
    }
  };

  const run = async () => {
    let mermaid;
    try {
      mermaid = await load();
    } catch (error) {
      for (const pre of blocks) mark(pre, error.message);
      root.dataset.zkDiagrams = "done";
      return;
    }
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: "strict",
      suppressErrorRendering: true,
      theme: "base",
      themeVariables: themeVariables(),
    });
    // One at a time: Mermaid's renderer is not re-entrant.
    for (const pre of blocks) await draw(mermaid, pre);
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
