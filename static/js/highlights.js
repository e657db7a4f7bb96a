/**
 * The highlights screen: one highlighted post at a time, very large, rotating.
 */
import { cardBadge } from "./badges.js";
import { buildAmbassadorSlide, FEATURED_ID } from "./highlights-ambassador.js";
import { avatar, networkBadge, postText, postTime, reviewRating, reviewStars } from "./card.js";
import { el, mediaImage, prefersReducedMotion } from "./dom.js";

const FADE_MS = 900;
const MAX_DOTS = 12;
/** The rotation keeps the newest highlights only, so memory stays bounded. */
const MAX_ROTATION = 60;
/** Recent approved posts kept for the automatic rotation, and how many of them rotate. */
const MAX_RECENT = 40;
const AUTO_COUNT = 8;
const PINS_KEY = "socialwall:pinned-since";

/**
 * Whether a post has a picture to show.
 * @param {any} post
 * @returns {boolean}
 */
function hasPhoto(post) {
  return Array.isArray(post?.media) && post.media.some((item) => mediaImage(item?.url, "", ""));
}

/**
 * When this screen first saw each pinned post, kept across reloads so a pin
 * expires [screens] pin_minutes after it was first shown, not after the last reload.
 * @returns {Record<string, number>}
 */
function pinnedSince() {
  try {
    const value = JSON.parse(localStorage.getItem(PINS_KEY) ?? "{}");
    return value && typeof value === "object" ? value : {};
  } catch {
    return {};
  }
}

/**
 * Build the big slide for one post.
 * @param {any} post
 * @param {Record<string, string>} labels
 * @param {string} lang
 * @returns {HTMLElement}
 */
function buildSlide(post, labels, lang, auto = false) {
  if (post.id === FEATURED_ID) return buildAmbassadorSlide(post.person, labels, lang);
  const first = Array.isArray(post.media) ? post.media.find((item) => mediaImage(item?.url, "", "")) : null;
  // The full-screen rendition when the server made one (docs/media.md), else the card's.
  const large = first ? (mediaImage(first.full, "", "") ? first.full : first.url) : null;
  const photo = first ? mediaImage(large, String(first.alt ?? ""), "spotlight__image") : null;
  const backdrop = first ? mediaImage(first.url, "", "spotlight__backdrop") : null;
  backdrop?.setAttribute("aria-hidden", "true");
  const slide = el("article", { class: "spotlight", attrs: { "data-post-id": String(post.id) } }, [
    photo ? el("div", { class: "spotlight__photo" }, [backdrop, photo]) : null,
    el("div", { class: "spotlight__body" }, [
      el("span", {
        class: "spotlight__badge",
        text: auto ? `✦ ${labels.auto_highlight ?? "On the wall"}` : `★ ${labels.highlights ?? "Highlights"}`,
      }),
      reviewStars(post),
      postText(String(post.text ?? ""), "spotlight__text"),
      el("footer", { class: "spotlight__who" }, [
        avatar(post),
        el("div", { class: "spotlight__names" }, [
          el("span", { class: "spotlight__author", text: String(post.author ?? "") }),
          el("span", { class: "spotlight__meta" }, [
            post.handle ? el("span", { class: "spotlight__handle", text: String(post.handle) }) : null,
            post.network ? networkBadge(post.network) : null,
            postTime(post, labels, lang),
          ]),
        ]),
      ]),
    ]),
  ]);
  slide.classList.toggle("has-photo", Boolean(photo));
  if (reviewRating(post) !== null) slide.setAttribute("data-rating", String(reviewRating(post)));
  if (auto) slide.dataset.auto = "true";
  const badge = cardBadge(slide, post, labels);
  if (badge) slide.querySelector(".spotlight__badge")?.after(badge);
  return slide;
}

/**
 * Shrink a slide's text until the post, author included, fits its panel.
 * @param {HTMLElement} slide
 */
