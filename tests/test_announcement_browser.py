"""The organisers' announcement in Chromium: a banner on every screen, never covered."""

from __future__ import annotations

import time
from typing import Any

import pytest
import requests

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, connected
from tests.test_stats_browser import LAYOUT_JS

VIEWPORTS = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}
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


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_announcement_is_fully_visible_on_every_screen_for_its_duration(
        kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    pages = {}
    for viewport, (width, height) in VIEWPORTS.items():
        for screen in SCREENS:
            page = page_factory(f"{server.url}/screen/{screen}", width=width, height=height)
            connected(page)
            pages[(viewport, screen)] = page
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
        if screen == "stats":  # the banner shortens every tile: the lists still fit theirs
            # (the chart's own fit under the banner is not checked here yet: see issue 9's
            # note of stop 10)
            problems = [p for p in page.evaluate(LAYOUT_JS)["problems"]
                        if not p.startswith("out of its tile: chart")]
            assert problems == [], (viewport, problems)
    # Still there near the end of its time (the server says how long is left), gone after it.
    remaining = requests.get(f"{server.url}/api/wall", timeout=10).json()["announcement"]
    assert remaining is not None, "the machine is too slow: the banner ended during the checks"
    time.sleep(max(0.0, float(remaining["remaining"]) - 5))
    for key, page in pages.items():
        assert page.evaluate(UNCOVERED_JS) == "ok", key
    for page in pages.values():
        page.wait_for_selector("[data-announcement]", state="hidden", timeout=2 * TIMEOUT)


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
