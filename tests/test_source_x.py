"""X through tweepy: tweet objects to posts, and tweepy's real client against a stand-in."""

from __future__ import annotations

import json
import queue
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, Seen, fixture, start_source, wait_for
from wall.listening import Listening, parse_mention
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.x import XOptions, build_queries, posts_of, to_post
from wall.sources.x_client import XSource

SEARCH = "/2/tweets/search/recent"
RULES = "/2/tweets/search/stream/rules"
STREAM = "/2/tweets/search/stream"
PAGE = 3  # the stand-in pages by 3 whatever max_results says, to exercise next_token


def test_tweet_with_expansions_becomes_a_post() -> None:
    page = fixture("x/search_page1.json")
    post = to_post(page["data"][0], page["includes"], source="x")
    assert post.author == "Vélocia" and post.handle == "@velocia"
    assert post.url == "https://x.com/velocia/status/1859000000000000006"
    assert post.avatar_url and post.avatar_url.startswith("https://pbs.twimg.com/")
    assert post.media[0].alt == "Three cargo bikes in front of a blue booth"
    assert post.author_followers == 5120
    retweet = to_post(page["data"][1], page["includes"], source="x")
    assert retweet.is_repost and retweet.handle == "@spambot3000"
    assert to_post(page["data"][2], page["includes"], source="x").is_reply
    long, sensitive, _ = fixture("x/search_page2.json")["data"]
    long_post = to_post(long, {}, source="x")
    assert len(long_post.text) > 280 and long_post.edited_at is not None
    assert to_post(sensitive, {}, source="x").sensitive


def test_malformed_tweets_are_skipped() -> None:
    page = fixture("x/search_page2.json")
    assert len(list(posts_of(page, source="x"))) == 2


def test_query_is_built_from_hashtags_and_options() -> None:
    options = XOptions(bearer_token_env="T", languages=("fr", "en"), replies=False)
    assert build_queries(Listening(("TestDays", "Velo")), options) == \
        ["(#TestDays OR #Velo) (lang:fr OR lang:en) -is:retweet -is:reply"]
    assert build_queries(Listening(("A",)), XOptions(bearer_token_env="T", retweets=True)) \
        == ["(#A)"]


def test_query_follows_keywords_mentions_and_exclusions() -> None:
    listening = Listening(("VelociaDays",), ("Velocia Auto",),
                          tuple(parse_mention(m) for m in ("@velocia", "x:@velocia_fr",
                                                           "mastodon:@velocia@mastodon.social")),
                          ("velociraptor",))
    assert build_queries(listening, XOptions(bearer_token_env="T")) == [
        '(#VelociaDays OR "Velocia Auto" OR @velocia OR @velocia_fr) -"velociraptor"'
        " -is:retweet"]


def test_long_queries_are_split_within_xs_limit() -> None:
    words = tuple(f"keyword number {i}" for i in range(40))
    options = XOptions(bearer_token_env="T", max_query_length=512)
    queries = build_queries(Listening(keywords=words, exclude_keywords=("raptor",)), options)
    assert len(queries) > 1 and all(len(q) <= 512 for q in queries)
    assert all(q.endswith(' -"raptor" -is:retweet') for q in queries)
    assert sum(q.count('"keyword number') for q in queries) == 40
    with pytest.raises(SourceError, match="X query too long"):
        build_queries(Listening(keywords=("x" * 600,)), options)


class XApi:
    """The parts of the X API v2 the source uses: recent search, stream rules, stream."""

    def __init__(self, server: HttpStandIn) -> None:
        self.server = server
        pages = [fixture("x/search_page1.json"), fixture("x/search_page2.json")]
        self.tweets = [t for p in pages for t in p["data"]]
        self.users = pages[0]["includes"]["users"]
        self.media = pages[0]["includes"]["media"]
        self.rules = list(fixture("x/rules.json")["data"])
        self.fail: list[Reply] = []
        self.streams: list[queue.Queue[bytes | None]] = []
        server.routes.update({SEARCH: self.search, RULES: self.rules_route, STREAM: self.stream})

    def search(self, seen: Seen) -> Reply:
        assert seen.headers["Authorization"] == "Bearer test-bearer"
        if self.fail:
            return self.fail.pop(0)
        since = int(seen.query.get("since_id", "0"))
        found = sorted((t for t in self.tweets if int(t["id"]) > since),
                       key=lambda t: -int(t["id"]))
        start = int(seen.query.get("next_token", "0"))
        page = found[start:start + PAGE]
        meta: dict[str, Any] = {"result_count": len(page)}
        if start + PAGE < len(found):
            meta["next_token"] = str(start + PAGE)
        reset = str(int(time.time()) + 900)
        headers = {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "449",
                   "x-rate-limit-reset": reset}
        body = {"data": page, "includes": {"users": self.users, "media": self.media},
                "meta": meta} if page else {"meta": meta}
        return Reply(200, body, headers)

    def rules_route(self, seen: Seen) -> Reply:
        if seen.method == "GET":
            return Reply(200, {"data": self.rules, "meta": {"result_count": len(self.rules)}})
        body = json.loads(seen.body)
        if "delete" in body:
            self.rules = [r for r in self.rules if r["id"] not in body["delete"]["ids"]]
            return Reply(200, {"meta": {"summary": {"deleted": 1}}})
        for n, rule in enumerate(body["add"]):
            self.rules.append({**rule, "id": f"18592000000000000{n:02d}"})
        return Reply(201, {"data": self.rules[-len(body["add"]):],
                           "meta": {"summary": {"created": len(body["add"])}}})

    def stream(self, seen: Seen) -> Reply:
        feed: queue.Queue[bytes | None] = queue.Queue()
        self.streams.append(feed)
        return Reply(200, stream=feed)

    def close(self) -> None:
        for feed in self.streams:
            feed.put(None)


