/**
 * How the feed places its cards: columns, mosaic or carousel.
 *
 * Each layout has the same small interface (build, place, changed, removed,
 * fit) and the same cards with the same data hooks; the Feed decides what is
 * shown, the layout decides where. Every layout keeps its cards clear of the
 * reserved zones (reserved.js): a card that would overlap one is hidden.
 */
import { el } from "./dom.js";
import { planMosaic } from "./mosaic-grid.js";
import { intersects, reservedRects } from "./reserved.js";

export const LAYOUTS = ["columns", "mosaic", "carousel"];

/**
 * The gap between cards, in pixels.
 * @param {HTMLElement} node
 * @returns {number}
 */
function gapOf(node) {
  return parseFloat(getComputedStyle(node).rowGap) || 0;
}

/**
 * Columns: a new card goes on top of the column whose content ends highest
 * against the room it has (a column above the QR panel has less), so the
 * columns stay level however tall the cards are.
 */
class ColumnsLayout {
  /** @param {import("./feed.js").Feed} feed */
  constructor(feed) {
    this.feed = feed;
    /** @type {HTMLElement[]} */
    this.columns = [];
  }

  /** Build the columns and put every card back, oldest first. */
  build() {
    const root = this.feed.root;
    root.dataset.layout = "columns";
    const count = this.feed.columnCount();
    this.columns = Array.from({ length: count }, () => el("div", { class: "feed__column" }));
    root.replaceChildren(...this.columns);
    root.style.setProperty("--columns", String(count));
    for (const entry of this.feed.entries()) this.place(entry);
    this.fit();
  }

  /**
   * Put a card on top of the best column and measure it.
   * @param {import("./feed.js").Entry} entry
   */
  place(entry) {
    entry.card.hidden = false;
    this.best().prepend(entry.card);
    entry.height = entry.card.offsetHeight;
    this.relocate(entry);
  }

  /**
   * Move a column's newest card that is taller than the column's whole room (the
   * column above the QR panel) to the best column where it fits: left there, it
   * would wait hidden, and every card after it.
   * @param {import("./feed.js").Entry} entry
   */
  relocate(entry) {
    const column = /** @type {HTMLElement|null} */ (entry.card.parentElement);
    if (!column || column.firstElementChild !== entry.card) return;
    const zones = reservedRects(gapOf(this.feed.root));
    if (entry.height <= this.room(column, zones)) return;
    const fits = this.columns.filter((other) => entry.height <= this.room(other, zones));
    if (!fits.length) return;
    fits.reduce((a, b) => (this.excess(b, zones) < this.excess(a, zones) - 0.5 ? b : a)).prepend(entry.card);
  }

  /** @param {import("./feed.js").Entry} entry */
  changed(entry) {
    // A picture that arrived makes a card taller: measure it even where it waits hidden.
    const hidden = entry.card.hidden;
    entry.card.hidden = false;
    entry.height = entry.card.offsetHeight;
    entry.card.hidden = hidden;
    this.relocate(entry);
    this.fit();
  }

  /**
   * The height a column may fill: down to a reserved zone under it, or the bottom of the feed.
   * @param {HTMLElement} column
   * @param {DOMRect[]} zones
   * @returns {number}
   */
  room(column, zones) {
    const top = column.getBoundingClientRect().top;
    return Math.min(this.floor(column, zones), this.feed.root.getBoundingClientRect().bottom) - top;
  }

  removed() {
    this.fit();
  }

  /**
   * How far down a column may show cards: the top of a reserved zone under it, else no limit.
   * @param {HTMLElement} column
   * @param {DOMRect[]} zones
   * @returns {number}
   */
  floor(column, zones) {
    const box = column.getBoundingClientRect();
    let floor = Infinity;
    for (const zone of zones) {
      if (zone.left < box.right && box.left < zone.right && zone.top >= box.top) floor = Math.min(floor, zone.top);
    }
    return floor;
  }

  /**
   * How much content a column holds beyond the room it has (negative: room left).
   * @param {HTMLElement} column
   * @param {DOMRect[]} zones
   * @returns {number}
   */
  excess(column, zones) {
    const top = column.getBoundingClientRect().top;
    const bottom = Math.min(this.floor(column, zones), this.feed.root.getBoundingClientRect().bottom);
    const gap = gapOf(column);
    let height = 0;
    for (const card of column.children) height += (this.feed.entryOf(card)?.height ?? 0) + gap;
    return height - (bottom - top);
  }

  /**
   * The column whose content ends highest against its room.
   * @returns {HTMLElement}
   */
  best() {
    const zones = reservedRects(gapOf(this.feed.root));
    let best = this.columns[0];
    let lowest = Infinity;
    for (const column of this.columns) {
      const excess = this.excess(column, zones);
      if (excess < lowest - 0.5) [best, lowest] = [column, excess];
    }
    return best;
  }

