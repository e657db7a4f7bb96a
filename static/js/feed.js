/**
 * The live feed: newest posts first, at most maxCards of them, in one of three
 * layouts (?layout=columns, mosaic or carousel; see feed-layouts.js).
 *
 * The feed owns the posts (which are shown, in what order, filtering,
 * trimming, recycling); the layout only places their cards on screen, and
 * keeps them clear of the reserved zones (the QR panel). When nothing new
 * arrives for a while, the oldest card comes back as the newest, so the wall
 * never looks dead; the number of cards never grows.
 */
import { buildCard } from "./card.js";
import { prefersReducedMotion } from "./dom.js";
import { makeLayout } from "./feed-layouts.js";

/** Roughly how many root ems wide a column should be when the count is automatic. */
const COLUMN_EMS = 22;

/**
 * @typedef {{post: any, card: HTMLElement, order: number, height: number}} Entry
 */

export class Feed {
  /**
   * @param {HTMLElement} root the element that holds the cards
   * @param {{labels: Record<string, string>, lang: string, maxCards: number, columns: number,
   *   networks?: string[], recycleMs?: number, layout?: string, dwellMs?: number}} options
   */
  constructor(root, options) {
    this.root = root;
    this.options = options;
    /** @type {Map<string, Entry>} */
    this.cards = new Map();
    this.order = 0;
    this.empty = /** @type {HTMLElement|null} */ (document.querySelector("[data-empty]"));
    /** @type {number|undefined} */
    this.resizeTimer = undefined;
    /** @type {Set<string>} networks shown; empty for all */
    this.networks = new Set((options.networks ?? []).map((name) => name.toLowerCase()));
    this.lastChange = Date.now();
    /** @type {Map<string, any>} posts waiting for the next frame, oldest first */
    this.incoming = new Map();
    this.flushing = false;
    this.view = makeLayout(options.layout ?? "columns", this);
    this.view.build();
    const recycleMs = options.recycleMs ?? 0;
    if (recycleMs > 0) {
      window.setInterval(() => {
        if (Date.now() - this.lastChange >= recycleMs * 0.9) this.recycle();
      }, recycleMs);
    }
    window.addEventListener("resize", () => {
      window.clearTimeout(this.resizeTimer);
      this.resizeTimer = window.setTimeout(() => this.view.build(), 300);
    });
    // A picture that finishes loading changes its card's height.
    root.addEventListener("load", () => this.view.fit(), { capture: true });
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

  /**
   * Every entry, oldest first.
   * @returns {Entry[]}
   */
  entries() {
    return [...this.cards.values()].sort((a, b) => a.order - b.order);
  }

  /**
   * The entry of a card element.
   * @param {Element} card
   * @returns {Entry|undefined}
   */
  entryOf(card) {
    return this.cards.get(/** @type {HTMLElement} */ (card).dataset.postId ?? "");
  }

  /**
   * Replace everything with a snapshot (newest first).
   * @param {any[]} posts
   */
  replaceAll(posts) {
    this.incoming.clear();
    this.cards.clear();
    this.order = 0;
    const newest = posts.filter((post) => this.accepts(post)).slice(0, this.options.maxCards);
    for (const post of newest.reverse()) {
      this.cards.set(String(post.id), { post, card: this.build(post), order: ++this.order, height: 0 });
    }
    this.view.build();
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
    this.view.fit();
    this.refreshEmpty();
  }

  /**
   * Replace the card of a post that changed, if it is shown.
   * @param {any} post
   */
  update(post) {
    if (!this.accepts(post)) return this.remove(post.id);
    if (this.incoming.has(String(post.id))) this.incoming.set(String(post.id), post);
    const entry = this.cards.get(String(post.id));
    if (!entry) return;
    const card = this.build(post);
    card.hidden = entry.card.hidden;
    entry.card.replaceWith(card);
    entry.card = card;
    entry.post = post;
    this.view.changed(entry);
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
    this.view.removed(entry);
    this.refreshEmpty();
  }

  /**
   * Put a new card in the newest place of the layout.
   * @param {any} post
   * @param {boolean} animate
   */
  insert(post, animate) {
    const card = this.build(post);
    if (animate && !prefersReducedMotion()) {
      card.classList.add("is-new");
      card.addEventListener("animationend", () => card.classList.remove("is-new"), { once: true });
    }
    /** @type {Entry} */
    const entry = { post, card, order: ++this.order, height: 0 };
    this.cards.set(String(post.id), entry);
    this.view.place(entry);
  }

  /**
   * Build a card for this feed.
   * @param {any} post
   * @returns {HTMLElement}
   */
  build(post) {
    const card = buildCard(post, { labels: this.options.labels, lang: this.options.lang });
    if (Array.isArray(post.media) && card.querySelector(".card__image")) card.classList.add("has-photo");
    return card;
  }

  /**
   * Whether this screen shows that post: its network is wanted (?networks=),
   * and it is not an organisers' announcement (those are banners).
   * @param {any} post
   * @returns {boolean}
   */
  accepts(post) {
    const network = String(post?.network ?? "").toLowerCase();
    if (network === "host") return false;
    return this.networks.size === 0 || this.networks.has(network);
  }

  /** Bring the oldest card back as the newest. */
  recycle() {
    if (this.cards.size < 2) return;
    const oldest = this.entries()[0];
    const card = oldest.card;
    card.remove();
    card.classList.remove("is-new", "is-recycled");
    if (!prefersReducedMotion()) {
      card.classList.add("is-recycled");
      card.addEventListener("animationend", () => card.classList.remove("is-recycled"), { once: true });
    }
    oldest.order = ++this.order;
    card.dataset.recycled = String(Number(card.dataset.recycled ?? 0) + 1);
    this.view.place(oldest);
    this.view.fit();
    this.lastChange = Date.now();
  }

  /** Drop the oldest cards past maxCards. */
  trim() {
    const entries = this.entries();
    for (const entry of entries.slice(0, Math.max(0, entries.length - this.options.maxCards))) {
      this.remove(entry.post.id);
    }
  }

  /** Show the waiting message when there is nothing to show. */
  refreshEmpty() {
    if (this.empty) this.empty.hidden = this.cards.size > 0;
  }
}
