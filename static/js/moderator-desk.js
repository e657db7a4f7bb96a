/**
 * The moderators' desk: who is on, undo, the kill switch, announcements,
 * decisions on several posts at once and the recent history.
 */
import { el } from "./dom.js";
import { plural, reasonText, verb } from "./moderator-i18n.js";
import { format } from "./settings.js";
import { clockFormat } from "./time.js";

/**
 * POST JSON to the API with the session's CSRF token.
 * @param {string} path
 * @param {string} csrf
 * @param {object} [body]
 * @returns {Promise<{status: number, body: any}>}
 */
export async function postJson(path, csrf, body) {
  const response = await fetch(path, {
    method: "POST",
    credentials: "same-origin",
    headers: { "X-CSRF-Token": csrf, Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let parsed = null;
  try {
    parsed = await response.json();
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed };
}

/**
 * An audit time as local hours and minutes.
 * @param {unknown} iso
 * @returns {string}
 */
function clock(iso) {
  const moment = new Date(String(iso ?? ""));
  if (Number.isNaN(moment.getTime())) return "";
  return clockFormat(document.documentElement.lang || undefined).format(moment);
}

/**
 * Wire the desk.
 * @param {{socket: any, csrf: string, labels: Record<string, string>, lang: string, toast: (m: string) => void,
 *   onDecided: (post: any, action: string) => void, selected: () => string[], clearSelection: () => void}} options
 */
export function startDesk({ socket, csrf, labels, lang, toast, onDecided, selected, clearSelection }) {
  const $ = (/** @type {string} */ selector) => /** @type {HTMLElement|null} */ (document.querySelector(selector));
  const present = $("[data-present]");
  const killButton = /** @type {HTMLButtonElement|null} */ ($("[data-kill]"));
  const banner = $("[data-paused-banner]");
  const history = /** @type {HTMLDetailsElement|null} */ ($("[data-history]"));
  const historyList = $("[data-history-list]");
  let paused = false;

  /** @param {boolean} value */
  const showPaused = (value) => {
    paused = value;
    document.body.dataset.paused = String(value);
    if (banner) banner.hidden = !value;
    if (killButton) {
      killButton.setAttribute("aria-pressed", String(value));
      killButton.textContent = value ? (labels.wall_back ?? "Bring the wall back") : (labels.kill_switch ?? "Blank all screens");
    }
  };

  /** @param {unknown} names */
  const showPresent = (names) => {
    if (!present || !Array.isArray(names)) return;
    present.replaceChildren(...names.map((name) => el("li", { class: "presence__who", text: String(name) })));
  };

  /** Load the newest audit entries into the history panel. */
  const loadHistory = async () => {
    if (!history?.open || !historyList) return;
    const response = await fetch("/api/audit?limit=30", { credentials: "same-origin" });
    if (!response.ok) return;
    const body = await response.json();
    historyList.replaceChildren(
      ...(body.entries ?? []).map((/** @type {any} */ entry) =>
        el("li", { class: "history__item" + (entry.undone ? " is-undone" : "") }, [
          el("time", { class: "history__at", text: clock(entry.at), attrs: { datetime: String(entry.at ?? "") } }),
          el("span", { class: "history__who", text: entry.actor === "rules" ? (labels.by_rules ?? "rules") : (labels[`actor_${entry.actor}`] ?? String(entry.actor ?? "")) }),
          el("span", { class: "history__what", text: verb(entry.action, labels), attrs: { "data-action-name": String(entry.action ?? "") } }),
          el("span", { class: "history__post", text: entry.text ? `“${String(entry.text).slice(0, 60)}”` : "" }),
          el("span", { class: "history__why", text: (entry.reasons ?? []).map((/** @type {unknown} */ r) => reasonText(String(r), labels)).join(" · ") }),
        ]),
      ),
    );
  };

  socket.on("moderators_present", (/** @type {any} */ event) => showPresent(event?.names));
  socket.on("rules_reloaded", (/** @type {any} */ event) => {
    toast(event?.ok ? (labels.rules_reloaded ?? "Rules reloaded") : format(labels.rules_refused ?? "Rule edit refused: {error}", { error: String(event?.error ?? "").split("\n")[0] }));
  });
  history?.addEventListener("toggle", loadHistory);

  $("[data-undo]")?.addEventListener("click", () => undo());
  /** @type {number|undefined} */
  let armed;
  killButton?.addEventListener("click", async () => {
    // Blanking the lobby takes two taps: the first arms the button for a few seconds.
    if (!paused && armed === undefined) {
      killButton.textContent = labels.confirm_kill ?? "Tap again to blank every screen";
      killButton.classList.add("is-armed");
      armed = window.setTimeout(() => {
        armed = undefined;
        killButton.classList.remove("is-armed");
        showPaused(paused);
      }, 4000);
      return;
    }
    window.clearTimeout(armed);
    armed = undefined;
    killButton.classList.remove("is-armed");
    const reply = await postJson(`/api/wall/${paused ? "resume" : "pause"}`, csrf);
    if (reply.status === 200) showPaused(Boolean(reply.body?.paused));
    else if (reply.status === 409) showPaused(!paused);
    else toast(labels.action_failed ?? "The action failed");
  });

  const form = /** @type {HTMLFormElement|null} */ ($("[data-host-form]"));
  form?.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = /** @type {HTMLTextAreaElement} */ (form.elements.namedItem("text"));
    const duration = Number(/** @type {HTMLSelectElement|null} */ (form.elements.namedItem("duration"))?.value);
    const body = Number.isFinite(duration) && duration > 0 ? { text: input.value, duration } : { text: input.value };
    const reply = await postJson("/api/host_messages", csrf, body);
    if (reply.status === 201) {
      input.value = "";
      toast(labels.message_sent ?? "Announcement published");
      /** @type {HTMLDetailsElement|null} */ (form.closest("details"))?.removeAttribute("open");
    } else toast(labels.message_refused ?? "The announcement was refused: write 1 to 500 characters");
  });

  $('[data-action="dismiss-announcement"]')?.addEventListener("click", async () => {
    const reply = await postJson("/api/announcement/dismiss", csrf);
    if (reply.status === 200) toast(labels.announcement_removed ?? "Announcement removed from the screens");
    else toast(reply.body?.error ?? labels.action_failed ?? "The action failed");
  });

  for (const button of document.querySelectorAll("[data-bulk]")) {
    button.addEventListener("click", async () => {
      const ids = selected().map(Number).filter(Number.isInteger);
      if (!ids.length) return;
      const action = /** @type {HTMLElement} */ (button).dataset.bulk ?? "";
      const reply = await postJson("/api/posts/decide", csrf, { action, ids, from: "pending" });
      const results = reply.body?.results ?? [];
      for (const result of results) if (result.post) onDecided(result.post, action);
      const failed = results.filter((/** @type {any} */ r) => r.status !== 200).length;
      const done = results.length - failed;
      if (failed) toast(labels.already_decided ?? "Already decided");
      else if (reply.status === 200) toast(plural(labels, `bulk_${action}`, done, lang));
      else toast(labels.action_failed ?? "The action failed");
      clearSelection();
    });
  }
  $("[data-clear-selection]")?.addEventListener("click", clearSelection);

  /** Undo this moderator's last decision. */
  async function undo() {
    const reply = await postJson("/api/undo", csrf);
    if (reply.status === 200 && reply.body?.post) {
      onDecided(reply.body.post, "undo");
      toast(labels.undone ?? "Decision undone");
    } else if (reply.status === 404) toast(labels.nothing_to_undo ?? "Nothing to undo");
    else if (reply.status === 409) toast(labels.undo_conflict ?? "Decided again since: nothing undone");
    else toast(labels.action_failed ?? "The action failed");
  }

  document.body.dataset.deskReady = "true";
  return {
    undo,
    /** @param {any} ack */
    onSnapshot(ack) {
      if (typeof ack.paused === "boolean") showPaused(ack.paused);
      showPresent(ack.present);
      loadHistory();
    },
    /** @param {string} type */
    onEvent(type) {
      if (type === "wall_paused") showPaused(true);
      else if (type === "wall_resumed") showPaused(false);
      else if (type === "post_decided" || type === "post_queued") loadHistory();
    },
  };
}
