/**
 * A Socket.IO connection that stays in sync with the server's event log.
 *
 * On every (re)connect it joins with the last sequence number it applied and
 * applies the snapshot or the missed events from the acknowledgement. Live
 * events that arrive while a sync is in flight are held back and replayed
 * after it, and any event with seq <= the last applied one is ignored, so each
 * change is applied once, in order.
 *
 * The server sends events in batched `events` frames ({after, seq, events}, see
 * docs/protocol.md). A frame whose `after` is past the last applied seq means a
 * frame was missed: the page joins again with `since` and gets what it lacks.
 */
import { io } from "../vendor/socket.io.esm.min.js";

const SYNC_TIMEOUT_MS = 10000;
const RETRY_MS = 3000;

/**
 * @typedef {object} SyncOptions
 * @property {string} namespace "/" for screens, "/moderator" for moderators; the page's
 *   <body data-namespace> wins (a wall of a folder: "/w/<slug>", "/w/<slug>/moderator")
 * @property {string} joinEvent join_screen or join_moderators
 * @property {(since: number|null) => object} joinPayload builds the join payload
 * @property {string[]} events names of live events that carry a seq
 * @property {(ack: any) => void} onSnapshot replace everything shown
 * @property {(type: string, event: any) => void} onEvent apply one event
 * @property {(stats: any) => void} [onStats] show new figures
 * @property {(connected: boolean) => void} [onStatus] connection state changed
 * @property {(version: string) => void} [onVersion] the server runs another version
 * @property {(socket: any) => void} [onRefused]
 *   the server refused the connection or the join, and will not be retried
 */

/**
 * Connect and keep the page in sync with the server.
 * @param {SyncOptions} options
 * @returns {{socket: any, lastSeq: () => number|null}}
 */
export function connectSync(options) {
  const socket = io(document.body.dataset.namespace || options.namespace, {
    reconnection: true,
    reconnectionAttempts: Infinity,
    reconnectionDelay: 1000,
    // Back-off 1 s doubling to 5 s, randomised by half: after a restart (about 2 s)
    // screens are back within seconds, and their joins are still spread (10 s before:
    // 1,000 screens took up to 10 s to come back, docs/benchmarks.md).
    reconnectionDelayMax: 5000,
    timeout: 10000,
    // WebSocket first: one handshake instead of long-polling's three requests and an
    // upgrade (1,000 screens joined in ~2 s instead of ~5, docs/benchmarks.md). Where
    // WebSockets are refused (a proxy), the same attempt falls back to long-polling;
    // where they hang, see the connect_error handler below.
    transports: ["websocket", "polling"],
    tryAllTransports: true,
  });
  /** @type {number|null} */
  let lastSeq = null;
  let statsSeq = -1;
  let syncing = false;
  let generation = 0;
  /** @type {Array<[string, any]>} */
  let held = [];

  /** Show figures unless newer ones are already shown. */
  const applyStats = (/** @type {any} */ stats, /** @type {unknown} */ seq) => {
    if (!stats || !options.onStats) return;
    if (typeof seq === "number") {
      if (seq < statsSeq) return;
      statsSeq = seq;
    }
    options.onStats(stats);
  };

  /** Apply one event once, in order. */
  const applyEvent = (/** @type {string} */ type, /** @type {any} */ event) => {
    if (!event || typeof event !== "object") return;
    if (type === "stats_updated") {
      applyStats(event.stats, event.seq);
      return;
    }
    if (typeof event.seq !== "number" || (lastSeq !== null && event.seq <= lastSeq)) return;
    lastSeq = event.seq;
    try {
      if (options.events.includes(type)) options.onEvent(type, event);
      // Events this page does not list (e.g. wall_paused on screens) go to the
      // page's own socket.on listeners, as when they were sent one by one.
      else for (const listener of socket.listeners(type)) listener(event);
    } catch (error) {
      console.error("socialwall: could not apply", type, error);
    }
  };

  /** Apply a batched frame, or sync again when frames were missed. */
  const applyFrame = (/** @type {any} */ frame) => {
    if (!frame || typeof frame !== "object" || !Array.isArray(frame.events)) return;
    if (lastSeq !== null && typeof frame.after === "number" && frame.after > lastSeq) {
      console.warn("socialwall: missed events after", lastSeq, "; syncing again");
      join();
      return;
    }
    for (const event of frame.events) {
      if (event && typeof event.type === "string") applyEvent(event.type, event);
    }
    if (typeof frame.seq === "number" && (lastSeq === null || frame.seq > lastSeq)) lastSeq = frame.seq;
  };

  /** Handle a live message now, or hold it while a sync is in flight. */
  const receive = (/** @type {string} */ type, /** @type {any} */ payload) => {
    if (syncing) held.push([type, payload]);
    else if (type === "events") applyFrame(payload);
    else applyEvent(type, payload);
  };

  /** Apply a sync acknowledgement, then the events held back meanwhile. */
  const applySync = (/** @type {any} */ ack) => {
    if (ack.version && options.onVersion) options.onVersion(String(ack.version));
    if (ack.mode === "snapshot") {
      lastSeq = typeof ack.seq === "number" ? ack.seq : null;
      statsSeq = -1;
      options.onSnapshot(ack);
    } else if (typeof ack.seq === "number" && lastSeq !== null && ack.seq < lastSeq) {
      // The server's log went backwards (a new database): start afresh.
      lastSeq = null;
      return false;
    } else {
      for (const event of ack.events ?? []) applyEvent(event.type, event);
      if (typeof ack.seq === "number" && (lastSeq === null || ack.seq > lastSeq)) lastSeq = ack.seq;
    }
    applyStats(ack.stats, ack.seq);
    return true;
  };

  /** Ask for what was missed since the last applied event. */
  const join = () => {
    const current = ++generation;
    syncing = true;
    socket
      .timeout(SYNC_TIMEOUT_MS)
      .emit(
        options.joinEvent,
        options.joinPayload(lastSeq),
        (/** @type {any} */ err, /** @type {any} */ ack) => {
          if (current !== generation || !socket.connected) return;
          if (!err && ack && typeof ack.error === "string") {
            console.warn("socialwall: join refused:", ack.error);
            if (options.onRefused) return options.onRefused(socket);
          }
          if (err || !ack || typeof ack !== "object" || ack.error || !applySync(ack)) {
            window.setTimeout(() => current === generation && socket.connected && join(), RETRY_MS);
            return;
          }
          syncing = false;
          const replay = held;
          held = [];
          for (const [type, payload] of replay) receive(type, payload);
          options.onStatus?.(true);
        },
      );
  };

  for (const type of options.events) {
    socket.on(type, (/** @type {any} */ event) => receive(type, event));
  }
  socket.on("events", (/** @type {any} */ frame) => receive("events", frame));
  socket.on("connect", join);
  socket.on("disconnect", () => {
    generation++;
    syncing = false;
    held = [];
    options.onStatus?.(false);
  });
  socket.on("connect_error", (/** @type {any} */ error) => {
    options.onStatus?.(false);
    // A WebSocket that neither opens nor fails (a proxy holding the upgrade) ends in a
    // timeout: from then on connect the classic way, long-polling first, then upgrade.
    if (error?.message === "timeout") socket.io.opts.transports = ["polling", "websocket"];
    // socket.active is false when the server refused us: no automatic retry.
    if (!socket.active) {
      if (options.onRefused) options.onRefused(socket);
      else window.setTimeout(() => socket.connect(), 5000);
    }
  });
  return { socket, lastSeq: () => lastSeq };
}
