/**
 * Bootstrap of the live feed screen.
 */
import { Feed } from "./feed.js";
import { startScreen } from "./screen.js";

startScreen((settings, labels) => {
  const root = /** @type {HTMLElement} */ (document.querySelector("[data-feed]"));
  const feed = new Feed(root, {
    labels,
    lang: settings.lang,
    maxCards: settings.maxCards,
    columns: settings.columns,
    networks: settings.networks,
    recycleMs: (settings.recycleSeconds * 1000) / settings.speed,
    layout: settings.layout,
    dwellMs: (settings.highlightSeconds * 1000) / settings.speed,
  });
  return {
    onSnapshot: (ack) => feed.replaceAll(Array.isArray(ack.posts) ? ack.posts : []),
    onEvent: (type, event) => {
      if (type === "post_added" && event.post) feed.add(event.post);
      else if (type === "post_updated" && event.post) feed.update(event.post);
      else if (type === "post_removed") feed.remove(event.id);
    },
    shown: () => feed.size,
  };
});
