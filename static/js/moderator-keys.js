/**
 * Keyboard shortcuts on a laptop and the selection of several posts.
 * J/K or arrows: next/previous card · A approve · R reject · H highlight ·
 * B block author · X select · U undo.
 */

const KEYS = /** @type {Record<string, string>} */ ({ a: "approve", r: "reject", h: "highlight", b: "block_author" });

/**
 * @param {{main: HTMLElement, undo: () => void, onSelection: (count: number) => void}} options
 */
export function startKeys({ main, undo, onSelection }) {
  // One tab shows at a time; the keys walk its cards that the filter leaves visible.
  const QUEUES = /** @type {Record<string, string>} */ ({ pending: "pending", shown: "recent", rejected: "rejected" });
  const visible = () => /** @type {HTMLElement[]} */ ([...main.querySelectorAll(`[data-queue="${QUEUES[main.dataset.current ?? ""] ?? "pending"}"] > [data-post-id]:not([hidden])`)]);

  /** @returns {HTMLElement|null} */
  const current = () => /** @type {HTMLElement|null} */ (main.querySelector(".mcard.is-current"));

  /** @param {HTMLElement|undefined|null} card */
  const focus = (card) => {
    current()?.classList.remove("is-current");
    if (!card) return;
    card.classList.add("is-current");
    card.focus({ preventScroll: true });
    card.scrollIntoView({ block: "nearest", behavior: "smooth" });
  };

  /** @param {number} step */
  const move = (step) => {
    const list = visible();
    if (!list.length) return;
    const index = list.indexOf(/** @type {HTMLElement} */ (current()));
    focus(list[Math.max(0, Math.min(list.length - 1, index < 0 ? 0 : index + step))]);
  };

  document.addEventListener("keydown", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (event.ctrlKey || event.metaKey || event.altKey || target.closest("input, textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    if (key === "j" || key === "arrowdown") move(1);
    else if (key === "k" || key === "arrowup") move(-1);
    else if (key === "u") undo();
    else if (key === "x") {
      const box = /** @type {HTMLInputElement|null} */ (current()?.querySelector("[data-select]") ?? null);
      if (box) {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
    } else if (key in KEYS) {
      const card = current() ?? visible()[0];
      const button = /** @type {HTMLButtonElement|null} */ (card?.querySelector(`button[data-action="${KEYS[key]}"]`) ?? null);
      if (!button) return;
      const list = visible();
      const next = list[list.indexOf(/** @type {HTMLElement} */ (card)) + 1];
      button.click();
      if (next) focus(next);
    } else return;
    event.preventDefault();
  });

  main.addEventListener("change", (event) => {
    const box = /** @type {HTMLInputElement} */ (event.target);
    if (!box.matches("[data-select]")) return;
    box.closest(".mcard")?.classList.toggle("is-selected", box.checked);
    onSelection(selected().length);
  });

  /** @returns {string[]} */
  const selected = () => [...main.querySelectorAll("[data-select]:checked")].map((box) => /** @type {HTMLElement} */ (box).dataset.select ?? "");

  return {
    selected,
    clear() {
      for (const box of main.querySelectorAll("[data-select]:checked")) {
        /** @type {HTMLInputElement} */ (box).checked = false;
        box.closest(".mcard")?.classList.remove("is-selected");
      }
      onSelection(0);
    },
  };
}
