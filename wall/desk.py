"""The moderators' desk: undo, block an author, the kill switch and host messages.

Each function commits with the store's own transaction, audit and event helpers
(this module is the store's companion), then returns the events to broadcast.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Connection,
    DateTime,
    String,
    Text,
    bindparam,
    delete,
    insert,
    select,
    text,
    update,
)

from wall.models import HOST_NETWORK, Decision, Post
from wall.moderation import Context, Seen, author_key
from wall.payloads import post_payload
from wall.store import (
    MODERATORS,
    PUBLIC,
    Change,
    Conflict,
    Event,
    NotFound,
    Store,
    schema,
)
from wall.store.connections import now
from wall.store.events import public_events

HISTORY_LIMIT = 500
# How long the pipeline reuses what it read for the rules (RulesContext): what other
# processes stored or blocked meanwhile reaches its rules within this many seconds.
CONTEXT_REFRESH = 1.0
UNDOABLE = ("approve", "reject", "highlight", "unhighlight", "hide")


@dataclass(frozen=True)
class Outcome:
    """What a desk action changed: a summary for the answer and the events to send."""

    body: dict[str, Any]
    events: list[Event]


def undo(store: Store, actor: str) -> Change:
    """Put back the post this moderator decided last; raise NotFound or Conflict."""
    a = schema.audit.c
    with store.begin() as conn:
        last = conn.execute(
            select(schema.audit).where(a.actor == actor, a.action.in_(UNDOABLE),
                                       a.undone.is_(False), a.before_status.is_not(None))
            .order_by(a.id.desc()).limit(1)).mappings().first()
        if last is None:
            raise NotFound("nothing to undo")
        post_id = int(last["post_id"])
        row = store._row(conn, post_id)
        if row["decided_by"] != actor or row["decided_at"] is None:
            raise Conflict(f"post {post_id} was decided again since; nothing undone")
        before_status, before_high = str(last["before_status"]), bool(last["before_highlighted"])
        status, highlighted = row["status"], bool(row["highlighted"])
        done = conn.execute(
            update(schema.posts)
            .where(schema.posts.c.id == post_id, schema.posts.c.status == status,
                   schema.posts.c.highlighted == highlighted)
            .values(status=before_status, highlighted=before_high, decided_by=actor,
                    decided_at=None if before_status == "pending" else now()))
        if done.rowcount != 1:
            raise Conflict(f"post {post_id} changed meanwhile")
        conn.execute(update(schema.audit).where(a.id == last["id"]).values(undone=True))
        store._audit(conn, post_id, "undo", actor, [f"undid {last['action']}"])
        return Change(*_status_events(store, conn, post_id, status, "undo", actor))


def _status_events(store: Store, conn: Connection, post_id: int, before: str, action: str,
                   actor: str) -> tuple[dict[str, Any], bool, list[Event]]:
    """Emit what screens and moderators must hear after a post's status changed."""
    payload = post_payload(store._row(conn, post_id))
    events = [store._emit(conn, t, PUBLIC, post_id, b)
              for t, b in public_events(before, payload["status"], payload)]
    if payload["status"] == "pending":
        events.append(store._emit(conn, "post_queued", MODERATORS, post_id, {"post": payload}))
    events.append(store._emit(conn, "post_decided", MODERATORS, post_id,
                              {"post": payload, "action": action, "by": actor}))
    return payload, False, events


def set_pinned(store: Store, post_id: int, pinned: bool, actor: str) -> Change:
    """Pin a post to the highlights screen (approving and highlighting it), or unpin it."""
    p = schema.posts.c
    with store.begin() as conn:
        row = store._row(conn, post_id)
        status, highlighted, was = row["status"], bool(row["highlighted"]), bool(row["pinned"])
        if was == pinned:
            raise Conflict(f"post {post_id} is already {'pinned' if was else 'not pinned'}")
        if pinned and status == "rejected":
            raise Conflict(f"cannot pin post {post_id}: it is rejected")
        values: dict[str, Any] = {"pinned": pinned, "decided_by": actor, "decided_at": now()}
        if pinned:
            values.update(status="approved", highlighted=True)
        done = conn.execute(update(schema.posts).where(
            p.id == post_id, p.status == status, p.pinned == was).values(**values))
        if done.rowcount != 1:
            raise Conflict(f"post {post_id} changed meanwhile")
        action = "pin" if pinned else "unpin"
        store._audit(conn, post_id, action, actor, [], (status, highlighted))
        return Change(*_status_events(store, conn, post_id, status, action, actor))


def block_author(store: Store, post_id: int, actor: str) -> Outcome:
    """Block a post's author: reject the post and their pending posts, reject future ones."""
    p = schema.posts.c
    with store.begin() as conn:
        row = store._row(conn, post_id)
        key = author_key(row["network"], row["handle"] or row["author"])
        if conn.execute(select(schema.blocks).where(schema.blocks.c.author_key == key)).first():
            conn.execute(update(schema.blocks).where(schema.blocks.c.author_key == key)
                         .values(actor=actor, at=now()))
        else:
            conn.execute(insert(schema.blocks).values(author_key=key, actor=actor, at=now()))
        same = [p.network == row["network"], p.handle == row["handle"]]
        if not row["handle"]:
            same.append(p.author == row["author"])
        targets = conn.execute(
            select(p.id).where(*same, (p.status == "pending") | (p.id == post_id))
            .order_by(p.id)).scalars().all()
        events: list[Event] = []
        rejected = []
        reason = [f"author {row['handle'] or row['author']} blocked by {actor}"]
        for target in targets:
            current = store._row(conn, int(target))
            action = "hide" if current["status"] == "approved" else "reject"
            if current["status"] == "rejected":
                continue
            events.extend(store.decide_in(conn, int(target), action, actor, reason).events)
            rejected.append(int(target))
        store._audit(conn, post_id, "block_author", actor, reason)
    store.blocks_changed()  # committed: the pipeline's rules read the blocks again
    return Outcome({"blocked": key, "rejected": rejected}, events)


