/*
 * Zhiku's image lightbox: a click (or Enter/Space) on an image of the article opens it
 * large in a modal <dialog>; a click on it or + / - zooms in (full size, at least twice
 * the fitted size) and out, the zoomed image scrolling; ← / → go to the page's other
 * images; Esc or 关闭 closes it, and the focus returns to the page's image last shown.
 *
 * Own code rather than a library: the browser's <dialog> already gives the modal
 * behaviour (focus kept inside, Esc, inert page behind, top layer), so this is ~150
 * lines with nothing to vendor or keep patched. Loaded (deferred) only on pages that
 * hold an image; it never changes the page's layout until a reader asks for it.
 */
(() => {
  "use strict";

  const article = document.querySelector(".md-content article");
  if (!article) return;
  // Images that are content: not icons, not formulas, not images that are links
  // (a click there belongs to the link), not diagrams.
  const images = [...article.querySelectorAll("img")].filter(
    (img) =>
      !img.closest("a, button, .katex, .twemoji, .emojione, .zk-paper, .zk-mermaid") &&
      !img.classList.contains("zk-nozoom"),
  );
  if (!images.length) return;

  const make = (tag, props = {}, ...children) => {
    const el = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "class") el.className = value;
      else if (key === "text") el.textContent = value;
      else el.setAttribute(key, value);
    }
    el.append(...children);
    return el;
  };

  const triggers = images.map((img, index) => {
    const label = img.getAttribute("alt") || "";
    const button = make("button", {
      type: "button",
      class: "zk-zoom",
      "aria-label": label ? `放大图片：${label}` : `放大第 ${index + 1} 张图片`,
      "aria-haspopup": "dialog",
    });
    img.replaceWith(button);
    button.append(img);
    button.addEventListener("click", () => open(index));
    return button;
  });

  const picture = make("img", { class: "zk-lightbox__image", alt: "" });
  const caption = make("figcaption", { class: "zk-lightbox__caption" });
  const count = make("span", { class: "zk-lightbox__count", "aria-live": "polite" });
  const close = make("button", { type: "button", class: "zk-lightbox__close", text: "关闭" });
  const prev = make("button", { type: "button", class: "zk-lightbox__prev", text: "上一张" });
  const next = make("button", { type: "button", class: "zk-lightbox__next", text: "下一张" });
  const zoom = make("button", {
    type: "button",
    class: "zk-lightbox__zoom",
    "aria-pressed": "false",
    text: "放大",
  });
  const stage = make("figure", { class: "zk-lightbox__stage" }, picture, caption);
  const bar = make("div", { class: "zk-lightbox__bar" }, count, prev, next, zoom, close);
  const dialog = make("dialog", { class: "zk-lightbox", "aria-label": "图片" }, bar, stage);
  document.body.append(dialog);

  let current = 0;

  // Zoomed: the image at its own size, or twice the fitted size when that is larger
  // (a small image already shows whole); the stage scrolls.
  const setZoom = (on) => {
    if (on && !dialog.classList.contains("zk-lightbox--zoomed")) {
      const fitted = picture.getBoundingClientRect().width;
      picture.style.width = `${Math.round(Math.max(picture.naturalWidth, fitted * 2))}px`;
    } else if (!on) {
      picture.style.removeProperty("width");
    }
    dialog.classList.toggle("zk-lightbox--zoomed", on);
    zoom.setAttribute("aria-pressed", String(on));
    zoom.textContent = on ? "缩小" : "放大";
  };

  const show = (index) => {
    current = (index + images.length) % images.length;
    const img = images[current];
    picture.src = img.currentSrc || img.src;
    picture.alt = img.alt || "";
    const figure = img.closest("figure");
    const text = figure?.querySelector("figcaption")?.textContent || img.alt || "";
    caption.textContent = text;
    caption.hidden = !text;
    count.textContent = `${current + 1} / ${images.length}`;
    prev.hidden = next.hidden = images.length < 2;
    setZoom(false);
  };

  const open = (index) => {
    show(index);
    dialog.showModal();
    close.focus();
  };

  close.addEventListener("click", () => dialog.close());
  prev.addEventListener("click", () => show(current - 1));
  next.addEventListener("click", () => show(current + 1));
  zoom.addEventListener("click", () => setZoom(!dialog.classList.contains("zk-lightbox--zoomed")));
  picture.addEventListener("click", () =>
    setZoom(!dialog.classList.contains("zk-lightbox--zoomed")),
  );
  // A click on the dim backdrop (the dialog itself, outside the stage) closes it.
  dialog.addEventListener("click", (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "ArrowLeft" && images.length > 1) show(current - 1);
    else if (event.key === "ArrowRight" && images.length > 1) show(current + 1);
    else if (event.key === "+" || event.key === "=") setZoom(true);
    else if (event.key === "-" || event.key === "0") setZoom(false);
    else return;
    event.preventDefault();
  });
  // Esc closes a modal dialog by itself. Either way the focus goes back to the image
  // last shown, so the reader goes on reading from there.
  dialog.addEventListener("close", () => {
    setZoom(false);
    picture.removeAttribute("src");
    triggers[current].focus();
  });
})();