@pytest.fixture
def xapi(monkeypatch: pytest.MonkeyPatch) -> Iterator[XApi]:
    monkeypatch.setenv("TEST_X_BEARER", "test-bearer")
    server = HttpStandIn()
    api = XApi(server)
    yield api
    api.close()
    server.close()


def _source(api: XApi, **options: Any) -> XSource:
    return XSource("x", XOptions(bearer_token_env="TEST_X_BEARER",
                                 api_url=api.server.url, **options))


def _texts(app: Any) -> list[str]:
    store = get_wall(app).store
    posts = [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]
    return sorted(p["text"][:30] for p in posts)


def test_backfill_pages_then_streams_and_reconciles_rules(app: Any, xapi: XApi) -> None:
    running = start_source(_source(xapi), get_wall(app).pipeline)
    wait_for(lambda: xapi.streams, what="the stream connection")
    # Both pages, the malformed tweet skipped; tweet 3 is an edit of tweet 2 (its
    # edit_history_tweet_ids), so it replaces it instead of showing beside it.
    assert len(_texts(app)) == 4
    assert "Photos sensibles #TestDays" not in _texts(app)
    calls = xapi.server.requests_to(SEARCH)
    assert calls[0].query["query"] == "(#TestDays) -is:retweet"
    assert "author_id" in calls[0].query["expansions"]
    assert calls[1].query["next_token"] == "3"
    # Our stale rule was replaced; another app's rule was left alone.
    assert {r["value"] for r in xapi.rules} == {"from:someone_else", "(#TestDays) -is:retweet"}
    lines = fixture("x/stream.json")
    xapi.streams[0].put(b"\r\n")  # keep-alive
    xapi.streams[0].put(b"{not json\r\n")
    other_app = dict(lines["after"], matching_rules=[{"id": "9", "tag": "another-app"}])
    xapi.streams[0].put(json.dumps(other_app).encode() + b"\r\n")  # not for this wall
    xapi.streams[0].put(json.dumps(lines["live"]).encode() + b"\r\n")
    wait_for(lambda: len(_texts(app)) == 5, what="the streamed tweet")
    # The stream drops; a tweet is posted meanwhile; tweepy reconnects and we backfill.
    xapi.tweets.append(lines["gap"]["data"][0])
    xapi.streams[0].put(None)
    wait_for(lambda: len(xapi.streams) == 2, timeout=30, what="tweepy's reconnection")
    wait_for(lambda: len(_texts(app)) == 6, what="the tweet posted during the drop")
    assert xapi.server.requests_to(SEARCH)[-1].query["since_id"] == "1859000000000000010"
    xapi.streams[1].put(json.dumps(lines["after"]).encode() + b"\r\n")
    wait_for(lambda: len(_texts(app)) == 7, what="the tweet after the reconnection")
    running.halt()
    assert "Posted while the stream was do" in _texts(app)
    assert len(set(_texts(app))) == 7
    saved = json.loads(get_wall(app).store.cursor("x") or "{}")
    # The malformed tweet and the other app's tweet were billed too.
    assert saved == {"since_id": "1859000000000000014", "reads": 10}


def test_restart_searches_since_the_saved_id(app: Any, xapi: XApi) -> None:
    get_wall(app).store.save_cursor("x", json.dumps({"since_id": "1859000000000000004",
                                                     "reads": 10}))
    running = start_source(_source(xapi, stream=False), get_wall(app).pipeline)
    wait_for(lambda: len(_texts(app)) == 2, what="the two newer tweets")
    running.halt()
    assert xapi.server.requests_to(SEARCH)[0].query["since_id"] == "1859000000000000004"


def test_rate_limited_search_waits_for_the_reset(app: Any, xapi: XApi) -> None:
    reset = str(int(time.time()) + 1)
    xapi.fail = [Reply(429, {"title": "Too Many Requests", "detail": "Too Many Requests",
                             "type": "about:blank", "status": 429},
                       {"x-rate-limit-limit": "450", "x-rate-limit-remaining": "0",
                        "x-rate-limit-reset": reset}),
                 Reply(503, {"title": "Service Unavailable"})]
    running = start_source(_source(xapi), get_wall(app).pipeline)
    wait_for(lambda: xapi.streams, timeout=30, what="the stream after the failures")
    running.halt()
    assert len(_texts(app)) == 4  # tweet 3 is an edit of tweet 2
    assert "degraded" in running.states
    assert running.runner.health.last_error and "503" in running.runner.health.last_error


def test_read_budget_pauses_the_source(app: Any, xapi: XApi) -> None:
    running = start_source(_source(xapi, read_budget=3), get_wall(app).pipeline)
    wait_for(lambda: running.runner.health.state == "paused", what="the pause")
    running.halt()
    assert len(_texts(app)) == 3  # the first page was read (and billed), then nothing
    assert not xapi.streams
    assert "budget" in running.runner.health.detail
    assert all(r.get("tag") != "socialwall:x" for r in xapi.rules)  # our rule was removed


def test_a_spent_budget_stays_spent_after_a_restart(app: Any, xapi: XApi) -> None:
    get_wall(app).store.save_cursor("x", json.dumps({"since_id": "1", "reads": 50}))
    running = start_source(_source(xapi, read_budget=50), get_wall(app).pipeline)
    wait_for(lambda: running.runner.health.state == "paused", what="the pause")
    running.halt()
    assert xapi.server.requests_to(SEARCH) == [] and not xapi.streams
