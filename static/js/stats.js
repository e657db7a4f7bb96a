/**
 * The statistics screen: big figures, a posts-per-minute chart and top lists.
 */
import "../vendor/chart.umd.js";
import { el, prefersReducedMotion } from "./dom.js";
import { networkName } from "./card.js";

/** Rows given to a list; it keeps those that fit its tile (compact rows first). */
const LIST_LENGTH = 12;
const TWEEN_MS = 900;

/**
 * Read a CSS custom property from <body>.
 * @param {string} name
 * @returns {string}
 */
function cssVar(name) {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

/**
 * A list row: rank, name (and detail), a bar scaled to the leader, the count.
 * @param {number} rank
 * @param {string} name
 * @param {string|null} detail
 * @param {number} count
 * @param {number} max
 * @param {Intl.NumberFormat} numbers
 * @returns {HTMLElement}
 */
function row(rank, name, detail, count, max, numbers) {
  const bar = el("span", { class: "rank__bar" });
  bar.style.setProperty("--share", String(max > 0 ? count / max : 0));
  return el("li", { class: "rank" }, [
    el("span", { class: "rank__pos", text: String(rank) }),
    el("span", { class: "rank__name" }, [
      el("span", { class: "rank__label", text: name }),
      detail ? el("span", { class: "rank__detail", text: detail }) : null,
    ]),
    el("span", { class: "rank__count", text: numbers.format(count) }),
    bar,
  ]);
}

/**
 * Whole percentages that add up to 100 (largest remainder), one per count.
 * @param {number[]} counts
 * @returns {number[]}
 */
export function shares(counts) {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= 0) return counts.map(() => 0);
  const exact = counts.map((count) => (count / total) * 100);
  const whole = exact.map(Math.floor);
  let left = 100 - whole.reduce((sum, value) => sum + value, 0);
  const order = exact.map((value, index) => [value - whole[index], index]).sort((a, b) => b[0] - a[0]);
  for (const [, index] of order) {
    if (left <= 0) break;
    whole[index] += 1;
    left -= 1;
  }
  return whole;
}

