/**
 * The desk's Ambassadors tab: employees' enrolments, approve or refuse them,
 * approve a handle without its proof phrase, erase one. Every field is shown as text.
 * It stays live: page-moderator.js re-sends the socket's `ambassador_changed`
 * events (and each snapshot sync) as DOM events, and the list is read again.
 */
import { confirmedTap } from "./confirm-tap.js";
import { el } from "./dom.js";
import { postJson } from "./moderator-desk.js";
import { readLabels, readSettings } from "./settings.js";

const settings = readSettings();
const labels = readLabels();
const list = /** @type {HTMLElement} */ (document.querySelector("[data-enrolments]"));
const empty = /** @type {HTMLElement|null} */ (document.querySelector('[data-empty="ambassadors"]'));
const counter = document.querySelector('[data-count="ambassadors"]');
const toastBox = /** @type {HTMLElement|null} */ (document.querySelector("[data-toast]"));
/** @type {Set<string>|null} enrolments already shown, to mark the ones that arrive */
let known = null;
/** @type {number|undefined} */
let reloadTimer;

/** @param {string} message */
function toast(message) {
  if (!toastBox) return;
  toastBox.textContent = message;
  toastBox.hidden = false;
  window.setTimeout(() => { toastBox.hidden = true; }, 3000);
}

/**
 * One claimed handle, with its proof state when verification is on.
 * @param {any} handle
 * @param {boolean} verify
 */
function handleRow(handle, verify) {
  const proof = !verify ? null
    : el("span", {
      class: `enrolment__proof ${handle.verified || handle.waived_by ? "is-ok" : ""}`,
      text: handle.verified ? labels.amb_verified : handle.waived_by ? labels.amb_waived : labels.amb_unverified,
    });
  const waive = verify && !handle.verified && !handle.waived_by
    ? el("button", { class: "btn btn--quiet", text: labels.amb_approve_handle ?? "Approve without proof",
      attrs: { type: "button", "data-action": "approve-handle", "data-handle-id": String(handle.id) } })
    : null;
  return el("li", { class: "enrolment__handle", attrs: { "data-handle": String(handle.entry) } },
    [el("span", { text: String(handle.entry) }), proof, waive]);
}

/**
 * One enrolment with its decision buttons.
 * @param {any} item
 * @param {boolean} verify
 */
function row(item, verify) {
  const status = String(item.status);
  const when = String(item.accepted_at ?? "").slice(0, 10);
  const buttons = status === "left" ? [] : [
    status === "approved" ? null : el("button", { class: "btn btn--approve", text: labels.amb_approve ?? "Approve",
      attrs: { type: "button", "data-action": "approve-ambassador", "data-id": String(item.id) } }),
    status === "refused" ? null : el("button", { class: "btn btn--reject", text: labels.amb_refuse ?? "Refuse",
      attrs: { type: "button", "data-action": "refuse-ambassador", "data-id": String(item.id) } }),
  ];
  buttons.push(el("button", { class: "btn btn--quiet enrolment__erase", text: labels.amb_erase ?? "Erase",
    attrs: { type: "button", "data-action": "erase-ambassador", "data-id": String(item.id) } }));
  return el("li", { class: `enrolment enrolment--${status}`, attrs: { "data-enrolment-id": String(item.id), "data-status": status } }, [
    el("div", { class: "enrolment__who" }, [
      el("strong", { class: "enrolment__name", text: String(item.name) }),
      el("span", { class: "enrolment__team", text: String(item.team || labels.amb_team_none || "") }),
      el("span", { class: "enrolment__status", text: labels[`amb_status_${status}`] ?? status }),
    ]),
    el("p", { class: "enrolment__charter", text: String(labels.amb_charter_version ?? "{v} {d}").replace("{v}", String(item.charter_version)).replace("{d}", when) }),
    el("ul", { class: "enrolment__handles" }, (item.handles ?? []).map((/** @type {any} */ h) => handleRow(h, verify))),
    el("div", { class: "enrolment__actions" }, buttons),
  ]);
}

/** Load the enrolments and draw them; those that arrived since the last load are marked. */
async function load() {
  const response = await fetch("/api/ambassadors", { credentials: "same-origin", headers: { Accept: "application/json" } });
  if (!response.ok) return;
  const body = await response.json();
  const items = Array.isArray(body.enrolments) ? body.enrolments : [];
  const rows = items.map((/** @type {any} */ item) => row(item, Boolean(body.verify)));
  if (known) for (const node of rows) node.classList.toggle("is-new", !known.has(node.dataset.enrolmentId ?? ""));
  known = new Set(rows.map((node) => node.dataset.enrolmentId ?? ""));
  list.replaceChildren(...rows);
  if (empty) empty.hidden = items.length > 0;
  const waiting = items.filter((/** @type {any} */ item) => item.status === "pending").length;
  if (counter) counter.textContent = waiting ? String(waiting) : "";
}

/** Read the list again soon: a burst of changes becomes one request. */
function reloadSoon() {
  window.clearTimeout(reloadTimer);
  reloadTimer = window.setTimeout(load, 150);
}

list.addEventListener("click", async (event) => {
  const button = /** @type {HTMLElement|null} */ ((/** @type {HTMLElement} */ (event.target)).closest("[data-action]"));
  if (!button || button.hasAttribute("disabled")) return;
  const action = button.dataset.action;
  if (action === "erase-ambassador"
    && !confirmedTap(button, labels.amb_erase_confirm ?? "Tap again to erase for good")) return;
  const path = action === "approve-handle"
    ? `/api/ambassadors/handles/${button.dataset.handleId}/approve`
    : `/api/ambassadors/${button.dataset.id}/${{ "approve-ambassador": "approve", "refuse-ambassador": "refuse", "erase-ambassador": "erase" }[action ?? ""] ?? "refuse"}`;
  button.setAttribute("disabled", "");
  const reply = await postJson(path, settings.csrf);
  if (reply.status !== 200) toast(reply.body?.error ?? labels.action_failed ?? "The action failed");
  else if (action === "erase-ambassador") toast(labels.amb_erased ?? "Enrolment erased");
  await load();
});

document.querySelector('[data-tab="ambassadors"]')?.addEventListener("click", load);
// Live: another moderator decided, an employee enrolled, left or proved a handle.
document.addEventListener("socialwall:ambassador_changed", reloadSoon);
// A reconnect that got a snapshot may have skipped some of those events.
document.addEventListener("socialwall:moderator_snapshot", reloadSoon);
load();
