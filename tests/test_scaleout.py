"""Several server processes and a separate ingest process on PostgreSQL and Redis."""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
import requests
import socketio

from tests.conftest import WallServer, receive_event, write_config

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on this machine's server, dropped afterwards."""
    name = f"socialwall_test_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(f"PostgreSQL is not reachable on 127.0.0.1:5432 ({exc}); start it with "
                    "pg_ctlcluster <version> main start")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def shared_config(tmp_path: Path, pg_url: str) -> Path:
    """A post-moderated wall on PostgreSQL with a Redis queue on a channel of its own."""
    path = write_config(tmp_path, mode="post", extra="""
        [[sources]]
        type = "demo"
        rate = 4
        backlog = 0
        """)
    text = path.read_text(encoding="utf-8").replace(
        "[server]\n", f'[server]\ndatabase = "{pg_url}"\nmessage_queue = "{REDIS}"\n'
        f'channel = "socialwall-test-{uuid.uuid4().hex[:8]}"\n', 1)
    path.write_text(text, encoding="utf-8")
    return path


def start(config: Path, command: str = "run", *args: str) -> WallServer:
    server = WallServer(config, command=command, args=args)
    server.start()
    return server


def screen(server: WallServer, since: int | None = None) -> tuple[Any, dict[str, Any]]:
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": "feed", "name": "t", "since": since}, timeout=10)
    return client, ack


def next_event(client: Any, wanted: str, timeout: float = 15) -> dict[str, Any]:
    while True:
        name, payload = receive_event(client, timeout)
        if name == wanted:
            return dict(payload)


@pytest.mark.slow
def test_servers_share_state_and_events(shared_config: Path) -> None:
    a = start(shared_config, "run", "--no-sources")
    b = start(shared_config, "run", "--no-sources")
    ingest: WallServer | None = None
    try:
        on_b, ack = screen(b)
        assert ack["posts"] == []
        [post_id] = a.push({"author": "Camille", "text": "posted through server A"})
        added = next_event(on_b, "post_added")
        assert added["post"]["id"] == post_id

        a.session().post(f"{a.url}/api/posts/{post_id}/reject", timeout=10).raise_for_status()
        removed = next_event(on_b, "post_removed")
        assert removed["id"] == post_id and removed["seq"] > added["seq"]

        ingest = start(shared_config, "ingest")
        from_ingest = next_event(on_b, "post_added")
        assert from_ingest["post"]["source"] == "demo"
        on_a, snapshot = screen(a)
        assert from_ingest["post"]["id"] in [p["id"] for p in snapshot["posts"]]

        # A screen moving from B to A catches up from A with the same numbered events.
        seen: list[dict[str, Any]] = [from_ingest]
        for _ in range(3):
            seen.append(next_event(on_b, "post_added"))
        caught, sync = screen(a, since=added["seq"])
        assert sync["mode"] == "events"
        replayed = {e["seq"]: e for e in sync["events"]}
        assert removed["seq"] in replayed
        for event in seen:
            assert replayed[event["seq"]]["post"]["id"] == event["post"]["id"]
        for client in (on_a, on_b, caught):
            client.disconnect()
    finally:
        for proc in (ingest, b, a):
            if proc is not None:
                proc.stop()


def test_ingest_without_a_queue_is_refused(tmp_path: Path) -> None:
    server = WallServer(write_config(tmp_path), command="ingest")
    with pytest.raises(RuntimeError) as caught:
        server.start(timeout=30)
    server.stop()
    assert "needs [server] message_queue" in str(caught.value)
    assert "Traceback" not in str(caught.value)


class PrivateRedis:
    """A redis-server of this test alone, on a free port (the machine's Redis is shared)."""

    def __init__(self, tmp_path: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.dir = tmp_path
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.dir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


def drain(client: Any, quiet: float = 5.0) -> tuple[set[int], list[int]]:
    """Apply a screen's events until none comes for `quiet` seconds; return shown ids, seqs."""
    shown: set[int] = set()
    applied: list[int] = []
    while True:
        try:
            name, event = receive_event(client, quiet)
        except socketio.exceptions.TimeoutError:
            return shown, applied
        if name == "post_added":
            applied.append(event["seq"])
            assert event["post"]["id"] not in shown, f"shown twice: {event}"
            shown.add(event["post"]["id"])
        elif name == "post_removed":
            applied.append(event["seq"])
            shown.discard(event["id"])


@pytest.mark.slow
def test_a_redis_restart_loses_nothing_on_any_screen(tmp_path: Path, pg_url: str) -> None:
    redis = PrivateRedis(tmp_path)
    redis.start()
    config = write_config(tmp_path, mode="post", extra="""
        [[sources]]
        type = "demo"
        rate = 3
        backlog = 0
        """)
    text = config.read_text(encoding="utf-8").replace(
        "[server]\n", f'[server]\ndatabase = "{pg_url}"\nmessage_queue = "{redis.url}"\n', 1)
    config.write_text(text, encoding="utf-8")
    servers: list[WallServer] = []
    try:
        servers += [start(config, "run", "--no-sources"), start(config, "run", "--no-sources")]
        screens = [screen(server)[0] for server in servers for _ in range(2)]
        servers.append(start(config, "ingest"))
        moderator = servers[0].session()
        for n in range(30):
            if n == 10:
                redis.stop()  # mid-run: the notes and Socket.IO's queue go away
            if n == 20:
                redis.start()
            [post_id] = servers[n % 2].push({"id": f"r-{n}", "author": f"Guest {n}",
                                             "text": f"through a Redis restart {n}"})
            if n % 4 == 0:
                moderator.post(f"{servers[0].url}/api/posts/{post_id}/reject",
                               timeout=10).raise_for_status()
            time.sleep(0.2)
        servers.pop().stop()  # the ingest process: the demo source stops posting
        approved = {p["id"] for p in requests.get(f"{servers[0].url}/api/posts",
                                                  params={"limit": 500}, timeout=10).json()
                    ["posts"]}
        assert len(approved) >= 22
        for client in screens:
            shown, applied = drain(client)
            assert applied == sorted(set(applied))
            assert shown == approved
            client.disconnect()
    finally:
        for server in reversed(servers):
            server.stop()
        redis.stop()
