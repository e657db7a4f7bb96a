/**
 * Small line icons of the networks, drawn as SVG (no image request, no font).
 */

const SVG = "http://www.w3.org/2000/svg";

/**
 * Per network: [filled paths, stroked paths]. Simplified shapes, not the
 * brands' logos. X has none: its name is its mark.
 */
const ICONS = {
  mastodon: [["M5 3h14a3 3 0 0 1 3 3v8a3 3 0 0 1-3 3h-7l-5 4v-4H5a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3z"], []],
  bluesky: [
    [
      "M12 10.5C10.4 7.4 6.5 3 4 3 2.4 3 2.4 5 3 8c.5 2.8 2.6 4.3 5 4.4-2.4.5-4 2.4-2 4.4 2.5 2.5 4.6.1 6-3.3 1.4 3.4 3.5 5.8 6 3.3 2-2 .4-3.9-2-4.4 2.4-.1 4.5-1.6 5-4.4.6-3 .6-5-1-5-2.5 0-6.4 4.4-8 7.5z",
    ],
    [],
  ],
  rss: [["M4 18a2 2 0 1 0 4 0 2 2 0 1 0-4 0"], ["M4 11a9 9 0 0 1 9 9", "M4 4a16 16 0 0 1 16 16"]],
  attendee: [["M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8z"], ["M4 21a8 8 0 0 1 16 0"]],
  webhook: [
    [],
    ["M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1", "M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1"],
  ],
  instagram: [
    ["M17.3 5.2a1.5 1.5 0 1 0 0 3 1.5 1.5 0 1 0 0-3"],
    ["M7.5 3.5h9a4 4 0 0 1 4 4v9a4 4 0 0 1-4 4h-9a4 4 0 0 1-4-4v-9a4 4 0 0 1 4-4z", "M12 8.5a3.5 3.5 0 1 0 0 7 3.5 3.5 0 1 0 0-7"],
  ],
  facebook: [
    ["M13.8 22v-8h2.9l.5-3.4h-3.4V8.5c0-1 .3-1.6 1.7-1.6h1.8V3.9a24 24 0 0 0-2.6-.1c-2.6 0-4.4 1.6-4.4 4.5v2.3H7.4V14h2.9v8z"],
    [],
  ],
  threads: [[], ["M16.5 12a4.5 4.5 0 1 1-4.5-4.5 4.5 4.5 0 0 1 4.5 4.5v1.2a2.4 2.4 0 0 0 4.8 0V12A9.3 9.3 0 1 0 17 19.8"]],
  google_reviews: [["M12 2.8l2.8 5.8 6.3.9-4.6 4.4 1.1 6.3L12 17.2l-5.6 3 1.1-6.3L2.9 9.5l6.3-.9z"], []],
  youtube: [
    ["M10 8.7v6.6l5.6-3.3z"],
    ["M6 5h12a3.5 3.5 0 0 1 3.5 3.5v7A3.5 3.5 0 0 1 18 19H6a3.5 3.5 0 0 1-3.5-3.5v-7A3.5 3.5 0 0 1 6 5z"],
  ],
};

/**
 * The icon of a network, or null for one we have none for.
 * @param {string} network lower-case network name
 * @returns {SVGElement|null}
 */
export function networkIcon(network) {
  const icon = ICONS[/** @type {keyof typeof ICONS} */ (network)];
  if (!icon) return null;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("class", "network__icon");
  const [filled, stroked] = icon;
  for (const d of filled) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "currentColor");
    svg.append(path);
  }
  for (const d of stroked) {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", d);
    path.setAttribute("fill", "none");
    path.setAttribute("stroke", "currentColor");
    path.setAttribute("stroke-width", "2.8");
    path.setAttribute("stroke-linecap", "round");
    svg.append(path);
  }
  return svg;
}
