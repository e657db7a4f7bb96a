"""Each source listens for keywords and mentions as far as its API allows, against stand-ins."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, Seen, WsStandIn, fixture, start_source, wait_for
from tests.test_source_x import RULES, XApi, xapi  # noqa: F401  (xapi is a fixture)
from wall.listening import Listening, parse_mention
from wall.runtime import get_wall
from wall.sources.mastodon import MastodonOptions, MastodonSource
from wall.sources.rss import RssOptions, RssSource
from wall.sources.x import XOptions
from wall.sources.x_client import XSource

TAG_PATH = "/api/v1/timelines/tag/TestDays"
BRAND = Listening(hashtags=("TestDays",), keywords=("Velocia",),
                  mentions=(parse_mention("mastodon:@velocia@mastodon.social"),),
                  exclude_keywords=("velociraptor",))


def _stored(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


@pytest.fixture
def masto() -> Iterator[HttpStandIn]:
    stand_in = HttpStandIn()
    yield stand_in
    stand_in.close()


def test_mastodon_follows_mentions_by_notifications_and_keywords_by_search(
        app: Any, masto: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_MASTO_TOKEN", "brand-token")
    streaming = WsStandIn()

    def notifications(seen: Seen) -> Reply:
        assert seen.headers["Authorization"] == "Bearer brand-token"
        assert seen.query["types[]"] == "mention"
        return Reply(200, fixture("mastodon/notifications.json"))

    searches: list[str] = []

    def search(seen: Seen) -> Reply:
        searches.append(seen.query["q"])
        assert seen.query["type"] == "statuses"
        return Reply(200, fixture("mastodon/search_velocia.json"))

    masto.routes.update({TAG_PATH: lambda seen: Reply(200, []),
                         "/api/v1/notifications": notifications, "/api/v2/search": search})
    try:
        source = MastodonSource("masto", MastodonOptions(
            instances=(masto.url,), interval=1, token_env="TEST_MASTO_TOKEN",
            streaming_url=streaming.url + "/api/v1/streaming"))
        running = start_source(source, get_wall(app).pipeline, listening=BRAND)
        wait_for(lambda: len(streaming.received) >= 2, what="the stream subscriptions")
        running.halt()
    finally:
        streaming.close()
    assert {json.loads(m)["stream"] for m in streaming.received} == {"hashtag", "user:notification"}
    assert searches == ["Velocia"]
    [post] = _stored(app)  # the mention, found twice (notification and search), stored once
    assert post["text"].startswith("@velocia freins changés")
    assert post["matched"] == ["Velocia", "mastodon:@velocia@mastodon.social"]


def test_mastodon_goes_on_when_the_instance_refuses_search(
        app: Any, masto: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_MASTO_TOKEN", "brand-token")
    masto.routes.update({
        TAG_PATH: lambda seen: Reply(200, fixture("mastodon/tag_page1.json")[:2]),
        "/api/v2/search": lambda seen: Reply(401, {"error": "Search is not enabled"})})
    source = MastodonSource("masto", MastodonOptions(
        instances=(masto.url,), interval=1, token_env="TEST_MASTO_TOKEN",
        streaming_url="ws://127.0.0.1:9/none", notifications=False))
    running = start_source(source, get_wall(app).pipeline,
                           listening=Listening(hashtags=("TestDays",), keywords=("Velocia",)))
    wait_for(lambda: len(_stored(app)) == 2, what="the hashtag posts")
    wait_for(lambda: len(masto.requests_to(TAG_PATH)) >= 2, what="a second poll")
    running.halt()
    assert len(masto.requests_to("/api/v2/search")) == 1  # not asked again
    assert len(masto.requests_to("/api/v1/notifications")) == 0


def test_x_rule_follows_keywords_and_the_wall_keeps_only_what_matches(
        app: Any, xapi: XApi) -> None:  # noqa: F811
    listening = Listening(keywords=("booth",), exclude_keywords=("velociraptor",))
    source = XSource("x", XOptions(bearer_token_env="TEST_X_BEARER", api_url=xapi.server.url,
                                   retweets=True))
    running = start_source(source, get_wall(app).pipeline, hashtags=(), listening=listening)
    wait_for(lambda: xapi.streams, what="the stream connection")
    running.halt()
    assert xapi.server.requests_to("/2/tweets/search/recent")[0].query["query"] == \
        '("booth") -"velociraptor"'
    assert '("booth") -"velociraptor"' in {r["value"] for r in xapi.rules}
    # The stand-in answers every tweet whatever the query; the wall keeps those it follows.
    texts = sorted(p["text"][:29] for p in _stored(app))
    assert texts == ["Live from the booth #TestDays", "RT @velocia: Live from the bo"]
    assert {tuple(p["matched"]) for p in _stored(app)} == {("booth",)}
    assert xapi.server.requests_to(RULES)


def test_rss_matches_its_own_keywords_on_title_and_text(app: Any) -> None:
    feed = HttpStandIn()
    feed.routes["/rss"] = lambda seen: Reply(200, fixture("rss/guardian.xml"),
                                             {"Content-Type": "application/rss+xml"})
    try:
        own = Listening(keywords=("earthquake",), exclude_keywords=("airstrikes",))
        source = RssSource("press", RssOptions(url=feed.url + "/rss", listening=own))
        running = start_source(source, get_wall(app).pipeline, listening=BRAND)
        wait_for(lambda: feed.requests_to("/rss"), what="the feed request")
        everything = RssSource("all", RssOptions(url=feed.url + "/rss"))
        both = start_source(everything, get_wall(app).pipeline,
                            listening=Listening(exclude_keywords=("Myanmar",)))
        store = get_wall(app).store
        # Dropped entries still move each source's position on: wait for both.
        wait_for(lambda: store.cursor("press") and store.cursor("all"), what="both feeds read")
        running.halt()
        both.halt()
    finally:
        feed.close()
    by_source = sorted((p["source"], p["text"][:20]) for p in _stored(app))
    # "press" follows "earthquake" but its one earthquake entry also says "airstrikes";
    # "all" keeps every entry except the one with the wall's excluded "Myanmar".
    assert by_source == [("all", "Palestinian teenager")]


def test_bluesky_searches_keywords_and_knows_the_brand_by_its_did(
        app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.test_source_bluesky import Network
    from wall.sources.bluesky_stream import BlueskySource

    monkeypatch.setenv("SKY_HANDLE", "alice.bsky.social")
    monkeypatch.setenv("SKY_PASSWORD", "abcd-efgh-ijkl-mnop")
    sky = Network()
    queries: list[str] = []
    resolved: list[str] = []

    def search(seen: Seen) -> Reply:
        queries.append(seen.query["q"])
        return Reply(200, {"posts": []})

    def resolve(seen: Seen) -> Reply:
        resolved.append(seen.query["handle"])
        return Reply(200, {"did": "did:plc:ewvi7nxzyoun6zhxrhs64oiz"})

    sky.http.routes.update({
        "/xrpc/com.atproto.server.createSession":
            lambda seen: Reply(200, fixture("bluesky/create_session.json")),
        "/xrpc/app.bsky.feed.searchPosts": search,
        "/xrpc/com.atproto.identity.resolveHandle": resolve,
        "/xrpc/app.bsky.actor.getProfile": lambda seen: Reply(404, {"error": "NotFound"})})
    listening = Listening(hashtags=("TestDays",), keywords=("Velocia Auto",),
                          mentions=(parse_mention("bluesky:@velocia.bsky.social"),))
    try:
        options = sky.options(handle_env="SKY_HANDLE", app_password_env="SKY_PASSWORD")
        running = start_source(BlueskySource("sky", options), get_wall(app).pipeline,
                               listening=listening)
        wait_for(lambda: sky.jetstream.paths, what="Jetstream after the backfill")
        # The docs' post mentions did:plc:ewvi… by facet only: its text shows another handle.
        docs = fixture("bluesky/records.json")["docs_mentions_links"]
        sky.jetstream.send(docs, fixture("bluesky/records.json")["docs_external_embed"])
        wait_for(lambda: _stored(app), what="the post mentioning the brand")
        running.halt()
    finally:
        sky.close()
    assert queries == ["#testdays", '"Velocia Auto"']
    assert resolved == ["velocia.bsky.social"]
    [post] = _stored(app)
    assert post["text"].startswith("✨ example mentioning @atproto.com")
    assert post["matched"] == ["bluesky:@velocia.bsky.social"]


@pytest.mark.parametrize(("record", "kept"), [
    ({"text": "Lunch in the park"}, False),
    ({"text": "Chez VÉLOCIA ce matin"}, True),                # keyword, folded
    ({"text": "Une belle journée #Vélo"}, True),              # hashtag, folded
    ({"text": "no tag here", "tags": ["velo"]}, True),        # tags outside the text
    ({"text": "thanks!", "facets": [{"index": {"byteStart": 0, "byteEnd": 6}, "features": [
        {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:brand"}]}]}, True),
    ({"text": "Velociraptor museum"}, False),                 # excluded by the matcher
])
def test_jetstream_prefilter_never_loses_what_the_matcher_keeps(
        record: dict[str, Any], kept: bool) -> None:
    from wall.sources.bluesky import BlueskyOptions
    from wall.sources.bluesky_stream import BlueskySource

    # Port 9 (discard) refuses at once: profiles stay unresolved, as when the AppView is down.
    source = BlueskySource("b", BlueskyOptions(appview_url="http://127.0.0.1:9"))
    source.follow(Listening(hashtags=("velo",), keywords=("Velocia",),
                            mentions=(parse_mention("bluesky:@velocia.bsky.social"),),
                            exclude_keywords=("velociraptor",)))
    source.brand_dids = {"did:plc:brand": "velocia.bsky.social"}
    event = {"did": "did:plc:someone", "time_us": 1, "kind": "commit", "commit": {
        "operation": "create", "collection": "app.bsky.feed.post", "rkey": "3l",
        "record": {"createdAt": "2026-11-22T10:00:00Z", **record}}}
    item = source.handle(json.dumps(event))
    assert (item is not None and getattr(item, "post", None) is not None) is kept


def test_a_jetstream_post_with_nothing_to_show_is_dropped(
        caplog: pytest.LogCaptureFixture) -> None:
    from wall.sources.base import Checkpoint
    from wall.sources.bluesky import BlueskyOptions
    from wall.sources.bluesky_stream import BlueskySource

    source = BlueskySource("b", BlueskyOptions(appview_url="http://127.0.0.1:9"))
    source.follow(Listening(hashtags=("velo",)))
    video = {"$type": "app.bsky.embed.video", "alt": "The lift going up",
             "video": {"$type": "blob", "ref": {"$link": "bafkreivideo"}, "mimeType": "video/mp4"}}
    record = {"createdAt": "2026-11-22T10:00:00Z", "text": "", "tags": ["velo"]}

    def event(n: int, **extra: Any) -> str:
        return json.dumps({"did": "did:plc:someone", "time_us": n, "kind": "commit", "commit": {
            "operation": "create", "collection": "app.bsky.feed.post", "rkey": f"3l{n}",
            "record": {**record, **extra}}})

    with caplog.at_level(logging.INFO, logger="wall.sources.bluesky_stream"):
        empty = source.handle(event(7))
        still = source.handle(event(8, embed=video))
    assert isinstance(empty, Checkpoint) and empty.post is None and empty.cursor == "7"
    assert "no text and no image" in caplog.text
    # A video-only post shows the video's still (the image pipeline takes stills only).
    assert isinstance(still, Checkpoint) and still.post is not None
    assert still.post.media[0].url == "https://video.bsky.app/watch/did%3Aplc%3Asomeone/" \
        "bafkreivideo/thumbnail.jpg"
    assert still.post.media[0].alt == "The lift going up"