function fitText(slide) {
  const body = /** @type {HTMLElement|null} */ (slide.querySelector(".spotlight__body"));
  const text = /** @type {HTMLElement|null} */ (slide.querySelector(".spotlight__text"));
  if (!body || !text) return;
  const rem = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  let size = parseFloat(getComputedStyle(text).fontSize);
  while (body.scrollHeight > body.clientHeight + 1 && size > rem * 1.05) {
    size = Math.max(rem, size * 0.92);
    text.style.fontSize = `${size}px`;
  }
  // Still too long at the smallest size: let the text give way, not the author.
  text.classList.toggle("is-clipped", body.scrollHeight > body.clientHeight + 1);
}

/**
 * Keep the slides above the QR panel: set --reserved-bottom on the stage's
 * frame (for the slides and the rotation bar beside the panel), the room from
 * the panel's top (and a gap) down to the stage's bottom, now and whenever the
 * screen or the panel changes size.
 * @param {HTMLElement} stage
 * @param {() => void} changed called after the room or the stage changed
 */
function keepClearOfQr(stage, changed) {
  const panel = /** @type {HTMLElement|null} */ (document.querySelector('[data-panel="qr"]'));
  if (!panel) return;
  const update = () => {
    const gap = 0.8 * (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16);
    const box = stage.getBoundingClientRect();
    const qr = panel.getBoundingClientRect();
    const room = panel.hidden || qr.height === 0 ? 0 : Math.max(0, box.bottom - qr.top + gap);
    (stage.parentElement ?? stage).style.setProperty("--reserved-bottom", `${Math.ceil(room)}px`);
    // The slide may be shorter now (the room grew, or a banner above took some height).
    changed();
  };
  update();
  new ResizeObserver(update).observe(panel);
  new ResizeObserver(update).observe(stage);
}

export class Highlights {
  /**
   * @param {HTMLElement} stage where the slides go
   * @param {{labels: Record<string, string>, lang: string, seconds: number, speed: number,
   *   autoHighlights?: boolean, pinMinutes?: number}} options
   */
  constructor(stage, options) {
    this.stage = stage;
    this.options = options;
    /** @type {any[]} highlighted posts, newest first */
    this.posts = [];
    /** @type {any[]} recent approved posts, newest first, for the automatic rotation */
    this.recent = [];
    /** @type {{id: string, person: any}|null} the ambassador of the week's slide, if any */
    this.featured = null;
    /** @type {Record<string, number>} */
    this.pins = pinnedSince();
    // Pins run out while nothing else happens: look again every half minute.
    window.setInterval(() => this.refreshPins(), 30000);
    /** @type {string|null} */
    this.currentId = null;
    /** @type {HTMLElement|null} */
    this.current = null;
    /** @type {number|undefined} */
    this.timer = undefined;
    this.empty = /** @type {HTMLElement|null} */ (document.querySelector("[data-empty]"));
    this.dots = /** @type {HTMLElement|null} */ (document.querySelector("[data-dots]"));
    this.progress = /** @type {HTMLElement|null} */ (document.querySelector("[data-progress]"));
    keepClearOfQr(stage, () => {
      if (this.current) fitText(this.current);
    });
  }

  /** How many posts are in the rotation. */
  get size() {
    return this.rotation.length;
  }

  /**
   * Whether a post is among the highlighted ones.
   * @param {unknown} id
   * @returns {boolean}
   */
  has(id) {
    return this.posts.some((item) => String(item.id) === String(id));
  }

  /**
   * Whether a post is pinned and its pin has not run out ([screens] pin_minutes).
   * @param {any} post
   * @returns {boolean}
   */
  pinned(post) {
    if (!post.pinned) return false;
    const id = String(post.id);
    if (!(id in this.pins)) {
      this.pins[id] = Date.now();
      this.savePins();
    }
    const minutes = this.options.pinMinutes ?? 0;
    return minutes <= 0 || Date.now() - this.pins[id] < minutes * 60000;
  }

