/**
 * The kill switch on a wall screen: a holding slide covers everything while a
 * moderator has blanked the wall, and goes away when the wall comes back.
 *
 * Live `wall_paused` / `wall_resumed` events switch it at once; after every
 * (re)connect the screen asks GET /api/wall, so a reloaded or reconnected
 * screen is never showing posts while the wall is blanked.
 */
import { el } from "./dom.js";

/**
 * Build the holding slide, hidden.
 * @param {Record<string, string>} labels
 * @returns {HTMLElement}
 */
function holdingSlide(labels) {
  const title = document.querySelector(".masthead__title")?.textContent ?? "";
  const logo = /** @type {HTMLImageElement|null} */ (document.querySelector(".masthead__logo"));
  const text = document.body.dataset.holdingText || labels.holding_text || "The wall will return shortly.";
  const slide = el("div", { class: "holding", attrs: { "data-holding": "", role: "status", "aria-live": "polite" } }, [
    el("div", { class: "holding__inner" }, [
      logo ? el("img", { class: "holding__logo", attrs: { src: logo.src, alt: "" } }) : null,
      title ? el("p", { class: "holding__wall", text: title }) : null,
      el("h2", { class: "holding__title", text: labels.holding_title ?? "Back in a moment" }),
      el("p", { class: "holding__text", text }),
    ]),
  ]);
  slide.hidden = true;
  return slide;
}

/**
 * Listen for the kill switch on a screen's socket.
 * @param {any} socket the screen's Socket.IO connection (namespace "/")
 * @param {Record<string, string>} labels
 */
export function watchKillSwitch(socket, labels) {
  const slide = holdingSlide(labels);
  document.body.append(slide);

  /** @param {boolean} paused */
  const show = (paused) => {
    slide.hidden = !paused;
    document.body.dataset.paused = String(paused);
  };

  const check = async () => {
    try {
      const response = await fetch("/api/wall", { headers: { Accept: "application/json" } });
      if (response.ok) show(Boolean((await response.json()).paused));
    } catch {
      // The socket's reconnect brings us back here; nothing else to do now.
    }
  };

  socket.on("connect", check);
  socket.on("wall_paused", () => show(true));
  socket.on("wall_resumed", () => show(false));
  if (socket.connected) check();
}
