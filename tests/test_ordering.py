"""One ordered stream: under concurrent writes every screen applies every event once, in order."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import TOKEN, WallServer, receive_event

WRITERS = 6
POSTS_PER_WRITER = 8
SCREENS = 3


def push_one(server: WallServer, n: int) -> int:
    """Send one post through the webhook, alone, as a separate HTTP request."""
    reply = requests.post(f"{server.url}/api/ingest",
                          json={"id": f"o-{n}", "author": f"Writer {n}",
                                "text": f"ordered post {n} #TestDays"},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert reply.status_code == 202, reply.text
    ids: list[int] = reply.json()["ids"]
    return ids[0]


def join(server: WallServer) -> tuple[Any, int]:
    """Connect a screen; return it with the seq of its (empty) snapshot."""
    client = socketio.SimpleClient()
    client.connect(server.url, transports=["websocket"])
    ack = client.call("join_screen", {"screen": "feed", "name": "order", "since": None},
                      timeout=10)
    assert ack["mode"] == "snapshot" and ack["posts"] == []
    return client, int(ack["seq"])


def shown_after(client: Any, seq: int, until_quiet: float = 4.0) -> tuple[set[int], list[int]]:
    """Apply events as a screen does until none comes for a while; return ids shown, seqs."""
    shown: set[int] = set()
    applied: list[int] = []
    while True:
        try:
            name, event = receive_event(client, until_quiet)
        except socketio.exceptions.TimeoutError:
            return shown, applied
        if name not in ("post_added", "post_removed"):
            continue
        applied.append(event["seq"])
        if name == "post_added":
            assert event["post"]["id"] not in shown, f"post added twice: {event}"
            shown.add(event["post"]["id"])
        else:
            assert event["id"] in shown, f"removed before it was added: {event}"
            shown.remove(event["id"])


@pytest.mark.parametrize("async_mode", ["threading", "gevent", "eventlet"])
def test_concurrent_webhooks_and_decisions_reach_every_screen_once_in_order(
        wall_server_factory: Any, async_mode: str) -> None:
    server = wall_server_factory(mode="post", async_mode=async_mode)
    screens = [join(server) for _ in range(SCREENS)]

    def write(writer: int) -> None:
        moderator = server.session()
        for k in range(POSTS_PER_WRITER):
            post_id = push_one(server, writer * POSTS_PER_WRITER + k)
            if k % 3 == 0:  # a moderator rejects some at once, racing the other writers
                reply = moderator.post(f"{server.url}/api/posts/{post_id}/reject", timeout=30)
                assert reply.status_code == 200, reply.text

    with ThreadPoolExecutor(WRITERS) as pool:
        list(pool.map(write, range(WRITERS)))
    approved = {p["id"] for p in requests.get(f"{server.url}/api/posts",
                                              params={"limit": 500}, timeout=10).json()["posts"]}
    assert len(approved) >= WRITERS * (POSTS_PER_WRITER - 3)
    for client, start in screens:
        shown, applied = shown_after(client, start)
        assert applied == sorted(applied) and len(set(applied)) == len(applied)
        assert shown == approved
        client.disconnect()
