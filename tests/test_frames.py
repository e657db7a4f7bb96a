"""Frames built once per broadcast are the frames wsproto would build, and arrive whole."""

from __future__ import annotations

from typing import Any

import pytest
import requests
import socketio
from wsproto.frame_protocol import FrameProtocol

from tests.conftest import TOKEN, receive_event
from wall.realtime.frames import text_frame

# Sizes around the three length encodings of RFC 6455 (7-bit, 16-bit, 64-bit), counted in
# UTF-8 bytes, with characters of one to four bytes.
TEXTS = ["", "2", "a" * 125, "a" * 126, "é" * 63, "é" * 64, "a" * 65535, "a" * 65536,
         "😀" * 16384, "😀" * 16383 + "abcd", '42["events",{"seq":1}]' + "Ünïcödé 🚗 " * 9000]


@pytest.mark.parametrize("text", TEXTS, ids=lambda t: f"{len(t.encode())}-bytes")
def test_a_frame_is_the_one_wsproto_builds(text: str) -> None:
    assert text_frame(text) == bytes(FrameProtocol(client=False, extensions=[])
                                     .send_data(text, fin=True))


def screen(url: str) -> tuple[Any, int]:
    client = socketio.SimpleClient()
    client.connect(url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": "feed", "name": "frames", "since": None},
                      timeout=10)
    return client, int(ack["seq"])


@pytest.mark.parametrize("async_mode", ["gevent", "threading"])
def test_every_screen_gets_large_and_multibyte_broadcasts_whole(
        wall_server_factory: Any, async_mode: str) -> None:
    server = wall_server_factory(mode="post", async_mode=async_mode)
    screens = [screen(server.url) for _ in range(3)]
    # One batch: its events leave in frames well past 64 KiB (the 64-bit length form).
    sent = {f"f-{n}": f"Post {n} 🚗 Ünïcödé «garage» " + "€ and 😀 " * 120 + " #TestDays"
            for n in range(60)}
    reply = requests.post(f"{server.url}/api/ingest",
                          json={"posts": [{"id": key, "author": "Frames", "text": text}
                                          for key, text in sent.items()]},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert reply.status_code == 202, reply.text
    stored = {p["id"]: p["text"] for p in requests.get(
        f"{server.url}/api/posts", params={"limit": 500}, timeout=10).json()["posts"]}
    assert len(stored) == len(sent)
    for client, _seq in screens:
        shown: dict[int, str] = {}
        while len(shown) < len(sent):
            name, event = receive_event(client, 20)
            if name == "post_added":
                shown[event["post"]["id"]] = event["post"]["text"]
        assert shown == stored
        assert client.call("join_screen", {"screen": "feed", "name": "frames",
                                           "since": None}, timeout=10)["posts"]
        client.disconnect()


def test_a_plain_wsproto_connection_is_recognised_as_plain() -> None:
    """Guards the attributes read on wsproto: renamed, every frame would go the slow way."""
    from types import SimpleNamespace

    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, Request

    from wall.realtime.frames import _extensions

    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="localhost", target="/socket.io/")))
    assert any(isinstance(event, Request) for event in server.events())
    server.send(AcceptConnection())
    assert _extensions(SimpleNamespace(ws=server)) == []


def test_a_frame_larger_than_the_socket_buffer_arrives_whole() -> None:
    """A slow screen takes part of a frame per send: the rest follows, in order."""
    import socket
    import threading
    from types import SimpleNamespace

    from wsproto import ConnectionType, WSConnection
    from wsproto.events import AcceptConnection, Request

    from wall.realtime.frames import FramedSocket

    client, server = WSConnection(ConnectionType.CLIENT), WSConnection(ConnectionType.SERVER)
    server.receive_data(client.send(Request(host="localhost", target="/socket.io/")))
    list(server.events())
    server.send(AcceptConnection())
    near, far = socket.socketpair()
    near.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    near.settimeout(10)  # one send() writes what fits, as on gevent's non-blocking sockets
    text = "42[\"events\"," + "é🚗 lobby " * 60000 + "]"  # ~900 KB
    received = bytearray()

    def read() -> None:
        while chunk := far.recv(65536):
            received.extend(chunk)

    reader = threading.Thread(target=read)
    reader.start()
    inner = SimpleNamespace(ws=server, sock=near, connected=True)
    FramedSocket(SimpleNamespace(ws=inner)).send(text)
    near.close()
    reader.join(10)
    far.close()
    assert bytes(received) == text_frame(text)
