"""A source burst (one poll returning N items) is stored in one transaction, each post once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

from tests.standins import HttpStandIn, Reply, start_source, wait_for
from wall.runtime import get_wall
from wall.sources.rss import RssOptions, RssSource

BURST = 12

def feed(count: int) -> str:
    """Return an RSS feed of `count` items, each about the wall's hashtag."""
    items = "".join(f"""<item><title>Burst item {n} #TestDays</title><guid>burst-{n}</guid>
      <pubDate>Sun, 22 Nov 2026 10:{n:02d}:00 +0000</pubDate>
      <description>Item {n} of a busy feed</description></item>""" for n in range(count))
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>
      <title>Busy feed</title><link>https://busy.example/</link>{items}</channel></rss>"""

@pytest.fixture
def blog() -> Iterator[HttpStandIn]:
    server = HttpStandIn()
    server.routes["/feed.xml"] = lambda seen: Reply(
        200, feed(BURST), {"Content-Type": "application/rss+xml; charset=utf-8"})
    yield server
    server.close()

def post_inserts_per_commit(engine: Any) -> list[int]:
    """Record, for each committed transaction, how many INSERTs into posts it ran.

    SQLite's own trace of every statement it runs, on each connection the store takes
    from its pool (the store writes a batch through the DB-API cursor, past SQLAlchemy's
    statement events: wall.store.raw), not a mock.
    """
    committed: list[int] = []

    def checkout(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
        inserts = [0]

        def traced(statement: str) -> None:
            words = statement.lstrip().upper().replace('"', "")
            if words.startswith("INSERT INTO POSTS"):
                inserts[0] += 1
            elif words.startswith("COMMIT"):
                committed.append(inserts[0])
                inserts[0] = 0

        dbapi_conn.set_trace_callback(traced)

    event.listen(engine, "checkout", checkout)
    return committed

def test_a_poll_of_many_items_is_one_transaction_and_each_post_is_announced_once(
        app: Any, blog: HttpStandIn) -> None:
    wall = get_wall(app)
    committed = post_inserts_per_commit(wall.store.engine)
    source = RssSource("busy", RssOptions(url=blog.url + "/feed.xml", interval=30))
    running = start_source(source, wall.pipeline)
    wait_for(lambda: len(wall.store.posts("approved", 500)) == BURST, what="the burst stored")
    running.halt()
    assert [n for n in committed if n] == [1]  # one transaction wrote the whole burst
    added = [e for e in wall.store.events_after(0, 1000) if e.type == "post_added"]
    ids = [e.body["post"]["id"] for e in added]
    assert len(ids) == BURST and len(set(ids)) == BURST  # each post announced once
    seqs = [e.seq for e in added]
    assert seqs == sorted(seqs)
    assert sorted(e.body["post"]["external_id"] for e in added) == sorted(
        f"burst-{n}" for n in range(BURST))

def test_a_stream_of_single_items_is_stored_without_waiting_for_more(
        app: Any, blog: HttpStandIn) -> None:
    """One item alone (the next poll is far away) is stored at once, not held for a burst."""
    blog.routes["/feed.xml"] = lambda seen: Reply(
        200, feed(1), {"Content-Type": "application/rss+xml; charset=utf-8"})
    wall = get_wall(app)
    running = start_source(RssSource("one", RssOptions(url=blog.url + "/feed.xml",
                                                       interval=3600)), wall.pipeline)
    wait_for(lambda: wall.store.posts("approved", 10), what="the single post")
    assert running.runner.health.posts == 1
    running.halt()
