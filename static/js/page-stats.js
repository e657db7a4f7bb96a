/**
 * Bootstrap of the statistics screen.
 */
import { startScreen } from "./screen.js";
import { Stats } from "./stats.js";

startScreen((settings, labels) => {
  const root = /** @type {HTMLElement} */ (document.querySelector("[data-stats]"));
  const stats = new Stats(root, { labels, lang: settings.lang });
  return {
    onSnapshot: () => {},
    onEvent: () => {},
    onStats: (payload) => stats.update(payload),
    shown: () => 0,
  };
});
