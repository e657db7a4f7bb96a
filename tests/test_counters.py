"""Stats counters kept with the posts equal a full recount, whatever happened to the posts."""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, update

from tests.conftest import make_post
from tests.pg import fresh_database
from wall import announcements, desk, erase, stats
from wall.models import Decision
from wall.store import Conflict, NotFound, Store, counters, schema

AUTHORS = ["Ada", "Grace", "Linus"]
NETWORKS = ["x", "mastodon", "bluesky", "host"]  # host: the organisers' announcements
TAGS = ["#TestDays", "#ev", "#cafe"]
STATUSES = ["approved", "pending", "rejected"]
ACTIONS = ["approve", "reject", "highlight", "unhighlight", "hide"]

post_spec = st.tuples(st.sampled_from(AUTHORS), st.sampled_from(NETWORKS),
                      st.lists(st.sampled_from(TAGS), max_size=3),
                      st.sampled_from(STATUSES), st.booleans())
operation = st.one_of(
    st.tuples(st.just("ingest"), st.lists(post_spec, min_size=1, max_size=4)),
    st.tuples(st.just("decide"), st.integers(0, 30), st.sampled_from(ACTIONS)),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(st.just("undo"), st.just("mo")),
    st.tuples(st.just("edit"), st.integers(0, 30), post_spec),
    st.tuples(st.just("pin"), st.integers(0, 30), st.booleans()),
    st.tuples(st.just("erase"), st.integers(0, 30)),
    st.tuples(st.just("age"), st.integers(0, 30), st.integers(0, 24 * 9)),
)
ZONES = ["UTC", "Europe/Paris", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham"]
TEXTS = ["", "What a fantastic day, I love it!", "Terrible queue, the worst ever.",
         "Super conférence, j'adore !", "Service nul et décevant."]


def build(spec: tuple[str, str, list[str], str, bool], n: int) -> tuple[Any, Decision]:
    author, network, tags, status, ambassador = spec
    mood = TEXTS[(len(author) + len(tags) + n) % len(TEXTS)]
    post = make_post(author=author, handle=f"@{author.lower()}", network=network,
                     source=network, external_id=f"p{n}",
                     text=f"{mood} {' '.join(tags)}")
    return post, Decision(status, ("random",), ambassador=ambassador)  # type: ignore[arg-type]


def run(store: Store, operations: list[Any], media_root: Path = Path("/nonexistent")) -> None:
    """Apply random operations; refused ones (Conflict, NotFound) change nothing."""
    made: list[Any] = []
    for op in operations:
        try:
            if op[0] == "ingest":
                items = [build(spec, len(made) + i) for i, spec in enumerate(op[1])]
                store.ingest_many(items)
                made.extend(post for post, _ in items)
            elif op[0] == "decide" and made:
                store.decide(op[1] % len(made) + 1, op[2], "mo")
            elif op[0] == "delete" and made:
                post = made[op[1] % len(made)]
                store.remove_deleted(post.source, post.external_id)
            elif op[0] == "undo":
                desk.undo(store, op[1])
            elif op[0] == "edit" and made:
                old = made[op[1] % len(made)]
                new, decision = build(op[2], 0)
                edited = make_post(author=old.author, handle=old.handle, network=old.network,
                                   source=old.source, external_id=old.external_id,
                                   text=new.text + " (edited)")
                store.apply_edit(edited, decision)
            elif op[0] == "erase" and made:  # a moderator's erasure (GDPR request)
                erase.erase(store, op[1] % len(made) + 1, "mo", media_root)
            elif op[0] == "pin" and made:
                desk.set_pinned(store, op[1] % len(made) + 1, op[2], "mo")
            elif op[0] == "age" and made:  # received hours ago: another local day or hour
                age(store, op[1] % len(made) + 1, op[2])
        except (Conflict, NotFound):
            pass


def age(store: Store, post_id: int, hours: int) -> None:
    """Move a post's arrival back in time, recounted in the same transaction as a write."""
    with store.begin() as conn:
        moment = datetime.now(UTC).replace(tzinfo=None) - timedelta(hours=hours, minutes=7)
        conn.execute(update(schema.posts).where(schema.posts.c.id == post_id)
                     .values(received_at=moment))
        conn.info["touched"].add(post_id)


def counted(store: Store) -> Counter[tuple[str, str]]:
    with store.read() as conn:
        rows = conn.execute(select(schema.stat_counters)).mappings().all()
    return Counter({(r["kind"], r["key"]): int(r["count"]) for r in rows
                    if r["count"] and r["kind"] != counters.META})


def recounted(store: Store) -> Counter[tuple[str, str]]:
    with store.read() as conn:
        settings = counters.read_settings(conn)
        rows = conn.execute(select(schema.posts)).mappings().all()
    return Counter(pair for row in rows for pair in counters.pairs(row, settings))


def same_figures(fast: dict[str, Any], slow: dict[str, Any]) -> None:
    """Assert two stats payloads (or periods) show the same figures."""
    for key in ("total", "authors", "ambassador_posts", "series", "sentiment"):
        assert fast[key] == slow[key], key
    assert fast["ambassadors"]["share"] == slow["ambassadors"]["share"]
    assert sorted(json.dumps(n) for n in fast["networks"]) == \
        sorted(json.dumps(n) for n in slow["networks"])
    # Top lists: the same counts (ties may be cut at another name).
    for key in ("top_hashtags", "top_authors"):
        assert [e["count"] for e in fast[key]] == [e["count"] for e in slow[key]]
    assert [e["count"] for e in fast["ambassadors"]["top"]] == \
        [e["count"] for e in slow["ambassadors"]["top"]]


def same_as_a_recount(store: Store) -> None:
    """Assert the counters, and the stats read from them, equal a count of every post."""
    assert counted(store) == recounted(store)
    now = datetime.now(UTC)
    fast, slow = stats.compute(store, now), stats.recount(store, now)
    for key in ("pending", "per_minute", "timezone"):
        assert fast[key] == slow[key], key
    same_figures(fast, slow)
    for period in ("today", "week"):
        same_figures(fast["periods"][period], slow["periods"][period])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=25), st.sampled_from(ZONES), st.sampled_from(["en", "fr"]))
