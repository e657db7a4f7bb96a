"""Socket.IO limits: floods and oversized payloads are dropped; only joined screens listed."""

from __future__ import annotations

import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import requests
import socketio

from tests.conftest import WallServer, receive_event
from wall.realtime.limits import Limiter, Rate, too_big
from wall.store import SCREENS_MAX, Store, schema
from wall.store.connections import now


def _connect(server: WallServer, **options: Any) -> Any:
    client = socketio.SimpleClient(**options)
    client.connect(server.url, transports=["websocket"])
    client.__dict__["raw_ws"] = client.client.eio.ws  # python-engineio forgets it on a drop
    return client


def _dropped(client: Any, within: float = 10) -> bool:
    """Tell whether the server disconnects this client within a few seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:  # a server-side disconnect does not wake receive(): poll with short waits
            client.receive(timeout=0.2)
        except socketio.exceptions.DisconnectedError:
            return True
        except socketio.exceptions.TimeoutError:
            pass
    return False


def _close(client: Any) -> None:
    """Close a client the server dropped (its websocket can be left open otherwise)."""
    client.disconnect()
    client.__dict__["raw_ws"].shutdown()  # close() skips a socket the server closed


def _flood(server: WallServer, sent: list[int]) -> None:
    """Join, then send heartbeats as fast as possible until dropped (at most 5,000)."""
    client = _connect(server)
    client.call("join_screen", {"screen": "stats", "name": "flood", "since": None}, timeout=10)
    try:
        for shown in range(5000):
            client.emit("heartbeat", {"screen": "stats", "name": "flood", "shown": shown})
            sent.append(shown)
    except socketio.exceptions.DisconnectedError:
        pass
    sent.append(-1 if _dropped(client) else -2)
    _close(client)


def test_a_flooding_screen_is_dropped_and_the_others_go_on(wall_server_factory: Any) -> None:
    server = wall_server_factory(mode="post")
    calm = _connect(server)
    assert calm.call("join_screen", {"screen": "feed", "name": "calm", "since": None},
                     timeout=10)["mode"] == "snapshot"
    sent: list[int] = []
    flooder = threading.Thread(target=_flood, args=(server, sent))
    flooder.start()
    [post_id] = server.push({"author": "Camille", "text": "still here"})
    while True:
        name, payload = receive_event(calm, timeout=20)
        if name == "post_added" and payload["post"]["id"] == post_id:
            break
    assert requests.get(f"{server.url}/healthz", timeout=10).json()["status"] == "ok"
    flooder.join(60)
    assert sent[-1] == -1, "the flooding client was not disconnected"
    assert calm.call("heartbeat", {"screen": "feed", "name": "calm", "shown": 1},
                     timeout=10) == {"ok": True}
    calm.disconnect()
    warnings = [line for line in server.output if "disconnecting socket" in line]
    assert len(warnings) == 1 and "127.0.0.1" in warnings[0] and "heartbeat" in warnings[0]


def test_heartbeats_without_a_join_are_refused_and_not_listed(wall_server: WallServer) -> None:
    stranger = _connect(wall_server)
    reply = stranger.call("heartbeat", {"screen": "feed", "name": "made-up", "shown": 3},
                          timeout=10)
    assert reply["ok"] is False and "join_screen" in reply["error"]
    screen = _connect(wall_server)
    screen.call("join_screen", {"screen": "feed", "name": "lobby", "since": None}, timeout=10)
    assert screen.call("heartbeat", {"screen": "feed", "name": "lobby", "shown": 2},
                       timeout=10) == {"ok": True}
    listed = wall_server.session().get(f"{wall_server.url}/api/screens", timeout=10).json()
    assert [s["name"] for s in listed["screens"]] == ["lobby"]
    stranger.disconnect()
    screen.disconnect()


def test_an_oversized_payload_disconnects(wall_server: WallServer) -> None:
    padded = _connect(wall_server)
    padded.emit("join_screen", {"screen": "feed", "name": "big", "pad": "x" * 5000})
    assert _dropped(padded)
    # Over python-engineio's buffer the transport itself closes (the client would reconnect).
    huge = _connect(wall_server, reconnection=False)
    huge.emit("heartbeat", {"screen": "feed", "pad": "x" * 100_000})
    assert _dropped(huge)
    _close(padded)
    _close(huge)
    fine = _connect(wall_server)
    assert fine.call("join_screen", {"screen": "feed", "name": "ok", "since": None},
                     timeout=10)["mode"] == "snapshot"
    fine.disconnect()


def test_a_bucket_allows_a_burst_then_one_per_interval() -> None:
    now = [0.0]
    limiter = Limiter(clock=lambda: now[0])
    rate = Rate(burst=5, every=2.0)
    assert [limiter.allow("/", "a", "beat", rate) for _ in range(6)] == [True] * 5 + [False]
    assert limiter.allow("/", "b", "beat", rate)  # another socket has its own bucket
    now[0] = 2.0
    assert limiter.allow("/", "a", "beat", rate) and not limiter.allow("/", "a", "beat", rate)
    assert limiter.mark_over("/", "a") and not limiter.mark_over("/", "a")
    now[0] = 100.0
    assert not limiter.allow("/", "a", "beat", rate)  # dropped sockets stay dropped
    limiter.forget("/", "a")
    limiter.forget("/", "b")
    assert limiter.tracked() == 0


def test_payload_size_is_measured_as_json() -> None:
    assert not too_big({"screen": "feed", "name": "lobby", "since": 12})
    assert too_big({"pad": "x" * 5000}) and too_big(["é" * 2100])
    assert not too_big(None) and not too_big(7)


def test_the_screens_list_is_capped_and_pruned(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    with store.engine.begin() as conn:
        conn.execute(schema.screens.insert().values(
            name="gone", screen="feed", shown=0, last_seen=now() - timedelta(days=2)))
    assert store.list_screens() == []  # unseen for two days: not listed
    for n in range(SCREENS_MAX + 20):  # more than the cap between two flushes
        store.record_screen(f"early-{n}", "feed", n)
    assert store.flush_screens() == SCREENS_MAX
    for n in range(300):  # newer names push the oldest out of the table
        store.record_screen(f"late-{n}", "stats", n)
    store.flush_screens()
    names = {s["name"] for s in store.list_screens()}
    assert len(names) == SCREENS_MAX and {f"late-{n}" for n in range(300)} <= names
    assert "early-20" not in names and f"early-{SCREENS_MAX + 19}" in names
    with store.engine.connect() as conn:
        assert len(conn.execute(schema.screens.select()).fetchall()) == SCREENS_MAX
    store.close()
