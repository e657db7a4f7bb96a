"""The HTTP API: webhook ingest, listing, moderator actions, health."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def ingest(client: Any, body: Any, headers: dict[str, str] | None = None) -> Any:
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post("/api/ingest", data=data, content_type="application/json",
                       headers=AUTH if headers is None else headers)


def test_webhook_stores_a_post_and_lists_it(client: Any) -> None:
    reply = ingest(client, {"author": "Camille", "text": "Bonjour #TestDays", "id": "a1",
                            "handle": "@camille", "url": "https://example.org/p/1",
                            "created_at": "2026-11-22T10:00:00Z"})
    assert reply.status_code == 202
    [post_id] = reply.get_json()["ids"]
    posts = client.get("/api/posts?status=approved").get_json()["posts"]
    assert [(p["id"], p["author"], p["text"], p["url"]) for p in posts] == [
        (post_id, "Camille", "Bonjour #TestDays", "https://example.org/p/1")]
    assert posts[0]["created_at"] == "2026-11-22T10:00:00Z"


def test_webhook_is_idempotent(client: Any) -> None:
    body = {"posts": [{"author": "A", "text": "one", "id": "x"},
                      {"author": "A", "text": "one", "id": "x"}]}
    first = ingest(client, body).get_json()["ids"]
    again = ingest(client, body).get_json()["ids"]
    assert first[0] == first[1] == again[0] == again[1]
    assert len(client.get("/api/posts").get_json()["posts"]) == 1


def test_webhook_without_id_dedupes_on_author_and_text(client: Any) -> None:
    a = ingest(client, {"author": "A", "text": "same"}).get_json()["ids"]
    b = ingest(client, {"author": "A", "text": "same"}).get_json()["ids"]
    assert a == b


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "body must be JSON"),
        ({"text": "no author"}, '"author" is required'),
        ({"author": "A"}, '"text" is required'),
        ({"author": "A", "text": 5}, '"text" must be a string'),
        ({"author": "A", "text": "t", "created_at": "yesterday"}, "not an ISO 8601 time"),
        ({"author": "A", "text": "t", "media_urls": "http://x"}, '"media_urls" must be a list'),
        ({"author": "A", "text": "t", "colour": "red"}, "unknown field(s) colour"),
        ({"posts": []}, "non-empty list"),
        ({"posts": [{"author": "A", "text": "ok"}, {"author": "B"}]}, "post 1:"),
        ([1, 2], "each post must be a JSON object"),
    ],
)
def test_webhook_rejects_bad_input_with_a_readable_message(client: Any, body: Any,
                                                          message: str) -> None:
    reply = ingest(client, body)
    assert reply.status_code == 400
    assert message in reply.get_json()["error"]
    assert client.get("/api/posts").get_json()["posts"] == []


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer nope"},
                                     {"Authorization": TOKEN}])
def test_webhook_needs_the_token(client: Any, headers: dict[str, str]) -> None:
    reply = ingest(client, {"author": "A", "text": "t"}, headers=headers)
    assert reply.status_code == 401


def test_webhook_refuses_large_bodies(client: Any) -> None:
    reply = ingest(client, {"author": "A", "text": "x" * (300 * 1024)})
    assert reply.status_code == 413


def test_rules_apply_to_webhook_posts(client: Any) -> None:
    ingest(client, {"posts": [{"author": "A", "text": "une arnaque"},
                              {"author": "B", "text": "fine", "handle": "@spambot3000"}]})
    assert client.get("/api/posts").get_json()["posts"] == []


def test_pending_and_rejected_need_a_moderator(client: Any, moderator_client: Any) -> None:
    for status in ("pending", "rejected"):
        assert client.get(f"/api/posts?status={status}").status_code == 401
        assert moderator_client.get(f"/api/posts?status={status}").status_code == 200
    assert client.get("/api/posts?status=weird").status_code == 400
    assert client.get("/api/posts?limit=many").status_code == 400


def test_moderator_actions(client: Any, moderator_client: Any) -> None:
    [post_id] = ingest(client, {"author": "A", "text": "hello"}).get_json()["ids"]
    assert client.post(f"/api/posts/{post_id}/reject").status_code == 401
    no_csrf = moderator_client.post(f"/api/posts/{post_id}/reject",
                                    headers={"X-CSRF-Token": "wrong"})
    assert no_csrf.status_code == 403
    reply = moderator_client.post(f"/api/posts/{post_id}/highlight")
    assert reply.status_code == 200 and reply.get_json()["post"]["highlighted"] is True
    assert moderator_client.post(f"/api/posts/{post_id}/reject").status_code == 200
    assert moderator_client.post(f"/api/posts/{post_id}/reject").status_code == 409
    assert moderator_client.post("/api/posts/999/approve").status_code == 404
    assert moderator_client.post(f"/api/posts/{post_id}/explode").status_code == 404
    assert client.get("/api/posts").get_json()["posts"] == []


def test_login_with_a_wrong_password_is_refused(client: Any) -> None:
    reply = client.post("/moderate/login", data={"password": "guess"})
    assert reply.status_code == 401
    assert b'name="password"' in reply.data
    assert client.get("/api/posts?status=pending").status_code == 401


def test_healthz(client: Any) -> None:
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert [s["type"] for s in body["sources"]] == ["webhook"]


def test_pages_render(client: Any) -> None:
    index = client.get("/").get_data(as_text=True)
    for path in ("/screen/feed", "/screen/stats", "/screen/highlights", "/moderate"):
        assert path in index
        assert client.get(path).status_code == 200
    assert client.get("/screen/nope").status_code == 404
    assert 'name="password"' in client.get("/moderate").get_data(as_text=True)


def test_screen_options_are_clamped(client: Any) -> None:
    html = client.get("/screen/feed?theme=<script>&columns=99&speed=NaN&name=lobby%20left"
                      ).get_data(as_text=True)
    assert 'data-theme="dark"' in html
    assert 'data-name="lobby-left"' in html
    assert "<script>&" not in html


def test_logout_needs_the_csrf_token(moderator_client: Any) -> None:
    assert moderator_client.post("/moderate/logout").status_code == 403
    with moderator_client.session_transaction() as sess:
        token = sess["csrf"]
    assert moderator_client.post("/moderate/logout", data={"csrf_token": token}).status_code == 302
    assert moderator_client.get("/api/posts?status=pending").status_code == 401
