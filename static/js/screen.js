/**
 * What every wall screen shares: the synced socket, heartbeats, the reconnect
 * indicator, reloads asked by the server, the header clock and the wake lock.
 */
import { Announcement } from "./announcement.js";
import { watchKillSwitch } from "./killswitch.js";
import { startLobby } from "./night.js";
import { keepOffline, LastPosts } from "./offline.js";
import { connectSync } from "./socket.js";
import { readLabels, readSettings } from "./settings.js";
import { connectionIndicator } from "./status.js";
import { startClock } from "./time.js";
import "./schedule.js";

const HEARTBEAT_MS = 15000;
const RELOAD_KEY = "socialwall:reloaded-for";

/**
 * @typedef {object} ScreenHandlers
 * @property {(ack: any) => void} onSnapshot replace everything shown
 * @property {(type: string, event: any) => void} onEvent apply one post event
 * @property {(stats: any) => void} [onStats] show new figures
 * @property {() => number} shown how many posts the screen shows, for heartbeats
 */

/**
 * Reload the page after a short random delay, so that every screen does not
 * hit the server at the same instant.
 */
function reload() {
  window.setTimeout(() => window.location.reload(), Math.random() * 1000);
}

/**
 * Reload once for a server version this page was not rendered with; the
 * session guard stops a reload loop if the server keeps disagreeing.
 * @param {string} version
 */
function reloadFor(version) {
  if (sessionStorage.getItem(RELOAD_KEY) === version) return;
  sessionStorage.setItem(RELOAD_KEY, version);
  reload();
}

/**
 * Keep the display awake where the browser allows it; the lock is dropped
 * whenever the page is hidden, so take it again when it shows.
 */
function keepAwake() {
  const wakeLock = /** @type {any} */ (navigator).wakeLock;
  if (!wakeLock) return;
  const request = () => {
    if (document.visibilityState !== "visible") return;
    wakeLock.request("screen").catch(() => {
      // Refused (no user gesture, power saving): kiosk flags or OS settings keep the screen on.
    });
  };
  document.addEventListener("visibilitychange", request);
  request();
}

/**
 * Start a screen.
 * @param {(settings: import("./settings.js").Settings, labels: Record<string, string>) => ScreenHandlers} setup
 */
export function startScreen(setup) {
  const settings = readSettings();
  const labels = readLabels();
  document.documentElement.style.setProperty("--speed", String(settings.speed));
  const handlers = setup(settings, labels);
  const announcement = new Announcement(labels);
  // Show the last posts kept at once: the live snapshot replaces them when the server answers.
  const memory = new LastPosts(settings.screen);
  const kept = memory.load();
  if (kept) {
    handlers.onSnapshot({ mode: "kept", posts: kept.posts, highlights: kept.highlights });
    if (kept.stats && handlers.onStats) handlers.onStats(kept.stats);
  }
  const indicator = connectionIndicator({
    staleMs: settings.staleSeconds * 1000,
    labels,
    lang: settings.lang,
    since: kept?.savedAt,
  });
  /** Tell the server this screen is alive, what it is and how much it shows. */
  const heartbeat = () => {
    if (socket.connected) {
      socket.emit("heartbeat", { screen: settings.screen, name: settings.name, shown: handlers.shown() });
    }
  };
  const { socket } = connectSync({
    namespace: "/",
    joinEvent: "join_screen",
    joinPayload: (since) => ({ screen: settings.screen, name: settings.name, since }),
    events: ["post_added", "post_updated", "post_removed", "stats_updated", "announcement_shown",
      "announcement_dismissed"],
    onSnapshot: (ack) => {
      memory.snapshot(ack);
      handlers.onSnapshot(ack);
    },
    onEvent: (type, event) => {
      if (announcement.apply(type, event)) return;
      if (type.startsWith("post_")) memory.apply(type, event);
      handlers.onEvent(type, event);
    },
    onStats: (stats) => {
      memory.stats(stats);
      handlers.onStats?.(stats);
    },
    onStatus: (connected) => {
      document.body.dataset.connected = String(connected);
      indicator(connected);
      if (connected) {
        heartbeat();
        announcement.refresh();
      }
    },
    onVersion: (version) => {
      if (settings.version && version !== settings.version) reloadFor(version);
    },
  });
  socket.on("screen_reload", reload);
  watchKillSwitch(socket, labels);
  window.setInterval(heartbeat, HEARTBEAT_MS);
  startClock(document, labels, settings.lang);
  startLobby(labels, settings.lang);
  keepAwake();
  keepOffline();
}
