/**
 * Media banner of the moderator page: says when images cannot be saved (the media
 * cache is not writable, the disk is full) or keep failing to download, and goes away
 * once the server can save them again. Read from /api/sources on load and every
 * 10 seconds, with the sources panel's cadence. Server texts are inserted as text only.
 */
import { readLabels } from "./settings.js";

const labels = readLabels();
const REFRESH_MS = 10000;

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

/**
 * Build the banner's sentence for a media problem code.
 * @param {string} problem disk_full, read_only, no_permission, not_a_folder, cache_error or fetch_failing
 * @returns {string}
 */
function sentence(problem) {
  const reason = label(`media_${problem}`, label("media_cache_error", "the media folder cannot be written"));
  if (problem === "fetch_failing") {
    return label("media_banner_fetch", "Images cannot be downloaded: {reason}. Posts still arrive; images are retried.", { reason });
  }
  return label("media_banner_save", "Images cannot be saved: {reason}. Posts still arrive; images are retried.", { reason });
}

/**
 * Show the banner for a media health body, or hide it when the media are fine.
 * @param {Record<string, any>|undefined} media
 */
function show(media) {
  const banner = /** @type {HTMLElement|null} */ (document.querySelector("[data-media-banner]"));
  const message = document.querySelector("[data-media-banner-message]");
  const detail = document.querySelector("[data-media-banner-detail]");
  if (!banner || !message || !detail) return;
  const problem = media && media.state === "degraded" ? String(media.problem || "cache_error") : "";
  banner.dataset.problem = problem;
  if (!problem) {
    banner.hidden = true;
    return;
  }
  const text = sentence(problem);
  if (message.textContent !== text) message.textContent = text;  // role="alert" re-announces changes only
  detail.textContent = String(media.detail || "");
  banner.hidden = false;
}

/** Read the media's health and redraw the banner; a failed read keeps what is shown. */
async function refresh() {
  try {
    const reply = await fetch("/api/sources", { cache: "no-store", credentials: "same-origin" });
    if (!reply.ok) return;
    const body = await reply.json();
    show(body.media);
  } catch {
    // The server is unreachable: the live-state badge already says so.
  }
}

refresh();
window.setInterval(refresh, REFRESH_MS);
