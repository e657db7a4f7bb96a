/**
 * A lobby that never closes: outside the opening hours ([screens] hours) the
 * screen shows a dim branded night slide with the clock (or goes black), and
 * all day a slow shift of the whole layout spares the panel from burn-in.
 *
 * Hours are read in the wall's timezone (`[screens] timezone`, <body data-timezone>;
 * the TV's own when the browser does not know it), each range as {days, open, close}
 * (days 0-6 from Sunday, minutes after midnight; a close before the open
 * runs past midnight into the next day).
 */
import { el } from "./dom.js";
import { clockFormat, dayAndMinute, wallZone } from "./time.js";

const CHECK_MS = 20000;
const SHIFT_MS = 120000;
/** The shift's path, in pixels at 1080p: small enough to go unnoticed, a full cycle an hour. */
const SHIFT_PATH = [[0, 0], [3, 1], [5, 4], [3, 6], [0, 5], [-3, 6], [-5, 3], [-4, 0], [-3, -3], [0, -4], [3, -3], [4, -1]];

/**
 * Whether the wall is open at that moment.
 * @param {{days: number[], open: number, close: number}[]} ranges
 * @param {Date} now
 * @param {string} [zone] IANA timezone the hours are in (empty: the browser's)
 * @returns {boolean}
 */
export function isOpen(ranges, now, zone = "") {
  if (!ranges.length) return true;
  const { day: today, minute } = dayAndMinute(now, zone);
  const yesterday = (today + 6) % 7;
  return ranges.some(({ days, open, close }) => {
    if (open < close) return days.includes(today) && minute >= open && minute < close;
    // Past midnight: the evening part today, or the early part of a range that began yesterday.
    return (days.includes(today) && minute >= open) || (days.includes(yesterday) && minute < close);
  });
}

/**
 * Read the lobby settings the server embedded as JSON.
 * @returns {{hours: any[], outside: string, nightText: string, burnIn: boolean}}
 */
function readLobby() {
  try {
    const data = JSON.parse(document.getElementById("lobby")?.textContent ?? "{}");
    return {
      hours: Array.isArray(data.hours) ? data.hours : [],
      outside: data.outside_hours === "black" ? "black" : "night",
      nightText: typeof data.night_text === "string" ? data.night_text : "",
      burnIn: data.burn_in_shift !== false,
    };
  } catch {
    return { hours: [], outside: "night", nightText: "", burnIn: true };
  }
}

/**
 * Build the night slide: logo, wall title, a large clock and a line of text.
 * @param {string} kind night or black
 * @param {string} text
 * @param {Record<string, string>} labels
 * @returns {{slide: HTMLElement, clock: HTMLElement}}
 */
function nightSlide(kind, text, labels) {
  const logo = /** @type {HTMLImageElement|null} */ (document.querySelector(".masthead__logo"));
  const title = document.querySelector(".masthead__title")?.textContent ?? "";
  const clock = el("time", { class: "night__clock" });
  const slide = el("div", { class: `night night--${kind}`, attrs: { "data-slide": kind, "aria-hidden": "true" } },
    kind === "black" ? [] : [
      logo ? el("img", { class: "night__logo", attrs: { src: logo.src, alt: "" } }) : null,
      title ? el("p", { class: "night__wall", text: title }) : null,
      clock,
      el("p", { class: "night__text", text: text || labels.night_text || "See you tomorrow" }),
    ]);
  slide.hidden = true;
  return { slide, clock };
}

/**
 * Start the opening hours and the burn-in shift on a screen.
 * @param {Record<string, string>} labels
 * @param {string} lang
 */
export function startLobby(labels, lang) {
  const lobby = readLobby();
  if (lobby.burnIn) {
    let step = 0;
    window.setInterval(() => {
      step = (step + 1) % SHIFT_PATH.length;
      const scale = window.innerHeight / 1080;
      const [x, y] = SHIFT_PATH[step];
      document.body.style.setProperty("--burn-in-x", `${(x * scale).toFixed(1)}px`);
      document.body.style.setProperty("--burn-in-y", `${(y * scale).toFixed(1)}px`);
    }, SHIFT_MS);
  }
  if (!lobby.hours.length) return;
  const { slide, clock } = nightSlide(lobby.outside, lobby.nightText, labels);
  document.body.append(slide);
  const zone = wallZone();
  const times = clockFormat(lang, zone);
  const check = () => {
    const now = new Date();
    const closed = !isOpen(lobby.hours, now, zone);
    slide.hidden = !closed;
    document.body.dataset.closed = String(closed);
    if (closed) clock.textContent = times.format(now);
  };
  check();
  window.setInterval(check, CHECK_MS);
}
