/**
 * Parts of a moderator card beyond the post: the selection box, badges for
 * ambassadors and organisers' messages, and the toxicity score.
 */
import { el } from "./dom.js";
import { format } from "./settings.js";

/**
 * A large checkbox to select the post for a decision on several at once.
 * @param {any} post
 * @param {Record<string, string>} labels
 * @returns {HTMLElement}
 */
export function selectBox(post, labels) {
  const input = el("input", { class: "mcard__check", attrs: { type: "checkbox", "data-select": String(post.id) } });
  return el("label", { class: "mcard__select", attrs: { title: labels.select ?? "Select" } }, [
    input,
    el("span", { class: "visually-hidden", text: labels.select ?? "Select" }),
  ]);
}

/**
 * Badges saying who speaks: an ambassador (employee) or the organisers.
 * @param {any} post
 * @param {Record<string, string>} labels
 * @returns {HTMLElement|null}
 */
export function postBadges(post, labels) {
  const badges = [];
  if (post.network === "host") badges.push(el("span", { class: "badge badge--host", text: labels.from_organisers ?? "From the organisers" }));
  if (post.ambassador) badges.push(el("span", { class: "badge badge--ambassador", text: labels.ambassador ?? "Ambassador" }));
  return badges.length ? el("div", { class: "mcard__badges" }, badges) : null;
}

/**
 * The toxicity score the offline classifier gave, as a percentage.
 * @param {any} post
 * @param {Record<string, string>} labels
 * @returns {HTMLElement|null}
 */
export function toxicityChip(post, labels) {
  if (typeof post.toxicity !== "number") return null;
  const percent = Math.round(post.toxicity * 100);
  const level = percent >= 70 ? "high" : percent >= 40 ? "mid" : "low";
  return el("span", { class: `toxicity toxicity--${level}`, text: format(labels.toxicity ?? "Toxicity {n}%", { n: String(percent) }), attrs: { "data-toxicity": String(percent) } });
}
