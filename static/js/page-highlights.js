/**
 * Bootstrap of the highlights screen.
 */
import { Highlights } from "./highlights.js";
import { AmbassadorOfTheWeek } from "./highlights-ambassador.js";
import { startScreen } from "./screen.js";

startScreen((settings, labels) => {
  const stage = /** @type {HTMLElement} */ (document.querySelector("[data-stage]"));
  const highlights = new Highlights(stage, {
    labels,
    lang: settings.lang,
    seconds: settings.highlightSeconds,
    speed: settings.speed,
    autoHighlights: document.body.dataset.autoHighlights !== "false",
    pinMinutes: Number(document.body.dataset.pinMinutes ?? 0) || 0,
  });
  // [screens] ambassador_of_the_week: off unless the page says so.
  const week = stage.dataset.ambassadorOfTheWeek === "true"
    ? new AmbassadorOfTheWeek((person) => highlights.feature(person)) : null;
  return {
    onSnapshot: (ack) => {
      highlights.replaceRecent(Array.isArray(ack.posts) ? ack.posts : []);
      highlights.replaceAll(Array.isArray(ack.highlights) ? ack.highlights : []);
      week?.refresh();
    },
    onStats: (stats) => week?.onStats(stats),
    onEvent: (type, event) => {
      week?.onEvent(type, event);
      if ((type === "post_added" || type === "post_updated") && event.post) {
        highlights.noteRecent(event.post);
        if (event.post.highlighted) highlights.upsert(event.post);
        else if (highlights.has(event.post.id)) highlights.remove(event.post.id);
      } else if (type === "post_removed") {
        highlights.forgetRecent(event.id);
        highlights.remove(event.id);
      }
    },
    shown: () => highlights.size,
  };
});
