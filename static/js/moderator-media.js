/**
 * Image tools on the moderator page: a "Reject image" button on cards that show
 * a photo, and a link to download a post's shareable PNG card. It adds to the
 * cards moderator.js draws (watching for them) and never rebuilds them.
 */

const TOAST_MS = 3000;

/** @type {Record<string, string>} */
const labels = JSON.parse(document.getElementById("labels")?.textContent || "{}");

/**
 * Show a short message in the page's toast.
 * @param {string} text
 */
function toast(text) {
  const node = /** @type {HTMLElement|null} */ (document.querySelector("[data-toast]"));
  if (!node) return;
  node.textContent = text;
  node.hidden = false;
  setTimeout(() => { node.hidden = true; }, TOAST_MS);
}

/**
 * Reject a post because of its image; the server's events then update every list.
 * @param {string} id
 * @param {HTMLButtonElement} button
 */
async function rejectImage(id, button) {
  button.disabled = true;
  try {
    const reply = await fetch(`/api/posts/${id}/reject_image`, {
      method: "POST",
      headers: { "X-CSRF-Token": document.body.dataset.csrf ?? "" },
      credentials: "same-origin",
    });
    if (!reply.ok) {
      const body = await reply.json().catch(() => ({}));
      toast(String(body.error ?? `HTTP ${reply.status}`));
      button.disabled = false;
    }
  } catch {
    toast(labels.reconnecting ?? "Reconnecting…");
    button.disabled = false;
  }
}

/**
 * Add the image tools to one moderator card, once.
 * @param {Element} card
 */
function enhance(card) {
  if (!(card instanceof HTMLElement) || card.dataset.mediaTools) return;
  const id = card.dataset.postId ?? "";
  const actions = card.querySelector(".mcard__actions");
  if (!/^\d+$/.test(id) || !actions) return;
  card.dataset.mediaTools = "1";
  if (card.querySelector(".card__media img")) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn--reject";
    button.dataset.action = "reject_image";
    button.textContent = labels.reject_image ?? "Reject image";
    button.addEventListener("click", () => rejectImage(id, button));
    actions.append(button);
  }
  // A small link beside "Original post": the decision buttons keep their row.
  const link = document.createElement("a");
  link.className = "mcard__link mcard__share";
  link.href = `/api/posts/${id}/card.png`;
  link.download = `post-${id}.png`;
  link.dataset.cardPng = id;
  link.textContent = labels.share_card ?? "Share card";
  (card.querySelector(".mcard__meta") ?? actions).append(link);
}

/** Enhance every card now and each card moderator.js adds later. */
function start() {
  const root = document.querySelector("[data-moderation]");
  if (!root) return;
  root.querySelectorAll("[data-post-id]").forEach(enhance);
  new MutationObserver(() => root.querySelectorAll("[data-post-id]:not([data-media-tools])").forEach(enhance))
    .observe(root, { childList: true, subtree: true });
}

start();
