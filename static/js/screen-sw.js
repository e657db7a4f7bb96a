/**
 * The screens' service worker (served as /screen/sw.js, scope /screen/): a TV
 * that boots while the server or the network is down still gets its page,
 * styles, scripts, fonts and pictures from here. The last posts themselves
 * are kept by the page (offline.js). Socket.IO and the API always go to the
 * network; pages go to the network first and fall back to the copy kept.
 */
/* global self, caches */

const VERSION = new URL(self.location.href).searchParams.get("v") || "0";
const SHELL = `socialwall-shell-${VERSION}`;
/** Media paths are content-addressed: they keep across versions, up to a bound. */
const MEDIA = "socialwall-media";
const MEDIA_MAX = 400;
const NETWORK_MS = 4000;
/** The wall's base path: "" alone, "/w/<slug>" for a wall of a folder (scope <base>/screen/). */
const BASE = new URL(self.registration.scope).pathname.replace(/\/screen\/$/, "");
/** A path of this wall without its base, or null for another wall's (or the index's). */
const local = (/** @type {string} */ path) => (path.startsWith(`${BASE}/`) ? path.slice(BASE.length) : null);
const CACHED = /^\/(static|media|branding)\//;

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith("socialwall-shell-") && key !== SHELL) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

/**
 * Keep a response in a cache; the media cache drops its oldest entries past its bound.
 * @param {string} name
 * @param {Request|string} request
 * @param {Response} response
 */
async function keep(name, request, response) {
  const cache = await caches.open(name);
  await cache.put(request, response);
  if (name !== MEDIA) return;
  const keys = await cache.keys();
  for (const old of keys.slice(0, Math.max(0, keys.length - MEDIA_MAX))) await cache.delete(old);
}

/**
 * The network's answer within NETWORK_MS, else the kept copy.
 * @param {Request} request
 */
async function networkFirst(request) {
  try {
    const response = await Promise.race([
      fetch(request),
      new Promise((_, reject) => setTimeout(() => reject(new Error("timeout")), NETWORK_MS)),
    ]);
    if (response.ok) await keep(SHELL, request, response.clone());
    return response;
  } catch (error) {
    const cache = await caches.open(SHELL);
    const kept = (await cache.match(request)) ?? (await cache.match(request, { ignoreSearch: true }));
    if (kept) return kept;
    throw error;
  }
}

/**
 * The kept copy, else the network's answer (then kept).
 * @param {Request} request
 * @param {string} name
 */
async function cacheFirst(request, name) {
  const cache = await caches.open(name);
  const kept = await cache.match(request);
  if (kept) return kept;
  const response = await fetch(request);
  if (response.ok) await keep(name, request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  const path = local(url.pathname);
  if (url.origin !== self.location.origin || path === null) return;
  // Pages, and the branding files the config may change without a new version: network first.
  if ((request.mode === "navigate" && path.startsWith("/screen/")) || path.startsWith("/branding/")) {
    event.respondWith(networkFirst(request));
  } else if (CACHED.test(path)) {
    event.respondWith(cacheFirst(request, path.startsWith("/media/") ? MEDIA : SHELL));
  }
});

/** A page asks to keep what it loaded before this worker controlled it. */
self.addEventListener("message", (event) => {
  const urls = Array.isArray(event.data?.keep) ? event.data.keep : [];
  event.waitUntil((async () => {
    for (const raw of urls) {
      try {
        const url = new URL(raw, self.location.origin);
        const path = local(url.pathname);
        if (url.origin !== self.location.origin || path === null) continue;
        const isPage = path.startsWith("/screen/");
        if (!isPage && !CACHED.test(path)) continue;
        const name = path.startsWith("/media/") ? MEDIA : SHELL;
        if (!isPage && (await (await caches.open(name)).match(url.href))) continue;
        const response = await fetch(url.href);
        if (response.ok) await keep(name, url.href, response);
      } catch {
        // Offline meanwhile: the next page load tries again.
      }
    }
    event.source?.postMessage({ kept: true });
  })());
});
