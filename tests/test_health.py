"""/healthz says why a wall is unhealthy without leaking secrets; /metrics for Prometheus."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import PASSWORD, TOKEN, WallServer, write_config
from tests.pg import fresh_database
from tests.standins import wait_for
from wall import create_app, heartbeat
from wall.config import load_config
from wall.runtime import get_wall
from wall.web.health import SEPARATE_INGEST

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _app(tmp_path: Path, extra: str = "", server: str = "") -> Any:
    path = write_config(tmp_path, mode="post", async_mode="threading", extra=extra)
    if server:
        text = path.read_text("utf-8").replace("[server]\n", f"[server]\n{server}\n", 1)
        path.write_text(text, encoding="utf-8")
    return create_app(load_config(path), {"TESTING": True})


def test_every_source_down_is_a_503_showing_states_but_no_url_or_error(tmp_path: Path) -> None:
    port = _free_port()  # nothing listens there: every fetch is refused
    app = _app(tmp_path, extra=f"""
        [[sources]]
        type = "rss"
        name = "press"
        url = "http://feeduser:s3cret@127.0.0.1:{port}/private.xml?key=k3y"
        interval = 30
        """)
    wall = get_wall(app)
    wall.start()
    try:
        client = app.test_client()
        wait_for(lambda: client.get("/healthz").get_json()["sources"][1]["state"] == "down",
                 timeout=60, what="the feed to count as down")
        reply = client.get("/healthz")
        text = reply.get_data(as_text=True)
        assert reply.status_code == 503
        assert reply.get_json()["reasons"] == ["sources: every source is down"]
        for secret in ("s3cret", "feeduser", "k3y", str(port), "private.xml", "refused"):
            assert secret not in text
        assert client.get("/api/sources").status_code == 401  # details are for moderators
        moderator = app.test_client()
        assert moderator.post("/moderate/login", data={"password": PASSWORD}).status_code == 302
        detailed = moderator.get("/api/sources").get_json()["sources"]
        feed = next(s for s in detailed if s["name"] == "press")
        assert feed["state"] == "down" and feed["last_error"]  # the sources panel shows why
    finally:
        wall.stop()
        wall.store.close()


def test_healthy_wall_answers_200_with_no_reason(tmp_path: Path) -> None:
    app = _app(tmp_path)
    reply = app.test_client().get("/healthz")
    assert reply.status_code == 200
    assert reply.get_json()["reasons"] == [] and reply.get_json()["status"] == "ok"
    get_wall(app).store.close()


def test_a_server_whose_ingest_process_is_silent_answers_503(tmp_path: Path) -> None:
    app = _app(tmp_path, extra="""
        [[sources]]
        type = "demo"
        """)
    app.config[SEPARATE_INGEST] = True
    client = app.test_client()
    silent = client.get("/healthz")
    assert silent.status_code == 503 and silent.get_json()["ingest"] == "down"
    assert "ingest" in silent.get_json()["reasons"][0]
    wall = get_wall(app)
    heartbeat.beat(wall.store, [{"name": "demo", "type": "demo", "enabled": True,
                                 "state": "ok", "failures": 0, "posts": 3,
                                 "last_post_at": None}])
    alive = client.get("/healthz").get_json()
    assert alive["ingest"] == "ok" and alive["reasons"] == []
    assert {s["name"]: s["state"] for s in alive["sources"]}["demo"] == "ok"
    wall.store.close()


@pytest.fixture
def redis_port(tmp_path: Path) -> Iterator[tuple[int, Any]]:
    """A Redis server of this test's own (the machine's is shared): (port, restart)."""
    if shutil.which("redis-server") is None:
        _unavailable("redis-server is not installed (apt-get install redis-server)")
    port = _free_port()
    procs: list[subprocess.Popen[bytes]] = []

    def start() -> None:
        procs.append(subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL))
        wait_for(lambda: _answers(port), what="redis-server")

    start()
    yield port, start
    for proc in procs:
        proc.terminate()
        proc.wait(10)


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def test_healthz_is_503_while_redis_is_down_and_200_after(tmp_path: Path,
                                                          redis_port: tuple[int, Any]) -> None:
    port, start = redis_port
    app = _app(tmp_path, server=f'message_queue = "redis://127.0.0.1:{port}/0"\n'
               f'channel = "health-{uuid.uuid4().hex[:8]}"')
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    subprocess.run(["redis-cli", "-p", str(port), "shutdown", "nosave"], check=False,
                   capture_output=True)
    wait_for(lambda: not _answers(port), what="redis to stop")
    down = client.get("/healthz")
    assert down.status_code == 503 and down.get_json()["message_queue"] == "down"
    assert down.get_json()["reasons"] == ["message queue: Redis not answering"]
    start()
    up = client.get("/healthz")
    assert up.status_code == 200 and up.get_json()["message_queue"] == "ok"
    get_wall(app).store.close()


def test_healthz_is_503_when_postgresql_is_gone(tmp_path: Path) -> None:
    psycopg = pytest.importorskip("psycopg")
    with fresh_database("socialwall_health") as url:
        app = _app(tmp_path, server=f'database = "{url}"')
        client = app.test_client()
        assert client.get("/healthz").status_code == 200
        get_wall(app).store.close()
        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
        gone = client.get("/healthz")
    assert gone.status_code == 503
    assert gone.get_json()["database"] == "down" and gone.get_json()["seq"] is None


@pytest.mark.slow
def test_metrics_count_posts_screens_and_ingest_latency(tmp_path: Path) -> None:
    server = WallServer(write_config(tmp_path, mode="post"))
    server.start()
    try:
        screen = socketio.SimpleClient()
        screen.connect(server.url, transports=["websocket"])
        screen.call("join_screen", {"screen": "stats", "name": "lobby-left"}, timeout=10)
        screen.call("heartbeat", {"screen": "stats", "name": "lobby-left", "shown": 0},
                    timeout=10)
        reply = requests.post(f"{server.url}/api/ingest", json={"posts": [
            {"author": "Camille", "text": "one"}, {"author": "Noa", "text": "two"},
            {"author": "Eli", "text": "three"}]},
            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        last = reply.json()["ids"][-1]
        server.session().post(f"{server.url}/api/posts/{last}/reject",
                              timeout=10).raise_for_status()
        reply = requests.get(f"{server.url}/metrics", timeout=10)
        screen.disconnect()
    finally:
        server.stop()
    assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("text/plain")
    lines = reply.text.splitlines()
    assert 'socialwall_posts{status="approved"} 2.0' in lines
    assert 'socialwall_posts{status="rejected"} 1.0' in lines
    assert "socialwall_fanout_seconds_count 1.0" in lines
    assert 'socialwall_screens_connected{page="stats"} 1.0' in lines
    assert 'socialwall_ingest_seconds_count{source="webhook"} 1.0' in lines
    assert "socialwall_webhook_posts_total 3.0" in lines
    seq = next(line for line in lines if line.startswith("socialwall_last_event_seq "))
    assert float(seq.split()[1]) >= 2
