"""The ambassador of the week on the highlights screen, in Chromium, live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser import screenshot
from tests.kiosk import connected
from tests.test_ambassadors_live import HOSTILE, Employee, amb_server

TIMEOUT = 20_000
SLIDE = '[data-slide="ambassador-of-the-week"]:not(.is-leaving)'


def _approve_all(server: Any) -> dict[str, int]:
    http = server.session()
    items = http.get(f"{server.url}/api/ambassadors", timeout=10).json()["enrolments"]
    for item in items:
        assert http.post(f"{server.url}/api/ambassadors/{item['id']}/approve",
                         timeout=10).status_code == 200
        for handle in item["handles"]:  # no proof phrase in this test
            http.post(f"{server.url}/api/ambassadors/handles/{handle['id']}/approve", timeout=10)
    return {item["handles"][0]["handle"]: item["id"] for item in items}


@pytest.mark.slow
def test_the_week_slide_follows_posts_leaving_and_refusal(
        wall_server_factory: Any, page_factory: Any, tmp_path: Path) -> None:
    server = amb_server(wall_server_factory, tmp_path,
                        screens="ambassador_of_the_week = true\nauto_highlights = false")
    Employee(server, HOSTILE, "@ana")
    ben = Employee(server, "Ben Martin", "@ben")
    ids = _approve_all(server)
    page = page_factory(f"{server.url}/screen/highlights")
    connected(page)
    page.wait_for_timeout(500)
    assert page.locator(SLIDE).count() == 0  # nobody posted yet
    [_, shown, _] = server.push(
        {"author": "Ana", "handle": "@ana", "text": "Our stand opens at nine"},
        {"author": "Ana", "handle": "@ana", "text": "Come and meet the workshop team!"},
        {"author": "Ben", "handle": "@ben", "text": "Hello from sales"})
    slide = page.locator(f'{SLIDE}[data-enrolment-id="{ids["ana"]}"]')
    slide.wait_for(timeout=TIMEOUT)
    assert slide.locator(".amb-week__name").inner_text() == HOSTILE  # text, never markup
    assert slide.locator("img[src=x]").count() == 0
    assert slide.locator(".amb-week__figure").inner_text() == "2"
    assert "Come and meet the workshop team!" in slide.inner_text()
    assert "ambassador of the week" in slide.inner_text().lower()
    screenshot(page, "ambassadors-week")
    # Ben overtakes Ana: the slide changes while the screen is open.
    server.push({"author": "Ben", "handle": "@ben", "text": "Second from Ben"},
                {"author": "Ben", "handle": "@ben", "text": "Third from Ben"})
    page.locator(f'{SLIDE}[data-enrolment-id="{ids["ben"]}"]').wait_for(timeout=TIMEOUT)
    assert page.locator(f"{SLIDE} .amb-week__figure").inner_text() == "3"
    # Ben leaves: back to Ana at once. Ana is refused: the slide goes, nobody qualifies.
    ben.leave()
    page.locator(f'{SLIDE}[data-enrolment-id="{ids["ana"]}"]').wait_for(timeout=TIMEOUT)
    # A moderator takes the post shown off the wall: it leaves the slide, another comes.
    http = server.session()
    assert http.post(f"{server.url}/api/posts/{shown}/hide", timeout=10).status_code == 200
    page.locator(f'{SLIDE}[data-featured-post-id="{shown}"]').wait_for(state="detached",
                                                                        timeout=TIMEOUT)
    page.locator(SLIDE).filter(has_text="Our stand opens at nine").wait_for(timeout=TIMEOUT)
    # The slide it replaced may still be fading out: it leaves the stage soon after.
    page.locator("[data-stage]", has_text="Come and meet").wait_for(state="detached",
                                                                  timeout=TIMEOUT)
    assert http.post(f"{server.url}/api/ambassadors/{ids['ana']}/refuse",
                     timeout=10).status_code == 200
    page.locator(SLIDE).wait_for(state="detached", timeout=TIMEOUT)
    page.locator("[data-empty]").wait_for(timeout=TIMEOUT)
    assert not page.errors  # type: ignore[attr-defined]


@pytest.mark.slow
def test_the_slide_rotates_with_the_highlights_and_speaks_french(
        wall_server_factory: Any, page_factory: Any, tmp_path: Path) -> None:
    server = amb_server(wall_server_factory, tmp_path, screens="ambassador_of_the_week = true")
    text = server.config_path.read_text(encoding="utf-8").replace('language = "en"',
                                                                 'language = "fr"')
    server.stop()
    server.config_path.write_text(text, encoding="utf-8")
    server.start()
    Employee(server, "Jeanne Dupont", "@jeanne")
    _approve_all(server)
    [visitor, _] = server.push({"author": "Visitor", "text": "A great day"},
                               {"author": "Jeanne", "handle": "@jeanne", "text": "Bienvenue !"})
    http = server.session()
    http.post(f"{server.url}/api/posts/{visitor}/highlight", timeout=10).raise_for_status()
    page = page_factory(f"{server.url}/screen/highlights")
    connected(page)
    page.locator(f'.spotlight[data-post-id="{visitor}"]').wait_for(timeout=TIMEOUT)
    slide = page.locator(SLIDE)
    slide.wait_for(timeout=TIMEOUT)  # its turn comes after the highlight
    assert "ambassadeur de la semaine" in slide.inner_text().lower()
    assert "publication sur le mur cette semaine" in slide.inner_text()
    page.locator(f'.spotlight[data-post-id="{visitor}"]:not(.is-leaving)').wait_for(
        timeout=TIMEOUT)  # and the rotation goes on
