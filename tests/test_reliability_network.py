"""A 10-minute network cut between a screen (Chromium) and the server.

A loopback TCP proxy stands between the page and the server. Cut, it forwards nothing
(bytes are read and dropped, new connections hang): the cable pulled, not the server
stopped. Playwright's clock makes ten minutes pass for the page's timers (Socket.IO's
ping timeout, its reconnection delays, the stale note) without waiting them out.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, card, connected


class CutProxy:
    """Forward 127.0.0.1:port to the server until cut; restored, forward again."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream = ("127.0.0.1", upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.cut = threading.Event()
        self.lock = threading.Lock()
        self.sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if self.cut.is_set():  # the SYN went nowhere: the connection hangs
                self._track(client)
                threading.Thread(target=self._pump, args=(client, None), daemon=True).start()
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            self._track(client, upstream)
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _track(self, *socks: socket.socket) -> None:
        with self.lock:
            self.sockets.extend(socks)

    def _pump(self, src: socket.socket, dst: socket.socket | None) -> None:
        """Copy bytes from src to dst; while cut, read them and drop them."""
        try:
            while data := src.recv(65536):
                if dst is not None and not self.cut.is_set():
                    dst.sendall(data)
        except OSError:
            pass
        if not self.cut.is_set():  # a normal close: pass it on
            for sock in (src, dst):
                _close(sock)

    def cut_off(self) -> None:
        """Pull the cable: nothing passes either way from now on."""
        self.cut.set()

    def restore(self) -> None:
        """Plug it back: connections from before are gone (as after a long cut), new ones pass."""
        with self.lock:
            old, self.sockets = self.sockets, []
        for sock in old:
            _close(sock)
        self.cut.clear()

    def close(self) -> None:
        self.listener.close()
        self.restore()


def _close(sock: socket.socket | None) -> None:
    if sock is None:
        return
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@pytest.mark.slow
def test_a_ten_minute_cut_shows_the_stale_note_then_catches_up_none_twice(
        wall_server_factory: Any, browser: Any) -> None:
    server: WallServer = wall_server_factory(mode="post", screens="recycle_seconds = 0")
    proxy = CutProxy(server.port)
    context = browser.new_context(viewport={"width": 1280, "height": 720}, bypass_csp=True)
    try:
        context.clock.install()  # the page's timers and Date run on a clock the test moves
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"http://127.0.0.1:{proxy.port}/screen/feed")
        connected(page)
        before = server.push(*[{"author": f"Guest {n}", "text": f"before the cut {n}"}
                               for n in range(3)])
        card(page, before[-1]).wait_for(timeout=TIMEOUT)

        proxy.cut_off()
        during = server.push(*[{"author": f"Late {n}", "text": f"during the cut {n}"}
                               for n in range(5)])
        http = server.session()
        http.post(f"{server.url}/api/posts/{before[0]}/reject", timeout=10).raise_for_status()
        page.clock.fast_forward("10:00")  # the ping timeout fires: the page knows it is cut
        for _ in range(6):  # then the stale note's minute, a step at a time
            page.clock.fast_forward("00:30")
            page.wait_for_timeout(200)
        page.wait_for_selector("[data-stale]:not([hidden])", timeout=TIMEOUT)
        assert "Last update" in page.locator("[data-stale]").inner_text()
        assert card(page, during[0]).count() == 0  # nothing got through the cut
        screenshot(page, "feed-network-cut")

        proxy.restore()
        page.clock.fast_forward("00:15")  # the next reconnection attempt is due
        connected(page)
        for post_id in during:
            card(page, post_id).wait_for(timeout=TIMEOUT)
        card(page, before[0]).wait_for(state="detached", timeout=TIMEOUT)
        for post_id in [*before[1:], *during]:
            assert card(page, post_id).count() == 1, f"post {post_id} not shown exactly once"
        assert page.locator("[data-stale]").is_hidden()
        assert errors == []
    finally:
        context.close()
        proxy.close()
