"""SQLite's hot writes through the DB-API cursor store what SQLAlchemy's Core would.

wall.store.raw writes a batch's rows with the sqlite3 cursor (it is faster); these
tests write the same rows both ways into two real SQLite databases and compare what
each database holds, byte for byte, then read them back through Core.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, insert, select, text
from sqlalchemy.exc import IntegrityError

from tests.conftest import make_post
from wall.models import Decision
from wall.store import Store, raw, schema

moments = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2999, 12, 31))
words = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
flags = st.booleans()


def _stores(tmp_path: Path) -> tuple[Store, Store]:
    out = []
    for name in ("core", "raw"):
        path = tmp_path / f"{name}.db"
        path.unlink(missing_ok=True)
        store = Store(f"sqlite:///{path}")
        store.create_all()
        out.append(store)
    return out[0], out[1]


def _stored(store: Store, table: Table) -> list[tuple[Any, ...]]:
    """Return the table's rows as SQLite holds them (types included), in rowid order."""
    names = ", ".join(f'"{c}", typeof("{c}")' for c in table.c.keys())
    with store.read() as conn:
        return [tuple(r) for r in conn.execute(text(f'SELECT {names} FROM "{table.name}" '
                                                    "ORDER BY rowid")).all()]


def _both(tmp_path: Path, table: Table, rows: list[dict[str, Any]]) -> tuple[Store, Store]:
    core, fast = _stores(tmp_path)
    with core.begin() as conn:
        conn.execute(insert(table), rows)
    with fast.begin() as conn:
        raw.insert(conn, table, rows)
    assert _stored(fast, table) == _stored(core, table)
    return core, fast


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.fixed_dictionaries({
    "source": words, "external_id": words, "network": words, "author": words, "text": words,
    "created_at": moments, "received_at": moments, "status": st.sampled_from(
        ["approved", "pending", "rejected"]), "ambassador": flags, "highlighted": flags,
    "url": st.none() | words}), min_size=1, max_size=5, unique_by=lambda r: (
        r["source"], r["external_id"])))
def test_posts_written_raw_equal_posts_written_through_core(
        tmp_path: Path, rows: list[dict[str, Any]]) -> None:
    """Values, their SQLite types and the columns' defaults (handle, media_json...) match."""
    core, fast = _stores(tmp_path)
    with core.begin() as conn:
        conn.execute(insert(schema.posts), rows)
    with fast.begin() as conn:
        back = raw.insert_returning(conn, schema.posts, rows, "", ("id", "external_id"))
    assert sorted(back) == sorted((i + 1, r["external_id"]) for i, r in enumerate(rows))
    assert _stored(fast, schema.posts) == _stored(core, schema.posts)
    with fast.read() as conn:  # and they read back through Core as the values given
        read = conn.execute(select(schema.posts).order_by(schema.posts.c.id)).mappings().all()
    for given_row, row in zip(rows, read, strict=True):
        assert {k: row[k] for k in given_row} == given_row
        assert row["handle"] == "" and row["media_json"] == "[]" and row["pinned"] is False


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(at=moments, undone=flags, reasons=words)
def test_audit_and_events_written_raw_equal_core(tmp_path: Path, at: datetime, undone: bool,
                                                 reasons: str) -> None:
    _both(tmp_path, schema.audit, [{"post_id": None, "action": "approve", "actor": reasons,
                                    "at": at, "undone": undone}])
    _both(tmp_path, schema.events, [{"seq": 7, "type": "post_added", "audience": "public",
                                     "post_id": 3, "body_json": reasons, "created_at": at}])


def test_a_column_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match="posts has no column colour"):
        raw.plan(schema.posts, ("source", "colour"))


def test_a_batch_larger_than_one_statement_allows_is_split(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """More rows than SQLite's bound-value limit go in several statements, none lost."""
    monkeypatch.setattr(raw, "MAX_VALUES", 50)  # 2 rows per statement at ~22 columns
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    posts = [make_post(text=f"post {n}") for n in range(7)]
    changes = store.ingest_many([(p, Decision("approved", ("ok",))) for p in posts])
    assert [c.created for c in changes] == [True] * 7
    assert len({c.post["id"] for c in changes}) == 7
    assert sorted(p["text"] for p in store.posts("approved")) == sorted(p.text for p in posts)


def test_a_refused_row_raises_sqlalchemys_error_and_writes_nothing(tmp_path: Path) -> None:
    """Callers tell a refused post (IntegrityError) from a locked database by these classes."""
    store = Store(f"sqlite:///{tmp_path / 'wall.db'}")
    store.create_all()
    good = {"post_id": 1, "action": "approve", "actor": "ann", "at": datetime(2026, 1, 1)}
    with pytest.raises(IntegrityError, match="NOT NULL"):
        with store.begin() as conn:
            raw.insert(conn, schema.audit, [good])
            raw.insert(conn, schema.audit, [{**good, "actor": None}])
    assert _stored(store, schema.audit) == []
