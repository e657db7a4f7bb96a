"""YouTube: live chat messages and comments to posts, the chat's pace and end on a stand-in."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.standins import HttpStandIn, Reply, fixture, start_source, wait_for
from tests.standins_networks import LiveChat, error, stand_in
from wall.runtime import get_wall
from wall.sources.base import SourceError
from wall.sources.youtube import YouTubeOptions, YouTubeSource, chat_to_post, comment_to_post

__all__ = ["stand_in"]
KEY = "TEST_YT_KEY"
VIDEO = "jfKfPfyJRdk"


def test_chat_messages_become_posts() -> None:
    items = fixture("youtube/chat_p1.json")["items"]
    post = chat_to_post(items[0], source="yt", video_id=VIDEO)
    assert post.text == "Bonjour from Lille! 👋 #VelociaDays" and post.hashtags == ("velociadays",)
    assert post.author == "Maya Leroy" and post.author_id == "UCwz5yG8kTlT2nK8b1mVn8Xg"
    assert post.url == f"https://www.youtube.com/watch?v={VIDEO}" and post.network == "youtube"
    assert post.created_at.isoformat().startswith("2026-11-22T08:01:12.345")
    assert post.addressed
    assert chat_to_post(items[1], source="yt", video_id=VIDEO).text.startswith("€5.00")


def test_comments_become_posts_with_plain_text() -> None:
    threads = fixture("youtube/comment_threads.json")["items"]
    post = comment_to_post(threads[0], source="yt")
    assert post.text == 'Best "how to" video on brakes & pads'
    assert post.author == "@garage-jules" and post.author_id == "UCJules123"
    assert post.url == "https://www.youtube.com/watch?v=M7FIvfx5J10&lc=UgzDE2tasfmrYLyNkGt4AaABAg"
    assert post.edited_at is not None
    html_only = dict(threads[0])
    snippet = dict(html_only["snippet"]["topLevelComment"]["snippet"], textOriginal="")
    html_only["snippet"] = {"topLevelComment": {"snippet": snippet}}
    assert comment_to_post(html_only, source="yt").text == 'Best "how to" video on brakes & pads'


NO_TEXT = {"id": "x", "snippet": {"type": "textMessageEvent",
                                   "publishedAt": "2026-01-01T00:00:00Z"}}


@pytest.mark.parametrize("raw", [None, {"id": "x"}, NO_TEXT])
def test_malformed_chat_message_is_a_clear_error(raw: Any) -> None:
    with pytest.raises(SourceError):
        chat_to_post(raw, source="yt", video_id=VIDEO)


def _all(app: Any) -> list[dict[str, Any]]:
    store = get_wall(app).store
    return [p for s in ("approved", "pending", "rejected") for p in store.posts(s, 500)]


def _source(server: HttpStandIn, **extra: Any) -> YouTubeSource:
    return YouTubeSource("yt", YouTubeOptions(key_env=KEY, api_url=server.url + "/youtube/v3",
                                              interval=30, **extra))


def test_live_chat_at_the_polling_interval_with_deletion_and_end(
        app: Any, stand_in: HttpStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY, "yt-key")
    stand_in.routes["/youtube/v3/videos"] = lambda seen: Reply(
        200, fixture("youtube/videos_live.json"))
    chat = LiveChat([fixture("youtube/chat_p1.json"), fixture("youtube/chat_p2_deleted.json")],
                    interval_ms=700)
    chat.after = [Reply(403, fixture("youtube/error_chat_ended.json"))]
    stand_in.routes["/youtube/v3/liveChat/messages"] = chat
    running = start_source(_source(stand_in, video_id=VIDEO), get_wall(app).pipeline,
                           hashtags=())
    wait_for(lambda: running.runner.health.state == "paused", what="the chat's end")
    running.halt()
    video = stand_in.requests_to("/youtube/v3/videos")[0]
    assert video.query == {"part": "liveStreamingDetails", "id": VIDEO, "key": "yt-key"}
    calls = stand_in.requests_to("/youtube/v3/liveChat/messages")
    assert calls[0].query["liveChatId"].startswith("Cg0KC2pmS2ZQZnlKUmRr")
    assert chat.tokens[:3] == ["", "GO7Y0b2s1fUCEKiCtZ2s1fUC", "GO7Y0b2s1fUCEKiCtZ2s1fUD"]
    gaps = [b.at - a.at for a, b in zip(calls, calls[1:], strict=False)]
    assert all(gap >= 0.65 for gap in gaps)  # pollingIntervalMillis = 700 was honoured
    # Maya's message stays; Tom's Super Chat was deleted by a moderator; no member event.
    approved = [p["text"] for p in get_wall(app).store.posts("approved", 50)]
    assert approved == ["Bonjour from Lille! 👋 #VelociaDays"]
    rejected = get_wall(app).store.posts("rejected", 50)
    assert rejected[0]["reasons"] == ["deleted by its author"]
    assert "live chat of jfKfPfyJRdk ended" in running.runner.health.detail
    assert "units today" in running.runner.health.detail


def test_not_live_pauses_then_offline_at_ends(app: Any, stand_in: HttpStandIn,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY, "yt-key")
    stand_in.routes["/youtube/v3/videos"] = lambda seen: Reply(
        200, fixture("youtube/videos_not_live.json"))
    running = start_source(_source(stand_in, video_id=VIDEO), get_wall(app).pipeline,
                           hashtags=())
    wait_for(lambda: running.runner.health.state == "paused", what="the not-live pause")
    running.halt()
    assert "has no live chat now" in running.runner.health.detail
    assert not stand_in.requests_to("/youtube/v3/liveChat/messages")
    stand_in.routes["/youtube/v3/videos"] = lambda seen: Reply(
        200, fixture("youtube/videos_live.json"))
    stand_in.routes["/youtube/v3/liveChat/messages"] = LiveChat(
        [fixture("youtube/chat_offline.json")])
    running = start_source(_source(stand_in, video_id=VIDEO), get_wall(app).pipeline,
                           hashtags=())
    wait_for(lambda: "ended" in running.runner.health.detail, what="offlineAt")
    running.halt()


def test_comments_backfill_then_only_new_ones(app: Any, stand_in: HttpStandIn,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY, "yt-key")
    threads = fixture("youtube/comment_threads.json")
    newer = json.loads(json.dumps(threads["items"][0]))
    newer["id"] = "UgzNewer3"
    newer["snippet"]["topLevelComment"]["snippet"].update(
        textOriginal="Merci pour la vidéo", publishedAt="2026-11-22T09:00:00Z",
        updatedAt="2026-11-22T09:00:00Z")
    later = dict(threads, items=[newer, *threads["items"]])
    replies = [Reply(200, threads), Reply(200, later)]
    stand_in.routes["/youtube/v3/commentThreads"] = lambda seen: replies.pop(0) \
        if len(replies) > 1 else replies[0]
    source = YouTubeSource("yt", YouTubeOptions(
        key_env=KEY, api_url=stand_in.url + "/youtube/v3", video_ids=("M7FIvfx5J10",),
        backfill=1, interval=0.5))
    running = start_source(source, get_wall(app).pipeline, hashtags=())
    wait_for(lambda: len(_all(app)) == 2, what="the newest comment, then the new one")
    wait_for(lambda: len(stand_in.requests_to("/youtube/v3/commentThreads")) >= 4,
             what="more polls")
    running.halt()
    assert sorted(p["text"] for p in _all(app)) == ['Best "how to" video on brakes & pads',
                                                    "Merci pour la vidéo"]
    first = stand_in.requests_to("/youtube/v3/commentThreads")[0]
    assert first.query["videoId"] == "M7FIvfx5J10" and first.query["order"] == "time"
    assert first.query["maxResults"] == "1"


def test_quota_exceeded_waits_for_pacific_midnight(app: Any, stand_in: HttpStandIn,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY, "yt-key")
    stand_in.routes["/youtube/v3/commentThreads"] = error("youtube/error_quota.json")
    running = start_source(_source(stand_in, video_ids=("M7FIvfx5J10",)),
                           get_wall(app).pipeline, hashtags=())
    wait_for(lambda: running.runner.health.state == "degraded", what="the quota state")
    running.halt()
    assert "quota exceeded (quotaExceeded)" in running.runner.health.detail
    assert len(stand_in.requests_to("/youtube/v3/commentThreads")) == 1
