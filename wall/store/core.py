"""The store's queries: posts, decisions and the event log, committed before any broadcast."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects import postgresql

from wall.models import Decision, Post, post_facts
from wall.payloads import iso, post_payload
from wall.store import bulk, counters, raw, schema
from wall.store.connections import READ_ONLY, make_engine, now
from wall.store.events import MODERATORS, PUBLIC, Batch, Change, Event, audit_row, public_events

log = logging.getLogger(__name__)

EVENTS_KEPT = 20_000
RECENT_KEPT = 2_000  # committed events kept in memory for the dispatcher
ACTIONS = ("approve", "reject", "highlight", "unhighlight", "hide")
# Serialises event writers on PostgreSQL so that sequence order is commit order.
_PG_EVENT_LOCK = 7_305_661
# A heartbeat's upsert on SQLite (Store._write_screens).
_SCREEN_BEAT = (' ON CONFLICT ("name") DO UPDATE SET "screen" = excluded."screen", '
                '"shown" = excluded."shown", "last_seen" = excluded."last_seen"')
# Run several times a second (the dispatcher's tick, the stats loop): written once, since a
# select built per call cost four times its run (see wall.stats).
_LAST_SEQ = text("SELECT max(seq) FROM events")
_SEQS_AFTER = text("SELECT seq FROM events WHERE seq > :seq ORDER BY seq LIMIT :limit")


class SchemaError(Exception):
    """The database was created by an older build; there are no migrations yet."""


class NotFound(Exception):
    """No post with that id."""


class Conflict(Exception):
    """The post's current state does not allow that action."""


# The screens list holds at most this many names (oldest evicted), none unseen for a day.
SCREENS_MAX = 500
SCREENS_KEEP = timedelta(days=1)


