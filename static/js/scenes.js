/**
 * One TV, several screens: /screen/scenes shows each screen (and any sponsor
 * or information slides) in turn, with a cross-fade. Every screen runs in its
 * own frame the whole time, so it stays connected and current while hidden.
 */

const scenes = /** @type {HTMLElement[]} */ ([...document.querySelectorAll("[data-scene]")]);
const seconds = Math.max(5, Number(document.body.dataset.seconds) || 30);
const speed = Math.max(0.25, Number(document.body.dataset.speed) || 1);
let index = 0;

/**
 * Show scene i, fading the others out.
 * @param {number} i
 */
function show(i) {
  scenes.forEach((scene, n) => {
    scene.classList.toggle("is-active", n === i);
    scene.setAttribute("aria-hidden", String(n !== i));
  });
  document.body.dataset.sceneCurrent = scenes[i]?.dataset.scene ?? "";
  document.body.dataset.sceneIndex = String(i);
}

if (scenes.length) {
  show(0);
  if (scenes.length > 1) {
    window.setInterval(() => {
      index = (index + 1) % scenes.length;
      show(index);
    }, (seconds * 1000) / speed);
  }
}
