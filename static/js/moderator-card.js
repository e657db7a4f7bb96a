/**
 * The card of a post on the moderator tablet: the post, the rules' reasons and
 * one button per possible decision.
 */
import { cardHeader, cardMedia, postText, postTime, reviewStars } from "./card.js";
import { el, safeHref } from "./dom.js";
import { format } from "./settings.js";
import { postBadges, selectBox, toxicityChip } from "./moderator-extras.js";
import { reasonText } from "./moderator-i18n.js";

/**
 * One decision button.
 * @param {string} action approve, reject, highlight or unhighlight
 * @param {Record<string, string>} labels
 * @returns {HTMLElement}
 */
function button(action, labels) {
  return el("button", {
    class: `btn btn--${action}`,
    text: labels[action] ?? action,
    attrs: { type: "button", "data-action": action },
  });
}

/**
 * The actions a moderator can take on a post in a given list.
 * @param {any} post
 * @param {"pending"|"recent"|"rejected"} list
 * @returns {string[]}
 */
function actionsFor(post, list) {
  if (list === "rejected") return ["approve"];
  if (post.network === "host") return list === "pending" ? ["approve", "reject"] : ["hide"];
  if (list === "pending") return ["approve", "highlight", "reject", "block_author", "erase"];
  return [post.highlighted ? "unhighlight" : "highlight", post.pinned ? "unpin" : "pin", "hide", "block_author", "erase"];
}

/**
 * The erase button (a GDPR request): it asks first, since nothing can bring the post back.
 * A refusal stops the click before the page's action handler sees it.
 * @param {Record<string, string>} labels
 * @returns {HTMLElement}
 */
function eraseButton(labels) {
  const node = button("erase", labels);
  if (!labels.erase) node.textContent = "Erase";
  node.addEventListener("click", (event) => {
    const question = labels.erase_confirm ?? "Erase this post for good, from every screen, the database, the images and every export?";
    if (!window.confirm(question)) event.stopPropagation();
  });
  return node;
}

/**
 * What the wall's listening matched in a post: its hashtags, keywords or brand mentions.
 * @param {any} post
 * @param {Record<string, string>} labels
 * @returns {HTMLElement|null}
 */
function matchedBy(post, labels) {
  const found = Array.isArray(post.matched) ? post.matched.filter((m) => typeof m === "string" && m) : [];
  if (!found.length) return null;
  return el("p", { class: "mcard__matched", attrs: { "data-matched": found.join(" | ") } }, [
    el("span", { class: "mcard__matched-label", text: `${labels.matched ?? "Matched"}: ` }),
    ...found.map((term) => el("span", { class: "matched", text: term })),
  ]);
}

/**
 * Build a moderator card.
 * @param {any} post
 * @param {"pending"|"recent"|"rejected"} list
 * @param {{labels: Record<string, string>, lang: string, by?: string|null}} options
 * @returns {HTMLElement}
 */
export function buildModeratorCard(post, list, { labels, lang, by = null }) {
  // The toxicity score has its own chip below; its rule note would say it twice.
  const reasons = Array.isArray(post.reasons)
    ? post.reasons.filter((reason) => typeof reason === "string" && reason && !/^toxicity [\d.]+$/.test(reason))
    : [];
  const href = safeHref(post.url);
  const link = href ? el("a", { class: "mcard__link", text: labels.open_original ?? "Original post", attrs: { href, target: "_blank", rel: "noopener noreferrer" } }) : null;
  const card = el("li", { class: "mcard", attrs: { "data-post-id": String(post.id), "data-status": String(post.status ?? ""), "data-network": String(post.network ?? "") } }, [
    list === "pending" ? selectBox(post, labels) : null,
    cardHeader(post, labels),
    postBadges(post, labels),
    reviewStars(post),
    postText(String(post.text ?? ""), "mcard__text"),
    cardMedia(post, 4),
    matchedBy(post, labels),
    reasons.length
      ? el("ul", { class: "mcard__reasons", attrs: { "aria-label": labels.reasons ?? "Rules" } }, reasons.map((reason) => el("li", { class: "reason", text: reasonText(reason, labels) })))
      : null,
    el("div", { class: "mcard__meta" }, [
      postTime(post, labels, lang),
      toxicityChip(post, labels),
      post.highlighted ? el("span", { class: "mcard__star", text: `★ ${labels.highlighted ?? "Highlighted"}` }) : null,
      post.pinned ? el("span", { class: "mcard__star", text: `📌 ${labels.pinned ?? "Pinned"}` }) : null,
      by ? el("span", { class: "mcard__by", text: format(labels.decided_by ?? "by {name}", { name: by }) }) : null,
      link,
    ]),
    el("div", { class: "mcard__actions" }, actionsFor(post, list).map((action) => (action === "erase" ? eraseButton(labels) : button(action, labels)))),
  ]);
  card.classList.toggle("is-highlighted", Boolean(post.highlighted));
  card.tabIndex = -1;
  return card;
}
