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
