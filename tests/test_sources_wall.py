"""Several real sources feeding one real wall process, and a slow source not freezing it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import KEEP_ALL_KINDS, WallServer, receive_event
from tests.standins import HttpStandIn, Reply, WsStandIn, fixture, wait_for
from tests.test_source_bluesky import events
from tests.test_source_mastodon import TAG_PATH, Timeline


def _receive(client: Any, wanted: set[str], timeout: float = 30) -> list[tuple[str, Any]]:
    """Collect events until every wanted event name has arrived at least once."""
    got: list[tuple[str, Any]] = []
    deadline = time.monotonic() + timeout
    while not wanted <= {name for name, _ in got}:
        got.append(receive_event(client, max(0.1, deadline - time.monotonic())))
    return got


def test_three_sources_feed_one_wall_and_a_deletion_leaves_the_screens(
        wall_server_factory: Callable[..., WallServer]) -> None:
    masto, feeds, appview, jetstream = HttpStandIn(), HttpStandIn(), HttpStandIn(), WsStandIn()
    try:
        masto.routes[TAG_PATH] = Timeline(fixture("mastodon/tag_page2.json"))
        feeds.routes["/feed.xml"] = lambda seen: Reply(
            200, fixture("rss/press.atom"), {"Content-Type": "application/atom+xml"})
        profiles = fixture("bluesky/profiles.json")
        appview.routes["/xrpc/app.bsky.actor.getProfile"] = \
            lambda seen: Reply(200, profiles[seen.query["actor"]])
        server = wall_server_factory(mode="post", moderation=KEEP_ALL_KINDS, extra=f"""
            [[sources]]
            type = "mastodon"
            instances = ["{masto.url}"]
            interval = 5

            [[sources]]
            type = "bluesky"
            jetstream_url = "{jetstream.url}/subscribe"
            appview_url = "{appview.url}"

            [[sources]]
            type = "rss"
            name = "press"
            url = "{feeds.url}/feed.xml"
            interval = 60
            """)
        screen = socketio.SimpleClient()
        screen.connect(server.url, transports=["websocket"])
        screen.call("join_screen", {"screen": "feed", "name": "lobby", "since": None}, timeout=10)
        wait_for(lambda: jetstream.paths, what="the Jetstream connection")
        jetstream.send(*events("jetstream.jsonl"))
        wait_for(lambda: len(requests.get(f"{server.url}/api/posts?limit=100",
                                          timeout=5).json()["posts"]) == 3 + 1 + 3,
                 timeout=30, what="posts from all three sources")
        # The fourth Mastodon status is by an author who set noindex: never shown.
        rejected = server.session().get(f"{server.url}/api/posts?status=rejected",
                                        timeout=5).json()["posts"]
        assert [p["reasons"] for p in rejected] == [["author opted out of indexing (noindex)"]]
        posts = requests.get(f"{server.url}/api/posts?limit=100", timeout=5).json()["posts"]
        assert {p["network"] for p in posts} == {"mastodon", "bluesky", "rss"}
        health = requests.get(f"{server.url}/healthz", timeout=5).json()
        states = {s["name"]: s for s in health["sources"]}
        assert {states[n]["state"] for n in ("mastodon", "bluesky", "press")} == {"ok"}
        assert states["bluesky"]["last_post_at"] and states["webhook"]["state"] == "passive"
        first = next(p for p in posts if p["text"].startswith("Premier jour"))
        jetstream.send(*events("jetstream_deletes.jsonl"))
        got = _receive(screen, {"post_removed"})
        removed = [body for name, body in got if name == "post_removed"]
        assert removed[0]["id"] == first["id"]
        after = requests.get(f"{server.url}/api/posts?limit=100", timeout=5).json()["posts"]
        assert first["id"] not in {p["id"] for p in after}
        screen.disconnect()
    finally:
        for stand_in in (masto, feeds, appview, jetstream):
            stand_in.close()


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet"])
def test_a_source_blocked_on_a_slow_network_does_not_freeze_the_server(
        wall_server_factory: Callable[..., WallServer], async_mode: str) -> None:
    slow = HttpStandIn()
    try:
        slow.routes["/feed.xml"] = lambda seen: Reply(
            200, fixture("rss/blog.xml"), {"Content-Type": "application/rss+xml"}, delay=6)
        server = wall_server_factory(async_mode=async_mode, extra=f"""
            [[sources]]
            type = "rss"
            url = "{slow.url}/feed.xml"
            """)
        wait_for(lambda: slow.seen, what="the source's request")
        answered = 0
        while not slow.seen[-1].at + 5 < time.monotonic():
            # Each page must come back while the source waits on its socket.
            assert requests.get(f"{server.url}/healthz", timeout=3).status_code == 200
            assert requests.get(f"{server.url}/screen/feed", timeout=3).status_code == 200
            answered += 1
            time.sleep(0.2)
        assert answered >= 5
        moderator = server.session()
        wait_for(lambda: len(moderator.get(f"{server.url}/api/posts?status=pending",
                                           timeout=5).json()["posts"]) == 2,
                 what="the slow feed's two entries in the queue")
    finally:
        slow.close()


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet"])
def test_tweepy_stream_runs_inside_a_monkey_patched_server(
        wall_server_factory: Callable[..., WallServer], async_mode: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_source_x import XApi

    monkeypatch.setenv("TEST_X_BEARER", "test-bearer")  # inherited by the server process
    api_server = HttpStandIn()
    api = XApi(api_server)
    try:
        server = wall_server_factory(mode="post", async_mode=async_mode, moderation=KEEP_ALL_KINDS,
                                     extra=f"""
            [[sources]]
            type = "x"
            bearer_token_env = "TEST_X_BEARER"
            api_url = "{api_server.url}"
            """)
        wait_for(lambda: api.streams, timeout=30, what="tweepy's stream connection")

        def count() -> int:
            return len(requests.get(f"{server.url}/api/posts?limit=100", timeout=5)
                       .json()["posts"])

        # Four backfilled (one is an edit of another), one from @spambot3000 rejected.
        wait_for(lambda: count() == 3, what="the backfilled tweets")
        api.streams[0].put(json.dumps(fixture("x/stream.json")["live"]).encode() + b"\r\n")
        wait_for(lambda: count() == 4, what="the streamed tweet")
        assert requests.get(f"{server.url}/healthz", timeout=5).json()["sources"][1]["state"] \
            == "ok"
    finally:
        api.close()
        api_server.close()
