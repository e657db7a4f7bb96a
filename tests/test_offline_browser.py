"""A TV that boots while the server is down still shows its wall, then catches up."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, card, connected


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_reload_with_the_server_down_shows_the_last_posts_then_catches_up(
        kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server(screens="stale_seconds = 10")
    ids = server.push(*[{"author": f"Guest {i}", "text": f"Before the outage, post {i} 🎉"}
                        for i in range(4)])
    page = page_factory(f"{server.url}/screen/feed")
    connected(page)
    card(page, ids[-1]).wait_for(timeout=TIMEOUT)
    page.wait_for_selector("body[data-offline-ready=true]", timeout=TIMEOUT)
    page.wait_for_timeout(2500)  # the posts are written to storage at most every 2 s
    port = server.port
    server.stop()
    page.reload()
    # The page itself, its scripts and the last posts come from the TV's own copy.
    for post_id in ids:
        card(page, post_id).wait_for(timeout=TIMEOUT)
    page.wait_for_selector("[data-reconnecting]:not([hidden])", timeout=TIMEOUT)
    page.wait_for_selector("[data-stale]:not([hidden])", timeout=TIMEOUT)
    assert "Last update" in page.locator("[data-stale]").inner_text()
    screenshot(page, "feed-offline")
    # The server comes back on the same address: the screen reconnects by itself.
    server.port = port
    server.output.clear()
    server.start()
    connected(page)
    [later] = server.push({"author": "Guest", "text": "After the outage"})
    card(page, later).wait_for(timeout=TIMEOUT)
    for post_id in ids:
        assert card(page, post_id).count() == 1
    assert page.locator("[data-reconnecting]").is_hidden()


def test_emoji_font_is_shipped_with_the_screens(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    page = page_factory(f"{server.url}/screen/feed")
    connected(page)
    faces = page.evaluate("""async () => (await document.fonts.load('1em "Wall Emoji"', '🎉'))
        .map((face) => face.status)""")
    assert faces and set(faces) == {"loaded"}
    assert "Wall Emoji" in page.evaluate(
        "getComputedStyle(document.body).getPropertyValue('--font')")
