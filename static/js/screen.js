/**
 * What every wall screen shares: the synced socket, heartbeats, the reconnect
 * indicator, reloads asked by the server and the header clock.
 */
import { watchKillSwitch } from "./killswitch.js";
import { connectSync } from "./socket.js";
import { readLabels, readSettings } from "./settings.js";
import { connectionIndicator } from "./status.js";
import { startClock } from "./time.js";

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
 * Start a screen.
 * @param {(settings: import("./settings.js").Settings, labels: Record<string, string>) => ScreenHandlers} setup
 */
export function startScreen(setup) {
  const settings = readSettings();
  const labels = readLabels();
  document.documentElement.style.setProperty("--speed", String(settings.speed));
  const handlers = setup(settings, labels);
  const { socket } = connectSync({
    namespace: "/",
    joinEvent: "join_screen",
    joinPayload: (since) => ({ screen: settings.screen, name: settings.name, since }),
    events: ["post_added", "post_updated", "post_removed", "stats_updated"],
    onSnapshot: handlers.onSnapshot,
    onEvent: handlers.onEvent,
    onStats: handlers.onStats,
    onStatus: connectionIndicator(),
    onVersion: (version) => {
      if (settings.version && version !== settings.version) reloadFor(version);
    },
  });
  socket.on("screen_reload", reload);
  watchKillSwitch(socket, labels);
  window.setInterval(() => {
    if (socket.connected) {
      socket.emit("heartbeat", { screen: settings.screen, name: settings.name, shown: handlers.shown() });
    }
  }, HEARTBEAT_MS);
  startClock(document, labels, settings.lang);
}
