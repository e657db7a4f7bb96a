/**
 * The highlights screen's "ambassador of the week" ([screens] ambassador_of_the_week):
 * the approved ambassador with the most posts on the wall over seven days, as one
 * slide of the rotation. The server picks them (GET /api/ambassadors/week); this
 * file asks again when the ambassadors' figures change (stats_updated), when a post
 * of theirs changes, after each (re)connect, and every few minutes as the week slides.
 * Names, teams and posts are hostile text: shown with textContent only.
 */
import { avatar, networkBadge, postText, postTime } from "./card.js";
import { el, mediaImage } from "./dom.js";

/** The rotation's id of the slide (no post has it: post ids are numbers). */
export const FEATURED_ID = "ambassador-of-the-week";
const URL = "/api/ambassadors/week";
const EVERY_MS = 5 * 60 * 1000;
/** Screens ask a little apart, so a change does not bring them all at the same instant. */
const SPREAD_MS = 1000;

/**
 * Build the slide for the ambassador of the week.
 * @param {any} person {id, name, team, count, post}
 * @param {Record<string, string>} labels
 * @param {string} lang
 * @returns {HTMLElement}
 */
export function buildAmbassadorSlide(person, labels, lang) {
  const post = person.post ?? {};
  const first = Array.isArray(post.media) ? post.media.find((/** @type {any} */ item) => mediaImage(item?.url, "", "")) : null;
  const large = first ? (mediaImage(first.full, "", "") ? first.full : first.url) : null;
  const photo = first ? mediaImage(large, String(first.alt ?? ""), "spotlight__image") : null;
  const backdrop = first ? mediaImage(first.url, "", "spotlight__backdrop") : null;
  backdrop?.setAttribute("aria-hidden", "true");
  const count = Number(person.count) || 0;
  const countText = count === 1 ? (labels.amb_week_post ?? "post on the wall this week")
    : (labels.amb_week_posts ?? "posts on the wall this week");
  const slide = el("article", {
    class: "spotlight spotlight--ambassador",
    attrs: { "data-slide": FEATURED_ID, "data-enrolment-id": String(person.id ?? ""), "data-featured-post-id": String(post.id ?? "") },
  }, [
    photo ? el("div", { class: "spotlight__photo" }, [backdrop, photo]) : null,
    el("div", { class: "spotlight__body" }, [
      el("span", { class: "spotlight__badge amb-week__badge", text: `🏅 ${labels.amb_week ?? "Ambassador of the week"}` }),
      el("div", { class: "amb-week__person" }, [
        avatar(post),
        el("div", { class: "amb-week__names" }, [
          el("span", { class: "amb-week__name", text: String(person.name ?? "") }),
          person.team ? el("span", { class: "amb-week__team", text: String(person.team) }) : null,
          el("p", { class: "amb-week__count" }, [
            el("span", { class: "amb-week__figure", text: String(count) }),
            el("span", { class: "amb-week__unit", text: String(countText) }),
          ]),
        ]),
      ]),
      postText(String(post.text ?? ""), "spotlight__text amb-week__quote"),
      el("footer", { class: "amb-week__meta" }, [
        post.handle ? el("span", { class: "spotlight__handle", text: String(post.handle) }) : null,
        post.network ? networkBadge(post.network, labels) : null,
        postTime(post, labels, lang),
      ]),
    ]),
  ]);
  slide.classList.toggle("has-photo", Boolean(photo));
  return slide;
}

export class AmbassadorOfTheWeek {
  /**
   * @param {(person: any|null) => void} onChange called with the new pick (null: nobody)
   */
  constructor(onChange) {
    this.onChange = onChange;
    /** @type {any|null} */
    this.person = null;
    this.shown = "null";
    this.figures = "";
    /** @type {number|undefined} */
    this.timer = undefined;
    this.asking = false;
    this.again = false;
    window.setInterval(() => this.refresh(), EVERY_MS);
  }

  /** Ask the server now; a change of pick is passed on. */
  async refresh() {
    if (this.asking) {
      this.again = true;
      return;
    }
    this.asking = true;
    try {
      const response = await fetch(URL, { headers: { Accept: "application/json" }, cache: "no-store" });
      if (response.ok) {
        const body = await response.json();
        const person = body && typeof body.ambassador === "object" ? body.ambassador : null;
        const key = JSON.stringify(person);
        if (key !== this.shown) {
          this.shown = key;
          this.person = person;
          this.onChange(person);
        }
      }
    } catch {
      // Offline: keep what is shown; the next change or the periodic ask tries again.
    } finally {
      this.asking = false;
      if (this.again) {
        this.again = false;
        this.soon();
      }
    }
  }

  /** Ask again shortly: a burst of changes becomes one request. */
  soon() {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.refresh(), 200 + Math.random() * SPREAD_MS);
  }

  /**
   * New figures: ask again when the ambassadors' part of them changed.
   * @param {any} stats
   */
  onStats(stats) {
    const figures = JSON.stringify([stats?.ambassador_posts ?? null, stats?.ambassadors ?? null]);
    if (figures === this.figures) return;
    const first = this.figures === "";
    this.figures = figures;
    if (!first) this.soon();
  }

  /**
   * A post event: the featured post leaves the screen at once if it was taken off the
   * wall; an ambassador's post, or one of the featured person's, brings a new ask.
   * @param {string} type
   * @param {any} event
   */
  onEvent(type, event) {
    const featured = this.person?.post;
    const id = type === "post_removed" ? event?.id : event?.post?.id;
    const post = event?.post;
    if (featured && String(id) === String(featured.id)
        && (type === "post_removed" || post?.status !== "approved" || post?.ambassador !== true)) {
      // Never keep showing a post a moderator took off the wall, nor a badge that went.
      this.shown = "null";
      this.person = null;
      this.onChange(null);
      return this.soon();
    }
    if (post && (post.ambassador === true || String(id) === String(featured?.id)
        || (featured && post.network === featured.network && post.handle === featured.handle))) this.soon();
  }
}
