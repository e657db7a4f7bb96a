/**
 * Settings the server put on <body> as data-* attributes, and the page labels.
 */

/**
 * @typedef {object} Settings
 * @property {string} screen feed, stats, highlights or moderator
 * @property {string} name the screen's name, sent with join_screen and heartbeats
 * @property {string} theme dark or light
 * @property {string} lang en or fr
 * @property {number} maxCards most cards the feed keeps
 * @property {number} highlightSeconds seconds each highlight stays
 * @property {number} columns feed columns, 0 for automatic
 * @property {number} speed animation and rotation speed factor
 * @property {string} version server version the page was rendered with
 * @property {string} csrf moderator CSRF token
 * @property {string[]} networks networks a feed shows (?networks=), empty for all
 * @property {number} recycleSeconds quiet seconds before the feed brings back an older post, 0 never
 * @property {number} staleSeconds offline seconds before the screen says since when it is stale
 * @property {string} layout feed layout: columns, mosaic or carousel
 */

/**
 * Read a positive number from a data attribute.
 * @param {string|undefined} raw
 * @param {number} fallback
 * @returns {number}
 */
function number(raw, fallback) {
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/**
 * Read the settings from <body>.
 * @returns {Settings}
 */
export function readSettings() {
  const data = document.body.dataset;
  return {
    screen: data.screen ?? "",
    name: data.name ?? "",
    theme: data.theme ?? "dark",
    lang: data.lang ?? "en",
    maxCards: Math.max(1, number(data.maxCards, 30)),
    highlightSeconds: Math.max(3, number(data.highlightSeconds, 12)),
    columns: Math.round(number(data.columns, 0)),
    speed: Math.max(0.1, number(data.speed, 1) || 1),
    version: data.version ?? "",
    csrf: data.csrf ?? "",
    networks: (data.networks ?? "").split(",").filter(Boolean),
    recycleSeconds: number(data.recycleSeconds, 20),
    staleSeconds: Math.max(5, number(data.staleSeconds, 60)),
    layout: ["columns", "mosaic", "carousel"].includes(data.layout ?? "") ? String(data.layout) : "columns",
  };
}

/**
 * Read the labels the server embedded as JSON.
 * @returns {Record<string, string>}
 */
export function readLabels() {
  const node = document.getElementById("labels");
  try {
    return node ? JSON.parse(node.textContent ?? "{}") : {};
  } catch {
    return {};
  }
}

/**
 * Fill a label template such as "{n} min ago".
 * @param {string} template
 * @param {Record<string, string|number>} values
 * @returns {string}
 */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (match, key) => (key in values ? String(values[key]) : match));
}
