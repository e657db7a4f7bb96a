"""kill -9 under load: webhook ingest and moderation running, screens open.

After each restart every acknowledged post and decision is there, and a screen coming
back with its last seq catches up with exactly the approved posts, none twice.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import TOKEN, WallServer, receive_event

ROUNDS = 3
BATCH = 5
MAX_POSTS_PER_ROUND = 120  # /api/posts lists at most 500 per status


@dataclass
class Acknowledged:
    """What the server acknowledged: post ids (202) and decisions (200), by post id."""

    posts: set[int] = field(default_factory=set)
    decisions: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Screen:
    """A screen applying `events` frames as the screens' code does: by seq, none twice."""

    server: WallServer
    shown: set[int] = field(default_factory=set)
    seq: int | None = None
    client: Any = None
    thread: threading.Thread | None = None

    def join(self) -> None:
        """Connect, join with the last applied seq, apply the reply, then listen."""
        self.client = socketio.SimpleClient()
        self.client.connect(self.server.url, transports=["websocket"])
        self.client.__dict__["raw_ws"] = self.client.client.eio.ws
        ack = self.client.call("join_screen", {"screen": "feed", "name": "tv",
                                               "since": self.seq}, timeout=20)
        if ack["mode"] == "snapshot":
            self.shown = {int(p["id"]) for p in ack["posts"]}
        else:
            for event in ack["events"]:
                self.apply(event["type"], event)
        self.seq = int(ack["seq"])
        self.thread = threading.Thread(target=self.listen, daemon=True)
        self.thread.start()

    def apply(self, name: str, event: dict[str, Any]) -> None:
        """Apply one event after the last applied seq."""
        if self.seq is not None and int(event.get("seq", 0)) <= self.seq:
            return
        if name == "post_added":
            post_id = int(event["post"]["id"])
            assert post_id not in self.shown, f"post {post_id} shown twice"
            self.shown.add(post_id)
        elif name == "post_removed":
            self.shown.discard(int(event["id"]))
        if "seq" in event:
            self.seq = int(event["seq"])

    def listen(self) -> None:
        """Apply events until the connection drops."""
        while True:
            try:
                name, event = receive_event(self.client, 1)
            except socketio.exceptions.TimeoutError:
                continue
            except socketio.exceptions.DisconnectedError:
                return
            # Only entries of `events` frames carry the stream's seq; `stats_updated`
            # has a seq of its own meaning (figures as of it) and may come first.
            if isinstance(event, dict) and event.get("type") == name:
                self.apply(name, event)

    def close(self) -> None:
        """Close the client, even after the server vanished."""
        self.client.disconnect()
        self.client.__dict__["raw_ws"].shutdown()
        assert self.thread is not None
        self.thread.join(10)


def pusher(server: WallServer, acked: Acknowledged, prefix: str, stop: threading.Event) -> None:
    """Send batches through the webhook until the server dies; record the acknowledged."""
    for n in range(MAX_POSTS_PER_ROUND // BATCH):
        if stop.is_set():
            return
        posts = [{"id": f"{prefix}-{n}-{k}", "author": f"Guest {k}", "text": f"kill {n} {k}"}
                 for k in range(BATCH)]
        try:
            reply = requests.post(f"{server.url}/api/ingest", json={"posts": posts},
                                  headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        except requests.RequestException:
            return  # killed: this batch was never acknowledged
        if reply.status_code == 202:
            with acked.lock:
                acked.posts.update(int(i) for i in reply.json()["ids"] if i is not None)


def moderator(server: WallServer, acked: Acknowledged, stop: threading.Event) -> None:
    """Approve two posts in three, reject the third, as they come; record acknowledged."""
    try:
        http = server.session()
    except requests.RequestException:
        return
    n = 0
    while not stop.is_set():
        with acked.lock:
            todo = sorted(acked.posts - acked.decisions.keys())[:5]
        if not todo:
            time.sleep(0.02)
            continue
        for post_id in todo:
            action = "reject" if n % 3 == 2 else "approve"
            n += 1
            try:
                reply = http.post(f"{server.url}/api/posts/{post_id}/{action}", timeout=10)
            except requests.RequestException:
                return
            if reply.status_code == 200:
                with acked.lock:
                    acked.decisions[post_id] = "rejected" if action == "reject" else "approved"


def statuses(server: WallServer) -> dict[int, str]:
    """Return every stored post's status, read through the moderators' API."""
    http = server.session()
    found: dict[int, str] = {}
    for status in ("pending", "approved", "rejected"):
        reply = http.get(f"{server.url}/api/posts", params={"status": status, "limit": 500},
                         timeout=10)
        found.update({int(p["id"]): status for p in reply.json()["posts"]})
    return found


@pytest.mark.slow
def test_kill_9_under_load_loses_no_acknowledged_post_or_decision(
        wall_server_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="pre")
    acked = Acknowledged()
    tv = Screen(server)
    tv.join()
    for round_ in range(ROUNDS):
        stop = threading.Event()
        workers = [threading.Thread(target=pusher, args=(server, acked, f"k{round_}", stop)),
                   threading.Thread(target=moderator, args=(server, acked, stop))]
        for worker in workers:
            worker.start()
        before = len(acked.decisions)
        while len(acked.decisions) < before + 20 and any(w.is_alive() for w in workers):
            time.sleep(0.05)
        assert server.proc is not None
        server.proc.kill()  # SIGKILL mid-flight: no shutdown handler runs
        server.proc.wait(10)
        stop.set()
        for worker in workers:
            worker.join(30)
        tv.close()
        port = server.port
        server.stop()
        server.proc, server.output, server.port = None, [], port
        server.start()  # the same port: the screen comes back where it was

        stored = statuses(server)
        missing = acked.posts - stored.keys()
        assert not missing, f"acknowledged posts lost: {sorted(missing)}"
        wrong = {i: (d, stored[i]) for i, d in acked.decisions.items() if stored[i] != d}
        assert not wrong, f"acknowledged decisions lost: {wrong}"
        tv.join()  # with its last seq: only what it missed
        approved = {i for i, s in stored.items() if s == "approved"}
        assert tv.shown == approved
    assert len(acked.posts) >= ROUNDS * 20 and len(acked.decisions) >= ROUNDS * 20
    tv.close()
