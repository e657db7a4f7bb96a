/**
 * The moderator queue: pending posts oldest first, shown (approved) and
 * rejected posts newest first.
 *
 * Both lists follow the events of every moderator and of the rules, so each
 * tablet shows the same state; a card leaves the pending list as soon as
 * anyone decides on it.
 */
import { el } from "./dom.js";
import { buildModeratorCard } from "./moderator-card.js";

const RECENT_LENGTH = 40;

/**
 * Insert a card among siblings kept in id order, so a post comes back where it was.
 * @param {HTMLElement} list
 * @param {HTMLElement} card
 * @param {boolean} ascending pending is oldest (smallest id) first, the others newest first
 */
function placeById(list, card, ascending) {
  const id = Number(card.dataset.postId);
  for (const other of /** @type {HTMLElement[]} */ ([...list.children])) {
    const otherId = Number(other.dataset.postId);
    if (ascending ? otherId > id : otherId < id) {
      list.insertBefore(card, other);
      return;
    }
  }
  list.append(card);
}

export class ModeratorQueue {
  /**
   * @param {{pending: HTMLElement, recent: HTMLElement, rejected: HTMLElement}} lists the <ol>s
   * @param {{labels: Record<string, string>, lang: string, onChange: () => void}} options
   */
  constructor(lists, options) {
    this.lists = lists;
    this.options = options;
    /** @type {Map<string, HTMLElement>} */
    this.pending = new Map();
    /** @type {Map<string, HTMLElement>} */
    this.recent = new Map();
    /** @type {Map<string, HTMLElement>} */
    this.rejected = new Map();
    /** Older shown posts loaded page by page: the live list keeps them past RECENT_LENGTH. */
    this.recentLimit = RECENT_LENGTH;
  }

  /**
   * Replace the shown list with a page from the server (a filter changed).
   * @param {any[]} posts newest first
   * @param {boolean} append add them below the ones already there
   */
  loadRecent(posts, append) {
    if (!append) {
      this.recent.clear();
      this.lists.recent.replaceChildren();
    }
    for (const post of posts) {
      if (this.recent.has(String(post.id))) continue;
      const card = this.card(post, "recent", post.decided_by ?? null, false);
      placeById(this.lists.recent, card, false);
      this.recent.set(String(post.id), card);
    }
    this.recentLimit = Math.max(RECENT_LENGTH, this.recent.size);
    this.options.onChange();
  }

  /**
   * Replace or extend the rejected list with a page from the server.
   * @param {any[]} posts newest first
   * @param {boolean} append
   */
  loadRejected(posts, append) {
    if (!append) {
      this.rejected.clear();
      this.lists.rejected.replaceChildren();
    }
    for (const post of posts) this.rejectedCard(post);
    this.options.onChange();
  }

  /**
   * Show a rejected post in the rejected list, in id order.
   * @param {any} post
   */
  rejectedCard(post) {
    const id = String(post.id);
    const card = this.card(post, "rejected", null, false);
    const existing = this.rejected.get(id);
    if (existing) existing.replaceWith(card);
    else placeById(this.lists.rejected, card, false);
    this.rejected.set(id, card);
  }

  /**
   * Replace both lists from a snapshot.
   * @param {any[]} pending oldest first
   * @param {any[]} recent newest first
   */
  replaceAll(pending, recent) {
    this.pending.clear();
    this.recent.clear();
    this.lists.pending.replaceChildren();
    this.lists.recent.replaceChildren();
    for (const post of pending) this.queue(post, false);
    for (const post of recent.slice(0, RECENT_LENGTH).reverse()) this.approved(post, null, true);
    this.options.onChange();
  }

