"""Ambassadors in Chromium: enrol on a phone, approve on the tablet, the badge on the wall."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import requests

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.test_desk_browser import log_in

TIMEOUT = 15_000
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 1024, "height": 768}
HOSTILE = "Jane <img src=x onerror=alert(1)> Doe"


def _server(factory: Any, tmp_path: Path) -> WallServer:
    charter = tmp_path / "charter.md"
    charter.write_text("# Social media charter\n\n1. Be kind.\n2. <b>Never</b> share figures.\n"
                       * 3, encoding="utf-8")
    server: WallServer = factory(mode="post", extra=f"""
[ambassadors]
enrolment = true
charter_file = "{charter}"
confidential_words = ["Project Falcon"]
""")
    return server


def _enrol(server: WallServer, page_factory: Any) -> Any:
    phone = page_factory(f"{server.url}/ambassadors/join", **PHONE)
    assert "<b>Never</b>" in phone.locator("[data-charter]").inner_text()  # text, not HTML
    phone.fill("#name", HOSTILE)
    phone.fill("#team", "Workshop <i>Lyon</i>")
    phone.fill("#handle_any", "@jane.doe")
    phone.check("[data-consent]")
    phone.click("button[type=submit]")
    error = phone.locator("[data-ambassador-error]")
    error.wait_for(timeout=TIMEOUT)
    assert "I accept the charter" in error.inner_text()
    screenshot(phone, "ambassadors-join-refused")
    assert phone.input_value("#name") == HOSTILE  # the form keeps what was typed
    phone.check("[data-accept]")
    phone.check("[data-consent]")
    phone.click("button[type=submit]")
    phone.wait_for_selector("[data-welcome]", timeout=TIMEOUT)
    assert "/ambassadors/me/" in phone.url
    assert phone.locator(".amb__name").inner_text().startswith(HOSTILE)
    assert phone.locator("[data-ambassador-status]").get_attribute(
        "data-ambassador-status") == "pending"
    screenshot(phone, "ambassadors-me")
    return phone


@pytest.mark.slow
def test_enrol_on_a_phone_approve_on_the_tablet_badge_on_the_wall(
        wall_server_factory: Any, page_factory: Any, tmp_path: Path) -> None:
    server = _server(wall_server_factory, tmp_path)
    phone = _enrol(server, page_factory)
    tablet = page_factory(f"{server.url}/moderate", **TABLET)
    log_in(tablet)
    tablet.click('[data-tab="ambassadors"]')
    row = tablet.locator("[data-enrolment-id]")
    row.wait_for(timeout=TIMEOUT)
    assert HOSTILE in row.inner_text() and "Workshop <i>Lyon</i>" in row.inner_text()
    assert tablet.locator('[data-count="ambassadors"]').inner_text() == "1"
    screenshot(tablet, "ambassadors-desk")
    row.locator('[data-action="approve-ambassador"]').click()
    tablet.wait_for_selector('[data-enrolment-id][data-status="approved"]', timeout=TIMEOUT)

    feed = page_factory(f"{server.url}/screen/feed")
    stats = page_factory(f"{server.url}/screen/stats")
    [badged] = server.push({"author": "Jane", "handle": "@jane.doe", "text": "Proud of our team"})
    feed.locator(f'[data-post-id="{badged}"][data-ambassador]').wait_for(timeout=TIMEOUT)
    stats.locator('[data-stat="ambassadors"]').filter(has_text="1").wait_for(timeout=TIMEOUT)
    posts = requests.get(f"{server.url}/api/posts", timeout=10).json()["posts"]
    assert [p["ambassador"] for p in posts if p["id"] == badged] == [True]
    [held] = server.push({"author": "Jane", "handle": "@jane.doe",
                          "text": "Project Falcon is nearly ready"})
    tablet.click('[data-tab="pending"]')
    pending = tablet.locator(f'[data-queue="pending"] > [data-post-id="{held}"]')
    pending.wait_for(timeout=TIMEOUT)
    assert "confidential word Project Falcon" in pending.inner_text()

    phone.reload()
    assert phone.locator("[data-count]").inner_text() == "1"
    phone.click('[data-action="leave-ambassador"]')
    phone.wait_for_selector('[data-ambassador-status="left"]', timeout=TIMEOUT)
    [plain] = server.push({"author": "Jane", "handle": "@jane.doe", "text": "Still here"})
    feed.locator(f'[data-post-id="{plain}"]').wait_for(timeout=TIMEOUT)
    assert feed.locator(f'[data-post-id="{plain}"][data-ambassador]').count() == 0
    assert not (phone.errors or tablet.errors or feed.errors)  # type: ignore[attr-defined]


@pytest.mark.slow
def test_refusing_on_the_tablet_gives_no_badge(
        wall_server_factory: Any, page_factory: Any, tmp_path: Path) -> None:
    server = _server(wall_server_factory, tmp_path)
    _enrol(server, page_factory)
    tablet = page_factory(f"{server.url}/moderate", **TABLET)
    log_in(tablet)
    tablet.click('[data-tab="ambassadors"]')
    tablet.locator('[data-action="refuse-ambassador"]').click()
    tablet.wait_for_selector('[data-enrolment-id][data-status="refused"]', timeout=TIMEOUT)
    [post_id] = server.push({"author": "Jane", "handle": "@jane.doe", "text": "Hello"})
    posts = requests.get(f"{server.url}/api/posts", timeout=10).json()["posts"]
    assert [p["ambassador"] for p in posts if p["id"] == post_id] == [False]
