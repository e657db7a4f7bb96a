"""Posts written in batches: one multi-row statement per table for a whole batch.

A webhook batch or a source burst of N posts costs a handful of statements, not N
of each: posts go in with one INSERT ... ON CONFLICT DO NOTHING RETURNING (SQLAlchemy's
"insertmanyvalues" sends it as multi-row VALUES), the posts already stored are read
back with one SELECT, and the new posts' stats counters are added from the rows in
hand instead of being read back from the table.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import Connection, insert, select, tuple_
from sqlalchemy.dialects import postgresql, sqlite

from wall.models import Decision, Post, post_facts
from wall.payloads import local_media_path, post_payload
from wall.store import counters, raw, schema
from wall.store.connections import naive_utc, now
from wall.store.events import (
    MODERATORS,
    PUBLIC,
    Batch,
    PendingEvent,
    audit_row,
    json_list,
    with_post,
)

Key = tuple[str, str]
_SKIP_STORED = ' ON CONFLICT ("source", "external_id") DO NOTHING'
Written = tuple[dict[str, Any], bool, list[PendingEvent]]


def insert_ignore(dialect: str) -> Any:
    """Return an INSERT into posts that skips a (source, external_id) already stored."""
    if dialect == "postgresql":
        return postgresql.insert(schema.posts).on_conflict_do_nothing(
            index_elements=["source", "external_id"])
    if dialect == "sqlite":
        return sqlite.insert(schema.posts).on_conflict_do_nothing(
            index_elements=["source", "external_id"])
    return insert(schema.posts)


def post_values(post: Post, decision: Decision, received: Any) -> dict[str, Any]:
    """Return the posts row of a post as its rules decided it."""
    media = [{"url": m.url, "alt": m.alt, "local": local_media_path(m.url)} for m in post.media]
    facts = post_facts(post)
    return dict(
        source=post.source, external_id=post.external_id, network=post.network,
        author=post.author, handle=post.handle, text=post.text, url=post.url,
        created_at=naive_utc(post.created_at), received_at=received,
        avatar_url=post.avatar_url, avatar_local=local_media_path(post.avatar_url),
        media_json=json.dumps(media, ensure_ascii=False) if media else "[]",
        hashtags_json=json_list(tuple(post.hashtags)),
        language=post.language or decision.language,
        ambassador=decision.ambassador, toxicity=decision.toxicity,
        facts_json=json.dumps(facts, ensure_ascii=False) if facts else "{}",
        status=decision.status, highlighted=False,
        reasons_json=json_list(tuple(decision.reasons)),
        decided_by="rules" if decision.status != "pending" else None,
    )


def write_posts(conn: Connection, dialect: str, items: Sequence[tuple[Post, Decision]],
                batch: Batch) -> list[Written]:
    """Insert a batch's new posts; return (payload, created, pending events) per item.

    A post already stored, or met earlier in the same batch, gives the stored payload
    with created=False and no event.
    """
    received = now()
    rows: dict[Key, dict[str, Any]] = {}
    for post, decision in items:
        key = (post.source, post.external_id)
        if key not in rows:
            rows[key] = post_values(post, decision, received)
    ids = _insert(conn, dialect, list(rows.values()))
    existing = _stored(conn, [k for k in rows if k not in ids])
    new_rows = [{**rows[k], "id": ids[k]} for k in rows if k in ids]
    counters.add_new(conn, new_rows, dialect)
    out: list[Written] = []
    for post, decision in items:
        key = (post.source, post.external_id)
        if key not in ids:
            out.append((existing[key], False, []))
        elif key in existing:  # the same post twice in one batch: stored once
            out.append((existing[key], False, []))
        else:
            written = _announce({**rows[key], "id": ids[key]}, decision.reasons, batch)
            existing[key] = written[0]
            out.append(written)
    return out


def _insert(conn: Connection, dialect: str, rows: list[dict[str, Any]]) -> dict[Key, int]:
    """Insert rows, skipping stored keys; return the new ids by (source, external_id)."""
    if not rows:
        return {}
    if dialect == "sqlite":  # through the DB-API cursor (wall.store.raw says why)
        back = raw.insert_returning(conn, schema.posts, rows, _SKIP_STORED,
                                    ("id", "source", "external_id"))
        return {(str(s), str(e)): int(i) for i, s, e in back}
    stmt = _insert_returning(dialect)
    if len(rows) == 1:
        result = conn.execute(stmt, rows[0]).all()
    else:
        result = conn.execute(stmt, rows).all()
    return {(str(s), str(e)): int(i) for i, s, e in result}


@cache
def _insert_returning(dialect: str) -> Any:
    """Return the posts' insert with the new ids, built once per dialect."""
    c = schema.posts.c
    # RETURNING, not rowcount: psycopg 3 answers -1 for ON CONFLICT DO NOTHING RETURNING.
    return insert_ignore(dialect).returning(c.id, c.source, c.external_id)


def _stored(conn: Connection, keys: list[Key]) -> dict[Key, dict[str, Any]]:
    """Return the stored payloads of posts by (source, external_id)."""
    c = schema.posts.c
    out: dict[Key, dict[str, Any]] = {}
    for first in range(0, len(keys), 400):
        chunk = keys[first:first + 400]
        found = conn.execute(select(schema.posts).where(
            tuple_(c.source, c.external_id).in_(chunk))).mappings().all()
        out.update({(r["source"], r["external_id"]): post_payload(dict(r)) for r in found})
    return out


def _announce(row: dict[str, Any], reasons: Sequence[str], batch: Batch) -> Written:
    """Queue a new post's tags, audit row and events; return its payload."""
    post_id = int(row["id"])
    tags = json.loads(row["hashtags_json"])
    batch.tags.extend({"post_id": post_id, "tag": t[:200]} for t in dict.fromkeys(tags))
    payload = post_payload({**row, "media_errors_json": "[]", "pinned": False})
    status = row["status"]
    batch.audit.append(audit_row(post_id, status, "rules", reasons))
    payload_json = json.dumps(payload, ensure_ascii=False)
    if status == "pending":
        return payload, True, [batch.event("post_queued", MODERATORS, post_id, {"post": payload},
                                           with_post(payload_json))]
    action = "approve" if status == "approved" else "reject"
    pending = ([batch.event("post_added", PUBLIC, post_id, {"post": payload},
                            with_post(payload_json))]
               if status == "approved" else [])
    pending.append(batch.event("post_decided", MODERATORS, post_id,
                               {"post": payload, "action": action, "by": "rules"},
                               with_post(payload_json, action=action, by="rules")))
    return payload, True, pending
