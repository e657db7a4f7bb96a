"""A screen that misses an `events` frame notices the gap and syncs again by itself."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import WallServer
from tests.kiosk import connected

TIMEOUT = 15_000


def test_a_lost_frame_is_recovered_by_a_resync(wall_server_factory: Any, browser: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    dropped: list[str] = []
    joins: list[str] = []
    upgraded: list[bool] = []

    def route(ws: Any) -> None:
        # Stand in for a network that loses one frame: the real server still
        # sends it, the page never sees it (impossible to provoke otherwise).
        server_side = ws.connect_to_server()

        def to_page(message: str | bytes) -> None:
            if isinstance(message, str) and message.startswith("0{"):
                upgraded.append(True)  # Engine.IO's open packet: the page connected this way
            if isinstance(message, str) and message.startswith('42["events"') \
                    and "lost on the way" in message and not dropped:
                dropped.append(message)
                return
            ws.send(message)

        def to_server(message: str | bytes) -> None:
            if message == "5":  # Engine.IO's upgrade: from now on frames come this way
                upgraded.append(True)
            if isinstance(message, str) and '"join_screen"' in message and dropped:
                joins.append(message)
            server_side.send(message)

        server_side.on_message(to_page)
        ws.on_message(to_server)

    try:
        page.route_web_socket("**/socket.io/**", route)
        page.goto(f"{server.url}/screen/feed")
        connected(page)
        # The frame to lose must travel the WebSocket (the page opens one at once, or
        # upgrades to one when it had to start on long-polling).
        for _ in range(300):  # the route's callbacks run while Playwright waits
            if upgraded:
                break
            page.wait_for_timeout(50)
        assert upgraded, "the page never upgraded to a WebSocket"
        [lost] = server.push({"author": "Ada", "text": "lost on the way #TestDays"})
        for _ in range(300):  # the route's callbacks run while Playwright waits
            if dropped:
                break
            page.wait_for_timeout(50)
        [later] = server.push({"author": "Grace", "text": "arrives in the next frame"})
        page.locator(f'[data-post-id="{later}"]').wait_for(timeout=TIMEOUT)
        page.locator(f'[data-post-id="{lost}"]').wait_for(timeout=TIMEOUT)
        assert dropped, "the stand-in never saw the frame it was meant to lose"
        # The page joined again, asking for what followed the last seq it applied.
        # (After long-polling, the first join may have travelled before the upgrade.)
        assert joins, "the page never synced again after the lost frame"
        again = json.loads(joins[0][joins[0].index("["):])
        assert isinstance(again[1]["since"], int)
        assert errors == []
    finally:
        context.close()
