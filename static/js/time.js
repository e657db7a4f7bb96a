/**
 * Relative times on cards, and the time of day in the wall's timezone.
 *
 * The header clock, the night slide's clock and the opening hours read the wall's
 * timezone (<body data-timezone>, `[screens] timezone`), as the stats chart does:
 * a kiosk box left in UTC shows the building's time, not its own.
 */
import { format } from "./settings.js";

/**
 * Describe how long ago an ISO 8601 time was, in the page language.
 * @param {string|null|undefined} iso
 * @param {Record<string, string>} labels
 * @param {string} lang
 * @param {number} [now]
 * @returns {string}
 */
export function timeAgo(iso, labels, lang, now = Date.now()) {
  const then = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(then)) return "";
  const minutes = Math.floor(Math.max(0, now - then) / 60000);
  if (minutes < 1) return labels.just_now ?? "just now";
  if (minutes < 60) return format(labels.minutes_ago ?? "{n} min ago", { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return format(labels.hours_ago ?? "{n} h ago", { n: hours });
  return dayFormat(lang).format(new Date(then));
}

/** @type {Map<string, Intl.DateTimeFormat>} */
const dayFormats = new Map();

/**
 * The "3 Mar" formatter of a language in the wall's timezone, made once: a post from
 * 23:30 UTC is dated by the building's calendar, not by the kiosk's.
 * @param {string} lang
 * @returns {Intl.DateTimeFormat}
 */
function dayFormat(lang) {
  const key = `${lang}|${wallZone()}`;
  let found = dayFormats.get(key);
  if (!found) {
    found = zonedFormat(lang, { day: "numeric", month: "short" });
    dayFormats.set(key, found);
  }
  return found;
}

/**
 * Refresh every <time data-ago> under root.
 * @param {ParentNode} root
 * @param {Record<string, string>} labels
 * @param {string} lang
 */
export function refreshTimes(root, labels, lang) {
  const now = Date.now();
  for (const node of root.querySelectorAll("time[data-ago]")) {
    node.textContent = timeAgo(node.getAttribute("datetime"), labels, lang, now);
  }
}

/**
 * The wall's timezone as the page was given it (empty: the browser's own).
 * @returns {string}
 */
export function wallZone() {
  return document.body.dataset.timezone ?? "";
}

/**
 * A date formatter in a timezone (default: the wall's), or in the browser's when it
 * does not know that one.
 * @param {string|undefined} lang
 * @param {Intl.DateTimeFormatOptions} options
 * @param {string} [zone] IANA name, or empty for the browser's
 * @returns {Intl.DateTimeFormat}
 */
export function zonedFormat(lang, options, zone = wallZone()) {
  try {
    return new Intl.DateTimeFormat(lang, zone ? { ...options, timeZone: zone } : options);
  } catch {
    return new Intl.DateTimeFormat(lang, options);
  }
}

/**
 * A formatter of hours and minutes in a timezone (see zonedFormat).
 * @param {string|undefined} lang
 * @param {string} [zone]
 * @returns {Intl.DateTimeFormat}
 */
export function clockFormat(lang, zone = wallZone()) {
  return zonedFormat(lang, { hour: "2-digit", minute: "2-digit" }, zone);
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/**
 * The weekday (0 for Sunday) and the minute of the day of a moment in a timezone.
 * @param {Date} moment
 * @param {string} zone IANA name, or empty for the browser's
 * @returns {{day: number, minute: number}}
 */
export function dayAndMinute(moment, zone) {
  if (zone) {
    try {
      const parts = new Intl.DateTimeFormat("en-US", {
        timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      }).formatToParts(moment);
      const part = (/** @type {string} */ type) => parts.find((p) => p.type === type)?.value ?? "";
      const day = WEEKDAYS.indexOf(part("weekday"));
      const hour = Number(part("hour")) % 24;
      const minute = Number(part("minute"));
      if (day >= 0 && Number.isFinite(hour) && Number.isFinite(minute)) return { day, minute: hour * 60 + minute };
    } catch {
      // a zone this browser does not know: its own, below
    }
  }
  return { day: moment.getDay(), minute: moment.getHours() * 60 + moment.getMinutes() };
}

/**
 * Keep the relative times under root and the header clock up to date.
 * @param {ParentNode} root
 * @param {Record<string, string>} labels
 * @param {string} lang
 * @param {string} [zone] the wall's timezone (default: <body data-timezone>)
 * @returns {() => void} stops the timer
 */
export function startClock(root, labels, lang, zone = wallZone()) {
  const clock = document.querySelector("[data-clock]");
  const times = clockFormat(lang, zone);
  const tick = () => {
    if (clock) {
      clock.textContent = times.format(new Date());
    }
    refreshTimes(root, labels, lang);
  };
  tick();
  const timer = window.setInterval(tick, 15000);
  return () => window.clearInterval(timer);
}
