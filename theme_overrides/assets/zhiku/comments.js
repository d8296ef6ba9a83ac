/*
 * The comment widget under an article (mkdocs.yml `extra: comments:`), loaded only when
 * the reader scrolls near it: until then the page asks the provider's host for nothing.
 * giscus: giscus.app (which reads and writes GitHub Discussions); Waline: unpkg.com for
 * its client, then your Waline server; Twikoo: cdn.jsdelivr.net for its client, then
 * your Twikoo server. `client:` in the settings points at a copy you host instead.
 */
(() => {
  "use strict";

  const data = document.getElementById("zk-comments-config");
  const box = document.getElementById("zk-comments-widget");
  if (!data || !box) return;
  const settings = JSON.parse(data.textContent);
  const dark = () => document.body.getAttribute("data-md-color-scheme") === "slate";
  const CLIENTS = {
    waline: "https://unpkg.com/@waline/client@v3/dist/waline.js",
    // The "all" build works with both kinds of Twikoo server (own and Tencent CloudBase).
    twikoo: "https://cdn.jsdelivr.net/npm/twikoo@1.6/dist/twikoo.all.min.js",
  };
  const OWN = new Set(["provider", "client", "path", "title"]);

  const script = (src, attributes = {}) =>
    new Promise((resolve, reject) => {
      const el = document.createElement("script");
      for (const [key, value] of Object.entries(attributes)) el.setAttribute(key, value);
      el.src = src;
      el.async = true;
      el.crossOrigin = "anonymous";
      el.onload = resolve;
      el.onerror = () => reject(new Error(`无法载入 ${src}`));
      box.append(el);
    });

  const giscusTheme = () => (dark() ? "dark" : "light");

  const loaders = {
    giscus: () => {
      const attributes = {
        "data-mapping": "pathname",
        "data-reactions-enabled": "1",
        "data-emit-metadata": "0",
        "data-input-position": "top",
        "data-lang": "zh-CN",
        "data-loading": "lazy",
        "data-theme": giscusTheme(),
      };
      for (const [key, value] of Object.entries(settings)) {
        if (!OWN.has(key)) attributes[`data-${key.replaceAll("_", "-")}`] = String(value);
      }
      // The palette toggle changes giscus's theme too.
      new MutationObserver(() => {
        const frame = box.querySelector("iframe.giscus-frame");
        frame?.contentWindow?.postMessage(
          { giscus: { setConfig: { theme: giscusTheme() } } },
          "https://giscus.app",
        );
      }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
      return script(settings.client || "https://giscus.app/client.js", attributes);
    },
    waline: async () => {
      const src = settings.client || CLIENTS.waline;
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = src.replace(/\.m?js$/, ".css");
      document.head.append(css);
      const { init } = await import(src);
      const options = { lang: "zh-CN", dark: 'body[data-md-color-scheme="slate"]' };
      for (const [key, value] of Object.entries(settings)) {
        if (!OWN.has(key) && key !== "server_url") options[key] = value;
      }
      init({ ...options, el: box, serverURL: settings.server_url, path: settings.path });
    },
    twikoo: async () => {
      await script(settings.client || CLIENTS.twikoo);
      const options = { lang: "zh-CN" };
      for (const [key, value] of Object.entries(settings)) {
        if (!OWN.has(key) && key !== "env_id") options[key] = value;
      }
      window.twikoo.init({
        ...options,
        envId: settings.env_id,
        el: "#zk-comments-widget",
        path: settings.path,
      });
    },
  };

  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    box.replaceChildren();
    box.dataset.state = "loading";
    Promise.resolve()
      .then(loaders[settings.provider])
      .then(() => {
        box.dataset.state = "loaded";
      })
      .catch((error) => {
        box.dataset.state = "failed";
        const note = document.createElement("p");
        note.className = "zk-comments__wait";
        note.textContent = `评论载入失败：${error.message}`;
        box.append(note);
      });
  };

  if ("IntersectionObserver" in window) {
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          start();
        }
      },
      { rootMargin: "300px 0px" },
    );
    observer.observe(box);
  } else {
    start();
  }
})();