  /** Keep the pin times of the posts still pinned, and store them. */
  savePins() {
    const keep = new Set(this.posts.filter((post) => post.pinned).map((post) => String(post.id)));
    for (const id of Object.keys(this.pins)) if (!keep.has(id)) delete this.pins[id];
    try {
      localStorage.setItem(PINS_KEY, JSON.stringify(this.pins));
    } catch {
      // Storage full or refused: pins then count from this page's start.
    }
  }

  /** Move on when the pin shown has run out. */
  refreshPins() {
    const current = this.posts.find((post) => String(post.id) === this.currentId);
    if (current && current.pinned && !this.pinned(current)) this.next();
  }

  /**
   * The posts that rotate: the live pins while there are any, else the
   * highlights, else (auto_highlights) the best recent posts, photos first.
   */
  get rotation() {
    const pinned = this.posts.filter((post) => this.pinned(post));
    if (pinned.length) return pinned;
    const featured = this.featured ? [this.featured] : [];
    if (this.posts.length || !this.options.autoHighlights) return [...this.posts, ...featured];
    const photos = this.recent.filter(hasPhoto);
    return [...[...photos, ...this.recent.filter((post) => !hasPhoto(post))].slice(0, AUTO_COUNT), ...featured];
  }

  /**
   * Feature the ambassador of the week as one more slide (null: take it away at once).
   * @param {any|null} person
   */
  feature(person) {
    const showing = this.currentId === FEATURED_ID;
    this.featured = person ? { id: FEATURED_ID, person } : null;
    if (showing) this.show(this.featured ?? this.rotation[0] ?? null, !this.featured);
    else this.restartIfIdle();
    this.renderDots();
  }

  /**
   * Replace the recent approved posts (a snapshot, newest first).
   * @param {any[]} posts
   */
  replaceRecent(posts) {
    this.recent = posts.filter((post) => post && post.id !== undefined && post.network !== "host")
      .slice(0, MAX_RECENT);
  }

  /**
   * Note an approved post for the automatic rotation (or forget one that left the wall).
   * @param {any} post
   */
  noteRecent(post) {
    const id = String(post.id);
    const index = this.recent.findIndex((item) => String(item.id) === id);
    if (index >= 0) this.recent.splice(index, 1);
    if (post.status !== "approved" || post.network === "host") return this.restartIfIdle();
    if (index >= 0) this.recent.splice(index, 0, post);
    else this.recent.unshift(post);
    if (this.recent.length > MAX_RECENT) this.recent.length = MAX_RECENT;
    this.restartIfIdle();
  }

  /**
   * Forget a recent post that was removed from the wall.
   * @param {unknown} id
   */
  forgetRecent(id) {
    this.recent = this.recent.filter((item) => String(item.id) !== String(id));
  }

  /** Start showing something when the stage is empty and the rotation is not. */
  restartIfIdle() {
    if (this.currentId === null && this.rotation.length) this.show(this.rotation[0], true);
    else if (this.timer === undefined) this.restartTimer();
  }

  /** Milliseconds each post stays. */
  get dwell() {
    return (this.options.seconds * 1000) / this.options.speed;
  }

  /**
   * Replace the rotation with a snapshot (newest first).
   * @param {any[]} posts
   */
  replaceAll(posts) {
    this.posts = posts.filter((post) => post && post.id !== undefined).slice(0, MAX_ROTATION);
    const keep = this.rotation.find((post) => String(post.id) === this.currentId);
    this.show(keep ?? this.rotation[0] ?? null, true);
  }

