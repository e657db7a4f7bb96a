"""Webhook batches: one transaction, idempotent, and clear about what was not stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import TOKEN, write_config
from tests.test_scaleout import pg_url  # noqa: F401  (the fixture: a fresh PostgreSQL database)
from wall.config import load_config

AUTH = {"Authorization": f"Bearer {TOKEN}"}


def posts(count: int, prefix: str = "b") -> list[dict[str, Any]]:
    return [{"id": f"{prefix}-{n}", "author": f"Guest {n}", "text": f"batch post {n} #TestDays"}
            for n in range(count)]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_client(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A test client on SQLite, or on a fresh database of the real PostgreSQL."""
    from wall import create_app

    moderation = request.node.get_closest_marker("rules")
    path = write_config(tmp_path, mode="post", async_mode="threading",
                        moderation=moderation.args[0] if moderation else "")
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("[server]\n", f'[server]\ndatabase = "{url}"\n', 1),
                        encoding="utf-8")
    app = create_app(load_config(path), {"TESTING": True})
    yield app.test_client()
    app.extensions["socialwall"].store.close()


def approved(client: Any) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.get("/api/posts?limit=500").get_json()["posts"]
    return listed


def test_a_batch_is_stored_once_even_when_sent_again(any_client: Any) -> None:
    batch = posts(99)
    batch.append(dict(batch[7]))  # the same post twice in one batch
    first = any_client.post("/api/ingest", json={"posts": batch}, headers=AUTH)
    assert first.status_code == 202, first.get_json()
    ids = first.get_json()["ids"]
    assert len(set(ids)) == 99 and ids[99] == ids[7]
    again = any_client.post("/api/ingest", json={"posts": batch[:50]}, headers=AUTH)
    assert again.status_code == 202
    assert again.get_json()["ids"] == ids[:50]
    assert len(approved(any_client)) == 99


def test_a_single_duplicate_answers_with_the_same_id(any_client: Any) -> None:
    # On PostgreSQL this answered 500: psycopg 3 gives rowcount -1 for
    # INSERT ... ON CONFLICT DO NOTHING RETURNING.
    body = {"id": "same", "author": "Camille", "text": "only once"}
    first = any_client.post("/api/ingest", json=body, headers=AUTH)
    again = any_client.post("/api/ingest", json=body, headers=AUTH)
    assert (first.status_code, again.status_code) == (202, 202), again.get_json()
    assert first.get_json()["ids"] == again.get_json()["ids"]


def test_an_invalid_post_refuses_the_whole_batch(any_client: Any) -> None:
    batch = posts(3)
    batch[1] = {"author": "No text"}
    reply = any_client.post("/api/ingest", json={"posts": batch}, headers=AUTH)
    assert reply.status_code == 400
    assert reply.get_json()["error"].startswith("post 1:")
    assert approved(any_client) == []


REFUSED = "refused-by-the-database"


def refuse_marked_posts(client: Any) -> None:
    """Make the database itself refuse posts whose text holds REFUSED, as a DBA rule would.

    The webhook now drops the NUL characters PostgreSQL used to refuse, and checks
    lengths before the database does, so no payload it accepts is refused on its
    own: a trigger gives both databases a row they refuse, through the real driver.
    """
    store = client.application.extensions["socialwall"].store
    with store.engine.begin() as conn:
        if store.dialect == "postgresql":
            conn.exec_driver_sql(
                "CREATE FUNCTION refuse_marked() RETURNS trigger AS $$ BEGIN "
                f"IF position('{REFUSED}' in NEW.text) > 0 THEN "
                "RAISE EXCEPTION 'this post breaks a rule of the database'; END IF; "
                "RETURN NEW; END $$ LANGUAGE plpgsql")
            conn.exec_driver_sql("CREATE TRIGGER refuse_marked BEFORE INSERT ON posts "
                                 "FOR EACH ROW EXECUTE FUNCTION refuse_marked()")
        else:
            conn.exec_driver_sql(
                "CREATE TRIGGER refuse_marked BEFORE INSERT ON posts "
                f"WHEN instr(NEW.text, '{REFUSED}') > 0 BEGIN "
                "SELECT RAISE(ABORT, 'this post breaks a rule of the database'); END")


def test_a_post_the_database_refuses_does_not_lose_the_others(any_client: Any) -> None:
    refuse_marked_posts(any_client)
    batch = posts(3, "refused")
    batch[1]["text"] = f"a post the database will not take: {REFUSED}"
    reply = any_client.post("/api/ingest", json={"posts": batch}, headers=AUTH)
    assert reply.status_code == 202
    body = reply.get_json()
    assert body["ids"][1] is None and None not in (body["ids"][0], body["ids"][2])
    [error] = body["errors"]
    assert error["index"] == 1 and "breaks a rule of the database" in error["error"]
    assert "INSERT" not in error["error"]
    assert {p["id"] for p in approved(any_client)} == {body["ids"][0], body["ids"][2]}
    alone = any_client.post("/api/ingest", json=batch[1], headers=AUTH)
    assert alone.status_code == 400 and alone.get_json()["errors"][0]["index"] == 0


@pytest.mark.rules("author_max_posts = 2\nauthor_window_minutes = 10\n")
def test_the_spam_limit_counts_posts_stored_by_earlier_requests(any_client: Any) -> None:
    """The rules read an author's recent posts from the database (wall.desk.context_for)."""
    for n in range(2):
        sent = any_client.post("/api/ingest", json={"id": f"s{n}", "author": "Sam", "handle":
                                                   "@sam", "text": f"post {n}"}, headers=AUTH)
        assert sent.status_code == 202
    third = any_client.post("/api/ingest", json={"posts": [
        {"id": "s2", "author": "Sam", "handle": "@sam", "text": "post 2"},
        {"id": "o1", "author": "Ola", "handle": "@ola", "text": "another author"}]},
        headers=AUTH)
    assert third.status_code == 202
    shown = {p["text"] for p in approved(any_client)}
    assert shown == {"post 0", "post 1", "another author"}
