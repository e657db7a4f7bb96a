/**
 * The discreet "Reconnecting…" indicator shown while the socket is down, and,
 * after a longer outage, since when the screen has not been updated.
 */
import { format } from "./settings.js";
import { clockFormat } from "./time.js";

const SHOW_AFTER_MS = 1500;

/**
 * Return a function that shows or hides the indicator for a connection state.
 *
 * The indicator waits a moment before showing, so a quick reconnect does not
 * flash it on the screen. The screen keeps showing its last posts; past
 * staleMs it adds the time of the last update and marks <body> is-stale.
 * @param {{staleMs?: number, labels?: Record<string, string>, lang?: string, since?: number}} [options]
 *   since: when the posts shown were last updated, for a page started from its offline copy
 * @returns {(connected: boolean) => void}
 */
export function connectionIndicator(options = {}) {
  const node = /** @type {HTMLElement|null} */ (document.querySelector("[data-reconnecting]"));
  const note = /** @type {HTMLElement|null} */ (document.querySelector("[data-stale]"));
  const staleMs = options.staleMs ?? 60000;
  /** @type {number|undefined} */
  let timer;
  /** @type {number|undefined} */
  let staleTimer;
  let lastUpdate = options.since ?? Date.now();
  let online = false;
  return (connected) => {
    // Reconnection attempts report "down" again and again: the outage starts at the first.
    if (online && !connected) lastUpdate = Date.now();
    online = connected;
    document.body.classList.toggle("is-offline", !connected);
    window.clearTimeout(timer);
    window.clearTimeout(staleTimer);
    if (connected) {
      document.body.classList.remove("is-stale");
      if (note) note.hidden = true;
      if (node) node.hidden = true;
      return;
    }
    if (node) timer = window.setTimeout(() => (node.hidden = false), SHOW_AFTER_MS);
    const since = lastUpdate;
    staleTimer = window.setTimeout(() => {
      document.body.classList.add("is-stale");
      if (!note) return;
      const time = clockFormat(options.lang).format(new Date(since));
      note.textContent = `· ${format(options.labels?.last_update ?? "Last update {time}", { time })}`;
      note.hidden = false;
    }, Math.max(0, staleMs - (Date.now() - since)));
  };
}