  /**
   * Add or refresh a highlighted post; a new one is shown right away.
   * @param {any} post
   */
  upsert(post) {
    const id = String(post.id);
    const index = this.posts.findIndex((item) => String(item.id) === id);
    if (index >= 0) {
      this.posts[index] = post;
      const rotating = this.rotation.includes(post);
      if (post.pinned && id !== this.currentId) this.show(post, true);
      else if (id === this.currentId) this.show(rotating ? post : this.rotation[0] ?? null, !rotating);
      // Unpinning can start a rotation that was stopped.
      if (this.timer === undefined) this.restartTimer();
      return;
    }
    this.posts.unshift(post);
    if (this.posts.length > MAX_ROTATION) this.posts.length = MAX_ROTATION;
    // While posts are pinned, a new highlight waits its turn outside the rotation.
    if (!this.rotation.includes(post)) return;
    this.show(post, true);
    // A moderator just highlighted it: a spotlight sweeps over it as it comes in.
    if (this.current && !prefersReducedMotion()) {
      this.current.classList.remove("is-entering");
      this.current.classList.add("is-spotlit");
    }
  }

  /**
   * Take a post out of the rotation, off the screen at once if it is shown.
   * @param {unknown} id
   */
  remove(id) {
    const key = String(id);
    const index = this.posts.findIndex((item) => String(item.id) === key);
    if (index >= 0) this.posts.splice(index, 1);
    for (const slide of this.stage.querySelectorAll(`[data-post-id="${CSS.escape(key)}"]`)) slide.remove();
    if (key === this.currentId) {
      this.current = null;
      this.currentId = null;
      this.show(this.rotation[Math.max(0, Math.min(index, this.rotation.length - 1))] ?? null, true);
    }
  }

  /** Show the next post in the rotation. */
  next() {
    const posts = this.rotation;
    if (posts.length === 0) return this.show(null, true);
    const index = posts.findIndex((item) => String(item.id) === this.currentId);
    const post = posts[(index + 1) % posts.length];
    if (String(post.id) === this.currentId) return this.restartTimer();
    this.show(post, true);
  }

  /**
   * Put a post on the stage (null for the empty state).
   * @param {any|null} post
   * @param {boolean} restart restart the dwell timer and the progress bar
   */
  show(post, restart) {
    const previous = this.current;
    const sameSlide = previous !== null && post !== null && String(post.id) === this.currentId;
    const auto = post !== null && !this.posts.includes(post);
    this.current = post ? buildSlide(post, this.options.labels, this.options.lang, auto) : null;
    this.currentId = post ? String(post.id) : null;
    const animate = restart && previous !== null && !sameSlide && !prefersReducedMotion();
    if (previous) {
      if (animate) {
        previous.classList.add("is-leaving");
        window.setTimeout(() => previous.remove(), FADE_MS);
      } else {
        previous.remove();
      }
    }
    if (this.current) {
      if (animate) this.current.classList.add("is-entering");
      this.stage.append(this.current);
      fitText(this.current);
    }
    if (this.empty) this.empty.hidden = post !== null;
    this.renderDots();
    if (restart) this.restartTimer();
  }

  /** Schedule the next rotation and restart the progress bar. */
  restartTimer() {
    window.clearTimeout(this.timer);
    const rotating = this.rotation.length > 1;
    this.timer = rotating ? window.setTimeout(() => this.next(), this.dwell) : undefined;
    if (!this.progress) return;
    this.progress.hidden = !rotating;
    this.progress.style.setProperty("--dwell", `${this.dwell}ms`);
    this.progress.classList.remove("is-running");
    void this.progress.offsetWidth; // restart the CSS animation
    this.progress.classList.toggle("is-running", rotating);
  }

  /** One dot per post in the rotation, the current one filled. */
  renderDots() {
    if (!this.dots) return;
    const posts = this.rotation;
    const count = posts.length;
    this.dots.hidden = count < 2 || count > MAX_DOTS;
    if (this.dots.hidden) return this.dots.replaceChildren();
    this.dots.replaceChildren(
      ...posts.map((post) =>
        el("span", { class: String(post.id) === this.currentId ? "dot is-current" : "dot" }),
      ),
    );
  }
}
