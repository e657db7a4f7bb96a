/**
 * Bootstrap of the moderator tablet: sync, decisions with a status message,
 * block with a confirmation, swipe, tabs and filters, the live indicator.
 */
import { wallPath } from "./base.js";
import { confirmedTap } from "./confirm-tap.js";
import { ModeratorQueue, toaster } from "./moderator.js";
import { postJson, startDesk } from "./moderator-desk.js";
import { plural } from "./moderator-i18n.js";
import { startKeys } from "./moderator-keys.js";
import { liveState } from "./moderator-live.js";
import { startSwipe } from "./moderator-swipe.js";
import { startTabs } from "./moderator-tabs.js";
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
  const recentEmpty = /** @type {HTMLElement|null} */ (document.querySelector('[data-empty="recent"]'));
  if (recentEmpty) recentEmpty.hidden = queue.recent.size > 0;
  const rejectedEmpty = /** @type {HTMLElement|null} */ (document.querySelector('[data-empty="rejected"]'));
  if (rejectedEmpty && queue.rejected.size > 0) rejectedEmpty.hidden = true;
  document.title = pending > 0 ? `(${pending}) ${baseTitle}` : baseTitle;
  tabs?.refresh();
}

const queue = new ModeratorQueue(
  {
    pending: /** @type {HTMLElement} */ (document.querySelector("[data-queue=pending]")),
    recent: /** @type {HTMLElement} */ (document.querySelector("[data-queue=recent]")),
    rejected: /** @type {HTMLElement} */ (document.querySelector("[data-queue=rejected]")),
  },
  { labels, lang: settings.lang, onChange: refreshCounts },
);

/** Send the moderator back to the login page. */
function backToLogin() {
  toast(labels.session_expired ?? "Session expired, log in again");
  window.setTimeout(() => window.location.assign(wallPath("/moderate")), 1500);
}

/**
 * Say what was done, with Undo for decisions that can be undone.
 * @param {string} action
 * @param {any} post
 */
function confirmDone(action, post) {
  const template = labels[`done_${action}`];
  if (!template) return;
  const undoable = ["approve", "reject", "highlight", "unhighlight", "hide"].includes(action);
  toast(format(template, { name: String(post?.author ?? "") }), undoable ? { label: labels.undo ?? "Undo", run: () => desk?.undo() } : undefined);
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
        const gone = reply.body?.rejected ?? [];
        for (const other of gone) queue.apply("post_removed", { id: other });
        toast(plural(labels, "blocked", gone.length, settings.lang));
        tabs.blocksChanged();
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
      if (body?.post) {
        queue.decided(body.post, action, document.body.dataset.moderator ?? null);
        confirmDone(action, body.post);
      }
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
    toast(response.status === 409 ? (labels.already_decided ?? "Already decided") : (labels.action_failed ?? "The action failed"));
  } catch {
    toast(labels.action_failed ?? "The action failed, try again");
  } finally {
    card.classList.remove("is-busy");
    for (const node of card.querySelectorAll("button")) node.disabled = false;
  }
}

main.addEventListener("click", (event) => {
  const target = /** @type {HTMLElement} */ (event.target);
  const button = /** @type {HTMLButtonElement|null} */ (target.closest(".mcard button[data-action]"));
  const card = /** @type {HTMLElement|null} */ (button?.closest("[data-post-id]"));
  if (!button || !card || button.disabled) return;
  const action = button.dataset.action ?? "";
  if (action === "block_author" && !confirmedTap(button, labels.confirm_block ?? "Tap again to block")) return;
  decide(card, card.dataset.postId ?? "", action);
});

/** Show how many posts are selected, and the bulk buttons when there are some. */
function showSelection(/** @type {number} */ count) {
  const bar = /** @type {HTMLElement|null} */ (document.querySelector("[data-selection]"));
  if (bar) bar.hidden = count === 0;
  const text = document.querySelector("[data-selected-count]");
  if (text) text.textContent = plural(labels, "selected", count, settings.lang);
}

/** @type {ReturnType<typeof startDesk>|null} */
let desk = null;
const tabs = startTabs({ main, queue, labels, lang: settings.lang, csrf: settings.csrf, toast });
const keys = startKeys({ main, undo: () => desk?.undo(), onSelection: showSelection });
const reconnecting = connectionIndicator();
const live = liveState(labels);
const { socket } = connectSync({
  namespace: "/moderator",
  joinEvent: "join_moderators",
  joinPayload: (since) => ({ since }),
  events: ["post_queued", "post_decided", "post_added", "post_updated", "post_removed", "wall_paused", "wall_resumed"],
  onSnapshot: (ack) => {
    queue.replaceAll(ack.pending ?? [], ack.recent ?? []);
    desk?.onSnapshot(ack);
    document.dispatchEvent(new CustomEvent("socialwall:moderator_snapshot"));
  },
  onEvent: (type, event) => {
    queue.apply(type, event);
    desk?.onEvent(type);
    if (type !== "post_queued") tabs.countsChanged();
  },
  onStatus: (connected) => {
    reconnecting(connected);
    live(connected);
  },
  onRefused: backToLogin,
});
// The Ambassadors tab (moderator-ambassadors.js, loaded only when enrolment is on) listens on document.
socket.on("ambassador_changed", (/** @type {any} */ event) =>
  document.dispatchEvent(new CustomEvent("socialwall:ambassador_changed", { detail: event })));
desk = startDesk({
  socket,
  csrf: settings.csrf,
  labels,
  lang: settings.lang,
  toast,
  onDecided: (post, action) => queue.decided(post, action, document.body.dataset.moderator ?? null),
  selected: keys.selected,
  clearSelection: keys.clear,
});
startSwipe({
  list: /** @type {HTMLElement} */ (document.querySelector("[data-queue=pending]")),
  labels,
  decide: (card, action) => decide(card, card.dataset.postId ?? "", action),
});
refreshCounts();
startClock(document, labels, settings.lang);
