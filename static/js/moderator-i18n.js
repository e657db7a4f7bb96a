/**
 * Words of the tablet that depend on a number or on the rules: plurals, rule
 * reasons and history verbs, in the wall's language.
 *
 * The rules store English reasons; the server sends French patterns inside the
 * labels ("reason:NN:<regex>" → template, "term:<word>" → word), and each
 * reason is translated when it is shown (wall/i18n_reasons.py).
 */
import { format } from "./settings.js";

/** @type {WeakMap<object, {pattern: RegExp, template: string}[]>} */
const compiled = new WeakMap();

/**
 * The reason patterns of a label table, in their order.
 * @param {Record<string, string>} labels
 */
function patterns(labels) {
  let found = compiled.get(labels);
  if (found) return found;
  found = [];
  for (const key of Object.keys(labels).filter((k) => k.startsWith("reason:")).sort()) {
    try {
      found.push({ pattern: new RegExp(`^${key.slice(key.indexOf(":", 7) + 1)}$`, "u"), template: labels[key] });
    } catch {
      // A pattern this browser cannot read leaves that reason in English.
    }
  }
  compiled.set(labels, found);
  return found;
}

/**
 * Translate one rule reason, or return it unchanged.
 * @param {string} reason
 * @param {Record<string, string>} labels
 * @returns {string}
 */
export function reasonText(reason, labels) {
  for (const { pattern, template } of patterns(labels)) {
    const match = pattern.exec(reason);
    if (!match) continue;
    /** @type {Record<string, string>} */
    const values = {};
    for (const [name, value] of Object.entries(match.groups ?? {})) values[name] = labels[`term:${value}`] ?? value;
    return format(template, values);
  }
  return reason;
}

/**
 * Fill a label that holds a count, with its singular form when the language wants it.
 * @param {Record<string, string>} labels
 * @param {string} key
 * @param {number} n
 * @param {string} lang
 * @param {Record<string, string|number>} [extra]
 * @returns {string}
 */
export function plural(labels, key, n, lang, extra = {}) {
  let category = "other";
  try {
    category = new Intl.PluralRules(lang || "en").select(n);
  } catch {
    category = n === 1 ? "one" : "other";
  }
  const template = (category === "one" ? labels[`${key}_one`] : undefined) ?? labels[key] ?? key;
  return format(template, { n, ...extra });
}

/**
 * The verb of a history entry ("approved", "a approuvé").
 * @param {unknown} action
 * @param {Record<string, string>} labels
 * @returns {string}
 */
export function verb(action, labels) {
  const name = String(action ?? "");
  return labels[`verb_${name}`] ?? name.replace(/_/g, " ");
}
