/**
 * The attendees' form on a phone: a character counter and a preview of the
 * chosen photo, which can be changed or removed before sending.
 */

const form = /** @type {HTMLFormElement|null} */ (document.querySelector("[data-attend-form]"));
const text = /** @type {HTMLTextAreaElement|null} */ (form?.querySelector("textarea[name=text]") ?? null);
const counter = /** @type {HTMLElement|null} */ (document.querySelector("[data-counter]"));

/** Show how many characters are used of the limit; warn near the end. */
function count() {
  if (!text || !counter) return;
  const max = Number(counter.dataset.max) || text.maxLength;
  const used = [...text.value].length;
  counter.textContent = (counter.dataset.template ?? "{n} / {max}").replace("{n}", String(used)).replace("{max}", String(max));
  counter.classList.toggle("is-near", used >= max * 0.9);
}
text?.addEventListener("input", count);
count();

const input = /** @type {HTMLInputElement|null} */ (document.querySelector("[data-photo-input]"));
const preview = /** @type {HTMLElement|null} */ (document.querySelector("[data-photo-preview]"));
const image = /** @type {HTMLImageElement|null} */ (document.querySelector("[data-photo-img]"));
const label = /** @type {HTMLElement|null} */ (document.querySelector("[data-photo-label]"));
/** @type {FileReader|null} */
let reading = null;

/**
 * Show the chosen photo. It is read as a data: URL, which the pages' CSP allows
 * for images (img-src 'self' data:), where an object URL (blob:) is refused;
 * the file never leaves the phone before sending.
 */
function showPhoto() {
  reading?.abort();
  reading = null;
  const file = input?.files?.[0];
  if (preview) preview.hidden = !file;
  if (label) label.textContent = (file ? label.dataset.change : label.dataset.pick) ?? "";
  if (!image) return;
  image.removeAttribute("src");
  if (!file) return;
  const reader = new FileReader();
  reader.addEventListener("load", () => {
    if (reading === reader && typeof reader.result === "string") image.src = reader.result;
  });
  reader.readAsDataURL(file);
  reading = reader;
}
input?.addEventListener("change", showPhoto);
document.querySelector("[data-photo-remove]")?.addEventListener("click", () => {
  if (input) input.value = "";
  showPhoto();
});
