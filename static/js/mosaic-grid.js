/**
 * The mosaic's grid: how many columns and rows, and where each tile goes.
 *
 * A busy wall fills the screen's own grid (tiles about MOSAIC_ROW_EMS tall), photos
 * first and larger. A wall with fewer posts than cells gets fewer, larger cells,
 * sized from the number of tiles (the posts and the QR panel), and a tile next to a
 * cell left over grows over it: no empty cell is ever left on the screen.
 */

/** The sizes a photo tile tries, [columns, rows]: large, then tall, then one tile. */
const PHOTO_SIZES = [[2, 2], [1, 2], [1, 1]];

/**
 * @typedef {{row: number, column: number, wide: number, high: number}} Place
 * @typedef {{columns: number, rows: number, places: (Place|null)[]}} Plan
 */

/**
 * The cells (row * columns + column) a place covers.
 * @param {Place} place
 * @param {number} columns
 * @returns {number[]}
 */
function cellsOf(place, columns) {
  const found = [];
  for (let r = place.row; r < place.row + place.high; r++) {
    for (let c = place.column; c < place.column + place.wide; c++) found.push(r * columns + c);
  }
  return found;
}

/**
 * Where tiles go in a grid of rows x columns: each takes the first free place
 * (row by row) of its size, a photo the largest of its sizes left, text one tile.
 * @param {boolean[]} photos for each tile in order, whether it carries a photo
 * @param {number} rows
 * @param {number} columns
 * @param {Set<number>} blocked cells no tile may take
 * @param {number[][]} photoSizes the sizes a photo tries, largest first
 * @returns {(Place|null)[]} null: no room left
 */
function firstFit(photos, rows, columns, blocked, photoSizes) {
  const taken = new Set(blocked);
  const first = (/** @type {number} */ wide, /** @type {number} */ high) => {
    for (let row = 0; row + high <= rows; row++) {
      for (let column = 0; column + wide <= columns; column++) {
        const place = { row, column, wide, high };
        if (cellsOf(place, columns).every((cell) => !taken.has(cell))) return place;
      }
    }
    return null;
  };
  return photos.map((photo) => {
    let place = null;
    for (const [wide, high] of photo ? photoSizes : [[1, 1]]) {
      place = first(wide, high);
      if (place) break;
    }
    if (place) for (const cell of cellsOf(place, columns)) taken.add(cell);
    return place;
  });
}

/**
 * Grow tiles over the free cells beside them (wider first, then taller), in place.
 * @param {(Place|null)[]} places
 * @param {number} rows
 * @param {number} columns
 * @param {Set<number>} blocked
 * @returns {number} the free cells left
 */
function fillHoles(places, rows, columns, blocked) {
  const tiles = /** @type {Place[]} */ (places.filter(Boolean));
  const taken = () => new Set([...blocked, ...tiles.flatMap((tile) => cellsOf(tile, columns))]);
  const free = (/** @type {Set<number>} */ used, /** @type {Place} */ place) =>
    place.row >= 0 && place.column >= 0 && place.row + place.high <= rows
    && place.column + place.wide <= columns
    && cellsOf(place, columns).every((cell) => !used.has(cell));
  /** @type {((tile: Place) => [Place, Place])[]} the strip a tile grows over, and the tile grown */
  const grows = [
    (t) => [{ ...t, column: t.column + t.wide, wide: 1 }, { ...t, wide: t.wide + 1 }],
    (t) => [{ ...t, row: t.row + t.high, high: 1 }, { ...t, high: t.high + 1 }],
    (t) => [{ ...t, column: t.column - 1, wide: 1 }, { ...t, column: t.column - 1, wide: t.wide + 1 }],
    (t) => [{ ...t, row: t.row - 1, high: 1 }, { ...t, row: t.row - 1, high: t.high + 1 }],
  ];
  let grown = true;
  while (grown) {
    grown = false;
    for (const grow of grows) {
      for (const tile of tiles) {
        const [strip, bigger] = grow(tile);
        if (free(taken(), strip)) {
          Object.assign(tile, bigger);
          grown = true;
        }
      }
      if (grown) break;
    }
  }
  return rows * columns - taken().size;
}

/**
 * Fewer, larger cells for a few tiles: for each number of columns up to the screen's,
 * the rows they need (cells left over stay within the last row), the shape closest to
 * the screen's own cells with the fewest cells left over.
 * @param {number} tiles posts and the QR panel
 * @param {{columns: number, rows: number, width: number, height: number, gap: number}} room
 * @returns {{columns: number, rows: number}}
 */
function fewerCells(tiles, room) {
  const cell = (/** @type {number} */ columns, /** @type {number} */ rows) =>
    ((room.width - (columns - 1) * room.gap) / columns) / ((room.height - (rows - 1) * room.gap) / rows);
  const natural = cell(room.columns, room.rows);
  let best = { columns: room.columns, rows: room.rows, score: Infinity };
  for (let columns = 1; columns <= room.columns; columns++) {
    const rows = Math.ceil(tiles / columns);
    if (rows > room.rows) continue;
    const score = columns * rows - tiles + 2 * Math.abs(Math.log(cell(columns, rows) / natural));
    if (score < best.score) best = { columns, rows, score };
  }
  return { columns: best.columns, rows: best.rows };
}

/**
 * Plan the mosaic: the grid and each tile's place (null: no room, the tile waits hidden).
 * @param {boolean[]} photos for each tile in order (photos first), whether it has a photo
 * @param {{columns: number, rows: number, width: number, height: number, gap: number}} room
 *   the screen's own grid and the room it has, in pixels
 * @param {boolean} qr whether the QR panel takes the grid's bottom-right cell
 * @returns {Plan}
 */
export function planMosaic(photos, room, qr) {
  const plan = (/** @type {number} */ columns, /** @type {number} */ rows, /** @type {number[][]} */ sizes) => {
    const blocked = new Set(qr ? [rows * columns - 1] : []);
    const places = firstFit(photos, rows, columns, blocked, sizes);
    const placed = places.every(Boolean);
    const holes = placed ? fillHoles(places, rows, columns, blocked) : Infinity;
    return { columns, rows, places, placed, holes };
  };
  const tiles = photos.length + (qr ? 1 : 0);
  const grids = [{ columns: room.columns, rows: room.rows }];
  if (tiles > 0 && tiles < room.columns * room.rows) grids.push(fewerCells(tiles, room));
  // The screen's own grid first, photos as large as they can be; then photos smaller,
  // then fewer and larger cells: the first plan that shows every post with no hole.
  for (const { columns, rows } of grids) {
    for (const sizes of [PHOTO_SIZES, PHOTO_SIZES.slice(1), PHOTO_SIZES.slice(2)]) {
      const found = plan(columns, rows, sizes);
      if (found.placed && found.holes === 0) return found;
    }
  }
  // A busy wall: the newest fill the screen, the others wait.
  return plan(room.columns, room.rows, PHOTO_SIZES);
}
