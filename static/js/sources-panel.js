/**
 * Sources panel of the moderator page: health of every source from /api/sources,
 * refreshed every 10 seconds. Texts from the server are inserted as text only.
 */
import { el } from "./dom.js";
import { plural } from "./moderator-i18n.js";
import { readLabels } from "./settings.js";
import { clockFormat } from "./time.js";

const labels = readLabels();

/**
 * Return a label with {name} placeholders filled in, or the English fallback.
 * @param {string} key
 * @param {string} fallback
 * @param {Record<string, string>} [values]
 * @returns {string}
 */
function label(key, fallback, values = {}) {
  let text = typeof labels[key] === "string" ? labels[key] : fallback;
  for (const [name, value] of Object.entries(values)) text = text.replace(`{${name}}`, value);
  return text;
}

const REFRESH_MS = 10000;
const STATE_ORDER = ["down", "paused", "degraded", "starting", "ok", "passive", "disabled", "stopped"];

/**
 * Format an ISO time as "hh:mm" local time, or "—".
 * @param {string|null|undefined} iso
 * @returns {string}
 */
function clock(iso) {
  if (!iso) return "—";
  const when = new Date(iso);
  return Number.isNaN(when.getTime()) ? "—" : clockFormat(undefined).format(when);
}

/**
 * Build one source's row.
 * @param {Record<string, any>} source
 * @returns {HTMLElement}
 */
function row(source) {
  const state = String(source.state ?? "passive");
  const detail = source.detail || source.last_error || "";
  return el("li", { class: "sources__item", attrs: { "data-source": String(source.name), "data-state": state } }, [
    el("span", { class: "sources__dot", attrs: { "aria-hidden": "true" } }),
    el("span", { class: "sources__name", text: `${source.name} (${source.type})` }),
    el("span", { class: "sources__state", text: label(`source_${state}`, state) }),
    el("span", { class: "sources__last", text: label("source_last_post", "last post {time}", { time: clock(source.last_post_at) }) }),
    detail ? el("span", { class: "sources__detail", text: String(detail) }) : null,
  ]);
}

/** Fetch /api/sources and redraw the panel. */
async function refresh() {
  const list = document.querySelector("[data-sources-list]");
  const overall = /** @type {HTMLElement|null} */ (document.querySelector("[data-sources-overall]"));
  if (!list || !overall) return;
  let body;
  try {
    // Moderators read the sources' details (errors, hosts) here; the public /healthz shows states only.
    const reply = await fetch("/api/sources", { cache: "no-store", credentials: "same-origin" });
    body = await reply.json();
  } catch {
    overall.dataset.state = "down";
    overall.textContent = label("sources_unreachable", "unreachable");
    return;
  }
  const sources = Array.isArray(body.sources) ? body.sources : [];
  list.replaceChildren(...sources.map(row));
  const states = sources.map((s) => String(s.state ?? "passive"));
  const worst = STATE_ORDER.find((s) => states.includes(s)) ?? "ok";
  overall.dataset.state = worst;
  const bad = states.filter((s) => s === "down" || s === "degraded" || s === "paused").length;
  overall.textContent = bad ? plural(labels, "sources_attention", bad, document.documentElement.lang) : label("sources_all_ok", "all ok");
}

refresh();
window.setInterval(refresh, REFRESH_MS);
