"""Stats counters kept with the posts: each transaction adjusts what its posts add.

A post adds a fixed set of (kind, key) pairs to `stat_counters` (its status; when
approved, its minute, network, author, hashtags and ambassadorship). `stat_posts`
remembers the pairs each post adds now; after a transaction changed posts, the
difference is applied in that same transaction, so stats never drift from the posts
and their cost does not grow with the number of stored posts.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from wall.store import schema

Pair = tuple[str, str]
CHUNK = 500


KEY_MAX = 700  # stat_counters.key


def minute_key(moment: datetime) -> str:
    """Return the counter key of a minute: ISO 8601 without seconds, sortable as text."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def author_key(author: str, handle: str, network: str) -> str:
    """Return the counter key of an author as the stats screen groups them."""
    key = json.dumps([author, handle or "", network], ensure_ascii=False)
    if len(key) > KEY_MAX:
        # Only names full of quotes or backslashes get here (a post's names are at most
        # 300 characters, models.FITS); the stats group those by their first 150.
        key = json.dumps([author[:150], (handle or "")[:150], network[:30]], ensure_ascii=False)
    return key


def pairs(row: Any) -> list[Pair]:
    """Return what one posts row adds to the counters."""
    out: list[Pair] = [("status", str(row["status"]))]
    if row["status"] != "approved":
        return out
    author = author_key(row["author"], row["handle"], row["network"])
    out += [("minute", minute_key(row["received_at"])), ("network", str(row["network"])),
            ("author", author)]
    out += [("tag", t) for t in dict.fromkeys(
        t[:200] for t in json.loads(row["hashtags_json"] or "[]"))]
    if row["ambassador"]:
        out += [("ambassador", author), ("status", "ambassador")]
    return out


def apply(conn: Connection, post_ids: Iterable[int], dialect: str) -> None:
    """Bring the counters of these posts up to date inside the open transaction."""
    ids = sorted(set(post_ids))
    delta: Counter[Pair] = Counter()
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first:first + CHUNK]
        before = dict(conn.execute(select(schema.stat_posts.c.post_id,
                                          schema.stat_posts.c.counted_json)
                                   .where(schema.stat_posts.c.post_id.in_(chunk))).all())
        rows = conn.execute(select(schema.posts).where(schema.posts.c.id.in_(chunk))
                            ).mappings().all()
        seen = []
        for row in rows:
            now = pairs(row)
            old = [tuple(p) for p in json.loads(before.get(row["id"], "[]"))]
            delta.update(now)
            delta.subtract(old)
            seen.append({"post_id": row["id"], "counted_json": json.dumps(now,
                                                                          ensure_ascii=False)})
        for gone in set(before) - {row["id"] for row in rows}:  # erased: take its share out
            delta.subtract(tuple(p) for p in json.loads(before[gone]))
        if before:
            conn.execute(delete(schema.stat_posts).where(
                schema.stat_posts.c.post_id.in_(list(before))))
        if seen:
            conn.execute(insert(schema.stat_posts), seen)
    add(conn, delta, dialect)


def add(conn: Connection, delta: Mapping[Pair, int], dialect: str) -> None:
    """Add the deltas to the counters (an upsert per changed pair, in one statement)."""
    rows = [{"kind": k, "key": key, "count": n} for (k, key), n in delta.items() if n]
    if not rows:
        return
    table = schema.stat_counters
    if dialect in ("sqlite", "postgresql"):
        stmt: Any = (sqlite.insert(table) if dialect == "sqlite" else postgresql.insert(table))
        stmt = stmt.on_conflict_do_update(index_elements=["kind", "key"],
                                          set_={"count": table.c.count + stmt.excluded.count})
        conn.execute(stmt, rows)
        return
    for row in rows:  # another database: read, then write
        found = conn.execute(select(table.c.count).where(
            table.c.kind == row["kind"], table.c.key == row["key"])).scalar()
        if found is None:
            conn.execute(insert(table).values(**row))
        else:
            conn.execute(table.update().where(table.c.kind == row["kind"],
                                              table.c.key == row["key"])
                         .values(count=found + row["count"]))


def rebuild(conn: Connection, dialect: str) -> None:
    """Count every stored post again from scratch (a database from before the counters)."""
    conn.execute(delete(schema.stat_counters))
    conn.execute(delete(schema.stat_posts))
    last = 0
    while True:
        ids = conn.execute(select(schema.posts.c.id).where(schema.posts.c.id > last)
                           .order_by(schema.posts.c.id).limit(CHUNK)).scalars().all()
        if not ids:
            return
        apply(conn, ids, dialect)
        last = ids[-1]


def needs_rebuild(conn: Connection) -> bool:
    """Return True when posts exist that were never counted."""
    counted = conn.execute(select(func.count()).select_from(schema.stat_posts)).scalar()
    return not counted and conn.execute(select(schema.posts.c.id).limit(1)).first() is not None
