"""The organisers' announcement in Chromium: a banner on every screen, never covered."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, connected
from tests.test_stats_browser import LAYOUT_JS

VIEWPORTS = {"720p": (1280, 720), "1080p": (1920, 1080), "4k": (3840, 2160),
             "portrait": (1080, 1920)}
SCREENS = ("feed", "stats", "highlights")

# Whether the banner lies inside the viewport and is the topmost element at its points.
UNCOVERED_JS = """
() => {
  const banner = document.querySelector('[data-announcement]');
  if (!banner || banner.hidden) return 'no banner';
  const r = banner.getBoundingClientRect();
  if (r.width < 10 || r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight)
    return 'outside the screen: ' + JSON.stringify(r);
  for (const fx of [0.02, 0.25, 0.5, 0.75, 0.98]) for (const fy of [0.15, 0.5, 0.85]) {
    const x = r.left + r.width * fx, y = r.top + r.height * fy;
    const top = document.elementFromPoint(x, y);
    if (!top || !banner.contains(top))
      return 'covered at ' + x + ',' + y + ' by ' + (top && top.className);
  }
  return 'ok';
}
"""

# Whether the stats chart's canvas lies inside its box and its tile, and fills its box
# (a chart that kept its height from before the banner spills out of the shortened tile;
# one that kept its height from under the banner stays small once the banner is gone).
CHART_FITS_JS = """
() => {
  const tile = document.querySelector('[data-area="chart"]');
  const canvas = tile && tile.querySelector('canvas[data-chart]');
  if (!canvas || !canvas.checkVisibility()) return 'no chart shown';
  const round = (r) => [r.left, r.top, r.right, r.bottom].map(Math.round).join(',');
  const t = tile.getBoundingClientRect();
  const b = canvas.parentElement.getBoundingClientRect();
  const c = canvas.getBoundingClientRect();
  const inside = (r, o) => r.left >= o.left - 1 && r.top >= o.top - 1
    && r.right <= o.right + 1 && r.bottom <= o.bottom + 1;
  const where = `canvas ${round(c)}, box ${round(b)}, tile ${round(t)}`;
  if (c.height < 20 || c.width < 20) return 'chart too small: ' + where;
  if (!inside(b, t)) return 'chart box out of its tile: ' + where;
  if (!inside(c, t)) return 'canvas out of its tile: ' + where;
  if (!inside(c, b)) return 'canvas out of its box: ' + where;
  if (c.height < b.height - 2 || c.width < b.width - 2)
    return 'canvas smaller than its box: ' + where;
  return 'ok';
}
"""


def chart_fits(page: Any) -> str:
    """Let the chart follow its tile for a moment, then say how it fits."""
    try:
        page.wait_for_function(f"({CHART_FITS_JS})() === 'ok'", timeout=3000)
    except PlaywrightTimeout:
        pass
    return str(page.evaluate(CHART_FITS_JS))


def every_screen(server: WallServer, page_factory: Any) -> dict[tuple[str, str], Any]:
    """Open every screen at every TV size, connected; return the pages by (size, screen)."""
    pages = {}
    for viewport, (width, height) in VIEWPORTS.items():
        for screen in SCREENS:
            page = page_factory(f"{server.url}/screen/{screen}", width=width, height=height)
            connected(page)
            pages[(viewport, screen)] = page
    return pages


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_announcement_is_fully_visible_on_every_screen_for_its_duration(
        kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    pages = every_screen(server, page_factory)
    server.push(*[{"author": f"Guest {i}", "text": f"Post {i} about the keynote " * (i + 1)}
                  for i in range(10)])
    http = server.session()
    reply = http.post(f"{server.url}/api/host_messages",
                      json={"text": "Keynote moves to Hall B at 14:30 📣", "duration": 60},
                      timeout=10)
    assert reply.status_code == 201
    for (viewport, screen), page in pages.items():
        page.wait_for_selector("[data-announcement]:not([hidden])", timeout=TIMEOUT)
        page.wait_for_timeout(900)  # the entrance animation
        assert page.evaluate(UNCOVERED_JS) == "ok", (viewport, screen)
        assert "Hall B" in page.locator("[data-announcement]").inner_text()
        # Not an ordinary card any more.
        assert page.locator(".card", has_text="Hall B").count() == 0
        screenshot(page, f"announcement-{screen}-{viewport}")
        if screen == "stats":  # the banner shortens every tile: the lists and the chart fit
            assert chart_fits(page) == "ok", viewport
            assert page.evaluate(LAYOUT_JS)["problems"] == [], viewport
    # Still there near the end of its time (the server says how long is left), gone after it.
    remaining = requests.get(f"{server.url}/api/wall", timeout=10).json()["announcement"]
    assert remaining is not None, "the machine is too slow: the banner ended during the checks"
    time.sleep(max(0.0, float(remaining["remaining"]) - 5))
    for key, page in pages.items():
        assert page.evaluate(UNCOVERED_JS) == "ok", key
    for (viewport, screen), page in pages.items():
        page.wait_for_selector("[data-announcement]", state="hidden", timeout=2 * TIMEOUT)
        if screen == "stats":  # the tiles grow back: so does the chart, inside its tile
            assert chart_fits(page) == "ok", (viewport, "after the banner")
            assert page.evaluate(LAYOUT_JS)["problems"] == [], (viewport, "after the banner")


def test_a_screen_opened_later_shows_the_announcement_then_its_dismissal(
        kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    http = server.session()
    assert http.post(f"{server.url}/api/host_messages",
                     json={"text": "Lunch is served"}, timeout=10).status_code == 201
    page = page_factory(f"{server.url}/screen/feed")
    connected(page)
    page.wait_for_selector("[data-announcement]:not([hidden])", timeout=TIMEOUT)
    assert page.evaluate(UNCOVERED_JS) == "ok"
    # The kill switch's holding slide does not cover it either.
    assert http.post(f"{server.url}/api/wall/pause", timeout=10).ok
    page.wait_for_selector("[data-holding]:not([hidden])", timeout=TIMEOUT)
    assert page.evaluate(UNCOVERED_JS) == "ok"
    assert http.post(f"{server.url}/api/announcement/dismiss", timeout=10).ok
    page.wait_for_selector("[data-announcement]", state="hidden", timeout=TIMEOUT)


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_the_stats_chart_stays_in_its_tile_as_the_banner_comes_and_goes(
        kiosk_server: Any, page_factory: Any) -> None:
    # The chart redraws (animated) with every stats update; the banner comes and goes
    # while posts arrive, on TVs of every size.
    server: WallServer = kiosk_server()
    # The other screens open beside it, as in a lobby: a busy machine.
    pages = {viewport: page for (viewport, screen), page
             in every_screen(server, page_factory).items() if screen == "stats"}
    http = server.session()
    for turn in range(6):
        shown = turn % 2 == 0
        server.push(*[{"author": f"Guest {turn}.{i}", "text": f"Post {i} on the keynote #TestDays"}
                      for i in range(turn + 3)])
        if shown:
            reply = http.post(f"{server.url}/api/host_messages",
                              json={"text": "Keynote moves to Hall B at 14:30 📣", "duration": 300},
                              timeout=10)
            assert reply.status_code == 201
        else:
            assert http.post(f"{server.url}/api/announcement/dismiss", timeout=10).ok
        for viewport, page in pages.items():
            page.wait_for_selector("[data-announcement]", state="visible" if shown else "hidden",
                                   timeout=TIMEOUT)
            page.wait_for_selector(".chart canvas[data-chart]", state="visible", timeout=TIMEOUT)
            page.wait_for_timeout(900)  # the banner's entrance, the chart's animation
            state = "under the banner" if shown else "without the banner"
            assert chart_fits(page) == "ok", (viewport, turn, state)
            assert page.evaluate(LAYOUT_JS)["problems"] == [], (viewport, turn, state)
            if turn < 2:
                screenshot(page, f"stats-chart-{'banner' if shown else 'no-banner'}-{viewport}")