# context_for runs before every group of posts is stored: its queries are written once
# (a select built per call cost ~190 us against ~50 us; see wall.stats).
_BLOCKED = text("SELECT author_key FROM blocks")
_RECENT = text("""SELECT network, handle, author, text, received_at FROM posts
                  WHERE received_at >= :since AND network != :host
                  ORDER BY id DESC LIMIT :limit""").bindparams(
    bindparam("since", type_=DateTime)).columns(
    network=String, handle=String, author=String, text=Text, received_at=DateTime)


def blocked_keys(store: Store) -> frozenset[str]:
    """Return the authors moderators blocked, keyed like moderation.author_key."""
    with store.read() as conn:
        return frozenset(conn.execute(_BLOCKED).scalars().all())


def is_paused(store: Store) -> bool:
    """Return True while the kill switch blanks the screens."""
    with store.read() as conn:
        value = conn.execute(select(schema.wall_state.c.value)
                             .where(schema.wall_state.c.key == "paused")).scalar()
    return value == "true"


def set_paused(store: Store, paused: bool, actor: str) -> Outcome:
    """Blank every screen (kill switch) or bring the wall back; raise Conflict if already so."""
    w = schema.wall_state.c
    with store.begin() as conn:
        current = conn.execute(select(w.value).where(w.key == "paused")).scalar() == "true"
        if current == paused:
            raise Conflict("the wall is already " + ("paused" if paused else "live"))
        conn.execute(delete(schema.wall_state).where(w.key == "paused"))
        conn.execute(insert(schema.wall_state).values(
            key="paused", value=json.dumps(paused), updated_at=now()))
        action = "pause_wall" if paused else "resume_wall"
        store._audit(conn, None, action, actor, ["kill switch" if paused else "wall back on"])
        kind = "wall_paused" if paused else "wall_resumed"
        event = store._emit(conn, kind, PUBLIC, None, {"by": actor})
    return Outcome({"paused": paused}, [event])


def host_post(text: str, author: str) -> Post:
    """Build an organisers' announcement as a post of the "host" network."""
    return Post(source="host", external_id=secrets.token_hex(8), network=HOST_NETWORK,
                author=author, handle="", text=text)


def host_message(store: Store, text: str, author: str, actor: str) -> Change:
    """Publish an announcement on the feed, marked as from the organisers."""
    return store.ingest(host_post(text, author),
                        Decision("approved", (f"host message by {actor}",)))


def context_for(store: Store, minutes: int, now: datetime | None = None) -> Context:
    """Gather the read-only context the spam rules need: recent posts and blocks."""
    now = now or datetime.now(UTC)
    recent: tuple[Seen, ...] = ()
    with store.read() as conn:
        if minutes:
            since = now.replace(tzinfo=None) - timedelta(minutes=minutes)
            rows = conn.execute(_RECENT, {"since": since, "host": HOST_NETWORK,
                                          "limit": HISTORY_LIMIT}).all()
            recent = tuple(Seen(n, h or a, t, at.replace(tzinfo=UTC))
                           for n, h, a, t, at in rows)
        blocked = frozenset(conn.execute(_BLOCKED).scalars().all())
    return Context(now=now, recent=recent, blocked=blocked)


class RulesContext:
    """The rules' context for the pipeline, read once a second instead of once a group.

    Every group commit needs the recent posts and the blocked authors. Read each time,
    that was a pooled connection and two queries per group: ~8 % of a single webhook
    post's CPU with the spam rules off, and half of it with them on (up to 500 recent
    posts decoded per group). This keeps the last read and adds the posts this process
    commits; it reads again after CONTEXT_REFRESH seconds (what other processes stored
    or blocked), at once when this process blocks or unblocks an author
    (Store.blocks_changed), and when the rules' window changes. Used by the one group
    leader at a time (wall.grouping), so it needs no lock.
    """

    def __init__(self, store: Store, refresh: float = CONTEXT_REFRESH) -> None:
        self.store = store
        self.refresh = refresh
        self._read_at = -refresh  # monotonic time of the last read
        self._key: tuple[int, int] | None = None  # (minutes, blocks version) of that read
        self._recent: tuple[Seen, ...] = ()
        self._blocked: frozenset[str] = frozenset()

    def get(self, minutes: int) -> Context:
        """Return the context for a group about to be decided."""
        now = datetime.now(UTC)
        key = (minutes, self.store.blocks_version)
        if key != self._key or time.monotonic() - self._read_at >= self.refresh:
            self._key = None  # a failed read leaves nothing stale behind
            fresh = context_for(self.store, minutes, now)
            self._recent, self._blocked = fresh.recent, fresh.blocked
            self._key, self._read_at = key, time.monotonic()
        return Context(now=now, recent=self._recent, blocked=self._blocked)

    def stored(self, seen: Iterable[Seen]) -> None:
        """Add posts this process committed (newest last) to the recent ones kept."""
        if self._key is None or not self._key[0]:
            return  # no spam rule looks back (or nothing read yet): keep nothing
        added = tuple(reversed(tuple(seen)))
        if added:
            self._recent = (added + self._recent)[:HISTORY_LIMIT]
