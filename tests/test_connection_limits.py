"""Socket.IO connections per client address: a cap on open ones and on new ones a minute."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import socketio

from tests.conftest import WallServer, write_config
from wall.realtime.limits import SWEEP_OVER, Connections


def _server(factory: Any, tmp_path: Any, keys: str) -> WallServer:
    """Start a real server with extra [server] keys."""
    path = write_config(tmp_path, mode="post")
    path.write_text(path.read_text("utf-8").replace("[server]\n", f"[server]\n{keys}\n", 1),
                    encoding="utf-8")
    server = WallServer(path)
    server.start()
    factory.append(server)
    return server


@pytest.fixture
def servers() -> Any:
    started: list[WallServer] = []
    yield started
    for server in started:
        server.stop()


def screen(server: WallServer, forwarded: str | None = None) -> Any:
    """Connect a screen (optionally claiming an address in X-Forwarded-For) and join."""
    client = socketio.SimpleClient()
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    client.connect(server.url, headers=headers, transports=["websocket"], wait_timeout=10)
    ack = client.call("join_screen", {"screen": "feed", "name": "tv", "since": None}, timeout=10)
    assert ack["mode"] == "snapshot"
    return client


def refused(server: WallServer, forwarded: str | None = None) -> bool:
    """Tell whether the server refuses a new connection."""
    try:
        screen(server, forwarded).disconnect()
    except socketio.exceptions.ConnectionError:
        return True
    return False


def refusals(server: WallServer, wait: bool = True) -> list[str]:
    """Return the server's refusal log lines (waiting a moment for its output to be read)."""
    deadline = time.monotonic() + (10 if wait else 0)
    while True:
        lines = [line for line in server.output if "refusing Socket.IO connections" in line]
        if lines or time.monotonic() >= deadline:
            return lines
        time.sleep(0.1)


def test_an_address_gets_at_most_n_open_connections_the_proxy_tells_which(
        servers: Any, tmp_path: Any) -> None:
    server = _server(servers, tmp_path, "proxies = 1\nsocket_connections_per_address = 3\n"
                                        "socket_connects_per_minute = 0")
    tvs = [screen(server, "203.0.113.7") for _ in range(3)]
    assert refused(server, "203.0.113.7") and refused(server, "203.0.113.7")
    assert not refused(server, "198.51.100.2")  # another client behind the same proxy
    tvs.pop().disconnect()
    tvs.append(screen(server, "203.0.113.7"))  # a closed connection frees its place
    for tv in tvs:
        tv.disconnect()
    lines = refusals(server)
    assert len(lines) == 1, lines  # refused twice, logged once
    assert "203.0.113.7" in lines[0] and "at most 3" in lines[0]


def test_reconnecting_does_not_buy_a_fresh_bucket_nor_does_a_spoofed_header(
        servers: Any, tmp_path: Any) -> None:
    # 2 a minute: a token comes back every 30 s, far longer than the test's connects take
    server = _server(servers, tmp_path, "socket_connects_per_minute = 2")
    for n in range(2):  # connect, leave, come back: each one counts
        screen(server, f"10.0.0.{n}").disconnect()  # no trusted proxy: the header is ignored
    assert refused(server)
    assert refused(server, "10.0.0.99")
    lines = refusals(server)
    assert len(lines) == 1 and "127.0.0.1" in lines[0] and "2 new connections a minute" in lines[0]


@pytest.mark.slow
def test_a_venue_of_50_tvs_behind_one_nat_reconnecting_is_never_refused(
        servers: Any, tmp_path: Any) -> None:
    server = _server(servers, tmp_path, "")  # the defaults
    with ThreadPoolExecutor(10) as pool:
        for _ in range(2):  # everyone connects, then everyone again after a restart-like drop
            tvs = list(pool.map(lambda _n: screen(server), range(50)))
            list(pool.map(lambda tv: tv.disconnect(), tvs))
    assert refusals(server, wait=False) == []


def test_the_table_of_addresses_forgets_idle_ones() -> None:
    now = [0.0]
    table = Connections(most=2, per_minute=2, clock=lambda: now[0])
    assert table.admit("a", "1.1.1.1", lambda sid: True) is None
    assert table.admit("b", "1.1.1.1", lambda sid: True) is None
    assert "at most 2" in str(table.admit("c", "1.1.1.1", lambda sid: True))
    table.leave("a")
    assert "a minute" in str(table.admit("c", "1.1.1.1", lambda sid: True))
    now[0] = 30.0  # half a minute refills one
    assert table.admit("c", "1.1.1.1", lambda sid: True) is None
    assert table.admit("d", "2.2.2.2", lambda sid: sid != "x") is None
    now[0] = 1000.0
    table.leave("b")
    table.leave("c")
    table.leave("d")
    for n in range(SWEEP_OVER + 1):
        table.admit(f"s{n}", f"10.{n // 65536}.{n // 256 % 256}.{n % 256}", lambda sid: True)
    assert table.open("1.1.1.1") == 0 and len(table._addresses) <= SWEEP_OVER + 1


@pytest.mark.slow
def test_a_refused_screen_keeps_trying_and_gets_in_when_a_place_frees(
        servers: Any, tmp_path: Any, browser: Any) -> None:
    server = _server(servers, tmp_path, "socket_connections_per_address = 1")
    first, second = (browser.new_context(bypass_csp=True) for _ in range(2))
    try:
        page = first.new_page()
        page.goto(f"{server.url}/screen/feed")
        page.wait_for_selector("body[data-connected=true]", timeout=15_000)
        refused_page = second.new_page()
        refused_page.goto(f"{server.url}/screen/feed")
        refused_page.wait_for_selector("[data-reconnecting]:not([hidden])", timeout=15_000)
        assert refused_page.evaluate("document.body.dataset.connected") != "true"
        first.close()  # the other TV is switched off: its place frees
        refused_page.wait_for_selector("body[data-connected=true]", timeout=30_000)
    finally:
        first.close()
        second.close()
    assert refusals(server)  # logged (once a minute while it keeps trying)
