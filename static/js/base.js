/**
 * Where this wall is served: "" for a wall alone, "/w/<slug>" for a wall of a folder
 * (`socialwall run --walls DIR`), read from <body data-base> (templates/layout.html).
 *
 * The pages' code names server paths from the root ("/api/wall", "/media/..."). On a
 * wall of a folder those paths live under its base, so this module, loaded first by
 * layout.html, prefixes root paths given to fetch() with the base: every page, and
 * every fetch added later, reaches its own wall without knowing where it is mounted.
 * Socket.IO keeps /socket.io (one server for every wall; the namespace tells walls apart).
 */

/** @type {string} */
export const base = document.body?.dataset.base ?? "";

/**
 * Return a server path of this wall: "/api/wall" becomes "/w/<slug>/api/wall" on a wall
 * of a folder; other addresses (absolute, already under the base) are left as they are.
 * @param {string} path
 * @returns {string}
 */
export function wallPath(path) {
  if (!base || !path.startsWith("/") || path.startsWith("//")) return path;
  if (path === base || path.startsWith(`${base}/`) || path.startsWith("/socket.io/")) return path;
  return base + path;
}

if (base) {
  const rootFetch = window.fetch.bind(window);
  window.fetch = (input, init) => rootFetch(typeof input === "string" ? wallPath(input) : input, init);
}
