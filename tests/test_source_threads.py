"""Threads: keyword_search results to posts, and the daily query quota against a stand-in."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, Seen, fixture, start_source, wait_for
from tests.standins_networks import stand_in
from wall.runtime import get_wall
from wall.sources.base import Runtime, SourceError
from wall.sources.threads import ThreadsOptions, ThreadsSource, to_post

__all__ = ["stand_in"]
TOKEN = "TEST_THREADS_TOKEN"


def test_search_results_become_posts() -> None:
    data = fixture("threads/keyword_search.json")["data"]
    text = to_post(data[0], source="th")
    assert text.network == "threads" and text.handle == "@lea.roule"
    assert text.hashtags == ("velociadays",) and text.mentions == ("velocia",)
    assert text.url == "https://www.threads.net/@lea.roule/post/DBa1b2C3d4E"
    assert text.created_at.isoformat() == "2026-11-22T10:05:12+00:00" and not text.media
    assert to_post(data[1], source="th").media[0].url.endswith("467_n.jpg")
    carousel = to_post(data[2], source="th")
    assert carousel.is_reply and carousel.media[0].url.endswith("clip_thumb.jpg")


@pytest.mark.parametrize("raw", [None, {"text": "no id"}, {"id": "1", "timestamp": 5}])
def test_malformed_media_is_a_clear_error(raw: Any) -> None:
    with pytest.raises(SourceError):
        to_post(raw, source="th")


def test_interval_keeps_within_2200_queries_a_day() -> None:
    source = ThreadsSource("th", ThreadsOptions(token_env=TOKEN, interval=5))
    for terms in (1, 3, 10):
        per_day = 86400 / source.interval(terms) * terms
        assert per_day <= 2200


def test_terms_use_hashtags_and_keywords_when_the_wall_has_them() -> None:
    source = ThreadsSource("th", ThreadsOptions(token_env=TOKEN))
    runtime = Runtime(sleep=time.sleep, stopping=lambda: True, hashtags=("VelociaDays",))
    assert source.terms(runtime) == [("TAG", "VelociaDays")]
    runtime.keywords = ("Velocia Auto",)  # type: ignore[attr-defined]  # [wall] keywords
    assert source.terms(runtime) == [("TAG", "VelociaDays"), ("KEYWORD", "Velocia Auto")]
    own = ThreadsSource("th", ThreadsOptions(token_env=TOKEN, keywords=("Velocia",)))
    assert own.terms(runtime)[-1] == ("KEYWORD", "Velocia")


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


class Search:
    """keyword_search: RECENT results newer than `since`, a recorded page at first."""

    def __init__(self) -> None:
        self.data = list(fixture("threads/keyword_search.json")["data"])
        self.fail: list[Reply] = []

    def __call__(self, seen: Seen) -> Reply:
        if self.fail:
            return self.fail.pop(0)
        from datetime import datetime
        since = int(seen.query.get("since", "0"))
        found = [d for d in self.data if datetime.strptime(
            d["timestamp"], "%Y-%m-%dT%H:%M:%S%z").timestamp() >= since]
        return Reply(200, {"data": found[:int(seen.query.get("limit", "25"))]})


def test_searches_recent_then_since_and_counts_queries(
        app: Any, stand_in: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "th-secret")
    search = Search()
    search.fail = [Reply(503, "busy", {"Content-Type": "text/plain"})]
    stand_in.routes["/v1.0/keyword_search"] = search
    source = ThreadsSource("th", ThreadsOptions(token_env=TOKEN, api_url=stand_in.url + "/v1.0",
                                                interval=5, daily_queries=2200))
    running = start_source(source, get_wall(app).pipeline, hashtags=("VelociaDays",))
    wait_for(lambda: len(_all(app)) == 3, timeout=30, what="the three recorded results")
    running.halt()
    first = stand_in.requests_to("/v1.0/keyword_search")[-1]
    assert first.query["q"] == "VelociaDays" and first.query["search_type"] == "RECENT"
    assert first.query["search_mode"] == "TAG" and "since" not in first.query
    assert first.query["access_token"] == "th-secret"
    saved = json.loads(get_wall(app).store.cursor("th") or "{}")
    assert len(saved["queries"]) == 2  # the failed query counts too: never overspend
    assert "queries 2/2200 in 24 h" in running.runner.health.detail
    running = start_source(ThreadsSource("th", source.options), get_wall(app).pipeline,
                           hashtags=("VelociaDays",))
    wait_for(lambda: len(stand_in.requests_to("/v1.0/keyword_search")) == 3, what="a resume")
    running.halt()
    assert int(stand_in.requests_to("/v1.0/keyword_search")[-1].query["since"]) > 1763800000


def test_spent_quota_pauses_without_querying(app: Any, stand_in: HttpStandIn,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "th-secret")
    stand_in.routes["/v1.0/keyword_search"] = Search()
    now = time.time()
    spent = {f"q{i}": now - 60 for i in range(10)}
    get_wall(app).store.save_cursor("th", json.dumps({"queries": spent}))
    source = ThreadsSource("th", ThreadsOptions(token_env=TOKEN, api_url=stand_in.url + "/v1.0",
                                                daily_queries=10))
    running = start_source(source, get_wall(app).pipeline, hashtags=("VelociaDays",))
    wait_for(lambda: running.runner.health.state == "paused", what="the paused state")
    running.halt()
    assert not stand_in.seen
    assert "queries 10/10 in 24 h" in running.runner.health.detail