  /** Hide the cards of a column that would reach into a reserved zone, and the older ones below them. */
  fit() {
    const zones = reservedRects(gapOf(this.feed.root));
    for (const column of this.columns) {
      const floor = this.floor(column, zones);
      const gap = gapOf(column);
      let y = column.getBoundingClientRect().top;
      let blocked = false;
      for (const node of column.children) {
        const card = /** @type {HTMLElement} */ (node);
        const entry = this.feed.entryOf(card);
        if (!entry) continue;
        if (!card.hidden) entry.height = card.offsetHeight;
        blocked = blocked || y + entry.height > floor;
        card.hidden = blocked;
        if (!blocked) y += entry.height + gap;
      }
    }
  }
}

/** Roughly how many root ems tall a mosaic row should be. */
const MOSAIC_ROW_EMS = 13.5;
/** How much larger a text tile's words may grow in fewer, larger cells. */
const MOSAIC_MAX_ZOOM = 1.8;

/**
 * Mosaic: a grid of equal tiles filling the screen, posts with a photo first
 * and larger (four tiles, else two). The QR panel takes the grid's bottom-right tile (qr.css),
 * so text tiles fill every other cell: no hole beside it, whatever the posts. With fewer
 * posts than the screen's cells, the cells are fewer and larger (mosaic-grid.js).
 */
class MosaicLayout {
  /** @param {import("./feed.js").Feed} feed */
  constructor(feed) {
    this.feed = feed;
    this.columns = 2;
  }

  build() {
    const root = this.feed.root;
    root.dataset.layout = "mosaic";
    root.replaceChildren(...this.feed.entries().map((entry) => entry.card));
    // Tiles are narrower than columns, except on a narrow (portrait) screen.
    const count = this.feed.columnCount();
    this.columns = count >= 3 ? count + 1 : Math.max(2, count);
    root.style.setProperty("--columns", String(this.columns));
    this.fit();
  }

  /** @param {import("./feed.js").Entry} entry */
  place(entry) {
    this.feed.root.append(entry.card);
  }

  changed() {
    this.fit();
  }

  removed() {
    this.fit();
  }

  /**
   * The screen's own grid (tiles about MOSAIC_ROW_EMS tall) and the room the feed has.
   * @returns {{columns: number, rows: number, width: number, height: number, gap: number}}
   */
  room() {
    const root = this.feed.root;
    const style = getComputedStyle(root);
    const gap = gapOf(root);
    const em = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    const width = root.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const height = root.clientHeight - parseFloat(style.paddingTop) - parseFloat(style.paddingBottom);
    const rows = Math.max(1, Math.round((height + gap) / (MOSAIC_ROW_EMS * em + gap)));
    return { columns: this.columns, rows, width, height, gap };
  }

  /**
   * Order the tiles (photos first, newest first) and give each its place in the grid
   * (mosaic-grid.js); the tiles left without one wait, hidden. The bottom-right
   * cell is the QR panel's when there is one; a tile that would still touch a
   * reserved zone (another one, or a QR panel that did not move) is hidden too.
   */
  fit() {
    const root = this.feed.root;
    const room = this.room();
    const qr = /** @type {HTMLElement|null} */ (document.querySelector('[data-panel="qr"]'));
    const entries = this.feed.entries().reverse();
    const isPhoto = (/** @type {import("./feed.js").Entry} */ entry) => entry.card.classList.contains("has-photo");
    const ordered = [...entries.filter(isPhoto), ...entries.filter((entry) => !isPhoto(entry))];
    const { columns, rows, places } = planMosaic(ordered.map(isPhoto), room, Boolean(qr && !qr.hidden));
    root.style.setProperty("--columns", String(columns));
    root.style.setProperty("--rows", String(rows));
    const stage = root.parentElement;
    stage?.style.setProperty("--tile-width", `${(room.width - (columns - 1) * room.gap) / columns}px`);
    stage?.style.setProperty("--tile-height", `${(room.height - (rows - 1) * room.gap) / rows}px`);
    const tile = (/** @type {number} */ across, /** @type {number} */ down) => ({
      width: (room.width - (across - 1) * room.gap) / across,
      height: (room.height - (down - 1) * room.gap) / down,
    });
    const natural = tile(room.columns, room.rows);
    const cell = tile(columns, rows);
    // Fewer, larger cells (a few posts): a text tile's words grow with its cell, so that
    // one post beside the QR panel reads from across the lobby, not lost in its tile.
    const zoom = Math.min(MOSAIC_MAX_ZOOM, Math.max(1, Math.min(cell.width / natural.width, cell.height / natural.height)));
    ordered.forEach((entry, index) => {
      const place = places[index];
      entry.card.hidden = !place;
      if (zoom > 1.05 && !isPhoto(entry)) entry.card.style.setProperty("--tile-zoom", zoom.toFixed(2));
      else entry.card.style.removeProperty("--tile-zoom");
      entry.card.classList.toggle("is-small", Boolean(place && isPhoto(entry) && place.high === 1));
      if (place) entry.card.style.gridArea = `${place.row + 1} / ${place.column + 1} / span ${place.high} / span ${place.wide}`;
      else entry.card.style.removeProperty("grid-area");
    });
    const zones = reservedRects(gapOf(root) / 2);
    for (const entry of ordered) {
      if (entry.card.hidden) continue;
      if (zones.some((zone) => intersects(entry.card.getBoundingClientRect(), zone))) entry.card.hidden = true;
      else this.shorten(entry.card);
    }
  }

