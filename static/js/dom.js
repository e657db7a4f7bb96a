/**
 * Small DOM helpers. Post content is always inserted as text, never as HTML.
 */

import { wallPath } from "./base.js";

/**
 * Create an element with classes, attributes and children.
 * @param {string} tag
 * @param {{class?: string, text?: string, attrs?: Record<string, string>}} [options]
 * @param {(Node|null|undefined)[]} [children]
 * @returns {HTMLElement}
 */
export function el(tag, options = {}, children = []) {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) if (child) node.append(child);
  return node;
}

/**
 * Return a media path served by this server, or null for anything else.
 * @param {unknown} url
 * @returns {string|null}
 */
export function safeMediaSrc(url) {
  return typeof url === "string" && url.startsWith("/media/") ? wallPath(url) : null;
}

/**
 * Return an absolute http(s) address, or null for any other scheme.
 * @param {unknown} url
 * @returns {string|null}
 */
export function safeHref(url) {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/**
 * Create an <img> for a server media path, or null when the path is not allowed.
 * @param {unknown} url
 * @param {string} alt
 * @param {string} className
 * @returns {HTMLImageElement|null}
 */
export function mediaImage(url, alt, className) {
  const src = safeMediaSrc(url);
  if (!src) return null;
  const img = /** @type {HTMLImageElement} */ (el("img", { class: className }));
  img.alt = alt;
  img.decoding = "async";
  img.addEventListener("error", () => img.classList.add("is-broken"), { once: true });
  img.src = src;
  return img;
}

/**
 * Whether the viewer asked for less motion.
 * @returns {boolean}
 */
export function prefersReducedMotion() {
  return window.matchMedia("(prefers-reduced-motion: reduce)").matches;
}
