/**
 * Bootstrap of the moderator tablet: sync, decision buttons, tabs, counters.
 */
import { ModeratorQueue, toaster } from "./moderator.js";
import { postJson, startDesk } from "./moderator-desk.js";
import { startKeys } from "./moderator-keys.js";
import { format, readLabels, readSettings } from "./settings.js";
import { connectSync } from "./socket.js";
import { connectionIndicator } from "./status.js";
import { startClock } from "./time.js";

const settings = readSettings();
const labels = readLabels();
const toast = toaster();
const main = /** @type {HTMLElement} */ (document.querySelector("[data-moderation]"));
const baseTitle = document.title;

/** Update the counters, the empty messages and the page title. */
function refreshCounts() {
  const pending = queue.pending.size;
  for (const node of document.querySelectorAll("[data-count=pending]")) node.textContent = String(pending);
  for (const node of document.querySelectorAll("[data-count=recent]"))
    node.textContent = String(queue.recent.size);
  for (const node of document.querySelectorAll("[data-empty]")) {
    const name = /** @type {HTMLElement} */ (node).dataset.empty;
    /** @type {HTMLElement} */ (node).hidden = (name === "pending" ? pending : queue.recent.size) > 0;
  }
  document.title = pending > 0 ? `(${pending}) ${baseTitle}` : baseTitle;
}

const queue = new ModeratorQueue(
  {
    pending: /** @type {HTMLElement} */ (document.querySelector("[data-queue=pending]")),
    recent: /** @type {HTMLElement} */ (document.querySelector("[data-queue=recent]")),
  },
  { labels, lang: settings.lang, onChange: refreshCounts },
);

/** Send the moderator back to the login page. */
function backToLogin() {
  toast(labels.session_expired ?? "Session expired, log in again");
  window.setTimeout(() => window.location.assign("/moderate"), 1500);
}

/**
 * POST a decision; the answer's post is applied at once, the broadcast follows.
 * @param {HTMLElement} card
 * @param {string} id
 * @param {string} action
 */
async function decide(card, id, action) {
  card.classList.add("is-busy");
  for (const node of card.querySelectorAll("button")) node.disabled = true;
  try {
    if (action === "block_author") {
      const reply = await postJson(`/api/posts/${encodeURIComponent(id)}/block_author`, settings.csrf);
      if (reply.status === 200) {
        for (const gone of reply.body?.rejected ?? []) queue.apply("post_removed", { id: gone });
        toast(format(labels.blocked ?? "Author blocked", { n: String((reply.body?.rejected ?? []).length) }));
      } else toast(labels.action_failed ?? "The action failed");
      return;
    }
    // Say which state we saw: if another moderator decided meanwhile, ours is refused (409).
    const seen = card.dataset.status ? `?from=${encodeURIComponent(card.dataset.status)}` : "";
    const response = await fetch(`/api/posts/${encodeURIComponent(id)}/${action}${seen}`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRF-Token": settings.csrf, Accept: "application/json" },
    });
    if (response.ok) {
      const body = await response.json();
      if (body?.post) queue.decided(body.post, action, document.body.dataset.moderator ?? null);
      return;
    }
    if (response.status === 401) return backToLogin();
    if (response.status === 403) {
      // A stale CSRF token (the server restarted with a new secret): reload for a fresh one.
      toast(labels.action_failed ?? "The action failed, try again");
      window.setTimeout(() => window.location.reload(), 1500);
      return;
    }
    if (response.status === 404) {
      queue.apply("post_removed", { id });
      return;
    }
    toast(
      response.status === 409
        ? (labels.already_decided ?? "Already decided")
        : (labels.action_failed ?? "The action failed"),
    );
  } catch {
    toast(labels.action_failed ?? "The action failed, try again");
  } finally {
    card.classList.remove("is-busy");
    for (const node of card.querySelectorAll("button")) node.disabled = false;
  }
}

main.addEventListener("click", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const button = /** @type {HTMLButtonElement|null} */ (target.closest("button[data-action]"));
  const card = /** @type {HTMLElement|null} */ (button?.closest("[data-post-id]"));
  if (!button || !card || button.disabled) return;
  decide(card, card.dataset.postId ?? "", button.dataset.action ?? "");
});

for (const tab of document.querySelectorAll("[data-tab]")) {
  tab.addEventListener("click", () => {
    const name = /** @type {HTMLElement} */ (tab).dataset.tab ?? "pending";
    main.dataset.current = name;
    for (const other of document.querySelectorAll("[data-tab]")) {
      other.setAttribute("aria-selected", String(other === tab));
    }
  });
}

/** Show how many posts are selected, and the bulk buttons when there are some. */
function showSelection(/** @type {number} */ count) {
  const bar = /** @type {HTMLElement|null} */ (document.querySelector("[data-selection]"));
  if (bar) bar.hidden = count === 0;
  const text = document.querySelector("[data-selected-count]");
  if (text) text.textContent = format(labels.selected ?? "{n} selected", { n: String(count) });
}

/** @type {ReturnType<typeof startDesk>|null} */
let desk = null;
const keys = startKeys({ main, undo: () => desk?.undo(), onSelection: showSelection });
const { socket } = connectSync({
  namespace: "/moderator",
  joinEvent: "join_moderators",
  joinPayload: (since) => ({ since }),
  events: ["post_queued", "post_decided", "post_added", "post_updated", "post_removed", "wall_paused", "wall_resumed"],
  onSnapshot: (ack) => {
    queue.replaceAll(ack.pending ?? [], ack.recent ?? []);
    desk?.onSnapshot(ack);
  },
  onEvent: (type, event) => {
    queue.apply(type, event);
    desk?.onEvent(type);
  },
  onStatus: connectionIndicator(),
  onRefused: backToLogin,
});
desk = startDesk({
  socket,
  csrf: settings.csrf,
  labels,
  toast,
  onDecided: (post, action) => queue.decided(post, action, document.body.dataset.moderator ?? null),
  selected: keys.selected,
  clearSelection: keys.clear,
});
refreshCounts();
startClock(document, labels, settings.lang);
