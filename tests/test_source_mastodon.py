"""Mastodon: Status entities to posts, and the source against a local Mastodon stand-in."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, Seen, WsStandIn, fixture, start_source, wait_for
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.mastodon import MastodonOptions, MastodonSource, to_post

TAG_PATH = "/api/v1/timelines/tag/TestDays"


def test_status_becomes_plain_text_post_with_moderation_fields() -> None:
    page = fixture("mastodon/tag_page1.json")
    post = to_post(page[0], source="masto")
    assert post.text == "Message 40 depuis le salon & la rue #TestDays"
    assert "<" not in post.text
    assert post.author == "Léa Martin 🚲" and post.handle == "@lea@mastodon.social"
    assert post.external_id == page[0]["uri"] and post.uri == page[0]["uri"]
    assert post.media[0].alt == "Un vélo cargo devant le stand"
    assert post.author_bio == "Cycliste urbaine, #velo & café"
    assert post.author_followers == 412 and post.author_discoverable is True
    sensitive = to_post(page[1], source="masto")
    assert sensitive.sensitive and sensitive.spoiler_text.startswith("Spoiler")
    assert sensitive.edited_at is not None
    assert to_post(page[2], source="masto").is_reply
    bot = to_post(page[3], source="masto")
    assert bot.author_bot and bot.author_noindex and bot.author_discoverable is False
    assert bot.handle == "@newsbot@bots.example"


def test_boost_is_folded_into_the_boosted_status() -> None:
    boost = fixture("mastodon/tag_page2.json")[0]
    post = to_post(boost, source="masto")
    assert post.external_id == boost["reblog"]["uri"]
    assert post.text.startswith("Boosted original")


@pytest.mark.parametrize("raw", [None, "text", {"id": "1"}, {"uri": "x", "account": "bob"},
                                 {"uri": "x", "account": {}, "created_at": "yesterday"}])
def test_malformed_status_is_a_clear_error(raw: Any) -> None:
    with pytest.raises(SourceError):
        to_post(raw, source="masto")


def test_interval_is_clamped_to_the_instance_budget() -> None:
    source = MastodonSource("m", MastodonOptions(instances=("https://a.example",), interval=1))
    assert source.interval(1) >= 2.0  # 300 requests / 5 min, half of it at most
    assert source.interval(10) >= 20.0


class Timeline:
    """A Mastodon tag timeline that honours min_id and limit like the real server."""

    def __init__(self, statuses: list[dict[str, Any]]) -> None:
        self.statuses = list(statuses)
        self.fail: list[Reply] = []

    def __call__(self, seen: Seen) -> Reply:
        if self.fail:
            return self.fail.pop(0)
        limit = int(seen.query.get("limit", "20"))
        ordered = sorted(self.statuses, key=lambda s: int(s["id"]))
        if "min_id" in seen.query:
            newer = [s for s in ordered if int(s["id"]) > int(seen.query["min_id"])][:limit]
        else:
            newer = ordered[-limit:]
        page = list(reversed(newer))
        headers = {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "299",
                   "X-RateLimit-Reset": "2026-11-22T12:05:00.000Z"}
        if page:
            headers["Link"] = (f'<{seen.path}?max_id={page[-1]["id"]}>; rel="next", '
                               f'<{seen.path}?min_id={page[0]["id"]}>; rel="prev"')
        return Reply(200, page, headers)


@pytest.fixture
def masto() -> Iterator[HttpStandIn]:
    stand_in = HttpStandIn()
    yield stand_in
    stand_in.close()


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def _source(*instances: str, token_env: str = "") -> MastodonSource:
    return MastodonSource("masto", MastodonOptions(instances=instances, interval=1,
                                                   token_env=token_env))


def test_pages_forward_with_min_id_then_resumes_after_restart(app: Any, masto: HttpStandIn) -> None:
    wall = get_wall(app)
    timeline = Timeline(fixture("mastodon/tag_page1.json"))
    masto.routes[TAG_PATH] = timeline
    wall.store.save_cursor("masto", json.dumps({f"{masto.url}#testdays": "113500000000000000"}))
    running = start_source(_source(masto.url), wall.pipeline)
    wait_for(lambda: len(_all(app)) == 40, what="the first 40 statuses")
    running.halt()
    calls = masto.requests_to(TAG_PATH)
    assert calls[0].query["min_id"] == "113500000000000000"
    assert calls[1].query["min_id"] == "113500000000000040"  # the next page
    # New statuses arrive while the wall is stopped; a new process resumes from the cursor.
    timeline.statuses += fixture("mastodon/tag_page2.json")
    before = len(masto.seen)
    running = start_source(_source(masto.url), wall.pipeline)
    wait_for(lambda: len(_all(app)) == 44, what="the statuses posted while stopped")
    running.halt()
    assert masto.seen[before].query["min_id"] == "113500000000000040"
    ids = [p["external_id"] for p in _all(app)]
    assert len(ids) == len(set(ids)) == 44


def test_cross_instance_duplicates_fold_by_uri(app: Any, masto: HttpStandIn) -> None:
    other = HttpStandIn()
    try:
        masto.routes[TAG_PATH] = Timeline(fixture("mastodon/tag_page1.json")[-1:])
        other.routes[TAG_PATH] = Timeline(fixture("mastodon/other_instance.json"))
        running = start_source(_source(masto.url, other.url), get_wall(app).pipeline)
        wait_for(lambda: other.requests_to(TAG_PATH), what="a poll of the second instance")
        wait_for(lambda: len(_all(app)) == 2, what="two distinct posts")
        running.halt()
    finally:
        other.close()
    texts = sorted(p["text"] for p in _all(app))
    assert texts[0].startswith("Message 1 ") and texts[1].startswith("Seulement")


def test_rate_limit_and_server_errors_are_waited_out(app: Any, masto: HttpStandIn) -> None:
    timeline = Timeline(fixture("mastodon/tag_page2.json"))
    timeline.fail = [Reply(429, {"error": "Too many requests"}, {"Retry-After": "1"}),
                     Reply(503, "<html>Service Unavailable</html>", {"Content-Type": "text/html"}),
                     Reply(200, "{not json", {})]
    masto.routes[TAG_PATH] = timeline
    running = start_source(_source(masto.url), get_wall(app).pipeline)
    wait_for(lambda: len(_all(app)) == 4, timeout=30, what="posts after the failures")
    wait_for(lambda: running.runner.health.state == "ok", what="the ok state")
    running.halt()
    calls = masto.requests_to(TAG_PATH)
    assert calls[1].at - calls[0].at >= 0.9  # Retry-After: 1 was respected
    assert "degraded" in running.states
    assert "ok" in running.states[running.states.index("degraded"):]
    assert running.runner.health.last_error and "not JSON" in running.runner.health.last_error


def test_malformed_statuses_are_skipped_and_the_rest_kept(app: Any, masto: HttpStandIn) -> None:
    masto.routes[TAG_PATH] = lambda seen: Reply(200, fixture("mastodon/tag_malformed.json"))
    running = start_source(_source(masto.url), get_wall(app).pipeline)
    wait_for(lambda: len(_all(app)) == 1, what="the one good status")
    running.halt()
    assert _all(app)[0]["text"].startswith("Bien formé")


def test_stream_with_token_adds_then_removes_a_deleted_status(
        app: Any, masto: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_MASTO_TOKEN", "s3cret")
    streaming = WsStandIn()
    try:
        masto.routes[TAG_PATH] = Timeline([])
        # Mastodon may stream from another host (its instance API names it): here, the
        # websocket stand-in.
        source = MastodonSource("masto", MastodonOptions(
            instances=(masto.url,), interval=1, token_env="TEST_MASTO_TOKEN",
            streaming_url=streaming.url + "/api/v1/streaming"))
        running = start_source(source, get_wall(app).pipeline)
        wait_for(lambda: streaming.received, what="the hashtag subscription")
        assert streaming.paths[0] == "/api/v1/streaming"
        assert streaming.headers[0]["Authorization"] == "Bearer s3cret"
        assert json.loads(streaming.received[0]) == {"type": "subscribe", "stream": "hashtag",
                                                     "tag": "TestDays"}
        messages = fixture("mastodon/streaming.json")
        streaming.send(messages["update"])
        wait_for(lambda: get_wall(app).store.posts("approved"), what="the streamed status")
        streaming.send(messages["edit"])
        wait_for(lambda: "corrigé" in get_wall(app).store.posts("approved")[0]["text"],
                 what="the edited text")
        streaming.send("{broken", messages["delete"])
        wait_for(lambda: not get_wall(app).store.posts("approved"), what="the deletion")
        running.halt()
    finally:
        streaming.close()
    rejected = get_wall(app).store.posts("rejected")
    assert rejected[0]["reasons"] == ["deleted by its author"]
    events = get_wall(app).store.events_since(0, ["public"]) or []
    # The image worker may add a post_updated (the avatar could not be fetched offline).
    assert [e.type for e in events if e.type != "post_updated"] == ["post_added", "post_removed"]


def test_one_failing_instance_does_not_stop_the_others(app: Any, masto: HttpStandIn) -> None:
    broken = HttpStandIn()
    try:
        broken.routes[TAG_PATH] = lambda seen: Reply(502, "<h1>Bad gateway</h1>",
                                                     {"Content-Type": "text/html"})
        masto.routes[TAG_PATH] = Timeline(fixture("mastodon/tag_page2.json"))
        running = start_source(_source(broken.url, masto.url), get_wall(app).pipeline)
        wait_for(lambda: len(_all(app)) == 4, what="the healthy instance's posts")
        wait_for(lambda: running.runner.health.state == "degraded", what="the degraded state")
        running.halt()
    finally:
        broken.close()
    assert "HTTP 502" in running.runner.health.detail


def test_a_dropped_stream_is_backfilled_from_the_last_streamed_id(
        app: Any, masto: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_MASTO_TOKEN", "s3cret")
    streaming = WsStandIn()
    timeline = Timeline([])
    masto.routes[TAG_PATH] = timeline
    try:
        source = MastodonSource("masto", MastodonOptions(
            instances=(masto.url,), interval=1, token_env="TEST_MASTO_TOKEN",
            streaming_url=streaming.url + "/api/v1/streaming"))
        running = start_source(source, get_wall(app).pipeline)
        wait_for(lambda: streaming.received, what="the hashtag subscription")
        update = fixture("mastodon/streaming.json")["update"]
        live = json.loads(update["payload"])
        streaming.send(update)
        wait_for(lambda: get_wall(app).store.posts("approved"), what="the streamed status")
        # Posted while the stream is down: only the REST timeline can bring it back.
        missed = dict(fixture("mastodon/tag_page2.json")[1], id=str(int(live["id"]) + 1))
        timeline.statuses = [live, missed]
        before = len(masto.requests_to(TAG_PATH))
        streaming.drop()
        wait_for(lambda: len(get_wall(app).store.posts("approved")) == 2, timeout=30,
                 what="the status missed during the drop")
        wait_for(lambda: len(streaming.paths) == 2, timeout=30, what="the new stream")
        running.halt()
    finally:
        streaming.close()
    assert masto.requests_to(TAG_PATH)[before].query["min_id"] == live["id"]
