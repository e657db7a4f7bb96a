/**
 * Zones of a screen that no post may cover: the QR panel, and anything else
 * marked [data-reserved]. Layouts hide a card rather than let it overlap one.
 */

const RESERVED = '[data-panel="qr"], [data-reserved]';

/**
 * The rectangles of the reserved zones now on screen, grown by a margin.
 * @param {number} margin pixels of clear space kept around each zone
 * @returns {DOMRect[]}
 */
export function reservedRects(margin = 0) {
  /** @type {DOMRect[]} */
  const rects = [];
  for (const node of document.querySelectorAll(RESERVED)) {
    if (!(node instanceof HTMLElement) || node.hidden) continue;
    const r = node.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    rects.push(new DOMRect(r.left - margin, r.top - margin, r.width + 2 * margin, r.height + 2 * margin));
  }
  return rects;
}

/**
 * Whether two rectangles share any area.
 * @param {{left: number, right: number, top: number, bottom: number}} a
 * @param {{left: number, right: number, top: number, bottom: number}} b
 * @returns {boolean}
 */
export function intersects(a, b) {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
