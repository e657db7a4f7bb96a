/**
 * The desk's tabs (pending, shown, rejected, blocked), the network filter and
 * the text search, paging, the blocked authors with unblock, the compact grid.
 *
 * Pending cards arrive live and are filtered here in the page; the shown and
 * rejected tabs read pages from GET /api/desk/posts with the same filter, and
 * live events keep them current.
 */
import { el } from "./dom.js";
import { networkName } from "./card.js";
import { postJson } from "./moderator-desk.js";
import { plural } from "./moderator-i18n.js";
import { format } from "./settings.js";
import { timeAgo } from "./time.js";

/** Pending cards drawn at once; "Show more" adds as many (a shift can leave hundreds). */
const PENDING_PAGE = 30;
const PAGE = 30;
const COMPACT_KEY = "socialwall.desk.compact";

/**
 * @param {{main: HTMLElement, queue: any, labels: Record<string, string>, lang: string, csrf: string,
 *   toast: (message: string) => void}} options
 */
export function startTabs({ main, queue, labels, lang, csrf, toast }) {
  const $ = (/** @type {string} */ s) => /** @type {HTMLElement|null} */ (document.querySelector(s));
  const network = /** @type {HTMLSelectElement} */ ($('[data-filter="network"]'));
  const search = /** @type {HTMLInputElement} */ ($('[data-filter="q"]'));
  const blocksList = /** @type {HTMLElement} */ ($("[data-blocks]"));
  // Enter in the search box filters in place; the form never submits (no inline handler: CSP).
  $("[data-filters]")?.addEventListener("submit", (event) => event.preventDefault());
  let shownLimit = PENDING_PAGE;
  /** @type {Record<string, number|null>} cursor of the next page per tab */
  const next = { shown: null, rejected: null };
  /** @type {Record<string, boolean>} */
  const loaded = { shown: false, rejected: false, blocked: false };
  const requests = { shown: 0, rejected: 0 };
  const filter = () => ({ network: network.value, q: search.value.trim().toLowerCase() });

  /**
   * Tell whether a card's post matches the filter.
   * @param {HTMLElement} card
   */
  const matches = (card) => {
    const { network: net, q } = filter();
    if (net && card.dataset.network !== net) return false;
    return !q || (card.textContent ?? "").toLowerCase().includes(q);
  };

  /** Hide pending cards outside the filter or past the page; say how many more there are. */
  const refreshPending = () => {
    let visible = 0;
    let beyond = 0;
    for (const card of /** @type {HTMLElement[]} */ ([...queue.lists.pending.children])) {
      const ok = matches(card);
      const shown = ok && visible < shownLimit;
      card.hidden = !shown;
      if (shown) visible += 1;
      else if (ok) beyond += 1;
    }
    const more = /** @type {HTMLButtonElement} */ ($('[data-more="pending"]'));
    more.hidden = beyond === 0;
    more.textContent = format(labels.show_more ?? "Show {n} more", { n: Math.min(beyond, PENDING_PAGE) });
    const empty = $('[data-empty="pending"]');
    if (empty) {
      empty.hidden = visible > 0;
      empty.textContent = queue.pending.size ? (labels.nothing_matches ?? "Nothing matches the filter") : (labels.nothing_waiting ?? "Nothing waiting");
    }
    for (const card of /** @type {HTMLElement[]} */ ([...queue.lists.recent.children, ...queue.lists.rejected.children])) card.hidden = !matches(card);
  };

  /**
   * Load one page of the shown or rejected tab.
   * @param {"shown"|"rejected"} tab
   * @param {boolean} append
   */
  const loadPage = async (tab, append) => {
    const { network: net, q } = filter();
    const params = new URLSearchParams({ tab, limit: String(PAGE) });
    if (net) params.set("network", net);
    if (q) params.set("q", q);
    if (append && next[tab]) params.set("before", String(next[tab]));
    // Answers can arrive out of order (the tab opened, then a filter chosen at once):
    // only the answer to the latest request of a tab is shown.
    const asked = ++requests[tab];
    const response = await fetch(`/api/desk/posts?${params}`, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (asked !== requests[tab]) return;
    if (!response.ok) {
      toast(labels.action_failed ?? "The action failed, try again");
      return;
    }
    const body = await response.json();
    if (asked !== requests[tab]) return;
    next[tab] = body.next_before ?? null;
    loaded[tab] = true;
    if (tab === "shown") queue.loadRecent(body.posts ?? [], append);
    else queue.loadRejected(body.posts ?? [], append);
    const count = $(`[data-count="${tab}"]`);
    if (count) count.textContent = String(body.total ?? "");
    const more = /** @type {HTMLButtonElement} */ ($(`[data-more="${tab}"]`));
    more.hidden = !next[tab];
    const empty = $(`[data-empty="${tab === "shown" ? "recent" : "rejected"}"]`);
    if (empty) {
      empty.hidden = (body.posts ?? []).length > 0 || append;
      if (q || net) empty.textContent = labels.nothing_matches ?? "Nothing matches the filter";
    }
    refreshPending();
  };

  /** One blocked author with an Unblock button. */
  const blockRow = (/** @type {any} */ block) => {
    const button = el("button", { class: "btn btn--quiet", text: labels.unblock ?? "Unblock", attrs: { type: "button", "data-action": "unblock" } });
    const row = el("li", { class: "blocks__item", attrs: { "data-block-key": String(block.key ?? "") } }, [
      el("div", { class: "blocks__who" }, [
        el("span", { class: "blocks__author", text: String(block.author ?? "") }),
        el("span", { class: "blocks__meta", text: `${networkName(block.network, labels)} · ${format(labels.blocked_by ?? "blocked by {name}, {ago}", { name: String(block.by ?? ""), ago: timeAgo(block.at, labels, lang) })}` }),
      ]),
      button,
    ]);
    button.addEventListener("click", async () => {
      /** @type {HTMLButtonElement} */ (button).disabled = true;
      const reply = await postJson("/api/blocks/unblock", csrf, { key: block.key });
      if (reply.status === 200 || reply.status === 404) {
        row.remove();
        toast(format(labels.unblocked ?? "{name} unblocked", { name: String(block.author ?? "") }));
        setCount("blocked", blocksList.children.length);
      } else {
        /** @type {HTMLButtonElement} */ (button).disabled = false;
        toast(labels.action_failed ?? "The action failed, try again");
      }
    });
    return row;
  };

  /** @param {string} name @param {number} n */
  const setCount = (name, n) => {
    const count = $(`[data-count="${name}"]`);
    if (count) count.textContent = String(n);
    const empty = $(`[data-empty="${name}"]`);
    if (empty) empty.hidden = n > 0;
  };

  const loadBlocks = async () => {
    const response = await fetch("/api/blocks", { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const body = await response.json();
    const { network: net, q } = filter();
    const blocks = (body.blocks ?? []).filter((/** @type {any} */ b) => (!net || b.network === net) && (!q || String(b.author).toLowerCase().includes(q)));
    blocksList.replaceChildren(...blocks.map(blockRow));
    loaded.blocked = true;
    setCount("blocked", blocks.length);
  };

  /** @param {string} name */
  const show = (name) => {
    main.dataset.current = name;
    for (const tab of document.querySelectorAll("[data-tab]")) tab.setAttribute("aria-selected", String(/** @type {HTMLElement} */ (tab).dataset.tab === name));
    for (const panel of /** @type {NodeListOf<HTMLElement>} */ (main.querySelectorAll("[data-panel]"))) panel.hidden = panel.dataset.panel !== name;
    if (name === "shown" || name === "rejected") loadPage(name, false);
    else if (name === "blocked") loadBlocks();
    window.scrollTo({ top: 0 });
  };

  for (const tab of document.querySelectorAll("[data-tab]")) tab.addEventListener("click", () => show(/** @type {HTMLElement} */ (tab).dataset.tab ?? "pending"));

  /** @type {number|undefined} */
  let typing;
  const filtered = () => {
    shownLimit = PENDING_PAGE;
    refreshPending();
    const current = main.dataset.current ?? "pending";
    if (current === "shown" || current === "rejected") loadPage(current, false);
    else if (current === "blocked") loadBlocks();
    loaded.shown = loaded.rejected = false;
  };
  network.addEventListener("change", filtered);
  search.addEventListener("input", () => {
    window.clearTimeout(typing);
    typing = window.setTimeout(filtered, 250);
  });

  $('[data-more="pending"]')?.addEventListener("click", () => {
    shownLimit += PENDING_PAGE;
    refreshPending();
  });
  for (const tab of /** @type {const} */ (["shown", "rejected"])) $(`[data-more="${tab}"]`)?.addEventListener("click", () => loadPage(tab, true));

  // The network menu lists the networks of stored posts.
  fetch("/api/desk/networks", { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : { networks: [] }))
    .then((body) => {
      for (const name of body.networks ?? []) network.append(el("option", { text: networkName(name, labels), attrs: { value: String(name) } }));
    })
    .catch(() => undefined);

  // The compact grid: more, smaller cards; remembered on this tablet.
  const compact = /** @type {HTMLButtonElement} */ ($("[data-compact-toggle]"));
  /** @param {boolean} on */
  const setCompact = (on) => {
    document.body.classList.toggle("is-compact", on);
    compact.setAttribute("aria-pressed", String(on));
    try {
      window.localStorage.setItem(COMPACT_KEY, on ? "1" : "0");
    } catch {
      // Private browsing: the choice lasts until the page reloads.
    }
  };
  let saved = false;
  try {
    saved = window.localStorage.getItem(COMPACT_KEY) === "1";
  } catch {
    saved = false;
  }
  setCompact(saved);
  compact.addEventListener("click", () => setCompact(!document.body.classList.contains("is-compact")));

  /** @type {number|undefined} */
  let recount;
  /** Refresh the Shown and Rejected totals (once the tab was opened) a moment after changes. */
  const countsChanged = () => {
    window.clearTimeout(recount);
    recount = window.setTimeout(async () => {
      for (const tab of /** @type {const} */ (["shown", "rejected"])) {
        const count = $(`[data-count="${tab}"]`);
        if (!count?.textContent) continue;
        const { network: net, q } = filter();
        const params = new URLSearchParams({ tab, limit: "1" });
        if (net) params.set("network", net);
        if (q) params.set("q", q);
        const response = await fetch(`/api/desk/posts?${params}`, { credentials: "same-origin" }).catch(() => null);
        if (response?.ok) count.textContent = String((await response.json()).total ?? "");
      }
    }, 1000);
  };

  return {
    refresh: refreshPending,
    countsChanged,
    /** A block happened: the blocked list is out of date. */
    blocksChanged() {
      if (main.dataset.current === "blocked") loadBlocks();
      else loaded.blocked = false;
    },
    plural: (/** @type {string} */ key, /** @type {number} */ n) => plural(labels, key, n, lang),
  };
}