def test_counters_equal_a_full_recount(operations: list[Any], zone: str, language: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'wall.db'}")
        store.create_all()
        try:
            stats.prepare(store, zone, language)
            run(store, operations)
            same_as_a_recount(store)
            # Changing the wall's timezone counts again: still equal to a full recount.
            stats.prepare(store, "Asia/Tokyo", language)
            assert counted(store) == recounted(store)
        finally:
            store.close()


def test_a_database_from_before_the_counters_is_counted_once(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    run(store, [("ingest", [("Ada", "x", ["#ev"], "approved", True),
                            ("Grace", "x", [], "pending", False)])])
    with store.begin() as conn:  # as a database written before the counters existed
        conn.execute(schema.stat_counters.delete())
        conn.execute(schema.stat_posts.delete())
    store.close()
    again = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    again.create_all()
    assert stats.compute(again)["total"] == 1 and stats.compute(again)["pending"] == 1
    assert counted(again) == recounted(again)
    again.close()


@pytest.mark.slow
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, min_size=3, max_size=15), st.sampled_from(ZONES))
def test_stats_read_from_postgresql_equal_a_full_recount(operations: list[Any],
                                                         zone: str) -> None:
    """The stats queries are plain SQL (wall.stats): PostgreSQL reads them as SQLite does."""
    with fresh_database() as url:
        store = Store(url)
        store.create_all()
        try:
            stats.prepare(store, zone, "en")
            run(store, operations)
            same_as_a_recount(store)
        finally:
            store.close()


def test_the_organisers_announcements_are_not_counted_as_what_people_say(
        tmp_path: Path) -> None:
    """Posts, authors, top authors, networks and moods leave announcements out."""
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    try:
        stats.prepare(store, "Europe/Paris", "en")
        store.ingest_many([build(("Ada", "mastodon", ["#ev"], "approved", False), 1)])
        before = stats.compute(store)
        for n in range(3):
            announcements.announce(store, f"Keynote in room {n} #ev", "Organisers", "mo", 60)
        after = stats.compute(store)
        assert after["total"] == before["total"] == 1
        assert after["authors"] == 1 and after["per_minute"] == 1
        assert [a["author"] for a in after["top_authors"]] == ["Ada"]
        assert after["top_hashtags"] == before["top_hashtags"]
        assert [n["network"] for n in after["networks"]] == ["mastodon"]
        assert after["sentiment"] == before["sentiment"]
        assert after["periods"]["today"]["total"] == 1
        assert stats.recount(store)["total"] == 1
    finally:
        store.close()
