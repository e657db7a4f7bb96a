"""The event log's shapes: a committed event, a write's outcome, and a batch being written."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, bindparam, insert, update

from wall.store import raw, schema
from wall.store.connections import now

PUBLIC = "public"
MODERATORS = "moderators"


@dataclass(frozen=True)
class Event:
    """One committed change, numbered by the store, ready to broadcast."""

    seq: int
    type: str
    audience: str
    body: dict[str, Any]

    def message(self) -> dict[str, Any]:
        """Return the payload as broadcast: the body with its sequence number."""
        return {"seq": self.seq, **self.body}

    def replay(self) -> dict[str, Any]:
        """Return the event as listed in a sync acknowledgement."""
        return {"type": self.type, "seq": self.seq, **self.body}


@dataclass(frozen=True)
class Change:
    """The outcome of a write: the post as it now is and the events to broadcast."""

    post: dict[str, Any]
    created: bool = True
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class PendingEvent:
    """An event of a batch before its insert gave it a seq."""

    index: int
    type: str
    audience: str
    body: dict[str, Any]

    def numbered(self, seqs: list[int]) -> Event:
        """Return the committed event with its seq."""
        return Event(seqs[self.index], self.type, self.audience, self.body)


@dataclass
class Batch:
    """Rows of a batch written with one statement per table (executemany)."""

    tags: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def event(self, type_: str, audience: str, post_id: int | None,
              body: dict[str, Any], body_json: str | None = None) -> PendingEvent:
        """Queue an event; it is numbered by flush, in the order queued.

        body_json, when given, is the body already serialised (a post's payload is
        serialised once for both of its events: see post_bodies).
        """
        if body_json is None:
            body_json = json.dumps(body, ensure_ascii=False)
        self.events.append(dict(type=type_, audience=audience, post_id=post_id,
                                body_json=body_json, created_at=now()))
        return PendingEvent(len(self.events) - 1, type_, audience, body)

    def _numbered_here(self, conn: Connection) -> list[int]:
        """Insert a SQLite batch's events with the seqs SQLite would give them; return those.

        SQLAlchemy cannot tell which RETURNING row of a multi-row INSERT belongs to which
        event on SQLite, so with RETURNING in order it ran one INSERT per event (two per
        new post: a third of a batch's statements). A write transaction holds SQLite's
        write lock from its start (BEGIN IMMEDIATE, store.connections), and SQLite
        numbers a new row max(seq) + 1: the same numbers, given here, in one statement.
        """
        last = raw.scalar(conn, 'SELECT max("seq") FROM "events"')
        first = int(last or 0) + 1
        seqs = list(range(first, first + len(self.events)))
        raw.insert(conn, schema.events, [{**row, "seq": seq}
                                         for row, seq in zip(self.events, seqs, strict=True)])
        return seqs

    def flush(self, conn: Connection) -> list[int]:
        """Insert the queued rows; return the events' seqs in the order queued."""
        sqlite = conn.dialect.name == "sqlite"  # the DB-API cursor: wall.store.raw says why
        raw.insert_rows(conn, schema.post_tags, self.tags)
        raw.insert_rows(conn, schema.audit, self.audit)
        if not self.events:
            return []
        # New posts are counted by bulk.write_posts from the rows in hand: not `touched`.
        if sqlite:
            seqs = self._numbered_here(conn)
        else:  # PostgreSQL: one multi-row INSERT whose RETURNING SQLAlchemy sorts
            rows = conn.execute(insert(schema.events).returning(
                schema.events.c.seq, sort_by_parameter_order=True), self.events)
            seqs = [int(seq) for seq in rows.scalars().all()]
        shown = [{"post": e["post_id"], "seq": seq} for e, seq in zip(self.events, seqs,
                                                                        strict=True)
                 if e["type"] == "post_added" and e["post_id"] is not None]
        if shown and sqlite:  # their place on the screens (Store._emit does it for one event)
            raw.execute_many(conn, 'UPDATE "posts" SET "shown_seq" = ? WHERE "id" = ?',
                             [(s["seq"], s["post"]) for s in shown])
        elif shown:
            conn.execute(update(schema.posts).where(schema.posts.c.id == bindparam("post"))
                         .values(shown_seq=bindparam("seq")), shown)
        return seqs


@lru_cache(maxsize=1024)
def json_list(items: tuple[str, ...]) -> str:
    """Return the JSON of a list of strings: a batch's posts share their reasons and tags."""
    return json.dumps(list(items), ensure_ascii=False)


def with_post(payload_json: str, **fields: str) -> str:
    """Return the JSON of {"post": payload, **fields} around an already serialised payload.

    Equal to json.dumps({"post": payload, **fields}, ensure_ascii=False): a new post's
    payload goes into two events (the screens' and the moderators'), and serialising
    it once instead of twice was a visible share of a batch's CPU in the profile.
    """
    return f'{{"post": {payload_json}{_fields_json(tuple(fields.items()))}}}'


@lru_cache(maxsize=64)
def _fields_json(fields: tuple[tuple[str, str], ...]) -> str:
    """Return ', "k": "v"' for each field: a batch repeats the same few ("action", "by")."""
    return "".join(f", {json.dumps(k, ensure_ascii=False)}: {json.dumps(v, ensure_ascii=False)}"
                   for k, v in fields)


def public_events(before: str, after: str,
                   payload: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Return what screens must hear about a status change."""
    if before != "approved" and after == "approved":
        return [("post_added", {"post": payload})]
    if before == "approved" and after != "approved":
        return [("post_removed", {"id": payload["id"]})]
    if after == "approved":
        return [("post_updated", {"post": payload})]
    return []


def audit_row(post_id: int | None, action: str, actor: str, reasons: Sequence[str],
              before: tuple[str, bool] | None = None) -> dict[str, Any]:
    """Return one audit row's values."""
    return dict(post_id=post_id, action=action, actor=actor,
                reasons_json=json_list(tuple(reasons)), at=now(),
                before_status=before[0] if before else None,
                before_highlighted=before[1] if before else None)
