"""The desk's lists over HTTP: tabs paged and filtered, blocked authors, unblock, screens."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert

from tests.conftest import make_post
from wall.i18n import labels, plural
from wall.i18n_reasons import REASONS_FR, translate_reason
from wall.models import Decision
from wall.store import schema


def store_of(app: Any) -> Any:
    return app.extensions["socialwall"].store


def add(app: Any, status: str = "pending", **fields: Any) -> int:
    change = store_of(app).ingest(make_post(**fields), Decision(status, ()))
    return int(change.post["id"])


def test_tabs_page_through_posts_in_queue_order(app: Any, moderator_client: Any) -> None:
    ids = [add(app) for _ in range(5)]
    first = moderator_client.get("/api/desk/posts?tab=pending&limit=2").get_json()
    assert [p["id"] for p in first["posts"]] == ids[:2]  # oldest first
    assert first["total"] == 5
    second = moderator_client.get(
        f"/api/desk/posts?tab=pending&limit=2&before={first['next_before']}").get_json()
    assert [p["id"] for p in second["posts"]] == ids[2:4]
    for post_id in ids[:3]:
        assert moderator_client.post(f"/api/posts/{post_id}/reject").status_code == 200
    rejected = moderator_client.get("/api/desk/posts?tab=rejected").get_json()
    assert [p["id"] for p in rejected["posts"]] == ids[2::-1]  # newest first
    assert rejected["next_before"] is None


def test_filters_by_network_and_text_with_literal_wildcards(
        app: Any, moderator_client: Any) -> None:
    add(app, "approved", network="mastodon", text="Coffee at the booth")
    bluesky = add(app, "approved", network="bluesky", text="More coffee please",
                  author="Zoé")
    odd = add(app, "approved", network="bluesky", text="100% sure, 5_0")
    body = moderator_client.get("/api/desk/posts?tab=shown&network=bluesky&q=COFFEE").get_json()
    assert [p["id"] for p in body["posts"]] == [bluesky]
    assert [p["id"] for p in moderator_client.get(
        "/api/desk/posts?tab=shown&q=zoé").get_json()["posts"]] == [bluesky]
    assert [p["id"] for p in moderator_client.get(
        "/api/desk/posts?tab=shown&q=0%25").get_json()["posts"]] == [odd]
    assert moderator_client.get("/api/desk/posts?tab=shown&q=5%_").get_json()["total"] == 0
    assert moderator_client.get("/api/desk/networks").get_json()["networks"] == [
        "bluesky", "mastodon"]


@pytest.mark.parametrize("query", ["tab=everything", "tab=shown&before=x", "limit=-1"])
def test_bad_list_queries_say_what_is_wrong(moderator_client: Any, query: str) -> None:
    reply = moderator_client.get(f"/api/desk/posts?{query}")
    assert reply.status_code == 400 and reply.get_json()["error"]


def test_lists_need_a_moderator(client: Any) -> None:
    assert client.get("/api/desk/posts").status_code == 401
    assert client.get("/api/blocks").status_code == 401


def test_blocked_authors_are_listed_and_unblocked(app: Any, moderator_client: Any) -> None:
    post_id = add(app, handle="@pest", network="mastodon")
    assert moderator_client.post(f"/api/posts/{post_id}/block_author").status_code == 200
    [block] = moderator_client.get("/api/blocks").get_json()["blocks"]
    assert block["author"] == "pest" and block["network"] == "mastodon" and block["by"] == "Mo"
    pipeline = app.extensions["socialwall"].pipeline
    held = pipeline.submit(make_post(handle="@pest", network="mastodon"))
    assert held.post["status"] == "rejected"
    reply = moderator_client.post("/api/blocks/unblock", json={"key": block["key"]})
    assert reply.status_code == 200
    assert moderator_client.get("/api/blocks").get_json()["blocks"] == []
    again = pipeline.submit(make_post(handle="@pest", network="mastodon"))
    assert again.post["status"] != "rejected"
    assert moderator_client.post("/api/blocks/unblock",
                                 json={"key": block["key"]}).status_code == 404
    assert moderator_client.post("/api/blocks/unblock", json={}).status_code == 400


def test_a_screen_that_was_taken_down_can_be_removed(app: Any, moderator_client: Any) -> None:
    store = store_of(app)
    # Offline (unseen for two hours), not yet pruned (screens unseen for a day are forgotten).
    old = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=2)
    with store.begin() as conn:
        conn.execute(insert(schema.screens).values(name="old-tv", screen="feed",
                                                   last_seen=old, shown=4))
    [screen] = moderator_client.get("/api/screens").get_json()["screens"]
    assert screen["name"] == "old-tv" and screen["online"] is False
    assert moderator_client.delete("/api/screens/old-tv").status_code == 200
    assert moderator_client.get("/api/screens").get_json()["screens"] == []
    assert moderator_client.delete("/api/screens/old-tv").status_code == 404


SAMPLE_REASONS = [
    'blocked word "scam" in text', 'profanity "merde" in author name',
    "blocked pattern /win.*now/ in image description", "blocked author @spambot3000",
    "trusted author @velocia", "author @pest blocked by a moderator",
    "author @pest blocked by Alice", "author mastodon:pest unblocked",
    'link to blocked domain "bit.ly"', "4 links (more than 3)", "9 hashtags (more than 5)",
    "6 mentions (more than 4)", "6 posts by this author in 10 min (limit 5)",
    "same text as a post by @a in the last 30 min", "93% like a post by @a in the last 30 min",
    "ambassador @sophie", "language de (allowed: en, fr)",
    "toxicity 0.91 (holds from 0.70)", "toxicity 0.12", "pre-moderation: waits for a moderator",
    "author opted out of indexing (noindex)",
    "author opted out of discovery (discoverable: false)",
    "author opted out with #nobot in their bio", "a reply (drop_replies)",
    "a repost or boost (drop_reposts)", "posted by a bot account (drop_bots)",
    "marked sensitive or behind a content warning (drop_sensitive)",
    "account 2 days old (less than 7)", "3 followers (fewer than 10)",
    "no image, and [moderation.media] require_images is on",
    "image flagged by nudity screening: female breast exposed (0.91)",
    "image rejected by Alice", "image 2 failed: too large", "avatar: not an image",
    "attendee post: a moderator decides", "host message by Alice", "undid approve",
    "kill switch", "wall back on", "deleted by its author",
]


@pytest.mark.parametrize("reason", SAMPLE_REASONS)
def test_every_rule_reason_reads_in_french(reason: str) -> None:
    french = translate_reason(reason, "fr")
    assert french != reason
    assert translate_reason(reason, "en") == reason
    for english in ("blocked", "more than", "author", "moderator", "in text", "followers"):
        assert english not in french.replace("author name", "")


def test_reason_patterns_reach_the_browser_in_order() -> None:
    words = labels("fr")
    keys = sorted(k for k in words if k.startswith("reason:"))
    assert len(keys) == len(REASONS_FR)
    assert words["term:text"] == "le texte"
    assert "(?<who>" in keys[5] and "(?P<" not in "".join(keys)
    assert not any(k.startswith("reason:") for k in labels("en"))


@pytest.mark.parametrize(("language", "n", "expected"), [
    ("fr", 1, "1 publication affichée"), ("fr", 0, "0 publication affichée"),
    ("fr", 12, "12 publications affichées"), ("en", 1, "1 post shown"),
    ("en", 0, "0 posts shown"),
])
def test_plurals(language: str, n: int, expected: str) -> None:
    assert plural(labels(language), "posts_shown", n, language) == expected


@pytest.mark.parametrize(("language", "per_client", "expected"), [
    ("fr", 1, "Vous pouvez envoyer 1 message toutes les 10 minutes ; réessayez plus tard."),
    ("fr", 2, "Vous pouvez envoyer 2 messages toutes les 10 minutes ; réessayez plus tard."),
    ("en", 1, "You can send 1 post every 10 minutes; please try again later."),
])
def test_attendee_form_speaks_the_wall_language(tmp_path: Any, language: str, per_client: int,
                                                expected: str) -> None:
    import html
    import re

    from tests.conftest import write_config
    from wall import create_app
    from wall.config import load_config

    path = write_config(tmp_path, mode="post", async_mode="threading", extra=f"""
