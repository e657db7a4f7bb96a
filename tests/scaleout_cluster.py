"""Parts of the scale-out fault tests: a private PostgreSQL cluster and feed-like screens."""

from __future__ import annotations

import glob
import logging
import os
import queue
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import socketio

log = logging.getLogger(__name__)


def unavailable(reason: str) -> None:
    """Skip a test that needs a missing program; fail instead on CI (CI=true)."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def free_port() -> int:
    """Return a TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivatePostgres:
    """A PostgreSQL cluster of these tests alone (initdb in a temporary folder, a free port),
    so that it can be stopped and started without touching the machine's shared server."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            unavailable("PostgreSQL's server binaries are not installed "
                        "(/usr/lib/postgresql/*/bin/initdb; apt-get install postgresql)")
        self.bin = Path(found[-1]).parent
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="socialwall-pg-"))
        self.data = self.dir / "data"
        # initdb refuses root: run the cluster as the `postgres` user, in a folder it owns.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                unavailable("running as root and `runuser` is missing: initdb refuses root")
            shutil.chown(self.dir, user="postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "-E", "UTF8", "--no-sync")

    @property
    def url(self) -> str:
        """Return the SQLAlchemy URL of the cluster's `postgres` database."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        done = subprocess.run([*self.as_user, str(self.bin / tool), *args],
                              capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{tool} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        """Start the cluster and wait until it accepts connections."""
        options = (f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                   f"-c unix_socket_directories={self.dir} -c fsync=off")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w",
                  "-t", "60", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        """Stop the cluster: `fast` closes every session (a restart), `immediate` crashes."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def remove(self) -> None:
        """Stop the cluster if it runs and delete its folder."""
        subprocess.run([*self.as_user, str(self.bin / "pg_ctl"), "-D", str(self.data), "-m",
                        "immediate", "stop"], capture_output=True, check=False, timeout=60)
        shutil.rmtree(self.dir, ignore_errors=True)


BEAT_EVERY = 5.0  # seconds between heartbeats (the page: 15; the server allows one per 2 s)


class Screen:
    """A feed page in Python: it joins with `since`, applies batched `events` frames once,
    in seq order, joins again with `since` after a reconnect or a missed frame, and sends
    heartbeats. On a lost connection it connects to the next server of its list, as nginx
    sends a screen to a live upstream."""

    def __init__(self, urls: list[str], name: str) -> None:
        self.urls = list(urls)
        self.name = name
        self.shown: list[int] = []  # post ids, newest first, as the feed lays them out
        self.last_seq: int | None = None
        self.applied: list[int] = []  # seqs of the events applied, in order
        self.joins = 0
        self.servers_used: list[str] = []
        self.inbox: queue.Queue[tuple[int, str, Any]] = queue.Queue()
        self.client: socketio.Client | None = None
        self.generation = 0
        self.lost = -1  # the generation whose connection closed
        self.synced = False
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True, name=f"screen-{name}")
        self.thread.start()

    def close(self) -> None:
        """Stop the screen and close its connection."""
        self.stopped.set()
        self.thread.join(20)
        if self.client is not None:
            self._release(self.client)

    @staticmethod
    def _release(client: socketio.Client) -> None:
        """Close a connection and its socket, whatever state it is in."""
        try:
            client.disconnect()
        except Exception:  # already closed by the server going away
            log.debug("closing a lost connection", exc_info=True)
        eio = client.eio
        if getattr(eio, "ws", None) is not None:
            try:
                eio.ws.close()
            except Exception:  # already closed
                log.debug("closing a lost websocket", exc_info=True)
        if getattr(eio, "http", None) is not None:
            eio.http.close()

    def _connect(self) -> bool:
        """Connect to the first server of the list that answers (the list keeps its order)."""
        self.generation += 1
        generation = self.generation
        for url in list(self.urls):
            client = socketio.Client(reconnection=False)
            client.on("events", lambda frame, g=generation: self.inbox.put((g, "events", frame)))
            client.on("disconnect", lambda *_, g=generation: setattr(self, "lost", g))
            try:
                client.connect(url, transports=["websocket"], wait_timeout=5)
            except socketio.exceptions.ConnectionError:
                self._release(client)
                continue
            self.client, self.synced = client, False
            self.servers_used.append(url)
            return True
        return False

    def _join(self) -> None:
        """Ask for what was missed since the last applied event (a snapshot the first time)."""
        assert self.client is not None
        self.joins += 1
        try:
            ack = self.client.call("join_screen", {"screen": "feed", "name": self.name,
                                                   "since": self.last_seq}, timeout=5)
        except (socketio.exceptions.TimeoutError, socketio.exceptions.SocketIOError):
            return  # the server could not answer (its database is away): try again
        if not isinstance(ack, dict) or "seq" not in ack:
            return
        if ack["mode"] == "snapshot":
            self.shown = [post["id"] for post in ack["posts"]]
            self.last_seq = ack["seq"]
        elif self.last_seq is not None and ack["seq"] < self.last_seq:
            self.last_seq = None  # the server's log went backwards: a snapshot next time
            return
        else:
            for event in ack["events"]:
                self._apply(event)
            self.last_seq = max(self.last_seq or 0, ack["seq"])
        self.synced = True

    def _apply(self, event: dict[str, Any]) -> None:
        """Apply one event unless it was already applied, as static/js/socket.js does."""
        if self.last_seq is not None and event["seq"] <= self.last_seq:
            return
        self.last_seq = event["seq"]
        self.applied.append(event["seq"])
        if event["type"] == "post_added":
            if event["post"]["id"] not in self.shown:  # feed.js replaces a shown post
                self.shown.insert(0, event["post"]["id"])
        elif event["type"] == "post_removed" and event["id"] in self.shown:
            self.shown.remove(event["id"])

    def _frame(self, frame: dict[str, Any]) -> None:
        """Apply a frame, or join again when one was missed (its `after` is past ours)."""
        if self.last_seq is not None and frame["after"] > self.last_seq:
            self._join()
            return
        for event in frame["events"]:
            self._apply(event)
        self.last_seq = max(self.last_seq or 0, frame["seq"])

    def _run(self) -> None:
        """Connect, sync, apply frames in the order received, send heartbeats."""
        beat = 0.0
        while not self.stopped.is_set():
            if self.client is not None and self.lost == self.generation:
                self._release(self.client)
                self.client = None
            if self.client is None and not self._connect():
                time.sleep(0.3)
                continue
            if not self.synced:
                self._join()
                if not self.synced:
                    time.sleep(1.0)  # the page retries a failed join after a while too
                    continue
            try:
                generation, kind, payload = self.inbox.get(timeout=0.2)
            except queue.Empty:
                generation, kind, payload = -1, "", None
            if generation == self.generation and kind == "events":
                self._frame(payload)
            if self.client is not None and time.monotonic() - beat > BEAT_EVERY:
                beat = time.monotonic()
                try:
                    self.client.emit("heartbeat", {"screen": "feed", "name": self.name,
                                                   "shown": len(self.shown)})
                except socketio.exceptions.SocketIOError:
                    self._release(self.client)
                    self.client = None


def wall_order(url: str) -> list[int]:
    """Return the posts on the wall, newest first, in the order they went on it: the
    replay of the whole public event log, as a screen that never missed an event shows.

    (A snapshot lists posts by id instead: a post approved after a newer one was
    auto-approved sits lower on a reloaded screen than on a live one.)
    """
    client = socketio.SimpleClient()
    client.connect(url, transports=["websocket"])
    try:
        ack = client.call("join_screen", {"screen": "feed", "name": "reference", "since": 0},
                          timeout=10)
    finally:
        client.disconnect()
    assert ack["mode"] == "events", "the event log no longer holds every event"
    shown: list[int] = []
    for event in ack["events"]:
        if event["type"] == "post_added" and event["post"]["id"] not in shown:
            shown.insert(0, event["post"]["id"])
        elif event["type"] == "post_removed" and event["id"] in shown:
            shown.remove(event["id"])
    return shown
