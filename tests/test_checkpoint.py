"""SQLite's log is checkpointed from a real thread while the wall serves, and stays bounded."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.conftest import TOKEN, WallServer

ROUNDS = 5
BATCHES = 4  # of 100 posts, per round
WRITERS = 3  # webhook clients posting without a pause


def wait_for_checkpoints(server: WallServer, after: float, more: int = 2) -> float:
    """Wait until the server ran `more` checkpoints past `after`; return the new count."""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        runs = server.metric("socialwall_sqlite_checkpoints_total")
        if runs >= after + more:
            return runs
        time.sleep(0.2)
    raise AssertionError("the server ran no checkpoint for 20 s")


@pytest.mark.slow
@pytest.mark.parametrize("async_mode", ["gevent", "eventlet", "threading"])
def test_the_log_is_copied_back_while_serving_and_stays_bounded(
        wall_server_factory: Callable[..., WallServer], tmp_path: Path, async_mode: str) -> None:
    server = wall_server_factory(mode="post", async_mode=async_mode)
    (database,) = (tmp_path / "instance").glob("*.db")
    log = database.with_name(database.name + "-wal")
    runs = wait_for_checkpoints(server, 0, 1)
    sizes = []
    for round_ in range(ROUNDS):
        for batch in range(BATCHES):
            server.push(*({"id": f"r{round_}-{batch}-{n}", "author": "Guest",
                           "text": f"Post {n} of round {round_} about #TestDays"}
                          for n in range(100)))
        runs = wait_for_checkpoints(server, runs)
        sizes.append(log.stat().st_size)
    assert server.metric("socialwall_sqlite_checkpointed_pages_total") > 0
    # Without checkpoints the log would hold every round (five times the first); copied
    # back after each round, SQLite writes the next round over it from its start.
    assert max(sizes) < 2 * sizes[0], sizes
    server.stop()
    with sqlite3.connect(database) as conn:
        stored = conn.execute("SELECT count(*) FROM posts WHERE source = 'webhook'").fetchone()
    assert stored == (ROUNDS * BATCHES * 100,)


def log_generation(log: Path) -> int:
    """Return salt-1 of a -wal file's header (SQLite's WAL format, bytes 16 to 19).

    SQLite adds one to it each time it starts the log again from its beginning, whichever
    connection does (the checkpoint sequence number before it is kept per connection).
    """
    with log.open("rb") as file:
        header = file.read(20)
    return int.from_bytes(header[16:20], "big") if len(header) == 20 else 0


@pytest.mark.slow
@pytest.mark.parametrize("async_mode", ["gevent", "eventlet", "threading"])
def test_the_log_starts_again_under_a_steady_stream_of_posts(
        wall_server_factory: Callable[..., WallServer], tmp_path: Path, async_mode: str) -> None:
    """Posts without a pause: checkpoints copy the whole log, which SQLite then reuses.

    Before, a commit always landed while the checkpoint ran, so SQLite never started the
    log again: it grew for as long as posts kept coming (1.1 GB after 30 s at 1,200/s).
    """
    server = wall_server_factory(mode="post", async_mode=async_mode)
    (database,) = (tmp_path / "instance").glob("*.db")
    log = database.with_name(database.name + "-wal")
    runs = wait_for_checkpoints(server, 0, 1)
    stop = threading.Event()
    sent: list[int] = []

    def stream(writer: int) -> None:
        with requests.Session() as http:
            batch = 0
            while not stop.is_set():
                posts = [{"id": f"w{writer}-{batch}-{n}", "author": f"Guest {n}",
                          "text": f"Post {n} of batch {batch} about #TestDays"}
                         for n in range(50)]
                reply = http.post(f"{server.url}/api/ingest", json={"posts": posts},
                                  headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
                assert reply.status_code == 202, reply.text
                sent.append(len(posts))
                batch += 1

    with ThreadPoolExecutor(WRITERS) as pool:
        writers = [pool.submit(stream, n) for n in range(WRITERS)]
        try:
            runs = wait_for_checkpoints(server, runs, 1)
            generations = [log_generation(log)]
            for _ in range(6):
                runs = wait_for_checkpoints(server, runs, 1)
                generations.append(log_generation(log))
            streamed = len(sent)
        finally:
            stop.set()
        for writer in writers:
            writer.result()
    assert streamed > len(generations)  # the posts kept coming all along
    # One new generation per checkpoint when each lets SQLite start the log again; none
    # at all when commits always land during the checkpoint (the old behaviour).
    assert (generations[-1] - generations[0]) % 2**32 >= 3, generations
    server.stop()
    with sqlite3.connect(database) as conn:
        stored = conn.execute("SELECT count(*) FROM posts WHERE source = 'webhook'").fetchone()
    assert stored == (sum(sent),)
