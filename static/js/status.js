/**
 * The discreet "Reconnecting…" indicator shown while the socket is down.
 */

const SHOW_AFTER_MS = 1500;

/**
 * Return a function that shows or hides the indicator for a connection state.
 *
 * The indicator waits a moment before showing, so a quick reconnect does not
 * flash it on the screen.
 * @returns {(connected: boolean) => void}
 */
export function connectionIndicator() {
  const node = /** @type {HTMLElement|null} */ (document.querySelector("[data-reconnecting]"));
  /** @type {number|undefined} */
  let timer;
  return (connected) => {
    document.body.classList.toggle("is-offline", !connected);
    window.clearTimeout(timer);
    if (!node) return;
    if (connected) node.hidden = true;
    else timer = window.setTimeout(() => (node.hidden = false), SHOW_AFTER_MS);
  };
}
