/**
 * The stats screen's mood gauge and period helpers: which figures a period shows.
 */
import { shares } from "./stats-shares.js";

const MOODS = ["positive", "neutral", "negative"];

/**
 * The figures of the screen's period: `periods.today` or `periods.week`, else the all-time
 * top level (which also holds what has no period: posts per minute, pending).
 * @param {any} stats
 * @param {string} period today, week or all
 * @returns {any}
 */
export function periodFigures(stats, period) {
  const chosen = period !== "all" ? stats?.periods?.[period] : null;
  return chosen && typeof chosen === "object" ? chosen : stats;
}

/**
 * Every network the wall follows, in config order after those with posts, with its count.
 * @param {any[]} networks rows {network, count} from the server
 * @param {string[]} followed networks of the enabled sources
 * @returns {{network: string, count: number}[]}
 */
export function allNetworks(networks, followed) {
  const rows = (Array.isArray(networks) ? networks : [])
    .map((n) => ({ network: String(n?.network ?? ""), count: Number(n?.count) || 0 }))
    .filter((n) => n.network && n.network !== "host" && n.count > 0);
  for (const name of followed) {
    if (!rows.some((n) => n.network === name)) rows.push({ network: name, count: 0 });
  }
  return rows;
}

/**
 * Show the mood gauge: whole percentages that add up to 100, a bar split the same way.
 * @param {HTMLElement} root
 * @param {any} counts {positive, neutral, negative}
 * @param {(name: string, value: number) => void} figure sets one big figure
 */
export function showMood(root, counts, figure) {
  const values = MOODS.map((mood) => Math.max(0, Number(counts?.[mood]) || 0));
  const any = values.some((value) => value > 0);
  root.querySelector("[data-gauge]")?.toggleAttribute("hidden", !any);
  const empty = /** @type {HTMLElement|null} */ (root.querySelector('[data-list-empty="sentiment"]'));
  if (empty) empty.hidden = any;
  const percents = shares(values);
  MOODS.forEach((mood, index) => {
    figure(`sentiment-${mood}`, percents[index]);
    const part = /** @type {HTMLElement|null} */ (root.querySelector(`[data-part="${mood}"]`));
    part?.style.setProperty("--part", String(percents[index] / 100));
  });
}
