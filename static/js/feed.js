/**
 * The live feed: newest posts first, in columns, at most maxCards of them.
 *
 * A new post goes to the top of the shortest column and pushes that column
 * down, so cards never jump from one column to another. When nothing new
 * arrives for a while, the oldest card shown comes back to the top, so the
 * wall never looks dead; the number of cards never grows.
 */
import { buildCard } from "./card.js";
import { el, prefersReducedMotion } from "./dom.js";

/** Roughly how many root ems wide a column should be when the count is automatic. */
const COLUMN_EMS = 22;

export class Feed {
  /**
   * @param {HTMLElement} root the element that holds the columns
   * @param {{labels: Record<string, string>, lang: string, maxCards: number, columns: number,
   *   networks?: string[], recycleMs?: number}} options
   */
  constructor(root, options) {
    this.root = root;
    this.options = options;
    /** @type {Map<string, {post: any, card: HTMLElement, order: number}>} */
    this.cards = new Map();
    this.order = 0;
    /** @type {HTMLElement[]} */
    this.columns = [];
    this.empty = /** @type {HTMLElement|null} */ (document.querySelector("[data-empty]"));
    /** @type {number|undefined} */
    this.resizeTimer = undefined;
    /** @type {Set<string>} networks shown; empty for all */
    this.networks = new Set((options.networks ?? []).map((name) => name.toLowerCase()));
    this.lastChange = Date.now();
    /** @type {Map<string, any>} posts waiting for the next frame, oldest first */
    this.incoming = new Map();
    this.flushing = false;
    this.layout();
    const recycleMs = options.recycleMs ?? 0;
    if (recycleMs > 0) {
      window.setInterval(() => {
        if (Date.now() - this.lastChange >= recycleMs * 0.9) this.recycle();
      }, recycleMs);
    }
    window.addEventListener("resize", () => {
      window.clearTimeout(this.resizeTimer);
      this.resizeTimer = window.setTimeout(
        () => this.columnCount() !== this.columns.length && this.layout(),
        300,
      );
    });
  }

  /** How many posts are shown. */
  get size() {
    return this.cards.size;
  }

  /**
   * How many columns fit, or the number the screen's URL asked for.
   * @returns {number}
   */
  columnCount() {
    if (this.options.columns > 0) return this.options.columns;
    const em = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    return Math.max(1, Math.min(6, Math.round(this.root.clientWidth / (em * COLUMN_EMS))));
  }

  /** Build the columns and put every card back, oldest first. */
  layout() {
    const count = this.columnCount();
    this.columns = Array.from({ length: count }, () => el("div", { class: "feed__column" }));
    this.root.replaceChildren(...this.columns);
    this.root.style.setProperty("--columns", String(count));
    const entries = [...this.cards.values()].sort((a, b) => a.order - b.order);
    for (const entry of entries) this.shortestColumn().prepend(entry.card);
  }

  /**
   * The column whose content is shortest.
   * @returns {HTMLElement}
   */
  shortestColumn() {
    return this.columns.reduce((best, column) => (column.offsetHeight < best.offsetHeight ? column : best));
  }

  /**
   * Replace everything with a snapshot (newest first).
   * @param {any[]} posts
   */
  replaceAll(posts) {
    this.incoming.clear();
    this.cards.clear();
    this.order = 0;
    for (const column of this.columns) column.replaceChildren();
    const newest = posts.filter((post) => this.accepts(post)).slice(0, this.options.maxCards);
    for (const post of newest.reverse()) this.insert(post, false);
    this.refreshEmpty();
  }

  /**
   * Show a post that became visible; a post already shown is replaced in place.
   * @param {any} post
   */
  add(post) {
    if (!this.accepts(post)) return;
    this.lastChange = Date.now();
    const id = String(post.id);
    if (this.cards.has(id)) return this.update(post);
    // New posts wait for the next frame: a burst (a catch-up after an outage)
    // then costs one layout, and only the newest maxCards are ever built.
    this.incoming.delete(id);
    this.incoming.set(id, post);
    if (this.incoming.size > this.options.maxCards) this.incoming.delete(this.incoming.keys().next().value ?? "");
    if (this.flushing) return;
    this.flushing = true;
    window.requestAnimationFrame(() => this.flush());
  }

  /** Put the posts that arrived since the last frame on the wall, oldest first. */
  flush() {
    this.flushing = false;
    const posts = [...this.incoming.values()];
    this.incoming.clear();
    for (const post of posts) this.insert(post, true);
    this.trim();
    this.refreshEmpty();
  }

  /**
   * Replace the card of a post that changed, if it is shown.
   * @param {any} post
   */
  update(post) {
    if (this.incoming.has(String(post.id))) this.incoming.set(String(post.id), post);
    const entry = this.cards.get(String(post.id));
    if (!entry) return;
    const card = this.build(post);
    entry.card.replaceWith(card);
    entry.card = card;
    entry.post = post;
  }

  /**
   * Remove a post's card at once.
   * @param {unknown} id
   */
  remove(id) {
    this.incoming.delete(String(id));
    const entry = this.cards.get(String(id));
    if (!entry) return;
    entry.card.remove();
    this.cards.delete(String(id));
    this.refreshEmpty();
  }

  /**
   * Put a new card at the top of the shortest column.
   * @param {any} post
   * @param {boolean} animate
   */
  insert(post, animate) {
    const card = this.build(post);
    if (animate) {
      card.classList.add("is-new");
      card.addEventListener("animationend", () => card.classList.remove("is-new"), { once: true });
    }
    this.shortestColumn().prepend(card);
    this.cards.set(String(post.id), { post, card, order: ++this.order });
  }

  /**
   * Build a card for this feed.
   * @param {any} post
   * @returns {HTMLElement}
   */
  build(post) {
    return buildCard(post, { labels: this.options.labels, lang: this.options.lang });
  }

  /**
   * Whether this screen shows posts of that post's network (?networks=).
   * @param {any} post
   * @returns {boolean}
   */
  accepts(post) {
    return this.networks.size === 0 || this.networks.has(String(post?.network ?? "").toLowerCase());
  }

  /** Bring the oldest card back to the top of the shortest column. */
  recycle() {
    if (this.cards.size < 2) return;
    let oldest = null;
    for (const entry of this.cards.values()) if (!oldest || entry.order < oldest.order) oldest = entry;
    if (!oldest) return;
    const card = oldest.card;
    card.remove();
    card.classList.remove("is-new", "is-recycled");
    if (!prefersReducedMotion()) {
      card.classList.add("is-recycled");
      card.addEventListener("animationend", () => card.classList.remove("is-recycled"), { once: true });
    }
    this.shortestColumn().prepend(card);
    oldest.order = ++this.order;
    card.dataset.recycled = String(Number(card.dataset.recycled ?? 0) + 1);
    this.lastChange = Date.now();
  }

  /** Drop the oldest cards past maxCards. */
  trim() {
    while (this.cards.size > this.options.maxCards) {
      let oldest = null;
      for (const [id, entry] of this.cards)
        if (!oldest || entry.order < oldest[1].order) oldest = [id, entry];
      if (!oldest) return;
      this.remove(oldest[0]);
    }
  }

  /** Show the waiting message when there is nothing to show. */
  refreshEmpty() {
    if (this.empty) this.empty.hidden = this.cards.size > 0;
  }
}
