"""Bluesky: Jetstream events and searchPosts views to posts, against local stand-ins."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import KEEP_ALL_KINDS, write_config
from tests.standins import (
    FIXTURES,
    HttpStandIn,
    Reply,
    Seen,
    WsStandIn,
    fixture,
    start_source,
    wait_for,
)
from wall.config import WallConfig, load_config
from wall.runtime import get_wall
from wall.sources.bluesky import BlueskyOptions, Profile, record_tags, to_post, view_to_post
from wall.sources.bluesky_stream import BlueskySource

ALICE = "did:plc:z72i7hdynmk6r22z27h6tvur"


def events(name: str) -> list[dict[str, Any]]:
    """Read a JSON-lines fixture of Jetstream events."""
    text = (FIXTURES / "bluesky" / name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_jetstream_commit_becomes_a_post_with_image_and_profile() -> None:
    event = events("jetstream.jsonl")[1]
    post = to_post(event, Profile("alice.bsky.social", "Alice Dupont", "https://cdn/a.jpg"),
                   source="sky")
    assert post.external_id == f"at://{ALICE}/app.bsky.feed.post/3lbxaaa2s7c2y"
    assert post.url == f"https://bsky.app/profile/{ALICE}/post/3lbxaaa2s7c2y"
    assert post.author == "Alice Dupont" and post.handle == "@alice.bsky.social"
    cid = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
    assert post.media[0].url.endswith(f"/{ALICE}/{cid}@jpeg")
    assert post.media[0].alt == "Le stand vu de haut" and post.language == "fr"
    assert to_post(events("jetstream.jsonl")[4], None, source="sky").is_reply


def test_hashtags_come_from_facets_tags_and_text() -> None:
    records = [e["commit"]["record"] for e in events("jetstream.jsonl")[1:5]]
    assert "testdays" in record_tags(records[0])
    assert record_tags(records[1]) == {"other"}
    assert record_tags(records[2]) == {"testdays"}


def test_search_view_has_the_same_id_as_the_stream() -> None:
    view = fixture("bluesky/search_page1.json")["posts"][0]
    post = view_to_post(view, source="sky")
    assert post.external_id == view["uri"] and post.author == "Alice Dupont"


class Network:
    """The AppView (profiles), the PDS (login, search) and Jetstream, on loopback."""

    def __init__(self) -> None:
        self.http = HttpStandIn()
        self.jetstream = WsStandIn()
        profiles = fixture("bluesky/profiles.json")
        self.http.routes["/xrpc/app.bsky.actor.getProfile"] = \
            lambda seen: Reply(200, profiles[seen.query["actor"]])

    def options(self, **extra: Any) -> BlueskyOptions:
        return BlueskyOptions(jetstream_url=self.jetstream.url + "/subscribe",
                              appview_url=self.http.url, pds_url=self.http.url, **extra)

    def close(self) -> None:
        self.http.close()
        self.jetstream.close()


@pytest.fixture
def sky() -> Iterator[Network]:
    network = Network()
    yield network
    network.close()


@pytest.fixture
def config(tmp_path: Path) -> WallConfig:
    """The test wall with the rules on kinds of posts off: these tests are about the flow."""
    return load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                    moderation=KEEP_ALL_KINDS))


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def test_stream_filters_resolves_authors_and_removes_deleted_posts(app: Any, sky: Network) -> None:
    wall = get_wall(app)
    running = start_source(BlueskySource("sky", sky.options()), wall.pipeline)
    wait_for(lambda: sky.jetstream.paths, what="the Jetstream connection")
    assert sky.jetstream.paths[0] == "/subscribe?wantedCollections=app.bsky.feed.post"
    sky.jetstream.send(*events("jetstream.jsonl"), "{not json", "[]")
    wait_for(lambda: len(wall.store.posts("approved")) == 3, what="three matching posts")
    texts = {p["text"]: p for p in wall.store.posts("approved")}
    assert set(texts) == {"Premier jour au salon #TestDays 🚲",
                          "Tagged only in the record's tags field", "En réponse #TestDays"}
    assert texts["En réponse #TestDays"]["author"] == "Alice Dupont"
    assert texts["Tagged only in the record's tags field"]["handle"] == "@bob.example.com"
    profile_calls = sky.http.requests_to("/xrpc/app.bsky.actor.getProfile")
    assert len(profile_calls) == 2  # one per author, then cached
    sky.jetstream.send(*events("jetstream_deletes.jsonl"))
    wait_for(lambda: len(wall.store.posts("approved")) == 2, what="the deletion")
    running.halt()
    removed = [e for e in wall.store.events_since(0, ["public"]) or [] if e.type == "post_removed"]
    assert len(removed) == 1
    assert wall.store.cursor("sky") is not None


def test_reconnects_from_the_cursor_without_gap_or_duplicate(app: Any, sky: Network) -> None:
    wall = get_wall(app)
    running = start_source(BlueskySource("sky", sky.options()), wall.pipeline)
    wait_for(lambda: sky.jetstream.paths, what="the Jetstream connection")
    first = events("jetstream.jsonl")
    sky.jetstream.send(*first)
    wait_for(lambda: len(_all(app)) == 3, what="three posts")
    sky.jetstream.drop()
    wait_for(lambda: len(sky.jetstream.paths) == 2, timeout=30, what="the reconnection")
    last_event = first[-1]["time_us"]
    assert sky.jetstream.paths[1].endswith(f"&cursor={last_event}")
    # A post seen before the drop comes again: it is stored once.
    sky.jetstream.send(first[4], *events("jetstream_later.jsonl"))
    wait_for(lambda: len(_all(app)) == 4, what="the post sent after the reconnection")
    running.halt()
    ids = [p["external_id"] for p in _all(app)]
    assert len(set(ids)) == 4
    assert "degraded" in running.states  # the dropped link was shown


def test_restart_resumes_from_the_saved_cursor(app: Any, sky: Network) -> None:
    wall = get_wall(app)
    wall.store.save_cursor("sky", "1795860000004000")
    running = start_source(BlueskySource("sky", sky.options()), wall.pipeline)
    wait_for(lambda: sky.jetstream.paths, what="the Jetstream connection")
    running.halt()
    assert sky.jetstream.paths[0].endswith("&cursor=1795860000004000")


def test_search_backfill_logs_in_pages_and_waits_out_rate_limits(
        app: Any, sky: Network, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKY_HANDLE", "alice.bsky.social")
    monkeypatch.setenv("SKY_PASSWORD", "abcd-efgh-ijkl-mnop")
    sky.http.routes["/xrpc/com.atproto.server.createSession"] = \
        lambda seen: Reply(200, fixture("bluesky/create_session.json"))
    replies = [Reply(429, {"error": "RateLimitExceeded"}, {"Retry-After": "1"})]

    def search(seen: Seen) -> Reply:
        if replies:
            return replies.pop(0)
        assert seen.headers["Authorization"] == "Bearer eyJhbGciOiJFUzI1NksifQ.access.sig"
        assert seen.query["q"] == "#testdays" and seen.query["sort"] == "latest"
        page = "search_page2.json" if seen.query.get("cursor") == "25" else "search_page1.json"
        return Reply(200, fixture(f"bluesky/{page}"))

    sky.http.routes["/xrpc/app.bsky.feed.searchPosts"] = search
    options = sky.options(handle_env="SKY_HANDLE", app_password_env="SKY_PASSWORD")
    running = start_source(BlueskySource("sky", options), get_wall(app).pipeline)
    wait_for(lambda: len(_all(app)) == 3, timeout=30, what="three backfilled posts")
    wait_for(lambda: sky.jetstream.paths, what="Jetstream after the backfill")
    running.halt()
    assert "degraded" in running.states
    login = sky.http.requests_to("/xrpc/com.atproto.server.createSession")[0]
    assert json.loads(login.body) == {"identifier": "alice.bsky.social",
                                      "password": "abcd-efgh-ijkl-mnop"}
    oldest_first = [p["text"] for p in get_wall(app).store.posts("approved", oldest_first=True)]
    assert oldest_first[0] == "Packing the bikes #TestDays"


def test_a_deletion_after_a_restart_still_removes_the_post(app: Any, sky: Network) -> None:
    wall = get_wall(app)
    running = start_source(BlueskySource("sky", sky.options()), wall.pipeline)
    wait_for(lambda: sky.jetstream.paths, what="the Jetstream connection")
    sky.jetstream.send(*events("jetstream.jsonl"))
    wait_for(lambda: len(wall.store.posts("approved")) == 3, what="three posts")
    running.halt()
    running = start_source(BlueskySource("sky", sky.options()), wall.pipeline)
    wait_for(lambda: len(sky.jetstream.paths) == 2, what="the new connection")
    sky.jetstream.send(*events("jetstream_deletes.jsonl"))
    wait_for(lambda: len(wall.store.posts("approved")) == 2, what="the deletion")
    running.halt()
