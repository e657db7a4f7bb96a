/**
 * Swipe a pending card right to approve it, left to reject it, on touch screens.
 *
 * Pointer events (touch and pen only: a mouse drag selects text as usual). The
 * card follows the finger and shows what letting go would do; past the
 * threshold the decision is taken, short of it the card springs back.
 */

/** Pixels of sideways travel before a gesture counts as a swipe rather than a tap or a scroll. */
const START_PX = 12;

/**
 * The travel that decides: a third of the card, at least 90 px.
 * @param {HTMLElement} card
 */
function threshold(card) {
  return Math.max(90, card.getBoundingClientRect().width / 3);
}

/**
 * @param {{list: HTMLElement, labels: Record<string, string>, decide: (card: HTMLElement, action: string) => void}} options
 */
export function startSwipe({ list, labels, decide }) {
  /** @type {{card: HTMLElement, id: number, x: number, y: number, dx: number, swiping: boolean}|null} */
  let gesture = null;

  /** @param {HTMLElement} card */
  const reset = (card) => {
    card.style.transform = "";
    card.classList.remove("is-swiping", "is-swipe-approve", "is-swipe-reject", "is-swipe-armed", "is-swiped-right", "is-swiped-left");
    delete card.dataset.swipeHint;
  };

  list.addEventListener("pointerdown", (event) => {
    if (event.pointerType === "mouse" || !event.isPrimary) return;
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.closest("button, a, input, label, select, textarea")) return;
    const card = /** @type {HTMLElement|null} */ (target.closest(".mcard"));
    if (!card || card.classList.contains("is-busy")) return;
    gesture = { card, id: event.pointerId, x: event.clientX, y: event.clientY, dx: 0, swiping: false };
  });

  list.addEventListener("pointermove", (event) => {
    if (!gesture || event.pointerId !== gesture.id) return;
    const dx = event.clientX - gesture.x;
    const dy = event.clientY - gesture.y;
    if (!gesture.swiping) {
      if (Math.abs(dy) > START_PX && Math.abs(dy) > Math.abs(dx)) {
        gesture = null; // a vertical scroll: leave it to the browser
        return;
      }
      if (Math.abs(dx) < START_PX) return;
      gesture.swiping = true;
      try {
        gesture.card.setPointerCapture(event.pointerId);
      } catch {
        // Synthetic or already released pointers cannot be captured; the list still follows.
      }
    }
    gesture.dx = dx;
    const card = gesture.card;
    const armed = Math.abs(dx) >= threshold(card);
    card.classList.add("is-swiping");
    card.classList.toggle("is-swipe-approve", dx > 0);
    card.classList.toggle("is-swipe-reject", dx < 0);
    card.classList.toggle("is-swipe-armed", armed);
    card.dataset.swipeHint = dx > 0 ? (labels.swipe_approve ?? "Approve") : (labels.swipe_reject ?? "Reject");
    card.style.transform = `translateX(${dx}px) rotate(${dx / 60}deg)`;
  });

  /** @param {PointerEvent} event */
  const end = (event) => {
    if (!gesture || event.pointerId !== gesture.id) return;
    const { card, dx, swiping } = gesture;
    gesture = null;
    if (!swiping) return;
    if (event.type === "pointerup" && Math.abs(dx) >= threshold(card)) {
      card.classList.add(dx > 0 ? "is-swiped-right" : "is-swiped-left");
      decide(card, dx > 0 ? "approve" : "reject");
      window.setTimeout(() => card.isConnected && reset(card), 600);
    } else reset(card);
  };
  list.addEventListener("pointerup", end);
  list.addEventListener("pointercancel", end);
}
