/**
 * The live indicator in the tablet's header: connected, reconnecting or offline.
 *
 * socket.js reports each connect and each failed attempt (onStatus); a drop
 * shows "reconnecting", and past OFFLINE_MS without a connection, or when the
 * browser itself has no network, "offline".
 */

const OFFLINE_MS = 15000;

/**
 * Return the function to call with each connection state from socket.js.
 * @param {Record<string, string>} labels
 * @returns {(connected: boolean) => void}
 */
export function liveState(labels) {
  const node = /** @type {HTMLElement|null} */ (document.querySelector("[data-live]"));
  const text = node?.querySelector("[data-live-text]");
  /** @type {number|undefined} */
  let timer;
  let connected = false;

  /** @param {"connecting"|"connected"|"reconnecting"|"offline"} state */
  const show = (state) => {
    if (!node || !text) return;
    node.dataset.live = state;
    text.textContent = labels[`live_${state}`] ?? state;
  };

  window.addEventListener("offline", () => show("offline"));
  window.addEventListener("online", () => {
    if (!connected) show("reconnecting");
  });
  return (up) => {
    const wasUp = connected;
    connected = up;
    if (up) {
      window.clearTimeout(timer);
      timer = undefined;
      show("connected");
      return;
    }
    if (!navigator.onLine) {
      show("offline");
      return;
    }
    if (wasUp || node?.dataset.live === "connecting") show("reconnecting");
    if (timer === undefined) {
      timer = window.setTimeout(() => {
        timer = undefined;
        if (!connected) show("offline");
      }, OFFLINE_MS);
    }
  };
}
