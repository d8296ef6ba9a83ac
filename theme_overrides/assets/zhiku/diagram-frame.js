/*
 * The drawing side of diagrams.js: runs inside the hidden, sandboxed frame that
 * diagrams.js makes (an opaque origin, which Chromium puts in a process of its own),
 * beside the site's copy of Mermaid. The page sends {id, source, config}; the frame
 * answers {id, svg} or {id, error}. One diagram at a time: the page waits for each
 * answer before it sends the next, as Mermaid's renderer is not re-entrant.
 */
(() => {
  "use strict";

  const answer = (message) => parent.postMessage(message, "*");

  addEventListener("message", async (event) => {
    if (event.source !== parent || !event.data || typeof event.data.source !== "string") return;
    const { id, source, config } = event.data;
    try {
      window.mermaid.initialize(config);
      const { svg } = await window.mermaid.render(id, source);
      answer({ id, svg });
    } catch (error) {
      // Mermaid may leave its scratch element behind on failure.
      document.getElementById(`d${id}`)?.remove();
      document.getElementById(id)?.remove();
      answer({ id, error: String((error && error.message) || error) });
    }
  });

  // Ready only if Mermaid loaded beside this file.
  answer({ ready: Boolean(window.mermaid) });
})();
