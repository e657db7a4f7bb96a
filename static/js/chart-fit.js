/**
 * Keep a Chart.js chart exactly the size of its box, at once, whatever it is drawing.
 *
 * Chart.js's own responsive mode (4.x) puts off a resize that comes while the chart
 * animates until the next frame it draws. A resize that lands on an animation's last
 * frame is never drawn, and a size put off that way is applied at the next update, over
 * any newer one. The stats chart animates on every update and its tile gets shorter and
 * taller as the organisers' banner comes and goes, so its canvas kept its old height and
 * spilled out of the tile (or stayed short once the banner had gone).
 *
 * So the chart is created with `responsive: false` and this module does the resizing:
 * a ResizeObserver on the chart's own box (a relatively positioned container holding
 * only the canvas, sized by the layout), plus the window's resize event for a change of
 * pixel ratio. On a change the running animation is finished first, so the new size is
 * drawn now and nothing older is left to come back.
 */

/**
 * The size of a box's content, in CSS pixels (null when the box is not laid out).
 * @param {HTMLElement} box
 * @returns {{width: number, height: number}|null}
 */
function contentSize(box) {
  const rect = box.getBoundingClientRect();
  const style = getComputedStyle(box);
  const px = (/** @type {string} */ name) => parseFloat(style.getPropertyValue(name)) || 0;
  const width = rect.width - px("padding-left") - px("padding-right")
    - px("border-left-width") - px("border-right-width");
  const height = rect.height - px("padding-top") - px("padding-bottom")
    - px("border-top-width") - px("border-bottom-width");
  return width > 0 && height > 0 ? { width, height } : null;
}

/**
 * Size the chart to its box now and whenever the box or the pixel ratio changes.
 * @param {any} chart a Chart.js chart made with `responsive: false`
 * @param {HTMLElement} box the canvas's parent, sized by the layout alone
 */
export function fitChartToBox(chart, box) {
  const fit = () => {
    const size = contentSize(box);
    if (!size || !chart.canvas) return; // hidden: fitted again when it shows
    const ratio = window.devicePixelRatio || 1;
    const same = Math.abs(chart.width - size.width) < 1 && Math.abs(chart.height - size.height) < 1
      && chart.currentDevicePixelRatio === ratio;
    if (same) return;
    chart.stop(); // a running animation would put the resize off
    chart.resize(size.width, size.height);
  };
  new ResizeObserver(fit).observe(box);
  window.addEventListener("resize", fit);
  fit();
}
