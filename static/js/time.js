/**
 * Relative times on cards and the clock in the screen header.
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
  return new Date(then).toLocaleDateString(lang, { day: "numeric", month: "short" });
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
 * Keep the relative times under root and the header clock up to date.
 * @param {ParentNode} root
 * @param {Record<string, string>} labels
 * @param {string} lang
 * @returns {() => void} stops the timer
 */
export function startClock(root, labels, lang) {
  const clock = document.querySelector("[data-clock]");
  const tick = () => {
    if (clock) {
      clock.textContent = new Date().toLocaleTimeString(lang, { hour: "2-digit", minute: "2-digit" });
    }
    refreshTimes(root, labels, lang);
  };
  tick();
  const timer = window.setInterval(tick, 15000);
  return () => window.clearInterval(timer);
}
