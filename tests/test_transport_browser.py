"""How a screen connects: a WebSocket at once, long-polling where WebSockets do not work.

WebSocket first costs one handshake instead of long-polling's requests and an upgrade,
which is what 1,000 screens joining (or coming back after a restart) pay for. A lobby
network may still refuse WebSockets or hold them open without passing anything: the
screen must then connect by long-polling, by itself.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import WallServer
from tests.kiosk import connected

TIMEOUT = 15_000


def open_feed(browser: Any, server: WallServer,
              route: Any = None) -> tuple[Any, Any, list[str], list[str]]:
    """Open the feed screen; return (context, page, polling requests, page errors)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    polling: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: polling.append(request.url)
            if "/socket.io/" in request.url and "transport=polling" in request.url else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    if route is not None:
        # Playwright's WebSocket routing stands in for a proxy in front of the wall
        # (there is no other way to make a browser's WebSocket fail or hang on 127.0.0.1).
        page.route_web_socket("**/socket.io/**", route)
    page.goto(f"{server.url}/screen/feed")
    return context, page, polling, errors


def shows(page: Any, server: WallServer, text: str) -> None:
    """Push a post and wait until the screen shows it."""
    [post_id] = server.push({"author": "Ada", "text": f"{text} #TestDays"})
    page.locator(f'[data-post-id="{post_id}"]').wait_for(timeout=TIMEOUT)


def test_a_screen_connects_over_a_websocket_without_long_polling(
        wall_server_factory: Any, browser: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    sockets: list[str] = []
    context, page, polling, errors = open_feed(browser, server)
    page.on("websocket", lambda ws: sockets.append(ws.url))
    try:
        connected(page)
        shows(page, server, "straight over the WebSocket")
        assert any("transport=websocket" in url for url in sockets)
        assert polling == []  # no long-polling handshake, no upgrade
        assert errors == []
    finally:
        context.close()


def test_where_websockets_are_refused_a_screen_connects_by_long_polling(
        wall_server_factory: Any, browser: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    refused: list[bool] = []

    def refuse(ws: Any) -> None:  # a proxy that closes every WebSocket at once
        refused.append(True)
        ws.close(code=1011, reason="no WebSockets here")

    context, page, polling, errors = open_feed(browser, server, refuse)
    try:
        connected(page)
        shows(page, server, "carried by long-polling")
        assert refused and polling  # it tried the WebSocket, then polled
        assert errors == []
    finally:
        context.close()


@pytest.mark.slow  # waits for the 10 s connection timeout of the screens
def test_where_a_websocket_hangs_a_screen_connects_by_long_polling(
        wall_server_factory: Any, browser: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    held: list[bool] = []

    def hold(ws: Any) -> None:  # a proxy that accepts the WebSocket and passes nothing
        held.append(True)

    context, page, polling, errors = open_feed(browser, server, hold)
    try:
        connected(page)
        shows(page, server, "after the WebSocket hung")
        assert held and polling
        assert errors == []
    finally:
        context.close()
