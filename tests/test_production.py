"""Production serving: gunicorn on wall.wsgi:app, SIGTERM, environment, logs."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import PASSWORD, ROOT, TOKEN, WallServer, receive_event, write_config


def _env(**extra: str) -> dict[str, str]:
    return dict(os.environ, TEST_WALL_PASSWORD=PASSWORD, TEST_WALL_TOKEN=TOKEN,
                PYTHONUNBUFFERED="1", **extra)


def _feed_client(url: str) -> Any:
    client = socketio.SimpleClient()
    client.connect(url, transports=["websocket"])
    client.call("join_screen", {"screen": "feed", "name": "lobby", "since": None}, timeout=10)
    return client


def _next(client: Any, wanted: str) -> dict[str, Any]:
    while True:
        name, payload = receive_event(client, timeout=15)
        if name == wanted:
            return dict(payload)


@pytest.mark.slow
def test_gunicorn_serves_screens_and_webhook_posts_reach_them(tmp_path: Path) -> None:
    config = write_config(tmp_path, mode="post")
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-k", "gevent", "-w", "1", "-b", "127.0.0.1:0",
         "--graceful-timeout", "5", "wall.wsgi:app"],
        cwd=tmp_path, env=_env(SOCIALWALL_CONFIG=str(config)), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if "serving" in line and "wall.wsgi" in line:
                ready.set()

    pumping = threading.Thread(target=pump, daemon=True)
    pumping.start()
    try:
        assert ready.wait(90), "gunicorn did not start:\n" + "".join(lines)
        port = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", "".join(lines))
        assert port, "".join(lines)
        url = f"http://127.0.0.1:{port.group(1)}"
        page = requests.get(f"{url}/screen/feed", timeout=10)
        assert page.status_code == 200 and 'data-screen="feed"' in page.text
        assert requests.get(f"{url}/static/vendor/socket.io.esm.min.js", timeout=10).ok
        client = _feed_client(url)
        reply = requests.post(f"{url}/api/ingest", json={"posts": [
            {"author": "Camille", "text": "through gunicorn"}]},
            headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert reply.status_code == 202, reply.text
        added = _next(client, "post_added")
        assert added["post"]["text"] == "through gunicorn"
        client.disconnect()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)
        pumping.join(10)
        assert proc.stdout is not None
        proc.stdout.close()
    assert proc.returncode == 0, "".join(lines)
    assert "stopped: sources ended, store closed" in "".join(lines)
    served = [line for line in lines if "wall.wsgi" in line and "serving" in line]
    assert len(served) == 1, "a log line printed twice:\n" + "".join(lines)


@pytest.mark.slow
def test_sigterm_under_webhook_load_exits_0_with_nothing_half_written(tmp_path: Path) -> None:
    config = write_config(tmp_path, mode="post")
    server = WallServer(config)
    server.start()
    acknowledged: list[int] = []
    stop = threading.Event()

    def load() -> None:
        n = 0
        while not stop.is_set() and n < 2000:  # bounded: stops by itself
            n += 1
            batch = [{"author": f"A{n}", "text": f"load {n}-{i}", "id": f"load-{n}-{i}"}
                     for i in range(5)]
            try:
                reply = requests.post(f"{server.url}/api/ingest", json={"posts": batch},
                                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)
            except requests.RequestException:
                return  # the server went away mid-request: that batch was not acknowledged
            if reply.status_code == 202:
                acknowledged.extend(reply.json()["ids"])

    sender = threading.Thread(target=load)
    sender.start()
    while len(acknowledged) < 50 and sender.is_alive():
        time.sleep(0.05)
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    code = server.proc.wait(30)
    stop.set()
    sender.join(10)
    server.stop()
    assert code == 0, "".join(server.output)
    assert "Stopped." in "".join(server.output)
    db = tmp_path / "instance" / "socialwall.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM posts")}
        announced = {row[0] for row in conn.execute("SELECT DISTINCT post_id FROM events")}
    assert set(acknowledged) <= stored  # every acknowledged post was committed
    assert stored <= announced  # and each committed post has its event: no half-write


def test_server_keys_come_from_the_environment_first(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from wall.config import load_config

    path = write_config(tmp_path)
    monkeypatch.setenv("SOCIALWALL_DATABASE_URL", "postgresql+psycopg://wall:s3cret@db/wall")
    monkeypatch.setenv("SOCIALWALL_MESSAGE_QUEUE", "redis://:pw@redis:6379/0")
    monkeypatch.setenv("SOCIALWALL_HOST", "0.0.0.0")
    monkeypatch.setenv("SOCIALWALL_PORT", "8080")
    monkeypatch.setenv("SOCIALWALL_ACCESS_LOG", "true")
    monkeypatch.setenv("SOCIALWALL_LOG_FORMAT", "json")
    monkeypatch.setenv("SOCIALWALL_PROXIES", "1")
    server = load_config(path).server
    assert server.database == "postgresql+psycopg://wall:s3cret@db/wall"
    assert server.message_queue == "redis://:pw@redis:6379/0"
    assert (server.host, server.port, server.access_log, server.log_format, server.proxies) \
        == ("0.0.0.0", 8080, True, "json", 1)


def test_a_bad_environment_value_is_reported_like_a_bad_key(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "wall.cli", "check", "--config",
                             str(write_config(tmp_path))], cwd=ROOT, capture_output=True,
                            text=True, env=_env(SOCIALWALL_PORT="eighty"), timeout=60)
    assert result.returncode == 1
    assert "server.port" in result.stderr and "Traceback" not in result.stderr
    assert "set by the environment variable SOCIALWALL_PORT" in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("async_mode", ["gevent", "threading"])
def test_json_logs_with_an_access_log_and_no_line_twice(tmp_path: Path, async_mode: str) -> None:
    config = write_config(tmp_path, mode="post", async_mode=async_mode, extra="""
        [[sources]]
        type = "demo"
        rate = 1
        backlog = 0
        """)
    proc = subprocess.Popen(
        [sys.executable, "-m", "wall.cli", "run", "--config", str(config), "--port", "0"],
        cwd=ROOT, env=_env(SOCIALWALL_LOG_FORMAT="json", SOCIALWALL_ACCESS_LOG="1"),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = None
        for line in proc.stdout:
            match = re.search(r"Listening on http://127\.0\.0\.1:(\d+)", line)
            if match:
                port = match.group(1)
                break
        assert port
        assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).ok
        time.sleep(1)  # let the access line reach stderr before stopping
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    records = [json.loads(line) for line in err.splitlines() if line.strip()]
    access = [r for r in records if r["logger"] == "wall.access"]
    assert [(r["path"], r["status"]) for r in access] == [("/healthz", 200)]
    # One access log: not the HTTP server's own as well (werkzeug's, in threading mode).
    assert not [r for r in records if "/healthz" in r["message"] and r not in access], err
    started = [r for r in records if "source demo (demo) started" in r["message"]]
    assert len(started) == 1, err


@pytest.mark.slow
def test_ingest_process_beats_then_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    from wall import heartbeat
    from wall.store import Store

    config = write_config(tmp_path, mode="post", extra="""
        [[sources]]
        type = "demo"
        rate = 2
        backlog = 0
        """)
    config.write_text(config.read_text("utf-8").replace(
        "[server]\n", '[server]\nmessage_queue = "redis://127.0.0.1:6379/0"\n'
        f'channel = "ingest-{os.getpid()}-{time.monotonic_ns()}"\n', 1), encoding="utf-8")
    ingest = WallServer(config, command="ingest")
    ingest.start()
    store = Store(f"sqlite:///{tmp_path / 'instance' / 'socialwall.db'}")
    try:
        beat = None
        deadline = time.monotonic() + 30
        while beat is None and time.monotonic() < deadline:
            beat = heartbeat.read(store)
            time.sleep(0.2)
        assert beat is not None, "".join(ingest.output)
        assert {s["name"]: s["state"] for s in beat[1]}["demo"] in ("starting", "ok")
        assert ingest.proc is not None
        ingest.proc.send_signal(signal.SIGTERM)
        assert ingest.proc.wait(30) == 0
    finally:
        ingest.stop()
        store.close()
    assert "Stopped." in "".join(ingest.output)


@pytest.mark.slow
@pytest.mark.parametrize("async_mode", ["threading", "eventlet"])
def test_sigterm_exits_0_in_every_async_mode(tmp_path: Path, async_mode: str) -> None:
    server = WallServer(write_config(tmp_path, async_mode=async_mode))
    server.start()
    server.push({"author": "Camille", "text": "before the stop"})
    assert server.proc is not None
    server.proc.send_signal(signal.SIGTERM)
    assert server.proc.wait(30) == 0, "".join(server.output)
    server.stop()
    assert "Stopped." in "".join(server.output)


@pytest.mark.slow
def test_hosts_sharing_the_secret_key_accept_each_others_sessions(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Sessions are rows in the database and the cookie is signed with the key: hosts of
    # one wall share both (here one SQLite file; PostgreSQL in a real deployment).
    monkeypatch.setenv("SOCIALWALL_SECRET_KEY", "shared-" + "k" * 40)
    monkeypatch.setenv("SOCIALWALL_DATABASE_URL", f"sqlite:///{tmp_path / 'shared.db'}")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = WallServer(write_config(tmp_path / "a"))  # each with its own instance folder
    b = WallServer(write_config(tmp_path / "b"))
    try:
        a.start()
        b.start()
        moderator = a.session()
        pending = moderator.get(f"{b.url}/api/posts?status=pending", timeout=10)
        assert pending.status_code == 200, "host B refused host A's moderator session"
        assert not (tmp_path / "b" / "instance" / "secret_key").exists()
    finally:
        a.stop()
        b.stop()
