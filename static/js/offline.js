/**
 * What a screen keeps for the day the server or the network is down: the
 * service worker keeps its files (screen-sw.js), and this keeps its last
 * posts, highlights and figures in localStorage, so a TV that boots offline
 * shows the wall it last showed, and says since when.
 */
import { wallPath } from "./base.js";

const MAX_POSTS = 60;
const SAVE_MS = 2000;

/**
 * The one Trusted Types policy of the screens (the CSP names it): it lets through the
 * service worker's own address and nothing else.
 */
const workerPolicy = window.trustedTypes?.createPolicy("socialwall-sw", {
  createScriptURL: (/** @type {string} */ url) => {
    if (/^(\/w\/[a-z0-9-]+)?\/screen\/sw\.js\?v=[\w%.-]*$/.test(url)) return url;
    throw new TypeError(`socialwall: refused script URL ${url}`);
  },
});

/** Register the screens' service worker and hand it what this page already loaded. */
export function keepOffline() {
  if (!("serviceWorker" in navigator)) return;
  const version = document.body.dataset.version ?? "";
  const url = wallPath(`/screen/sw.js?v=${encodeURIComponent(version)}`);
  navigator.serviceWorker
    .register(/** @type {any} */ (workerPolicy ? workerPolicy.createScriptURL(url) : url), { scope: wallPath("/screen/") })
    .then(() => navigator.serviceWorker.ready)
    .then((registration) => {
      navigator.serviceWorker.addEventListener("message", (event) => {
        if (event.data?.kept) document.body.dataset.offlineReady = "true";
      });
      const keep = [window.location.href, ...performance.getEntriesByType("resource").map((entry) => entry.name)];
      registration.active?.postMessage({ keep });
    })
    .catch((error) => console.warn("socialwall: no offline copy:", error));
}

/** The last posts a screen showed, kept across reloads. */
export class LastPosts {
  /** @param {string} screen */
  constructor(screen) {
    this.key = `socialwall:last:${screen}`;
    /** @type {{savedAt: number, posts: any[], highlights: any[], stats: any}} */
    this.state = { savedAt: 0, posts: [], highlights: [], stats: null };
    /** @type {number|undefined} */
    this.timer = undefined;
  }

  /**
   * Read what was kept, or null.
   * @returns {{savedAt: number, posts: any[], highlights: any[], stats: any}|null}
   */
  load() {
    try {
      const value = JSON.parse(localStorage.getItem(this.key) ?? "null");
      if (!value || typeof value.savedAt !== "number") return null;
      this.state = {
        savedAt: value.savedAt,
        posts: Array.isArray(value.posts) ? value.posts : [],
        highlights: Array.isArray(value.highlights) ? value.highlights : [],
        stats: value.stats ?? null,
      };
      return this.state;
    } catch {
      return null;
    }
  }

  /** Write soon, once for a burst of changes. */
  save() {
    this.state.savedAt = Date.now();
    if (this.timer !== undefined) return;
    this.timer = window.setTimeout(() => {
      this.timer = undefined;
      try {
        localStorage.setItem(this.key, JSON.stringify(this.state));
      } catch {
        // Storage full or refused: the screen works on, without an offline copy.
      }
    }, SAVE_MS);
  }

  /** @param {any} ack a sync snapshot */
  snapshot(ack) {
    this.state.posts = (Array.isArray(ack.posts) ? ack.posts : []).slice(0, MAX_POSTS);
    this.state.highlights = (Array.isArray(ack.highlights) ? ack.highlights : []).slice(0, MAX_POSTS);
    if (ack.stats) this.state.stats = ack.stats;
    this.save();
  }

  /** @param {any} stats */
  stats(stats) {
    this.state.stats = stats;
    this.save();
  }

  /**
   * Follow one post event.
   * @param {string} type
   * @param {any} event
   */
  apply(type, event) {
    const id = String(type === "post_removed" ? event?.id : event?.post?.id);
    const without = (/** @type {any[]} */ list) => list.filter((post) => String(post.id) !== id);
    this.state.posts = without(this.state.posts);
    this.state.highlights = without(this.state.highlights);
    if ((type === "post_added" || type === "post_updated") && event.post?.status === "approved") {
      this.state.posts = [event.post, ...this.state.posts].slice(0, MAX_POSTS);
      if (event.post.highlighted) this.state.highlights = [event.post, ...this.state.highlights].slice(0, MAX_POSTS);
    }
    this.save();
  }
}
