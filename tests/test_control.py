"""Announcements with a duration, their dismissal, and the control API's token."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from tests.conftest import WallServer
from tests.test_realtime import receive_until, screen_client

CONTROL_TOKEN = "lobby-scheduler-token"
CONTROL = """
[moderators]
password_env = "TEST_WALL_PASSWORD"
control_token_env = "TEST_CONTROL_TOKEN"
"""


@pytest.fixture
def control_server(wall_server_factory: Any, monkeypatch: pytest.MonkeyPatch) -> WallServer:
    monkeypatch.setenv("TEST_CONTROL_TOKEN", CONTROL_TOKEN)
    server: WallServer = wall_server_factory(mode="post")
    # The base config has a [moderators] table: add the key to it.
    text = server.config_path.read_text(encoding="utf-8").replace(
        '[moderators]\npassword_env = "TEST_WALL_PASSWORD"\n', CONTROL.lstrip())
    server.stop()
    server.config_path.write_text(text, encoding="utf-8")
    server.output.clear()
    server.port = 0
    server.start()
    return server


def test_announcement_has_a_duration_and_can_be_dismissed(wall_server: WallServer) -> None:
    http = wall_server.session()
    screen, _ = screen_client(wall_server)
    reply = http.post(f"{wall_server.url}/api/host_messages",
                      json={"text": "Fire drill at 11:00", "duration": 90}, timeout=10)
    assert reply.status_code == 201, reply.text
    assert reply.json()["post"]["network"] == "host"
    [shown] = receive_until(screen, "announcement_shown")
    banner = shown["announcement"]
    assert banner["text"] == "Fire drill at 11:00" and 85 <= banner["remaining"] <= 90
    state = requests.get(f"{wall_server.url}/api/wall", timeout=10).json()
    assert state["announcement"]["text"] == "Fire drill at 11:00"
    for bad in ({"text": "x", "duration": 0}, {"text": "x", "duration": "long"},
                {"text": "x", "duration": True}, {"text": ""}):
        assert http.post(f"{wall_server.url}/api/host_messages", json=bad,
                         timeout=10).status_code == 400
    assert requests.post(f"{wall_server.url}/api/announcement/dismiss",
                         timeout=10).status_code == 401
    assert http.post(f"{wall_server.url}/api/announcement/dismiss", timeout=10).ok
    receive_until(screen, "announcement_dismissed")
    assert requests.get(f"{wall_server.url}/api/wall", timeout=10).json()["announcement"] is None
    assert http.post(f"{wall_server.url}/api/announcement/dismiss",
                     timeout=10).status_code == 409
    screen.disconnect()


def test_control_api_is_off_without_a_configured_token(wall_server: WallServer) -> None:
    for what in ("pause", "resume", "announce"):
        reply = requests.post(f"{wall_server.url}/api/control/{what}", json={"text": "x"},
                              headers={"Authorization": "Bearer anything"}, timeout=10)
        assert reply.status_code == 404
        assert "control_token_env" in reply.json()["error"]


def test_control_api_needs_its_token(control_server: WallServer) -> None:
    url = control_server.url
    screen, _ = screen_client(control_server)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": CONTROL_TOKEN}):
        assert requests.post(f"{url}/api/control/pause", headers=headers,
                             timeout=10).status_code == 401
    assert requests.get(f"{url}/api/wall", timeout=10).json()["paused"] is False
    auth = {"Authorization": f"Bearer {CONTROL_TOKEN}"}
    reply = requests.post(f"{url}/api/control/pause", headers=auth, timeout=10)
    assert reply.json() == {"paused": True, "changed": True}
    receive_until(screen, "wall_paused")
    # Schedulers repeat themselves: a second pause is not an error.
    assert requests.post(f"{url}/api/control/pause", headers=auth, timeout=10).ok
    assert requests.post(f"{url}/api/control/resume", headers=auth, timeout=10).ok
    receive_until(screen, "wall_resumed")
    reply = requests.post(f"{url}/api/control/announce", headers=auth,
                          json={"text": "Doors close in 10 minutes", "duration": 600}, timeout=10)
    assert reply.status_code == 201
    [shown] = receive_until(screen, "announcement_shown")
    assert shown["announcement"]["text"] == "Doors close in 10 minutes"
    assert requests.post(f"{url}/api/control/announce", headers=auth, json={},
                         timeout=10).status_code == 400
    screen.disconnect()
