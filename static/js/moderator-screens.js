/**
 * Moderator page: the lobby screens in a drawer, which page each shows, when it
 * was last seen and how many posts it shows, with a reload button for one or
 * all; offline screens are greyed and can be removed from the list.
 */
import { el } from "./dom.js";
import { plural } from "./moderator-i18n.js";
import { format, readLabels, readSettings } from "./settings.js";
import { timeAgo } from "./time.js";

const REFRESH_MS = 10000;

const settings = readSettings();
const labels = readLabels();
const list = /** @type {HTMLElement|null} */ (document.querySelector("[data-screens-list]"));
const empty = /** @type {HTMLElement|null} */ (document.querySelector("[data-screens-empty]"));

/**
 * Ask the server to reload one screen by name, or all of them.
 * @param {string|null} name
 * @param {HTMLButtonElement} button
 */
async function reload(name, button) {
  button.disabled = true;
  try {
    const response = await fetch("/api/screens/reload", {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": settings.csrf, "Content-Type": "application/json" },
      body: JSON.stringify(name ? { name } : {}),
    });
    button.textContent = response.ok ? (labels.reload_sent ?? "Reload sent") : (labels.action_failed ?? "Failed");
  } catch {
    button.textContent = labels.action_failed ?? "Failed";
  }
  window.setTimeout(() => {
    button.disabled = false;
    button.textContent = name ? (labels.reload ?? "Reload") : (labels.reload_all ?? "Reload all");
  }, 2000);
}

/**
 * One row: name, page, last seen, posts shown, reload button.
 * @param {any} screen
 * @returns {HTMLElement}
 */
function row(screen) {
  const name = String(screen.name ?? "");
  const button = /** @type {HTMLButtonElement} */ (
    el("button", { class: "btn btn--quiet screens-list__reload", text: labels.reload ?? "Reload" })
  );
  button.type = "button";
  button.addEventListener("click", () => reload(name, button));
  const remove = screen.online
    ? null
    : el("button", { class: "btn btn--quiet screens-list__remove", text: labels.remove ?? "Remove", attrs: { type: "button", "data-action": "remove-screen" } });
  remove?.addEventListener("click", () => removeScreen(name, /** @type {HTMLButtonElement} */ (remove)));
  const item = el("li", { class: `screens-list__item ${screen.online ? "is-online" : "is-offline"}`, attrs: { "data-screen-name": name } }, [
    el("span", {
      class: `screens-list__state ${screen.online ? "is-online" : "is-offline"}`,
      attrs: { title: screen.online ? (labels.online ?? "Online") : (labels.offline ?? "Offline") },
    }),
    el("div", { class: "screens-list__who" }, [
      el("span", { class: "screens-list__name", text: name }),
      el("span", {
        class: "screens-list__meta",
        attrs: { "data-screen-page": String(screen.screen ?? "") },
        text: [
          labels[String(screen.screen)] ?? String(screen.screen ?? ""),
          format(labels.last_seen ?? "seen {ago}", { ago: timeAgo(screen.last_seen, labels, settings.lang) }),
          plural(labels, "posts_shown", Number(screen.shown) || 0, settings.lang),
        ].join(" · "),
      }),
    ]),
    screen.online ? button : remove,
  ]);
  return item;
}

/**
 * Forget a screen that was taken down (it comes back if it sends a heartbeat again).
 * @param {string} name
 * @param {HTMLButtonElement} button
 */
async function removeScreen(name, button) {
  button.disabled = true;
  const response = await fetch(`/api/screens/${encodeURIComponent(name)}`, {
    method: "DELETE",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": settings.csrf, Accept: "application/json" },
  }).catch(() => null);
  if (!response || !(response.ok || response.status === 404)) {
    button.disabled = false;
    return;
  }
  button.closest("li")?.remove();
  const toast = /** @type {HTMLElement|null} */ (document.querySelector("[data-toast]"));
  if (toast) {
    toast.textContent = format(labels.screen_removed ?? "Screen {name} removed", { name });
    toast.hidden = false;
    window.setTimeout(() => (toast.hidden = true), 4000);
  }
  refresh();
}

/**
 * Open or close the drawer.
 * @param {boolean} open
 */
function drawer(open) {
  const panel = /** @type {HTMLElement|null} */ (document.querySelector('[data-drawer="screens"]'));
  const backdrop = /** @type {HTMLElement|null} */ (document.querySelector("[data-drawer-backdrop]"));
  if (!panel) return;
  panel.hidden = !open;
  if (backdrop) backdrop.hidden = !open;
  document.querySelector('[data-drawer-open="screens"]')?.setAttribute("aria-expanded", String(open));
  if (open) {
    refresh();
    /** @type {HTMLElement|null} */ (panel.querySelector("[data-drawer-close]"))?.focus();
  }
}
document.querySelector('[data-drawer-open="screens"]')?.addEventListener("click", () => drawer(true));
document.querySelector("[data-drawer-close]")?.addEventListener("click", () => drawer(false));
document.querySelector("[data-drawer-backdrop]")?.addEventListener("click", () => drawer(false));
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") drawer(false);
});

/** Fetch the screens and redraw the list. */
async function refresh() {
  if (!list) return;
  try {
    const response = await fetch("/api/screens", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const body = await response.json();
    const screens = Array.isArray(body?.screens) ? body.screens : [];
    list.replaceChildren(...screens.map(row));
    if (empty) empty.hidden = screens.length > 0;
    for (const node of document.querySelectorAll("[data-count=screens]")) {
      node.textContent = String(screens.filter((/** @type {any} */ s) => s.online).length);
    }
  } catch {
    // The server is restarting: the next refresh tries again.
  }
}

const all = /** @type {HTMLButtonElement|null} */ (document.querySelector("[data-reload-all]"));
all?.addEventListener("click", () => reload(null, all));
refresh();
window.setInterval(refresh, REFRESH_MS);
