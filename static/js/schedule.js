/**
 * The wall's schedule on the lobby screens: a branded countdown before
 * [wall] starts_at, a thank-you slide with the final figures after ends_at.
 * Imported for its effect by screen.js; does nothing for a wall without a schedule.
 */
import { zonedFormat } from "./time.js";

const TICK_MS = 1000;
const WORDS = {
  en: { starts: "Starts in", on: "Starting", thanks: "Thank you!", posts: "posts",
        authors: "contributors", days: "d" },
  fr: { starts: "Début dans", on: "Début", thanks: "Merci !", posts: "publications",
        authors: "participants", days: "j" },
};

/**
 * Create an element with a class and, optionally, text (never HTML).
 * @param {string} tag
 * @param {string} className
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function el(tag, className, text) {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * Format milliseconds left as "2 d 03:04:05" or "03:04:05".
 * @param {number} ms
 * @param {string} dayMark
 * @returns {string}
 */
export function countdownText(ms, dayMark) {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const days = Math.floor(total / 86400);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  const clock = `${pad(Math.floor(total / 3600) % 24)}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
  return days > 0 ? `${days} ${dayMark} ${clock}` : clock;
}

/**
 * Return "before", "live" or "after" for a moment.
 * @param {number} now
 * @param {number} starts NaN when unset
 * @param {number} ends NaN when unset
 * @returns {string}
 */
export function phaseAt(now, starts, ends) {
  if (now < starts) return "before";
  if (now >= ends) return "after";
  return "live";
}

/**
 * Build the countdown slide.
 * @param {typeof WORDS.en} words
 * @param {string} lang
 * @param {number} starts
 * @returns {{ slide: HTMLElement, left: HTMLElement }}
 */
function countdownSlide(words, lang, starts) {
  const slide = el("section", "schedule-slide");
  slide.dataset.slide = "countdown";
  const logo = document.querySelector(".masthead__logo");
  if (logo instanceof HTMLImageElement) slide.append(Object.assign(el("img", "schedule-slide__logo"), { src: logo.src, alt: "" }));
  const title = document.querySelector(".masthead__title")?.textContent ?? "";
  const left = el("p", "schedule-slide__big");
  left.dataset.countdown = "";
  const when = zonedFormat(lang, { weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit" }).format(new Date(starts));
  slide.append(el("h2", "schedule-slide__title", title), el("p", "schedule-slide__lead", words.starts), left,
               el("p", "schedule-slide__when", `${words.on} · ${when}`));
  return { slide, left };
}

/**
 * Build the thank-you slide with the final figures.
 * @param {typeof WORDS.en} words
 * @param {string} lang
 * @param {any} figures
 * @returns {HTMLElement}
 */
function thanksSlide(words, lang, figures) {
  const slide = el("section", "schedule-slide");
  slide.dataset.slide = "thanks";
  const title = document.querySelector(".masthead__title")?.textContent ?? "";
  const number = (/** @type {number} */ n) => Number(n || 0).toLocaleString(lang);
  const row = el("div", "schedule-slide__figures");
  for (const [value, label, key] of [[figures?.total, words.posts, "total"], [figures?.authors, words.authors, "authors"]]) {
    const tile = el("p", "schedule-slide__figure");
    tile.dataset.figure = String(key);
    tile.append(el("strong", "", number(value)), el("span", "", String(label)));
    row.append(tile);
  }
  const tags = (figures?.top_hashtags ?? []).slice(0, 3).map((/** @type {any} */ t) => `#${t.tag}`).join("  ");
  slide.append(el("h2", "schedule-slide__big", words.thanks), el("p", "schedule-slide__title", title), row,
               el("p", "schedule-slide__when", tags));
  return slide;
}

/**
 * Fetch the schedule; null when the server does not answer.
 * @param {string} url
 * @returns {Promise<any>}
 */
async function fetchSchedule(url) {
  try {
    const reply = await fetch(url, { cache: "no-store" });
    return reply.ok ? await reply.json() : null;
  } catch {
    return null;
  }
}

/** Watch the schedule and show the slide of the current phase over the screen. */
async function startSchedule() {
  const url = document.body.dataset.schedule;
  if (!url) return;
  let state = await fetchSchedule(url);
  if (!state || (!state.starts_at && !state.ends_at)) return;
  const lang = document.body.dataset.lang === "fr" ? "fr" : "en";
  const words = WORDS[lang];
  // The TV's own clock may be wrong: keep the server's time, advanced by the page's clock.
  const offset = Date.parse(state.now) - Date.now();
  const starts = state.starts_at ? Date.parse(state.starts_at) : NaN;
  const ends = state.ends_at ? Date.parse(state.ends_at) : NaN;
  const sheet = Object.assign(document.createElement("link"), { rel: "stylesheet", href: url.replace(/api\/schedule$/, "static/css/schedule.css") });
  document.head.append(sheet);
  /** @type {HTMLElement|null} */
  let shown = null;
  let shownPhase = "live";
  /** @type {HTMLElement|null} */
  let left = null;
  const tick = async () => {
    const now = Date.now() + offset;
    const current = phaseAt(now, starts, ends);
    if (current !== shownPhase) {
      shownPhase = current;
      shown?.remove();
      shown = null;
      document.body.dataset.phase = current;
      if (current === "before") {
        ({ slide: shown, left } = countdownSlide(words, lang, starts));
      } else if (current === "after") {
        state = (await fetchSchedule(url)) ?? state;  // the final figures
        shown = thanksSlide(words, lang, state.figures);
      }
      if (shown) document.body.append(shown);
    }
    if (current === "before" && left) left.textContent = countdownText(starts - now, words.days);
  };
  await tick();
  window.setInterval(tick, TICK_MS);
}

startSchedule();
