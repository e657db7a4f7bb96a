/**
 * Build the card that shows one post. Every post field goes in as text.
 */
import { cardBadge } from "./badges.js";
import { el, mediaImage } from "./dom.js";
import { networkIcon } from "./network-icon.js";
import { timeAgo } from "./time.js";

/** Display names of the networks we know; others are shown capitalised. */
const NETWORKS = {
  mastodon: "Mastodon",
  bluesky: "Bluesky",
  x: "X",
  twitter: "X",
  rss: "RSS",
  webhook: "Web",
  demo: "Demo",
  instagram: "Instagram",
  facebook: "Facebook",
  threads: "Threads",
  google_reviews: "Google",
  youtube: "YouTube",
  attendee: "Attendee",
};

/**
 * Hashtags and mentions inside post text, shown in the accent colour. A mention
 * is taken whole: Bluesky's @alice.bsky.social and Mastodon's @bob@example.social
 * (a trailing full stop stays out).
 */
const TOKEN = /(#[\p{L}\p{N}_]+|@[\p{L}\p{N}_]+(?:[.-][\p{L}\p{N}_]+)*(?:@[\w-]+(?:\.[\w-]+)+)?)/u;

/**
 * Name of a network for display, from the page's labels ("network_attendee") when they have it.
 * @param {unknown} network
 * @param {Record<string, string>} [labels]
 * @returns {string}
 */
export function networkName(network, labels) {
  const key = typeof network === "string" ? network.toLowerCase() : "";
  if (labels?.[`network_${key}`]) return labels[`network_${key}`];
  if (key in NETWORKS) return NETWORKS[/** @type {keyof typeof NETWORKS} */ (key)];
  return key ? key.charAt(0).toUpperCase() + key.slice(1) : "";
}

/**
 * The badge of a post's network: its icon and its name.
 * @param {unknown} network
 * @param {Record<string, string>} [labels]
 * @returns {HTMLElement}
 */
export function networkBadge(network, labels) {
  const key = String(network).toLowerCase();
  const name = networkName(network, labels);
  const badge = el("span", { class: "network", attrs: { "data-network": key, title: name } });
  const icon = networkIcon(key);
  if (icon) badge.append(icon);
  badge.append(el("span", { class: "network__name", text: name }));
  return badge;
}

/**
 * Up to two initials of a name, for authors without an avatar.
 * @param {string} name
 * @returns {string}
 */
function initials(name) {
  const words = name
    .replace(/[^\p{L}\p{N}\s]/gu, "")
    .trim()
    .split(/\s+/)
    .filter(Boolean);
  return (
    words
      .slice(0, 2)
      .map((word) => word.charAt(0).toUpperCase())
      .join("") || "?"
  );
}

/**
 * A stable hue for a name, so an author's placeholder keeps its colour.
 * @param {string} name
 * @returns {number}
 */
function hue(name) {
  let hash = 0;
  for (const char of name) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 360;
  return hash;
}

/**
 * The avatar image, or the author's initials when there is none.
 * @param {any} post
 * @returns {HTMLElement}
 */
export function avatar(post) {
  const author = String(post.author ?? "");
  const img = mediaImage(post.avatar, "", "avatar");
  if (img) return img;
  const badge = el("span", {
    class: "avatar avatar--initials",
    text: initials(author),
    attrs: { "aria-hidden": "true" },
  });
  badge.style.setProperty("--avatar-hue", String(hue(author)));
  return badge;
}

/**
 * Post text as text nodes, with hashtags and mentions wrapped in spans.
 * @param {string} text
 * @param {string} className
 * @returns {HTMLElement}
 */
export function postText(text, className) {
  const paragraph = el("p", { class: className });
  text.split(TOKEN).forEach((part, index) => {
    if (!part) return;
    paragraph.append(
      index % 2 === 1 ? el("span", { class: "token", text: part }) : document.createTextNode(part),
    );
  });
  if (text.length > 280) paragraph.classList.add("is-long");
  else if (text.length < 90) paragraph.classList.add("is-short");
  return paragraph;
}

/**
 * The header of a card: avatar, author, handle, network.
 * @param {any} post
 * @param {Record<string, string>} [labels]
 * @returns {HTMLElement}
 */
export function cardHeader(post, labels) {
  return el("header", { class: "card__head" }, [
    avatar(post),
    el("div", { class: "card__who" }, [
      el("span", { class: "card__author", text: String(post.author ?? "") }),
      post.handle ? el("span", { class: "card__handle", text: String(post.handle) }) : null,
    ]),
    post.network ? networkBadge(post.network, labels) : null,
  ]);
}

/**
 * The first `limit` images of a post, or null when it has none we may show.
 * @param {any} post
 * @param {number} limit
 * @returns {HTMLElement|null}
 */
export function cardMedia(post, limit) {
  const media = Array.isArray(post.media) ? post.media : [];
  const images = media
    .map((item) => mediaImage(item?.url, String(item?.alt ?? ""), "card__image"))
    .filter(Boolean)
    .slice(0, limit);
  if (images.length === 0) return null;
  return el("div", { class: `card__media card__media--${images.length}` }, images);
}

/**
 * A <time> element that the clock keeps relative ("5 min ago").
 * @param {any} post
 * @param {Record<string, string>} labels
 * @param {string} lang
 * @returns {HTMLElement}
 */
export function postTime(post, labels, lang) {
  const iso = String(post.created_at ?? post.received_at ?? "");
  return el("time", {
    class: "card__time",
    text: timeAgo(iso, labels, lang),
    attrs: { datetime: iso, "data-ago": "" },
  });
}

/**
 * A review's stars (1 to 5), or null when the post is no review.
 * @param {any} post
 * @returns {number|null}
 */
export function reviewRating(post) {
  const rating = post?.rating;
  return Number.isInteger(rating) && rating >= 1 && rating <= 5 ? rating : null;
}

/**
 * The stars of a review, drawn as text (five, the given ones filled), and its place.
 * @param {any} post
 * @returns {HTMLElement|null}
 */
export function reviewStars(post) {
  const rating = reviewRating(post);
  if (rating === null) return null;
  const stars = el("span", {
    class: "rating__stars",
    attrs: { role: "img", "aria-label": `${rating} / 5` },
  });
  for (let i = 1; i <= 5; i += 1) {
    stars.append(el("span", { class: i <= rating ? "rating__star is-on" : "rating__star", text: "★" }));
  }
  return el("div", { class: "rating", attrs: { "data-rating": String(rating) } }, [
    stars,
    el("span", { class: "rating__value", text: `${rating}/5` }),
    post.place ? el("span", { class: "rating__place", text: String(post.place) }) : null,
  ]);
}

/**
 * Build the card for a post on a screen.
 * @param {any} post
 * @param {{labels: Record<string, string>, lang: string, images?: number}} options
 * @returns {HTMLElement}
 */
export function buildCard(post, { labels, lang, images = 1 }) {
  const card = el("article", { class: "card", attrs: { "data-post-id": String(post.id) } }, [
    cardHeader(post, labels),
    reviewStars(post),
    postText(String(post.text ?? ""), "card__text"),
    cardMedia(post, images),
    el("footer", { class: "card__foot" }, [
      postTime(post, labels, lang),
      post.highlighted
        ? el("span", { class: "card__star", text: `★ ${labels.highlighted ?? "Highlighted"}` })
        : null,
      post.ambassador === true
        ? el("span", { class: "card__ambassador", text: labels.ambassador ?? "Ambassador" })
        : null,
    ]),
  ]);
  card.classList.toggle("is-highlighted", Boolean(post.highlighted));
  if (post.ambassador === true) card.setAttribute("data-ambassador", "");
  const rating = reviewRating(post);
  if (rating !== null) card.setAttribute("data-rating", String(rating));
  const badge = cardBadge(card, post, labels);
  if (badge) card.querySelector(".card__head")?.after(badge);
  return card;
}
