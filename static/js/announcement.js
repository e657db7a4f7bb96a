/**
 * The organisers' announcement: a banner across the top of every screen,
 * under the header, for the time the organiser chose, above everything else.
 *
 * It comes live as `announcement_shown` / `announcement_dismissed` (through
 * the synced socket, in seq order), and after every (re)connect the screen
 * asks GET /api/wall, which answers the banner with its remaining seconds.
 */
import { el } from "./dom.js";

/** Tell the layouts that the room they have changed. */
function relayout() {
  window.dispatchEvent(new Event("resize"));
}

export class Announcement {
  /** @param {Record<string, string>} labels */
  constructor(labels) {
    this.text = el("p", { class: "announcement__text" });
    this.bar = el("span", { class: "announcement__time", attrs: { "aria-hidden": "true" } });
    this.banner = el(
      "aside",
      { class: "announcement", attrs: { "data-announcement": "", role: "alert", "aria-live": "assertive" } },
      [
        el("span", { class: "announcement__label", text: labels.announcement ?? labels.organisers ?? "Announcement" }),
        this.text,
        this.bar,
      ],
    );
    this.banner.hidden = true;
    /** @type {number|undefined} */
    this.timer = undefined;
    /** @type {unknown} */
    this.id = null;
    const header = document.querySelector(".masthead");
    if (header) header.after(this.banner);
    else document.body.prepend(this.banner);
  }

  /**
   * Show an announcement for its remaining seconds, or hide the banner (null).
   * @param {any} announcement {id, text, remaining}
   */
  show(announcement) {
    window.clearTimeout(this.timer);
    const remaining = Number(announcement?.remaining);
    const text = typeof announcement?.text === "string" ? announcement.text : "";
    if (!text || !Number.isFinite(remaining) || remaining <= 0) return this.hide();
    this.id = announcement.id;
    this.text.textContent = text;
    this.bar.style.setProperty("--remaining", `${remaining}s`);
    this.bar.classList.remove("is-running");
    void this.bar.offsetWidth; // restart the countdown animation
    this.bar.classList.add("is-running");
    const was = this.banner.hidden;
    this.banner.hidden = false;
    document.body.dataset.announcing = "true";
    this.timer = window.setTimeout(() => this.hide(), remaining * 1000);
    if (was) relayout();
  }

  /** Take the banner off. */
  hide() {
    window.clearTimeout(this.timer);
    const was = !this.banner.hidden;
    this.banner.hidden = true;
    this.id = null;
    delete document.body.dataset.announcing;
    if (was) relayout();
  }

  /**
   * Apply a socket event; return whether it was an announcement's.
   * @param {string} type
   * @param {any} event
   * @returns {boolean}
   */
  apply(type, event) {
    if (type === "announcement_shown") this.show(event?.announcement);
    else if (type === "announcement_dismissed") this.hide();
    else return false;
    return true;
  }

  /** Ask the server for the announcement shown now (after a reload or a reconnect). */
  async refresh() {
    try {
      const response = await fetch("/api/wall", { headers: { Accept: "application/json" } });
      if (response.ok) this.show((await response.json()).announcement ?? null);
    } catch {
      // Offline: keep what is shown; the next reconnect asks again.
    }
  }
}
