"""Instagram: recorded media objects to posts, and the source against a Graph API stand-in."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, fixture, start_source, wait_for
from tests.standins_networks import GraphEdge, media_objects, stand_in
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.graph import usage
from wall.sources.instagram import InstagramOptions, InstagramSource, to_post

__all__ = ["stand_in"]
TOKEN = "TEST_IG_TOKEN"


def test_recorded_media_become_posts_with_caption_tags_and_mentions() -> None:
    tagged = fixture("instagram/tagged_media.json")["data"]
    post = to_post(tagged[2], source="ig", addressed=True)
    assert post.network == "instagram" and post.external_id == "17846368219941692"
    assert post.text == "Cute.. #cute #loveyou  @ikroskun"
    assert post.hashtags == ("cute", "loveyou") and post.mentions == ("ikroskun",)
    assert post.url == "https://www.instagram.com/p/B8gQCApHMT-/"
    assert post.created_at.isoformat() == "2020-02-13T10:35:40+00:00"
    assert post.media[0].url.startswith("https://scontent-gmp1-1.cdninstagram.com/")
    assert post.addressed
    for raw in tagged:  # every recorded item parses, even the one without a caption
        assert to_post(raw, source="ig").external_id == raw["id"]


def test_a_carousel_gives_its_first_image() -> None:
    album = fixture("instagram/media_fields.json")["17896129349106152"]
    post = to_post(album, source="ig")
    first = album["children"]["data"][0]["media_url"]
    assert post.media[0].url == first and len(post.media) == 1
    assert post.author == "Instagram" and post.handle == ""  # hashtag media name no one


def test_a_video_gives_its_thumbnail_never_the_mp4() -> None:
    child = fixture("instagram/media_fields.json")["17896129349106152"]["children"]["data"][2]
    video = dict(child, caption="clip")
    url = to_post(video, source="ig").media[0].url
    assert url == child["thumbnail_url"] and ".mp4" not in url


@pytest.mark.parametrize("raw", [None, [], {"caption": "no id"},
                                 {"id": "1", "timestamp": "yesterday"}])
def test_malformed_media_is_a_clear_error(raw: Any) -> None:
    with pytest.raises(SourceError):
        to_post(raw, source="ig")


def test_usage_headers_are_read() -> None:
    recorded = fixture("instagram/usage_headers.json")
    headers = {"X-Business-Use-Case-Usage": json.dumps(recorded["x-business-use-case-usage"])}
    assert usage(headers) == (29.0, 0.0)
    headers["X-App-Usage"] = json.dumps({"call_count": 97, "total_time": 10, "total_cputime": 3})
    assert usage(headers)[0] == 97.0
    assert usage({"X-App-Usage": "not json"}) == (0.0, 0.0)


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def _routes(server: HttpStandIn, recent: GraphEdge, tags: GraphEdge) -> None:
    server.routes["/v21.0/ig_hashtag_search"] = \
        lambda seen: Reply(200, fixture("instagram/hashtag_search.json"))
    server.routes["/v21.0/17841562426109234/recent_media"] = recent
    server.routes["/v21.0/178414/tags"] = tags


def _source(server: HttpStandIn, **extra: Any) -> InstagramSource:
    return InstagramSource("ig", InstagramOptions(
        user_id="178414", token_env=TOKEN, graph_url=server.url + "/v21.0", interval=10,
        backfill=2, **extra))


def test_backfill_then_only_new_media_then_resume(app: Any, stand_in: HttpStandIn,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "ig-secret")
    recent = GraphEdge(media_objects())
    tags = GraphEdge(fixture("instagram/tagged_media.json")["data"])
    _routes(stand_in, recent, tags)
    running = start_source(_source(stand_in), get_wall(app).pipeline)
    wait_for(lambda: len(_all(app)) == 4, what="two hashtag media and two tagged media")
    running.halt()
    search = stand_in.requests_to("/v21.0/ig_hashtag_search")[0]
    assert search.query == {"user_id": "178414", "q": "TestDays", "access_token": "ig-secret"}
    assert stand_in.requests_to("/v21.0/17841562426109234/recent_media")[0].query["user_id"] \
        == "178414"
    # New media arrive while the wall is stopped; a restart brings only those.
    tags.items.append(dict(fixture("instagram/tagged_media.json")["data"][0],
                           id="new-1", timestamp="2026-11-22T10:00:00+0000",
                           caption="Nouveau @velocia"))
    searches = len(stand_in.requests_to("/v21.0/ig_hashtag_search"))
    running = start_source(_source(stand_in), get_wall(app).pipeline)
    wait_for(lambda: len(_all(app)) == 5, what="the media posted while stopped")
    time.sleep(0.3)
    running.halt()
    texts = [p["text"] for p in _all(app)]
    assert "Nouveau @velocia" in texts and len(texts) == len(set(p["external_id"]
                                                                 for p in _all(app)))
    # The hashtag's id was kept in the cursor: no second ig_hashtag_search.
    assert len(stand_in.requests_to("/v21.0/ig_hashtag_search")) == searches
    saved = json.loads(get_wall(app).store.cursor("ig") or "{}")
    assert list(saved["week"]) == ["testdays"]


def test_thirty_hashtags_a_week_are_kept_across_restarts(app: Any, stand_in: HttpStandIn,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "ig-secret")
    _routes(stand_in, GraphEdge(media_objects()), GraphEdge([]))
    now = time.time()
    week = {f"tag{i}": now - 3600 for i in range(30)}
    get_wall(app).store.save_cursor("ig", json.dumps({"week": week}))
    running = start_source(_source(stand_in, tagged=False), get_wall(app).pipeline)
    wait_for(lambda: running.runner.health.state == "paused", what="the paused state")
    running.halt()
    assert not stand_in.requests_to("/v21.0/ig_hashtag_search")  # the 31st is never searched
    assert "30 hashtags used this week" in running.runner.health.detail


def test_usage_near_the_limit_waits_and_4xx_5xx_are_survived(
        app: Any, stand_in: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TOKEN, "ig-secret")
    tags = GraphEdge(fixture("instagram/tagged_media.json")["data"])
    tags.fail = [Reply(500, "<html>oops</html>", {"Content-Type": "text/html"}),
                 Reply(400, fixture("facebook/error_permission.json"))]
    _routes(stand_in, GraphEdge([]), tags)
    running = start_source(_source(stand_in, hashtags=()), get_wall(app).pipeline,
                           hashtags=())
    wait_for(lambda: running.runner.last_error and "Graph error 100" in
             running.runner.last_error, timeout=30, what="the permission error, readable")
    wait_for(lambda: len(_all(app)) == 2, timeout=30, what="the backfill after the errors")
    running.halt()
    assert running.runner.failures == 0
    assert "ig-secret" not in json.dumps(running.runner.health.as_dict())  # shown on /healthz
    # Meta says 98% of the budget is used: the next poll waits its estimate.
    tags.headers = {"X-Business-Use-Case-Usage": json.dumps(
        {"178414": [{"type": "instagram", "call_count": 98, "total_cputime": 5,
                     "total_time": 5, "estimated_time_to_regain_access": 7}]})}
    running = start_source(_source(stand_in, hashtags=()), get_wall(app).pipeline, hashtags=())
    wait_for(lambda: "Meta usage at 98%" in running.runner.health.detail, what="the usage wait")
    running.halt()
    assert "waiting 420s" in running.runner.health.detail
