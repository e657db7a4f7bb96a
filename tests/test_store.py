"""The store: idempotent ingest, atomic decisions, sequence numbers for catch-up."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from tests.conftest import make_post
from wall.models import Decision
from wall.store import Conflict, NotFound, Store

APPROVED = Decision("approved", ("ok",))
PENDING = Decision("pending", ("waits",))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    s.create_all()
    return s


def test_same_source_and_id_is_stored_once(store: Store) -> None:
    post = make_post(text="Hello #TestDays #Velocia")
    first = store.ingest(post, APPROVED)
    again = store.ingest(post, APPROVED)
    assert first.created and not again.created
    assert again.post["id"] == first.post["id"] and again.events == []
    assert [p["id"] for p in store.posts("approved")] == [first.post["id"]]
    assert first.post["hashtags"] == ["testdays", "velocia"]


def test_same_id_from_another_source_is_another_post(store: Store) -> None:
    store.ingest(make_post(source="a", external_id="1"), APPROVED)
    store.ingest(make_post(source="b", external_id="1"), APPROVED)
    assert len(store.posts("approved")) == 2


def test_events_are_numbered_and_replayed_in_order(store: Store) -> None:
    start = store.last_seq()
    a = store.ingest(make_post(), APPROVED)
    b = store.ingest(make_post(), PENDING)
    seqs = [e.seq for e in a.events + b.events]
    assert seqs == sorted(seqs) and seqs[0] > start
    public = store.events_since(start, ["public"])
    assert public is not None
    assert [(e.type, e.body["post"]["id"]) for e in public] == [("post_added", a.post["id"])]
    everything = store.events_since(start, ["public", "moderators"])
    assert everything is not None
    assert [e.type for e in everything] == ["post_added", "post_decided", "post_queued"]


def test_pruned_history_asks_for_a_snapshot(store: Store) -> None:
    for _ in range(5):
        store.ingest(make_post(), APPROVED)
    store.prune_events(keep=2)
    assert store.events_since(0, ["public"]) is None
    recent = store.events_since(store.last_seq() - 1, ["public", "moderators"])
    assert recent is not None and len(recent) == 1


@pytest.mark.parametrize(
    ("start", "action", "status", "highlighted", "public"),
    [
        ("pending", "approve", "approved", False, ["post_added"]),
        ("pending", "reject", "rejected", False, []),
        ("pending", "highlight", "approved", True, ["post_added"]),
        ("approved", "reject", "rejected", False, ["post_removed"]),
        ("approved", "highlight", "approved", True, ["post_updated"]),
    ],
)
def test_decisions(store: Store, start: str, action: str, status: str, highlighted: bool,
                   public: list[str]) -> None:
    post_id = store.ingest(make_post(), Decision(start))  # type: ignore[arg-type]
    change = store.decide(post_id.post["id"], action, "Mo")
    assert change.post["status"] == status and change.post["highlighted"] is highlighted
    assert [e.type for e in change.events if e.audience == "public"] == public
    decided = [e for e in change.events if e.type == "post_decided"]
    assert decided[0].body["by"] == "Mo" and decided[0].body["action"] == action


def test_second_conflicting_decision_loses(store: Store) -> None:
    post_id = store.ingest(make_post(), PENDING).post["id"]
    store.decide(post_id, "reject", "Mo")
    with pytest.raises(Conflict):
        store.decide(post_id, "reject", "Lea")
    with pytest.raises(Conflict):
        store.decide(post_id, "unhighlight", "Lea")
    with pytest.raises(NotFound):
        store.decide(10_000, "approve", "Lea")


def test_unhighlight_keeps_the_post_on_the_wall(store: Store) -> None:
    post_id = store.ingest(make_post(), APPROVED).post["id"]
    store.decide(post_id, "highlight", "Mo")
    change = store.decide(post_id, "unhighlight", "Mo")
    assert change.post["status"] == "approved" and not change.post["highlighted"]
    assert store.posts("approved", highlighted=True) == []


def test_an_edit_the_rules_reject_takes_the_post_off_screens(app: Any) -> None:
    from wall.runtime import get_wall

    wall = get_wall(app)
    post = make_post(text="Lovely booth #TestDays")
    first = wall.pipeline.submit(post)
    assert first.post["status"] == "approved"
    edited = replace(post, text="Lovely scam #TestDays", edited_at=post.created_at)
    change = wall.pipeline.submit(edited)
    assert change.post["status"] == "rejected" and change.post["text"] == edited.text
    assert [e.type for e in change.events] == ["post_removed", "post_decided"]
    assert wall.pipeline.submit(edited).events == []  # the same edit again changes nothing


def test_moderation_facts_are_kept_for_export(tmp_path: Path) -> None:
    import io
    import json
    from datetime import UTC, datetime

    from wall.exports import write_posts

    store = Store(f"sqlite:///{tmp_path / 'facts.db'}")
    store.create_all()
    born = datetime(2026, 11, 1, tzinfo=UTC)
    store.ingest(make_post(is_reply=True, author_followers=3, author_created_at=born,
                           links=("https://a.example",)), Decision("rejected", ("a reply",)))
    out = io.StringIO()
    write_posts(store, out)
    line = json.loads(out.getvalue())
    assert line["is_reply"] is True and line["followers"] == 3
    assert line["links"] == ["https://a.example"]
    assert line["author_created_at"].startswith("2026-11-01")
    assert line["status"] == "rejected" and line["reasons"] == ["a reply"]
    store.close()


def test_heartbeats_heard_while_the_database_fails_are_written_by_the_next_flush(
        store: Store, tmp_path: Path) -> None:
    path = tmp_path / "wall.db"
    store.record_screen("lobby", "feed", 4)
    store.record_screen("bar", "stats", 2)
    with sqlite3.connect(path) as other:  # the write fails for real: its table is gone
        other.execute("ALTER TABLE screens RENAME TO screens_away")
    with pytest.raises(OperationalError):
        store.flush_screens()
    store.record_screen("lobby", "feed", 9)  # heard during the outage: newer, it wins
    with sqlite3.connect(path) as other:
        other.execute("ALTER TABLE screens_away RENAME TO screens")
    assert store.flush_screens() == 2
    assert {s["name"]: s["shown"] for s in store.list_screens()} == {"lobby": 9, "bar": 2}


def test_heartbeats_are_written_together_not_one_by_one(store: Store, tmp_path: Path) -> None:
    other = Store(f"sqlite:///{tmp_path / 'wall.db'}")  # another process's view of the file
    for shown in range(50):
        store.record_screen("lobby", "feed", shown)
    store.record_screen("bar", "stats", 3)
    assert other.list_screens() == []  # nothing written per heartbeat
    assert store.flush_screens() == 2
    listed = {s["name"]: s for s in other.list_screens()}
    assert listed["lobby"]["shown"] == 49 and listed["bar"]["screen"] == "stats"
    store.record_screen("lobby", "highlights", 1)
    assert store.flush_screens() == 1  # an upsert of the same row
    assert {s["name"]: s["screen"] for s in other.list_screens()} == {
        "lobby": "highlights", "bar": "stats"}
    other.close()
