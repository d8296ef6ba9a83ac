// 复制 BibTeX on paper cards: copies the entry shown under the card's "BibTeX" summary.
// A <button>, so Enter and Space work; the result is announced in the card's status line.
(() => {
  const copy = async (button) => {
    const card = button.closest(".zk-paper");
    const text = card.querySelector(".zk-paper__bibtex code").textContent;
    const status = card.querySelector(".zk-paper__status");
    try {
      await navigator.clipboard.writeText(text);
      status.textContent = "已复制";
    } catch (err) {
      // No clipboard (an insecure origin, a refused permission): show the entry to copy by hand.
      card.querySelector(".zk-paper__bibtex").open = true;
      status.textContent = "无法访问剪贴板，请手动复制下方 BibTeX";
    }
  };
  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-zk-bibtex]");
    if (button) copy(button);
  });
})();
