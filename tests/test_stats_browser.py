"""The stats screen in Chromium: empty states, every network, shares that add up, room used."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, connected

VIEWPORTS = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}

LABEL_CLEAR_JS = """() => {
  const label = document.querySelector('[data-area="total"] .tile__label');
  const r = label.getBoundingClientRect();
  const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return r.height > 0 && label.contains(top);
}"""


ROOM_JS = """(name) => {
  const list = document.querySelector(`[data-list="${name}"]`);
  const rows = list.querySelectorAll('.rank');
  const last = rows[rows.length - 1];
  const end = last ? last.getBoundingClientRect().bottom : 0;
  const room = list.getBoundingClientRect().bottom - end;
  return [Number(list.dataset.given), rows.length, room, last ? last.offsetHeight : 0];
}"""


def test_shares_add_up_to_one_hundred(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    page = page_factory(f"{server.url}/screen/stats")
    for counts in ([1, 1, 1], [2, 1], [7, 5, 3, 1], [1, 0], [998, 1, 1]):
        result = page.evaluate(
            "async (c) => (await import('/static/js/stats.js')).shares(c)", counts)
        assert sum(result) == 100, (counts, result)
        assert all(abs(r - 100 * c / sum(counts)) < 1 for r, c in zip(result, counts, strict=True))


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_stats_read_well_empty_and_busy(wall_server_factory: Any, page_factory: Any,
                                        viewport: str) -> None:
    server: WallServer = wall_server_factory(mode="post", moderation='ambassadors = ["@sophie"]')
    width, height = VIEWPORTS[viewport]
    page = page_factory(f"{server.url}/screen/stats", width=width, height=height)
    connected(page)
    for name in ("networks", "hashtags", "contributors", "ambassadors"):
        assert page.locator(f'[data-list-empty="{name}"]').is_visible(), name
    screenshot(page, f"stats-empty-{viewport}")
    server.push(*[{"author": f"Guest {i}", "handle": f"@guest{i}",
                   "text": f"Post {i} #TestDays #Topic{i % 5}"} for i in range(8)],
                {"author": "Sophie", "handle": "@sophie", "text": "Welcome! #TestDays"})
    page.wait_for_selector('[data-ambassadors]:not([hidden])', timeout=TIMEOUT)
    page.wait_for_timeout(1200)
    assert page.evaluate(LABEL_CLEAR_JS), "the Posts label is covered"
    assert page.locator('[data-list-empty="contributors"]').is_hidden()
    # Every row the server sent is shown, or the list is full: no room left for another row.
    for name in ("contributors", "hashtags", "networks"):
        given, rows, room, row = page.evaluate(ROOM_JS, name)
        assert rows > 0 and (rows == given or room < row), (name, rows, given, room, row)
    shares = page.eval_on_selector_all('[data-list="networks"] .rank__detail',
                                       "els => els.map(e => parseInt(e.textContent))")
    assert sum(shares) == 100
    screenshot(page, f"stats-busy-{viewport}")


# Nothing on the stats panels is moving (a figure's bump, a bar growing).
SETTLED_JS = """() => [...document.querySelectorAll('[data-stats] *')]
  .every((n) => n.getAnimations().every((a) => a.playState !== 'running'))"""

# What is wrong with the stats tiles as shown: content out of its tile or cut short,
# tiles or a tile's parts on top of each other, and the sizes a person across a room reads.
LAYOUT_JS = """() => {
  const shown = (n) => n.checkVisibility() && n.getClientRects().length > 0
    && n.getBoundingClientRect().width > 0 && n.getBoundingClientRect().height > 0;
  const box = (n) => n.getBoundingClientRect();
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1
    && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  const name = (n) => (n.closest('[data-area]')?.dataset.area ?? '?') + ' ' + n.className;
  const tiles = [...document.querySelectorAll('.stats > .tile')].filter(shown);
  const problems = [];
  tiles.forEach((tile, i) => {
    const t = box(tile);
    for (const other of tiles.slice(i + 1)) {
      if (overlap(t, box(other))) problems.push(`tiles overlap: ${name(tile)} / ${name(other)}`);
    }
    for (const node of tile.querySelectorAll('*')) {
      // An inline run's box is its font's whole height, past the glyphs: its block is
      // measured, unless the run paints a box of its own (a hashtag chip).
      const inline = getComputedStyle(node).display === 'inline';
      const painted = getComputedStyle(node).backgroundColor !== 'rgba(0, 0, 0, 0)';
      if (!shown(node) || (inline && !painted)) continue;
      const b = box(node);
      if (b.left < t.left - 1 || b.right > t.right + 1
          || b.top < t.top - 1 || b.bottom > t.bottom + 1) {
        problems.push(`out of its tile: ${name(node)}`);
      }
      const text = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
      // Text in a box that clips it (overflow hidden, an ellipsis, a line clamp) and needs more.
      const clips = getComputedStyle(node).overflow !== 'visible';
      const more = node.scrollWidth > node.clientWidth + 1
        || node.scrollHeight > node.clientHeight + 1;
      if (text && clips && more) {
        problems.push(`cut short: ${name(node)} "${node.textContent.trim().slice(0, 30)}"`);
      }
    }
    const parts = [...tile.children].filter(shown);
    parts.forEach((part, j) => {
      for (const other of parts.slice(j + 1)) {
        if (overlap(box(part), box(other))) {
          problems.push(`parts overlap: ${name(part)} / ${name(other)}`);
        }
      }
    });
  });
  const px = (sel) => Math.min(...[...document.querySelectorAll(sel)].filter(shown)
    .map((n) => parseFloat(getComputedStyle(n).fontSize)));
  const canvas = document.querySelector('.chart canvas');
  return {problems, figure: px('.figure'), gauge: px('.gauge__value'),
          rows: px('.rank__label, .rank__count'), titles: px('.tile__title, .tile__label'),
          chart: canvas && shown(canvas) ? box(canvas).height : 0,
          ranks: document.querySelectorAll('.rank').length};
}"""


def test_the_portrait_stats_read_from_across_the_room(wall_server_factory: Any,
                                                      page_factory: Any) -> None:
    # A lobby's frame: a ticker at the bottom, a call to action.
    branding = '[branding]\nticker = "Keynote at 14:00 in Hall B"\ncall_to_action = "Post!"\n'
    server: WallServer = wall_server_factory(mode="post", extra=branding,
                                             moderation='ambassadors = ["@sophie", "@marc"]')
    width, height = 1080, 1920
    page = page_factory(f"{server.url}/screen/stats", width=width, height=height)
    connected(page)
    moods = ["What a fantastic keynote, I love it!", "The next talk is in room B.",
             "Service horrible, vraiment nul et décevant."]
    server.push(*[{"author": f"Guest Number {i % 7}", "handle": f"@guest{i % 7}",
                   "text": f"{moods[i % 3]} #TestDays #Topic{i % 5}"} for i in range(30)],
                {"author": "Sophie Lambert", "handle": "@sophie", "text": "Welcome! #TestDays"},
                {"author": "Marc Dubois", "handle": "@marc", "text": "Hello all #TestDays"})
    page.wait_for_selector('[data-ambassadors]:not([hidden])', timeout=TIMEOUT)
    page.wait_for_selector("[data-gauge]:not([hidden])", timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    page.wait_for_function(SETTLED_JS, timeout=TIMEOUT)  # the figures count up, the chart draws
    screenshot(page, "stats-portrait-across-the-room")
    shown = page.evaluate(LAYOUT_JS)
    assert shown["problems"] == [], shown
    # Sizes for a TV read from a few metres (a portrait TV is a landscape one turned: its
    # width is what a landscape TV's height is): figures, gauge, rows, titles, the chart.
    assert shown["figure"] >= width / 12, shown
    assert shown["gauge"] >= width / 16, shown
    assert shown["rows"] >= width / 45 and shown["titles"] >= width / 40, shown
    assert shown["chart"] >= height / 10, shown
    # Each list shows three rows when it has them: not two squeezed under a long chart.
    for name in ("hashtags", "contributors"):
        given, rows, _room, _row = page.evaluate(ROOM_JS, name)
        assert rows >= min(3, given), (name, rows, given)
