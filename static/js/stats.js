/**
 * The statistics screen: big figures, a posts-per-minute chart and top lists.
 */
import "../vendor/chart.umd.js";
import { fitChartToBox } from "./chart-fit.js";
import { el, prefersReducedMotion } from "./dom.js";
import { networkName } from "./card.js";
import { format } from "./settings.js";
import { allNetworks, periodFigures, showMood } from "./stats-mood.js";
import { shares } from "./stats-shares.js";
import { zonedFormat } from "./time.js";

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
  return el("li", { class: count > 0 ? "rank" : "rank rank--zero" }, [
    el("span", { class: "rank__pos", text: String(rank) }),
    el("span", { class: "rank__name" }, [
      el("span", { class: "rank__label", text: name }),
      detail ? el("span", { class: "rank__detail", text: detail }) : null,
    ]),
    el("span", { class: "rank__count", text: numbers.format(count) }),
    bar,
  ]);
}

export { shares };

export class Stats {
  /**
   * @param {HTMLElement} root the stats screen's main element
   * @param {{labels: Record<string, string>, lang: string}} options
   */
  constructor(root, options) {
    this.root = root;
    this.options = options;
    this.numbers = new Intl.NumberFormat(options.lang);
    this.period = ["today", "week"].includes(root.dataset.period ?? "") ? String(root.dataset.period) : "all";
    this.followed = (root.dataset.followed ?? "").split(",").filter(Boolean);
    this.zone = "";
    this.formats(undefined);
    /** @type {Map<string, number>} running count-up animations, by figure */
    this.tweens = new Map();
    const canvas = /** @type {HTMLCanvasElement|null} */ (root.querySelector("canvas[data-chart]"));
    this.chart = canvas ? this.createChart(canvas) : null;
  }

  /**
   * Make the chart's time formats, in the wall's timezone when the browser knows it.
   * @param {string|undefined} zone IANA name sent with the stats
   */
  formats(zone) {
    const lang = this.options.lang;
    const make = (/** @type {Intl.DateTimeFormatOptions} */ options) => zonedFormat(lang, options, zone ?? "");
    this.zone = zone ?? "";
    this.times = make({ hour: "2-digit", minute: "2-digit" });
    this.days = make({ weekday: "short", day: "numeric" });
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
    const chart = new Chart(canvas, {
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
        // Sized to its box by chart-fit.js: Chart.js's own resizing can lose a resize
        // made while the chart animates (the banner shortening its tile).
        responsive: false,
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
    if (canvas.parentElement) fitChartToBox(chart, canvas.parentElement);
    return chart;
  }

  /**
   * Show a stats payload: the figures of this screen's period (?period=).
   * @param {any} stats
   */
  update(stats) {
    if (typeof stats?.timezone === "string" && stats.timezone !== this.zone) this.formats(stats.timezone);
    const figures = periodFigures(stats, this.period);
    const total = Number(figures.total) || 0;
    this.figure("total", total);
    this.figure("per-minute", stats.per_minute);
    this.figure("authors", figures.authors);
    this.figure("ambassadors", figures.ambassador_posts);
    this.root.querySelector("[data-ambassadors]")?.toggleAttribute("hidden", !(Number(figures.ambassador_posts) > 0));
    this.updateChart(Array.isArray(figures.series) ? figures.series : [], String(figures.unit ?? "minute"));
    const quiet = !(total > 0);
    this.root.querySelector("[data-period-empty]")?.toggleAttribute("hidden", !quiet);
    this.root.querySelector(".chart")?.toggleAttribute("hidden", quiet);
    const tags = (figures.top_hashtags ?? []).slice(0, LIST_LENGTH);
    this.list(
      "hashtags",
      tags.map((/** @type {any} */ t) => [`#${t.tag}`, null, Number(t.count) || 0]),
    );
    const authors = (figures.top_authors ?? []).slice(0, LIST_LENGTH);
    this.list(
      "contributors",
      authors.map((/** @type {any} */ a) => [
        String(a.author ?? ""),
        a.handle ? String(a.handle) : null,
        Number(a.count) || 0,
      ]),
    );
    this.networks(quiet ? [] : allNetworks(figures.networks, this.followed));
    const ambassadors = figures.ambassadors ?? {};
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
    showMood(this.root, figures.sentiment ?? {}, (name, value) => this.figure(name, value));
    this.root.dataset.quiet = String(quiet);
  }

  /**
   * Fill the networks list: every network followed, shares adding up to 100%; when there
   * is no post yet, a sentence naming the networks instead of rows of zeros.
   * @param {{network: string, count: number}[]} networks
   */
  networks(networks) {
    const percents = shares(networks.map((n) => n.count));
    this.list(
      "networks",
      networks.map((n, i) => [networkName(n.network), `${percents[i]}%`, n.count]),
    );
    const empty = this.root.querySelector('[data-list-empty="networks"]');
    const template = this.options.labels.empty_networks_named;
    if (empty && template && this.followed.length) {
      const names = this.followed.map((name) => networkName(name));
      const joined = new Intl.ListFormat(this.options.lang, { type: "conjunction" }).format(names);
      empty.textContent = format(template, { names: joined });
    }
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
   * Redraw the chart from its series (oldest first): minutes, hours or days.
   * @param {{t: string, count: number}[]} series
   * @param {string} unit minute, hour or day
   */
  updateChart(series, unit) {
    if (!this.chart) return;
    const labels = unit === "day" ? this.days : this.times;
    this.chart.data.labels = series.map((point) => {
      const time = Date.parse(point.t);
      return Number.isNaN(time) ? "" : labels.format(time);
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