  /**
   * Apply one event from the server.
   * @param {string} type
   * @param {any} event
   */
  apply(type, event) {
    const post = event.post;
    if (type === "post_queued" && post) {
      if (post.status === "pending" || post.status === undefined) this.queue(post, true);
    } else if (type === "post_decided" && post) {
      this.decided(post, String(event.action ?? ""), event.by ? String(event.by) : null);
    } else if (type === "post_added" && post) {
      this.drop(this.pending, post.id);
      this.approved(post, null, true);
    } else if (type === "post_updated" && post) {
      this.approved(post, null, !this.recent.has(String(post.id)));
    } else if (type === "post_removed") {
      this.drop(this.pending, event.id);
      this.drop(this.recent, event.id);
    }
    if (post && post.status !== "rejected") this.drop(this.rejected, post.id);
    this.options.onChange();
  }

  /**
   * Apply a decision, from an event or from our own action's answer.
   * @param {any} post the post after the decision
   * @param {string} action
   * @param {string|null} by
   */
  decided(post, action, by) {
    this.drop(this.pending, post.id);
    if (post.status === "approved")
      this.approved(post, by, action === "approve" || !this.recent.has(String(post.id)));
    else if (post.status === "pending") this.queue(post, false);
    else this.drop(this.recent, post.id);
    if (post.status === "rejected") this.rejectedCard(post);
    else this.drop(this.rejected, post.id);
    this.options.onChange();
  }

  /**
   * Add a pending post at its place in the queue (by id), or refresh it in place.
   * @param {any} post
   * @param {boolean} animate
   */
  queue(post, animate) {
    const card = this.card(post, "pending", null, animate);
    const existing = this.pending.get(String(post.id));
    if (existing) existing.replaceWith(card);
    else placeById(this.lists.pending, card, true);
    this.pending.set(String(post.id), card);
  }

  /**
   * Show an approved post in the recent list.
   * @param {any} post
   * @param {string|null} by
   * @param {boolean} toTop move it to the top (a new approval)
   */
  approved(post, by, toTop) {
    const id = String(post.id);
    const existing = this.recent.get(id);
    const card = this.card(post, "recent", by ?? existing?.dataset.by ?? null, toTop && !existing);
    if (by) card.dataset.by = by;
    else if (existing?.dataset.by) card.dataset.by = existing.dataset.by;
    if (existing && !toTop) existing.replaceWith(card);
    else {
      existing?.remove();
      this.lists.recent.prepend(card);
    }
    this.recent.set(id, card);
    while (this.recent.size > this.recentLimit) {
      const last = /** @type {HTMLElement|null} */ (this.lists.recent.lastElementChild);
      if (!last?.dataset.postId) break;
      this.drop(this.recent, last.dataset.postId);
    }
  }

  /**
   * Build a card, marked as new to animate it in.
   * @param {any} post
   * @param {"pending"|"recent"|"rejected"} list
   * @param {string|null} by
   * @param {boolean} animate
   * @returns {HTMLElement}
   */
  card(post, list, by, animate) {
    const card = buildModeratorCard(post, list, { labels: this.options.labels, lang: this.options.lang, by });
    if (animate) {
      card.classList.add("is-new");
      card.addEventListener("animationend", () => card.classList.remove("is-new"), { once: true });
    }
    return card;
  }

  /**
   * Remove a post's card from one list.
   * @param {Map<string, HTMLElement>} map
   * @param {unknown} id
   */
  drop(map, id) {
    const card = map.get(String(id));
    card?.remove();
    map.delete(String(id));
  }
}

/**
 * A short status message at the bottom of the tablet that fades after a few
 * seconds, with an optional button (such as Undo).
 * @returns {(message: string, action?: {label: string, run: () => void}) => void}
 */
export function toaster() {
  const node = /** @type {HTMLElement|null} */ (document.querySelector("[data-toast]"));
  /** @type {number|undefined} */
  let timer;
  return (message, action) => {
    if (!node) return;
    const parts = [el("span", { class: "toast__text", text: message })];
    if (action) {
      const button = el("button", { class: "toast__action", text: action.label, attrs: { type: "button", "data-toast-action": "" } });
      button.addEventListener("click", () => {
        node.hidden = true;
        action.run();
      });
      parts.push(button);
    }
    node.replaceChildren(...parts);
    node.hidden = false;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => (node.hidden = true), action ? 6000 : 4000);
  };
}
