/**
 * Two taps for a decision that cannot be undone (block an author, erase an
 * enrolment): the first tap arms the button and says what the second will do.
 */

/** Milliseconds a button stays armed after the first tap. */
const ARMED_MS = 4000;

/**
 * Arm a button on the first tap; return true when this tap confirms.
 * @param {HTMLElement} button
 * @param {string} prompt what the button says while armed
 * @returns {boolean}
 */
export function confirmedTap(button, prompt) {
  if (button.dataset.armed === "true") return true;
  const label = button.textContent ?? "";
  button.dataset.armed = "true";
  button.classList.add("is-armed");
  button.textContent = prompt;
  window.setTimeout(() => {
    delete button.dataset.armed;
    button.classList.remove("is-armed");
    if (button.isConnected) button.textContent = label;
  }, ARMED_MS);
  return false;
}