export class Stats {
  /**
   * @param {HTMLElement} root the stats screen's main element
   * @param {{labels: Record<string, string>, lang: string}} options
   */
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.numbers = new Intl.NumberFormat(options.lang);
    this.times = new Intl.DateTimeFormat(options.lang, { hour: "2-digit", minute: "2-digit" });
    /** @type {Map<string, number>} running count-up animations, by figure */
    this.tweens = new Map();
    const canvas = /** @type {HTMLCanvasElement|null} */ (root.querySelector("canvas[data-chart]"));
    this.chart = canvas ? this.createChart(canvas) : null;
  }

  /**
   * Create the posts-per-minute line chart.
   * @param {HTMLCanvasElement} canvas
   * @returns {any}
   */
  createChart(canvas) {
    const Chart = /** @type {any} */ (globalThis).Chart;
    if (!Chart) return null;
    const accent = cssVar("--accent");
    const muted = cssVar("--text-muted");
    const grid = cssVar("--line");
    const em = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.font.size = Math.round(em * 0.8);
    Chart.defaults.color = muted;
    return new Chart(canvas, {
      type: "line",
      data: {
        labels: [],
        datasets: [
          {
            label: this.options.labels.posts_per_minute ?? "Posts per minute",
            data: [],
            borderColor: accent,
            backgroundColor: cssVar("--accent-soft"),
            borderWidth: Math.max(2, Math.round(em / 6)),
            fill: "origin",
            cubicInterpolationMode: "monotone",
            pointRadius: 0,
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: prefersReducedMotion() ? false : { duration: 600 },
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: {
          x: {
            grid: { display: false },
            border: { color: grid },
            ticks: { maxTicksLimit: 6, maxRotation: 0, autoSkipPadding: Math.round(em) },
          },
          y: {
            beginAtZero: true,
            grid: { color: grid },
            border: { display: false },
            ticks: { precision: 0, maxTicksLimit: 5 },
          },
        },
      },
    });
  }

  /**
   * Show a stats payload.
   * @param {any} stats
   */
  update(stats) {
    this.figure("total", stats.total);
    this.figure("per-minute", stats.per_minute);
    this.figure("authors", stats.authors);
    this.figure("ambassadors", stats.ambassador_posts);
    this.root.querySelector("[data-ambassadors]")?.toggleAttribute("hidden", !(Number(stats.ambassador_posts) > 0));
    this.updateChart(Array.isArray(stats.series) ? stats.series : []);
    const tags = (stats.top_hashtags ?? []).slice(0, LIST_LENGTH);
    this.list(
      "hashtags",
      tags.map((/** @type {any} */ t) => [`#${t.tag}`, null, Number(t.count) || 0]),
    );
    const authors = (stats.top_authors ?? []).slice(0, LIST_LENGTH);
    this.list(
      "contributors",
      authors.map((/** @type {any} */ a) => [
        String(a.author ?? ""),
        a.handle ? String(a.handle) : null,
        Number(a.count) || 0,
      ]),
    );
    // Every network, organisers' announcements aside; shares of the listed posts add up to 100%.
    const networks = (Array.isArray(stats.networks) ? stats.networks : []).filter(
      (/** @type {any} */ n) => String(n?.network ?? "") !== "host" && Number(n?.count) > 0,
    );
    const percents = shares(networks.map((/** @type {any} */ n) => Number(n.count) || 0));
    this.list(
      "networks",
      networks.map((/** @type {any} */ n, /** @type {number} */ i) => [
        networkName(n.network),
        `${percents[i]}%`,
        Number(n.count) || 0,
      ]),
    );
    const ambassadors = stats.ambassadors ?? {};
    this.figure("ambassador-share", Math.round((Number(ambassadors.share) || 0) * 100));
    const leaders = (Array.isArray(ambassadors.top) ? ambassadors.top : []).slice(0, LIST_LENGTH);
    this.list(
      "ambassadors",
      leaders.map((/** @type {any} */ a) => [
        String(a.author ?? ""),
        a.handle ? String(a.handle) : null,
        Number(a.count) || 0,
      ]),
    );
    this.root.dataset.quiet = String(!(Number(stats.total) > 0));
  }

  /**
   * Set one big figure; when it changed, count up (or down) to it and mark it.
   * @param {string} name value of its data-stat attribute
   * @param {unknown} value
   */
  figure(name, value) {
    const node = /** @type {HTMLElement|null} */ (this.root.querySelector(`[data-stat="${name}"]`));
    if (!node) return;
    const target = Number(value) || 0;
    const from = Number(node.dataset.value ?? 0) || 0;
    if (node.dataset.value !== undefined && from === target) return;
    node.dataset.value = String(target);
    const tweens = this.tweens;
    window.cancelAnimationFrame(tweens.get(name) ?? 0);
    if (prefersReducedMotion() || from === target) {
      node.textContent = this.numbers.format(target);
    } else {
      const start = performance.now();
      /** @param {number} now */
      const step = (now) => {
        const t = Math.min(1, (now - start) / TWEEN_MS);
        const eased = 1 - (1 - t) ** 3;
        node.textContent = this.numbers.format(Math.round(from + (target - from) * eased));
        if (t < 1) tweens.set(name, window.requestAnimationFrame(step));
        else tweens.delete(name);
      };
      tweens.set(name, window.requestAnimationFrame(step));
    }
    node.classList.remove("is-bumped");
    void node.offsetWidth; // restart the CSS animation
    node.classList.add("is-bumped");
  }

  /**
   * Redraw the chart from the per-minute series (oldest first).
   * @param {{t: string, count: number}[]} series
   */
  updateChart(series) {
    if (!this.chart) return;
    this.chart.data.labels = series.map((point) => {
      const time = Date.parse(point.t);
      return Number.isNaN(time) ? "" : this.times.format(time);
    });
    this.chart.data.datasets[0].data = series.map((point) => Number(point.count) || 0);
    this.chart.update();
  }

  /**
   * Fill a ranked list.
   * @param {string} name value of its data-list attribute
   * @param {[string, string|null, number][]} rows name, detail, count
   */
  list(name, rows) {
    const node = this.root.querySelector(`[data-list="${name}"]`);
    if (!node) return;
    const max = Math.max(0, ...rows.map((item) => item[2]));
    node.replaceChildren(
      ...rows.map(([label, detail, count], index) => row(index + 1, label, detail, count, max, this.numbers)),
    );
    /** @type {HTMLElement} */ (node).dataset.given = String(rows.length);
    const empty = /** @type {HTMLElement|null} */ (this.root.querySelector(`[data-list-empty="${name}"]`));
    if (empty) empty.hidden = rows.length > 0;
    // Use the room the tile has: compact rows when the full ones do not all fit, then keep
    // only the rows that fit whole (a half-cut row is unreadable across a room).
    const limit = () => node.getBoundingClientRect().bottom + 1;
    const overflows = () => (node.lastElementChild?.getBoundingClientRect().bottom ?? 0) > limit();
    node.classList.remove("ranking--compact");
    if (overflows()) node.classList.add("ranking--compact");
    while (node.lastElementChild && overflows()) node.lastElementChild.remove();
  }
}
