/**
 * Badges on wall cards: the organisers' announcements and the company's own
 * ambassadors (employee advocacy), so the lobby sees who speaks.
 */
import { el } from "./dom.js";

/**
 * Mark a card and return its badge, or null for an ordinary post.
 * @param {HTMLElement} card
 * @param {any} post
 * @param {Record<string, string>} labels
 * @returns {HTMLElement|null}
 */
export function cardBadge(card, post, labels) {
  const host = post.network === "host";
  card.classList.toggle("is-host", host);
  card.classList.toggle("is-ambassador", Boolean(post.ambassador) && !host);
  if (host) return el("span", { class: "badge badge--host", text: labels.from_organisers ?? "From the organisers" });
  if (post.ambassador) return el("span", { class: "badge badge--ambassador", text: labels.ambassador ?? "Ambassador" });
  return null;
}