class Store:
    """All shared state of a wall, in SQL."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.dialect = self.engine.dialect.name
        # Heartbeats wait here until flush_screens: one write per few seconds, not per beat.
        self._beats: dict[str, dict[str, Any]] = {}
        self._beats_lock = threading.Lock()
        # Events this process committed, by seq: the dispatcher sends them without reading
        # and decoding their bodies back (other processes' events are read as before).
        # An OrderedDict, not a dict: trimming the oldest of a dict by next(iter(...)) scans
        # the deleted slots at its front, which made this a top self-time line under batches.
        self._recent: OrderedDict[int, Event] = OrderedDict()
        self.blocks_version = 0  # bumped when this process blocks or unblocks an author

    def blocks_changed(self) -> None:
        """Tell readers that cache the blocked authors (desk.RulesContext) to read again."""
        self.blocks_version += 1

    def create_all(self) -> None:
        """Bring the schema to this build's revision (wall/migrations), or refuse readably."""
        from wall import migrations

        try:
            migrations.ensure_current(self.engine)
        except migrations.SchemaError as exc:
            raise SchemaError(str(exc)) from None
        self.count_again_if_needed()

    def count_again_if_needed(self) -> None:
        """Fill the stats counters of a database whose posts were stored before them."""
        with self.begin() as conn:
            if counters.needs_rebuild(conn):
                log.warning("counting the stored posts for the stats counters (once)")
                counters.rebuild(conn, self.dialect)

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """Open a write transaction; commits on success."""
        with self.engine.begin() as conn:
            if self.dialect == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_EVENT_LOCK})")
            conn.info["touched"] = set()  # posts whose events were written: recount them
            conn.info["events"] = []
            yield conn
            touched = conn.info.pop("touched", None)
            if touched:
                counters.apply(conn, touched, self.dialect)
            written = conn.info.pop("events", [])
        self._remember(written)  # committed

    def _remember(self, events: Iterable[Event]) -> None:
        """Keep committed events for the dispatcher (the newest RECENT_KEPT of them)."""
        recent = self._recent
        for event in events:
            recent[event.seq] = event
        for _ in range(len(recent) - RECENT_KEPT):
            try:
                recent.popitem(last=False)
            except KeyError:  # another thread trimmed it
                break

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """Open a read-only connection."""
        with self.engine.connect() as conn:
            # A read takes no write lock (a plain BEGIN): in WAL mode it then never
            # waits for a writer, even another process's (connections.begin_immediate).
            # An execution option lives on this Connection only: nothing to undo, even
            # when an interrupt (SIGTERM under eventlet) lands in the middle of a read.
            yield conn.execution_options(**{READ_ONLY: True})

    # -- writes ---------------------------------------------------------------

    def _emit(self, conn: Connection, type_: str, audience: str, post_id: int | None,
              body: dict[str, Any]) -> Event:
        if post_id is not None:
            conn.info.setdefault("touched", set()).add(post_id)
        result = conn.execute(insert(schema.events).values(
            type=type_, audience=audience, post_id=post_id,
            body_json=json.dumps(body, ensure_ascii=False), created_at=now()))
        seq = result.inserted_primary_key[0] if result.inserted_primary_key else None
        assert seq is not None
        if type_ == "post_added" and post_id is not None:  # its place on the screens
            conn.execute(update(schema.posts).where(schema.posts.c.id == post_id)
                         .values(shown_seq=int(seq)))
        event = Event(int(seq), type_, audience, body)
        conn.info.setdefault("events", []).append(event)
        return event

    def _audit(self, conn: Connection, post_id: int | None, action: str, actor: str,
               reasons: Sequence[str], before: tuple[str, bool] | None = None) -> None:
        conn.execute(insert(schema.audit).values(
            **audit_row(post_id, action, actor, reasons, before)))

    def ingest(self, post: Post, decision: Decision, cursor: str | None = None) -> Change:
        """Store a post once per (source, external_id) with its decision, events and cursor."""
        return self.ingest_many([(post, decision)], cursor)[0]

    def ingest_many(self, items: Sequence[tuple[Post, Decision]],
                    cursor: tuple[str, str] | str | None = None, *,
                    cursors: Sequence[tuple[str, str]] = ()) -> list[Change]:
        """Store posts in one transaction: posts, tags, audit and events commit together.

        Each post is stored once per (source, external_id); a duplicate (also within
        the batch) gives its existing payload with created=False. Any failure rolls
        the whole batch back. `cursor` is (source, value), or a value for the one post;
        `cursors` are more (source, value) pairs, saved in order (the last one of a
        source stays).
        """
        with self.begin() as conn:
            if isinstance(cursor, str) and items:
                self._put_cursor(conn, items[0][0].source, cursor)
            elif isinstance(cursor, tuple):
                self._put_cursor(conn, *cursor)
            for source, value in dict(cursors).items():  # the last position of each source
                self._put_cursor(conn, source, value)
            batch = Batch()
            inserted = bulk.write_posts(conn, self.dialect, items, batch)
            seqs = batch.flush(conn)
            changes = [Change(payload, created, [e.numbered(seqs) for e in pending])
                       for payload, created, pending in inserted]
            conn.info.setdefault("events", []).extend(e for c in changes for e in c.events)
        return changes

    def decide(self, post_id: int, action: str, actor: str,
               reasons: Sequence[str] = (), expect: str | None = None) -> Change:
        """Apply a moderator's action atomically; raise NotFound or Conflict.

        `expect` is the status the moderator saw: if the post has moved on since
        (another moderator decided), the action is refused instead of stacked.
        """
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        with self.begin() as conn:
            return self.decide_in(conn, post_id, action, actor, reasons, expect)

    def decide_in(self, conn: Connection, post_id: int, action: str, actor: str,
                  reasons: Sequence[str] = (), expect: str | None = None) -> Change:
        """Apply an action inside an open transaction (see decide)."""
        before = self._row_or_none(conn, post_id)
        if before is None:
            raise NotFound(post_id)
        status, highlighted = before["status"], bool(before["highlighted"])
        if expect is not None and status != expect:
            raise Conflict(f"post {post_id} is already {status}"
                           + (f" (by {before['decided_by']})" if before["decided_by"] else ""))
        new_status, new_highlight = _transition(action, status, highlighted)
        done = conn.execute(
            update(schema.posts)
            .where(schema.posts.c.id == post_id, schema.posts.c.status == status,
                   schema.posts.c.highlighted == highlighted)
            .values(status=new_status, highlighted=new_highlight,
                    decided_by=actor, decided_at=now(),
                    **({} if new_highlight else {"pinned": False})))
        if done.rowcount != 1:
            raise Conflict(f"post {post_id} changed meanwhile")
        payload = post_payload(self._row(conn, post_id))
        self._audit(conn, post_id, action, actor, reasons, (status, highlighted))
        events = public_events(status, new_status, payload)
        out = [self._emit(conn, t, PUBLIC, post_id, b) for t, b in events]
        out.append(self._emit(conn, "post_decided", MODERATORS, post_id,
                              {"post": payload, "action": action, "by": actor}))
        return Change(payload, created=False, events=out)

    def record_screen(self, name: str, screen: str, shown: int) -> None:
        """Remember that a named screen is alive; written by flush_screens, not per heartbeat."""
        with self._beats_lock:
            self._beats.pop(name, None)  # re-inserted last: the dict stays oldest first
            self._beats[name] = {"name": name, "screen": screen, "shown": shown,
                                 "last_seen": now()}
            self._trim_beats()

    def _trim_beats(self) -> None:
        """Keep the newest SCREENS_MAX heartbeats (the caller holds _beats_lock)."""
        while len(self._beats) > SCREENS_MAX:
            del self._beats[next(iter(self._beats))]

    def flush_screens(self) -> int:
        """Write the heartbeats heard since the last flush, one upsert each, in one transaction."""
        with self._beats_lock:
            beats, self._beats = list(self._beats.values()), {}
        if not beats:
            return 0
        try:
            self._write_screens(beats)
        except Exception:
            # The database is away (a restart, a locked file): keep what was heard for the
            # next flush, so the moderators' screen list does not lose a screen that beat
            # only during the outage. A beat heard meanwhile is newer and wins.
            with self._beats_lock:
                kept = {b["name"]: b for b in beats if b["name"] not in self._beats}
                self._beats = {**kept, **self._beats}
                self._trim_beats()
            raise
        return len(beats)

    def _write_screens(self, beats: list[dict[str, Any]]) -> None:
        table = schema.screens
        if self.dialect == "sqlite":  # the DB-API cursor: 1,000 screens beat ~330 times a
            # flush, and SQLAlchemy's per-row work held the event loop 7-36 ms (wall.store.raw)
            with self.engine.begin() as conn:
                raw.insert(conn, table, beats, tail=_SCREEN_BEAT)
                self._prune_screens(conn)
            return
        if self.dialect == "postgresql":
            stmt = postgresql.insert(table)
            stmt = stmt.on_conflict_do_update(index_elements=["name"], set_={
                "screen": stmt.excluded.screen, "shown": stmt.excluded.shown,
                "last_seen": stmt.excluded.last_seen})
            with self.engine.begin() as conn:
                conn.execute(stmt, beats)
                self._prune_screens(conn)
            return
        with self.engine.begin() as conn:  # another database: update, else insert
            for beat in beats:
                if not conn.execute(update(table).where(table.c.name == beat["name"])
                                    .values(**beat)).rowcount:
                    conn.execute(insert(table).values(**beat))
            self._prune_screens(conn)

    @staticmethod
    def _prune_screens(conn: Connection) -> None:
        """Drop screens unseen for SCREENS_KEEP, then the oldest beyond SCREENS_MAX."""
        table = schema.screens
        conn.execute(table.delete().where(table.c.last_seen < now() - SCREENS_KEEP))
        kept = select(table.c.name).order_by(table.c.last_seen.desc(), table.c.name
                                             ).limit(SCREENS_MAX).scalar_subquery()
        conn.execute(table.delete().where(table.c.name.not_in(kept)))

    # -- reads ----------------------------------------------------------------

    def _row_or_none(self, conn: Connection, post_id: int) -> Any:
        return conn.execute(select(schema.posts).where(schema.posts.c.id == post_id)
                            ).mappings().first()

    def _row(self, conn: Connection, post_id: int) -> Any:
        row = self._row_or_none(conn, post_id)
        if row is None:
            raise NotFound(post_id)
        return row

    def _row_by_key(self, conn: Connection, source: str, external_id: str) -> Any:
        return conn.execute(select(schema.posts).where(
            schema.posts.c.source == source, schema.posts.c.external_id == external_id)
        ).mappings().one()

    def get(self, post_id: int) -> dict[str, Any]:
        """Return one post's payload; raise NotFound."""
        with self.read() as conn:
            return post_payload(self._row(conn, post_id))

    def posts(self, status: str, limit: int = 50, *, oldest_first: bool = False,
              highlighted: bool | None = None) -> list[dict[str, Any]]:
        """Return posts in a status, newest first unless asked otherwise.

        Approved posts come in the order they were put on the screens (the seq of their
        post_added), as a screen that watched them arrive shows them; others by id.
        """
        c = schema.posts.c
        keys = [c.shown_seq, c.id] if status == "approved" else [c.id]
        order = [k.asc() if oldest_first else k.desc() for k in keys]
        query = select(schema.posts).where(c.status == status)
        if highlighted is not None:
            query = query.where(c.highlighted == highlighted)
        with self.read() as conn:
            rows = conn.execute(query.order_by(*order).limit(limit)).mappings().all()
        return [post_payload(dict(r)) for r in rows]

    def last_seq(self) -> int:
        """Return the newest sequence number, 0 for a new wall."""
        with self.read() as conn:
            return int(conn.execute(_LAST_SEQ).scalar() or 0)

    def events_since(self, seq: int, audiences: Iterable[str],
                     limit: int = 1000) -> list[Event] | None:
        """Return the events after seq in order, or None if they are no longer all kept."""
        with self.read() as conn:
            oldest = conn.execute(select(func.min(schema.events.c.seq))).scalar()
            if oldest is not None and seq < int(oldest) - 1:
                return None
            rows = conn.execute(
                select(schema.events)
                .where(schema.events.c.seq > seq,
                       schema.events.c.audience.in_(list(audiences)))
                .order_by(schema.events.c.seq).limit(limit + 1)).mappings().all()
        if len(rows) > limit:
            return None
        return [Event(r["seq"], r["type"], r["audience"], json.loads(r["body_json"]))
                for r in rows]

    def events_after(self, seq: int, limit: int) -> list[Event]:
        """Return up to limit events after seq, oldest first, for every audience."""
        e = schema.events.c
        with self.read() as conn:
            seqs = conn.execute(_SEQS_AFTER, {"seq": seq, "limit": limit}).scalars().all()
            known = {s: self._recent.get(s) for s in seqs}
            missing = [s for s, event in known.items() if event is None]
            for first in range(0, len(missing), 500):
                rows = conn.execute(select(schema.events).where(
                    e.seq.in_(missing[first:first + 500]))).mappings().all()
                known.update({r["seq"]: Event(r["seq"], r["type"], r["audience"],
                                              json.loads(r["body_json"])) for r in rows})
        return [event for event in (known[s] for s in seqs) if event is not None]

    def prune_events(self, keep: int = EVENTS_KEPT) -> int:
        """Forget all but the newest events; clients further behind get a snapshot."""
        last = self.last_seq()
        with self.engine.begin() as conn:
            result = conn.execute(schema.events.delete().where(
                schema.events.c.seq <= last - keep))
        return int(result.rowcount or 0)

    def ping(self) -> bool:
        """Return True when the database answers."""
        try:
            with self.read() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        except Exception:  # any driver error means "not healthy"; logged for the operator
            log.exception("database ping failed")
            return False

    # -- source cursors and deletions (issue 4) -------------------------------

    def _put_cursor(self, conn: Connection, source: str, value: str) -> None:
        found = conn.execute(update(schema.cursors).where(schema.cursors.c.source == source)
                             .values(value=value, updated_at=now()))
        if not found.rowcount:
            conn.execute(insert(schema.cursors).values(source=source, value=value,
                                                       updated_at=now()))

    def save_cursor(self, source: str, value: str) -> None:
        """Remember where a source got to, when no post comes with it."""
        with self.begin() as conn:
            self._put_cursor(conn, source, value)

    def cursor(self, source: str) -> str | None:
        """Return the saved position of a source, or None for a fresh start."""
        with self.read() as conn:
            value = conn.execute(select(schema.cursors.c.value)
                                 .where(schema.cursors.c.source == source)).scalar()
        return None if value is None else str(value)

    def remove_deleted(self, source: str, external_id: str) -> Change | None:
        """Reject a post its network deleted, taking it off screens; None if unknown."""
        with self.begin() as conn:
            row = conn.execute(select(schema.posts).where(
                schema.posts.c.source == source, schema.posts.c.external_id == external_id)
            ).mappings().first()
            if row is None or (row["status"] == "rejected" and row["decided_by"] == "network"):
                return None
            post_id = int(row["id"])
            conn.execute(update(schema.posts).where(schema.posts.c.id == post_id).values(
                status="rejected", highlighted=False, decided_by="network", decided_at=now(),
                reasons_json=json.dumps(["deleted by its author"])))
            payload = post_payload(self._row(conn, post_id))
            self._audit(conn, post_id, "delete", "network", ["deleted by its author"])
            events = []
            if row["status"] == "approved":
                events.append(self._emit(conn, "post_removed", PUBLIC, post_id, {"id": post_id}))
            events.append(self._emit(conn, "post_decided", MODERATORS, post_id,
                                     {"post": payload, "action": "reject", "by": "network"}))
        return Change(payload, created=False, events=events)

    def apply_edit(self, post: Post, decision: Decision) -> Change | None:
        """Replace the text of a post its author edited; the rules judge the new text.

        An approved post stays on screens only if the rules still approve it; a rejected
        post stays rejected; None when the text did not change.
        """
        with self.begin() as conn:
            row = conn.execute(select(schema.posts).where(
                schema.posts.c.source == post.source,
                schema.posts.c.external_id == post.external_id)).mappings().first()
            facts = json.dumps(post_facts(post), ensure_ascii=False)
            if row is None or (row["text"] == post.text and row["facts_json"] == facts):
                return None  # unchanged (a review may change its stars only: facts count)
            post_id, before = int(row["id"]), str(row["status"])
            after = before if before == "rejected" or decision.status == "approved" \
                else decision.status
            tags = list(post.hashtags)
            conn.execute(update(schema.posts).where(schema.posts.c.id == post_id).values(
                text=post.text, status=after, facts_json=facts,
                hashtags_json=json.dumps(tags, ensure_ascii=False),
                reasons_json=json.dumps(list(decision.reasons), ensure_ascii=False)))
            conn.execute(schema.post_tags.delete().where(schema.post_tags.c.post_id == post_id))
            if tags:
                conn.execute(insert(schema.post_tags),
                             [{"post_id": post_id, "tag": t[:200]} for t in tags])
            payload = post_payload(self._row(conn, post_id))
            self._audit(conn, post_id, "edit", "network", decision.reasons)
            events = [self._emit(conn, t, PUBLIC, post_id, b)
                      for t, b in public_events(before, after, payload)]
            events.append(self._emit(conn, "post_decided", MODERATORS, post_id,
                                     {"post": payload, "action": "edit", "by": "network"}))
        return Change(payload, created=False, events=events)

    def has_post(self, source: str, external_id: str) -> bool:
        """Return True when a source's post is stored (a cheap read by the unique key)."""
        with self.read() as conn:
            found = conn.execute(select(schema.posts.c.id).where(
                schema.posts.c.source == source,
                schema.posts.c.external_id == external_id)).first()
        return found is not None

    def list_screens(self) -> list[dict[str, Any]]:
        """Return the screens heard within SCREENS_KEEP, most recently seen first."""
        c = schema.screens.c
        self.flush_screens()
        with self.read() as conn:
            rows = conn.execute(select(schema.screens)
                                .where(c.last_seen >= now() - SCREENS_KEEP)
                                .order_by(c.last_seen.desc(), c.name).limit(SCREENS_MAX)
                                ).mappings().all()
        return [{"name": r["name"], "screen": r["screen"], "shown": int(r["shown"]),
                 "last_seen": iso(r["last_seen"])} for r in rows]


def _transition(action: str, status: str, highlighted: bool) -> tuple[str, bool]:
    """Return the new (status, highlighted) for an action, or raise Conflict."""
    if action == "approve" and status in ("pending", "rejected"):
        return "approved", False
    if action == "reject" and status in ("pending", "approved"):
        return "rejected", False
    if action == "highlight" and status in ("pending", "approved") and not highlighted:
        return "approved", True
    if action == "unhighlight" and status == "approved" and highlighted:
        return "approved", False
    if action == "hide" and status == "approved":
        return "rejected", False
    raise Conflict(f"cannot {action} a post that is {status}"
                   + (" and highlighted" if highlighted else ""))