[[sources]]
type = "attendees"
posts_per_client = {per_client}
per_minutes = 10
""")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'language = "en"', f'language = "{language}"'), encoding="utf-8")
    application = create_app(load_config(path), {"TESTING": True})
    try:
        client = application.test_client()
        replies = []
        for _ in range(per_client + 1):
            page = client.get("/attend").get_data(as_text=True)
            found = re.search(r'name="token" value="([^"]+)"', page)
            assert found
            replies.append(client.post("/attend", data={
                "token": found.group(1), "name": "Léa", "text": "Bonjour"}))
        assert [r.status_code for r in replies][-1] == 429
        assert expected in html.unescape(replies[-1].get_data(as_text=True))
        empty = client.post("/attend", data={"token": "x", "name": "", "text": ""})
        body = html.unescape(empty.get_data(as_text=True))
        assert ("Le formulaire a expiré" if language == "fr" else "The form expired") in body
        if language == "fr":
            page = client.get("/attend").get_data(as_text=True)
            token = re.search(r'name="token" value="([^"]+)"', page)
            assert token
            from wall.web.attendees import RateLimiter

            application.extensions["socialwall_attend_limiter"] = RateLimiter()  # a fresh hour
            missing = client.post("/attend", data={"token": token.group(1), "name": "Léa",
                                                   "text": "  "})
            assert "Écrivez un message." in html.unescape(missing.get_data(as_text=True))
    finally:
        application.extensions["socialwall"].store.close()