  /**
   * Show fewer lines of a tile's text while the tile is too short for them (a
   * short post is set large): its author and time stay whole, the text ends on
   * a full line.
   * @param {HTMLElement} card
   */
  shorten(card) {
    card.style.removeProperty("--lines");
    const text = card.querySelector(".card__text");
    if (!text) return;
    let lines = parseInt(getComputedStyle(text).getPropertyValue("-webkit-line-clamp"), 10) || 4;
    while (card.scrollHeight > card.clientHeight + 1 && lines > 1) {
      lines -= 1;
      card.style.setProperty("--lines", String(lines));
    }
  }
}

/**
 * Carousel: one large post at a time, the newest first, each for dwellMs.
 */
class CarouselLayout {
  /** @param {import("./feed.js").Feed} feed */
  constructor(feed) {
    this.feed = feed;
    /** @type {string|null} */
    this.currentId = null;
    /** @type {number|undefined} */
    this.timer = undefined;
  }

  build() {
    const root = this.feed.root;
    root.dataset.layout = "carousel";
    root.replaceChildren(...this.feed.entries().map((entry) => entry.card));
    this.show(this.feed.entries().at(-1) ?? null);
  }

  /** @param {import("./feed.js").Entry} entry */
  place(entry) {
    this.feed.root.append(entry.card);
    this.show(entry);
  }

  changed() {
    this.show(this.feed.cards.get(this.currentId ?? "") ?? null);
  }

  /** @param {import("./feed.js").Entry} entry */
  removed(entry) {
    if (String(entry.post.id) === this.currentId) this.next();
  }

  /**
   * Show one card, hide the others, and schedule the next.
   * @param {import("./feed.js").Entry|null} entry
   */
  show(entry) {
    this.currentId = entry ? String(entry.post.id) : null;
    for (const other of this.feed.cards.values()) {
      other.card.hidden = other !== entry;
      other.card.classList.toggle("is-current", other === entry);
    }
    this.fit();
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.next(), this.feed.options.dwellMs ?? 10000);
  }

  /** Show the next older post, or the newest after the oldest. */
  next() {
    const entries = this.feed.entries().reverse();
    if (entries.length === 0) return this.show(null);
    const index = entries.findIndex((entry) => String(entry.post.id) === this.currentId);
    this.show(entries[(index + 1) % entries.length]);
  }

  /** Keep the slide above the reserved zones: the stage ends where the first one starts. */
  fit() {
    const root = this.feed.root;
    root.style.removeProperty("--reserved-bottom");
    const box = root.getBoundingClientRect();
    const zones = reservedRects(gapOf(root)).filter((zone) => zone.top < box.bottom);
    const top = Math.min(box.bottom, ...zones.map((zone) => zone.top));
    root.style.setProperty("--reserved-bottom", `${Math.max(0, box.bottom - top)}px`);
    const current = this.feed.cards.get(this.currentId ?? "");
    if (current) this.shrink(current.card);
  }

  /**
   * Zoom a slide out until its text is no longer squeezed (a long post beside a
   * photo on a stage shortened by the QR panel), down to the cards' own size.
   * @param {HTMLElement} card
   */
  shrink(card) {
    card.style.removeProperty("zoom");
    const text = /** @type {HTMLElement|null} */ (card.querySelector(".card__text"));
    if (!text) return;
    let zoom = parseFloat(getComputedStyle(card).zoom) || 1;
    // Squeezed: shorter than its text, or than the lines it may show (line-clamp).
    const squeezed = () => {
      const style = getComputedStyle(text);
      const lines = parseInt(style.getPropertyValue("-webkit-line-clamp"), 10) || Infinity;
      const want = Math.min(text.scrollHeight, lines * (parseFloat(style.lineHeight) || Infinity));
      return text.clientHeight + 1 < want;
    };
    while (squeezed() && zoom > 1) {
      zoom = Math.max(1, zoom - 0.1);
      card.style.setProperty("zoom", String(zoom));
    }
  }
}

/**
 * The layout of a given name, columns when the name is unknown.
 * @param {string} name
 * @param {import("./feed.js").Feed} feed
 */
export function makeLayout(name, feed) {
  if (name === "mosaic") return new MosaicLayout(feed);
  if (name === "carousel") return new CarouselLayout(feed);
  return new ColumnsLayout(feed);
}
