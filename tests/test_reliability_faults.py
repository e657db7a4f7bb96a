"""Faults tried on purpose (docs/reliability.md): a locked SQLite file, a Redis restart."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import TOKEN, WallServer, receive_event, write_config
from tests.test_scaleout import PrivateRedis

BUSY_TIMEOUT = 30  # seconds SQLite waits for a lock (wall/store/connections.py)
HOLDER = textwrap.dedent("""
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")  # the write lock, as a backup tool or a stray script
    print("locked", flush=True)
    sys.stdin.readline()  # held until the test says so
    conn.execute("COMMIT")
    print("released", flush=True)
""")


def push(server: WallServer, *posts: dict[str, Any]) -> requests.Response:
    """Send posts through the webhook; return the raw reply."""
    return requests.post(f"{server.url}/api/ingest", json={"posts": list(posts)},
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=BUSY_TIMEOUT * 3)


def shown_on(client: Any, wanted: set[int], timeout: float = 20) -> list[int]:
    """Read a screen's events until every wanted post was added; return the order seen."""
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while not wanted <= set(seen):
        assert time.monotonic() < deadline, f"missing on the screen: {wanted - set(seen)}"
        name, event = receive_event(client, timeout)
        if name == "post_added":
            seen.append(int(event["post"]["id"]))
    return seen


def screen(server: WallServer) -> Any:
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": "feed", "name": "tv", "since": None}, timeout=10)
    client.__dict__["joined_at"] = ack["seq"]
    client.__dict__["raw_ws"] = client.client.eio.ws  # python-engineio forgets it on a drop
    return client


def close(client: Any) -> None:
    """Close a screen, even one whose connection the server dropped."""
    client.disconnect()
    client.__dict__["raw_ws"].shutdown()


def rejoin(server: WallServer, since: int) -> list[int]:
    """Join as a screen coming back after its connection dropped; return the posts added."""
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": "feed", "name": "tv", "since": since},
                      timeout=10)
    client.disconnect()
    assert ack["mode"] == "events"
    return [int(e["post"]["id"]) for e in ack["events"] if e["type"] == "post_added"]


@pytest.mark.slow
def test_a_locked_database_gets_a_503_loses_nothing_and_recovers(
        wall_server_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post")
    tv = screen(server)
    [before] = server.push({"id": "lock-0", "author": "Ada", "text": "before the lock"})
    holder = subprocess.Popen([sys.executable, "-c", HOLDER,
                               str(server.config_path.parent / "instance" / "socialwall.db")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdin is not None
    try:
        assert holder.stdout.readline().strip() == "locked"
        answers: list[requests.Response] = []
        refused = threading.Thread(target=lambda: answers.append(
            push(server, {"id": "lock-1", "author": "Bo", "text": "during the lock"})))
        refused.start()
        time.sleep(1)  # let the write start waiting for the lock
        # The rest of the server keeps answering while that write waits (SQLite's own
        # busy wait once froze the whole gevent loop for the 30 s): a read made now is
        # answered before the waiting write is.
        shown = requests.get(f"{server.url}/api/posts", timeout=BUSY_TIMEOUT * 3)
        assert shown.status_code == 200 and refused.is_alive(), shown.text
        assert requests.get(f"{server.url}/healthz", timeout=BUSY_TIMEOUT * 3).ok
        assert refused.is_alive()
        refused.join(BUSY_TIMEOUT * 3)
        [reply] = answers
        assert reply.status_code == 503, reply.text
        body = reply.json()
        assert "database is unavailable" in body["error"] and "send again" in body["error"]
        assert "database is locked" in body["errors"][0]["error"]
        assert "Traceback" not in reply.text
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(10)
        holder.stdin.close()
        holder.stdout.close()
    [resent] = server.push({"id": "lock-1", "author": "Bo", "text": "during the lock"})
    [after] = server.push({"id": "lock-2", "author": "Cy", "text": "after the lock"})
    stored = {p["id"] for p in requests.get(f"{server.url}/api/posts", timeout=10).json()["posts"]}
    assert {before, resent, after} <= stored
    # The screen's socket may drop during the stall; a screen coming back asks for what
    # it missed since its last seq, as the screens' own code does.
    assert rejoin(server, tv.__dict__["joined_at"]) == [before, resent, after]
    close(tv)
    assert not [line for line in server.output if "Traceback" in line]


@pytest.mark.slow
def test_a_redis_restart_on_a_single_server_keeps_screens_receiving(tmp_path: Path) -> None:
    redis = PrivateRedis(tmp_path)
    redis.start()
    config = write_config(tmp_path, mode="post")
    config.write_text(config.read_text("utf-8").replace(
        "[server]\n", f'[server]\nmessage_queue = "{redis.url}"\n', 1), encoding="utf-8")
    server = WallServer(config)
    try:
        server.start()
        tvs = [screen(server) for _ in range(2)]
        pushed: list[int] = []
        for n in range(24):
            if n == 8:
                redis.stop()  # Socket.IO's queue and the seq notes go away
            if n == 16:
                redis.start()
            pushed += server.push({"id": f"r-{n}", "author": f"Guest {n}",
                                   "text": f"through a Redis restart {n}"})
            time.sleep(0.2)
        for tv in tvs:
            seen = shown_on(tv, set(pushed), timeout=30)
            assert seen == pushed  # every post, in order, none twice
            tv.disconnect()
    finally:
        server.stop()
        redis.stop()
