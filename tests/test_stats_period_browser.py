"""The stats screen in Chromium: its period, friendly empty states and the mood gauge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer, write_config
from tests.kiosk import TIMEOUT, connected

MOODS = ("positive", "neutral", "negative")
POSTS = [
    {"author": "Ada", "handle": "@ada", "text": "What a fantastic keynote, I love it! #TestDays"},
    {"author": "Chloé", "handle": "@chloe", "text": "Super conférence, j'adore ! #TestDays"},
    {"author": "Marc", "handle": "@marc", "text": "Service horrible, vraiment nul et décevant."},
    {"author": "Linus", "handle": "@linus", "text": "The next talk is in room B. #TestDays"},
]
VIEWPORTS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def shown_total(page: Any) -> int:
    return int(page.locator('[data-stat="total"]').get_attribute("data-value") or -1)


def test_a_quiet_period_says_so_then_shows_the_mood(kiosk_server: Any,
                                                     page_factory: Any) -> None:
    server: WallServer = kiosk_server(screens='stats_period = "week"')
    page = page_factory(f"{server.url}/screen/stats?period=today")
    connected(page)
    assert page.locator("[data-stats]").get_attribute("data-period") == "today"
    empty = page.locator("[data-period-empty]")
    assert empty.is_visible() and "No posts yet today" in empty.inner_text()
    assert "#TestDays" in empty.inner_text()
    assert page.locator(".rank").count() == 0, "an empty screen shows no rows of zeros"
    assert "Posts from Web will" in page.locator('[data-list-empty="networks"]').inner_text()
    assert page.locator("[data-gauge]").is_hidden()
    server.push(*POSTS)
    page.wait_for_function("() => document.querySelector('[data-stat=total]')"
                           ".dataset.value === '4'", timeout=TIMEOUT)
    assert empty.is_hidden() and page.locator(".chart canvas").is_visible()
    page.wait_for_selector("[data-gauge]:not([hidden])", timeout=TIMEOUT)
    page.wait_for_timeout(1200)  # the figures count up
    percents = {m: int(page.locator(f'[data-stat="sentiment-{m}"]').inner_text())
                for m in MOODS}
    assert sum(percents.values()) == 100
    assert percents == {"positive": 50, "neutral": 25, "negative": 25}
    for label in ("Positive", "Neutral", "Negative"):
        assert page.get_by_text(label, exact=True).is_visible()


def test_the_period_comes_from_the_config_unless_the_url_sets_it(kiosk_server: Any,
                                                                 page_factory: Any) -> None:
    server: WallServer = kiosk_server(screens='stats_period = "today"')
    page = page_factory(f"{server.url}/screen/stats")
    assert page.locator("[data-stats]").get_attribute("data-period") == "today"
    assert "Posts per hour" in page.locator('[data-area="chart"] .tile__title').inner_text()
    page = page_factory(f"{server.url}/screen/stats?period=all")
    assert page.locator("[data-stats]").get_attribute("data-period") == "all"
    page = page_factory(f"{server.url}/screen/stats?period=<b>")
    assert page.locator("[data-stats]").get_attribute("data-period") == "today"


def test_french_labels(page_factory: Any, tmp_path: Path) -> None:
    path = write_config(tmp_path, mode="post")
    path.write_text(path.read_text(encoding="utf-8").replace('language = "en"',
                                                             'language = "fr"'), encoding="utf-8")
    server = WallServer(path)
    server.start()
    try:
        page = page_factory(f"{server.url}/screen/stats?period=today")
        connected(page)
        assert "Pas encore de publication aujourd’hui" in page.locator(
            "[data-period-empty]").inner_text()
        server.push(*POSTS)
        page.wait_for_selector("[data-gauge]:not([hidden])", timeout=TIMEOUT)
        for label in ("Positif", "Neutre", "Négatif"):
            assert page.get_by_text(label, exact=True).is_visible()
    finally:
        server.stop()


@pytest.mark.slow
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_stats_screenshots(kiosk_server: Any, page_factory: Any, viewport: str) -> None:
    server: WallServer = kiosk_server(mode="post")
    width, height = VIEWPORTS[viewport]
    for theme in ("dark", "light"):
        page = page_factory(f"{server.url}/screen/stats?period=today&theme={theme}",
                            width=width, height=height)
        connected(page)
        screenshot(page, f"stats-empty-today-{viewport}-{theme}")
    server.push(*[{"author": f"Guest {i}", "handle": f"@guest{i}",
                   "text": f"{POSTS[i % 4]['text']} #Topic{i % 5}"} for i in range(24)])
    for theme in ("dark", "light"):
        for period in ("today", "all"):
            page = page_factory(f"{server.url}/screen/stats?period={period}&theme={theme}",
                                width=width, height=height)
            connected(page)
            page.wait_for_selector("[data-gauge]:not([hidden])", timeout=TIMEOUT)
            page.wait_for_timeout(1500)
            assert not page.errors  # type: ignore[attr-defined]
            screenshot(page, f"stats-busy-{period}-{viewport}-{theme}")
