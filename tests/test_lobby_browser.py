"""A lobby that never closes, in Chromium: scenes, opening hours, night slide, holding slide."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, connected

VIEWPORTS = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}
HOURS = 'hours = ["mon-fri 07:30-19:00"]'
# A Wednesday at 23:10 and the same day at 10:00, in the browser's local time.
NIGHT = datetime(2026, 3, 4, 23, 10)
DAY = datetime(2026, 3, 4, 10, 0)


def open_at(browser: Any, url: str, moment: datetime, size: tuple[int, int]) -> Any:
    """Open a page whose clock starts at `moment` and runs from there."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.clock.install(time=moment)
    page.goto(url)
    return page


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_night_slide_outside_the_opening_hours(kiosk_server: Any, browser: Any,
                                               viewport: str) -> None:
    server: WallServer = kiosk_server(screens=f'{HOURS}\nnight_text = "Open again at 7:30"')
    server.push({"author": "Guest", "text": "Hello lobby"})
    page = open_at(browser, f"{server.url}/screen/feed", NIGHT, VIEWPORTS[viewport])
    try:
        connected(page)
        night = page.locator('[data-slide="night"]')
        night.wait_for(timeout=TIMEOUT)
        assert "Open again at 7:30" in night.inner_text()
        assert ":" in page.locator(".night__clock").inner_text()
        box = night.bounding_box()
        assert box and box["width"] == VIEWPORTS[viewport][0]
        screenshot(page, f"night-{viewport}")
        # Morning comes: the wall is back by itself.
        page.clock.fast_forward("08:30:00")
        night.wait_for(state="hidden", timeout=TIMEOUT)
        assert page.locator("body").get_attribute("data-closed") == "false"
    finally:
        page.context.close()


def test_open_hours_show_the_wall_and_black_mode_is_black(kiosk_server: Any,
                                                          browser: Any) -> None:
    server: WallServer = kiosk_server(screens=f'{HOURS}\noutside_hours = "black"')
    day = open_at(browser, f"{server.url}/screen/stats", DAY, (1920, 1080))
    night = open_at(browser, f"{server.url}/screen/stats", NIGHT, (1920, 1080))
    try:
        connected(day)
        day.wait_for_timeout(500)
        assert day.locator("[data-slide]").is_hidden()
        black = night.locator('[data-slide="black"]')
        black.wait_for(timeout=TIMEOUT)
        assert black.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(0, 0, 0)"
        assert black.inner_text().strip() == ""
    finally:
        day.context.close()
        night.context.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_scenes_cycle_through_screens_and_slides(kiosk_server: Any, page_factory: Any,
                                                 tmp_path: Path) -> None:
    static = Path(__file__).resolve().parent.parent / "static"
    slide = static / "test-slide.png"
    Image.new("RGB", (320, 180), (20, 90, 200)).save(slide)
    try:
        server: WallServer = kiosk_server(extra="""
            [[screens.slides]]
            image = "/static/test-slide.png"
            text = "Coffee by our sponsor"
            """)
        page = page_factory(f"{server.url}/screen/scenes?show=feed,stats,slides,bogus"
                            "&seconds=5&theme=light&name=hall")
        assert page.locator("[data-scene]").count() == 3
        order: list[str] = []
        for _ in range(60):
            current = page.locator("body").get_attribute("data-scene-current") or ""
            if not order or order[-1] != current:
                order.append(current)
            if len(order) >= 4:
                break
            page.wait_for_timeout(500)
        assert order[:4] == ["feed", "stats", "slide", "feed"], order
        assert page.locator("[data-scene].is-active").count() == 1
        frame = page.frame_locator('[data-scene="stats"]')
        frame.locator("body[data-connected=true]").wait_for(timeout=TIMEOUT)
        assert frame.locator("body").get_attribute("data-theme") == "light"
        assert frame.locator("body").get_attribute("data-name") == "hall-stats"
        screenshot(page, "scenes")
    finally:
        slide.unlink()


def test_scenes_default_to_the_three_screens(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    page = page_factory(f"{server.url}/screen/scenes?seconds=abc")
    scenes = page.eval_on_selector_all("[data-scene]", "els => els.map(e => e.dataset.scene)")
    assert scenes == ["feed", "stats", "highlights"]
    assert page.locator("body").get_attribute("data-seconds") == "30"


def test_the_layout_shifts_slowly_against_burn_in(kiosk_server: Any, browser: Any) -> None:
    server: WallServer = kiosk_server()
    page = open_at(browser, f"{server.url}/screen/feed", DAY, (1920, 1080))
    try:
        connected(page)
        start = page.locator(".masthead").bounding_box()
        page.clock.fast_forward("04:10")
        # The screen runs under its CSP (no eval), which wait_for_function needs: poll
        # with evaluate instead, which the CSP allows.
        shift = "none"
        for _ in range(TIMEOUT // 250):
            shift = page.evaluate(
                "getComputedStyle(document.querySelector('.masthead')).translate")
            if shift not in ("none", "0px", "0px 0px"):
                break
            page.wait_for_timeout(250)
        assert shift not in ("none", "0px", "0px 0px"), "the masthead never moved"
        x, _, y = shift.partition(" ")
        assert 0 < abs(float(x.rstrip("px"))) + abs(float((y or "0px").rstrip("px"))) <= 12
        assert start is not None
    finally:
        page.context.close()


# A Wednesday, 19:00 UTC: 20:00 in Paris (the wall, closed since 19:00) and 14:00 in
# New York (the TV's own clock, where the hours would say open).
PARIS_EVENING = datetime(2026, 3, 4, 19, 0, tzinfo=UTC)
# The same day at 06:45 UTC: 07:45 in Paris (open since 07:30), 01:45 in New York.
PARIS_MORNING = datetime(2026, 3, 4, 6, 45, tzinfo=UTC)


def test_clock_and_hours_follow_the_walls_timezone_not_the_tvs(kiosk_server: Any,
                                                                browser: Any) -> None:
    """A kiosk box left in another timezone shows the building's time and hours."""
    server: WallServer = kiosk_server(screens=f'{HOURS}\ntimezone = "Europe/Paris"')
    # Two days before the morning page: 00:30 on 2 March in Paris, still 1 March in New York.
    server.push({"id": "old-one", "author": "Night Owl", "text": "Posted after midnight",
                 "created_at": "2026-03-01T23:30:00Z"})
    pages = []
    try:
        for moment in (PARIS_EVENING, PARIS_MORNING):
            context = browser.new_context(viewport={"width": 1920, "height": 1080},
                                          timezone_id="America/New_York")
            page = context.new_page()
            page.clock.install(time=moment)
            page.goto(f"{server.url}/screen/feed")
            pages.append(page)
        evening, morning = pages
        night = evening.locator('[data-slide="night"]')
        night.wait_for(timeout=TIMEOUT)
        # The wall speaks English: 8 PM, in the browser's words for it ("08:00 PM").
        assert re.fullmatch(r"0?8:00\sPM", evening.locator(".night__clock").inner_text())
        assert re.fullmatch(r"0?8:00\sPM", evening.locator("[data-clock]").inner_text())
        connected(morning)
        morning.wait_for_timeout(500)
        assert morning.locator("body").get_attribute("data-closed") == "false"
        assert morning.locator("[data-slide]").is_hidden()
        assert re.fullmatch(r"0?7:45\sAM", morning.locator("[data-clock]").inner_text())
        # A post older than a day shows its date, in the wall's calendar too.
        assert morning.locator(".card__time").first.inner_text() == "Mar 2"
    finally:
        for page in pages:
            page.context.close()
