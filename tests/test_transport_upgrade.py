"""A WebSocket upgrade abandoned half-way: the connection keeps working on long-polling.

The Engine.IO protocol by hand (requests and websocket-client, both already installed
with python-socketio), because no client library lets a test stop an upgrade between
its probe and its end: that is what a client does when it gives up waiting for the
probe's answer on a loaded machine, or when a proxy cuts the WebSocket.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
import websocket

ENGINE = "/socket.io/?EIO=4&transport="


def _packets(body: str) -> list[str]:
    return body.split("\x1e")  # Engine.IO 4 separates long-polling packets with 0x1e


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet", "threading"])
def test_a_screen_whose_upgrade_was_abandoned_still_gets_its_join_answer(
        wall_server_factory: Any, async_mode: str) -> None:
    server = wall_server_factory(mode="post", async_mode=async_mode)
    http = requests.Session()
    opened = http.get(f"{server.url}{ENGINE}polling", timeout=10).text
    sid = json.loads(opened[1:])["sid"]
    polling = f"{server.url}{ENGINE}polling&sid={sid}"
    assert http.post(polling, data="40", timeout=10).ok  # Socket.IO connect
    assert http.get(polling, timeout=10).text.startswith("40")
    probe = websocket.create_connection(
        f"{server.url.replace('http', 'ws')}{ENGINE}websocket&sid={sid}", timeout=10)
    probe.send("2probe")
    probe.close()  # gone before the upgrade ends
    join = '4217["join_screen",{"screen":"feed","name":"lobby"}]'
    assert http.post(polling, data=join, timeout=10).ok
    answers = []
    for _ in range(5):  # NOOPs first, then the acknowledgement
        answers += _packets(http.get(polling, timeout=30).text)
        if any(p.startswith("4317") for p in answers):
            break
    ack = next((p for p in answers if p.startswith("4317")), None)
    assert ack is not None, f"no join acknowledgement over long-polling, only {answers}"
    assert json.loads(ack[4:])[0]["mode"] == "snapshot"
