"""What an enrolment's change tells the screens and the moderators, in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, select, update

from wall.moderation.matching import AuthorList
from wall.payloads import post_payload
from wall.realtime.broadcast import emit_events
from wall.store import MODERATORS, PUBLIC, Event, Store, schema

# The moderators' Ambassadors tab reloads its list when it hears this (docs/protocol.md).
# The body holds ids and states only: the event log keeps no name, team or handle.
CHANGED = "ambassador_changed"
CHANGES = ("enrolled", "approved", "refused", "waived", "handles", "left", "verified", "erased")


def changed(store: Store, conn: Connection, enrolment_id: int, change: str,
            status: str) -> Event:
    """Write one moderator-audience event saying an enrolment changed."""
    assert change in CHANGES, change
    return store._emit(conn, CHANGED, MODERATORS, None,
                       {"id": int(enrolment_id), "change": change, "status": status})


def unflag_posts(store: Store, conn: Connection,
                 handles: Sequence[dict[str, Any]]) -> list[Event]:
    """Make the person's past posts ordinary ones; screens drop the badge, counts drop."""
    authors = AuthorList([h["entry"] for h in handles])
    p = schema.posts.c
    rows = conn.execute(select(p.id, p.network, p.handle).where(p.ambassador.is_(True)))
    ids = [r.id for r in rows if authors.find_handle(r.network, r.handle)]
    if not ids:
        return []
    conn.execute(update(schema.posts).where(p.id.in_(ids)).values(ambassador=False))
    conn.info.setdefault("touched", set()).update(ids)  # recount them with the transaction
    shown = conn.execute(select(schema.posts).where(p.id.in_(ids), p.status == "approved")
                         .order_by(p.id)).mappings().all()
    # Cards already on the screens lose their badge at once, as new posts do.
    return [store._emit(conn, "post_updated", PUBLIC, int(row["id"]),
                        {"post": post_payload(dict(row))}) for row in shown]


def announce(events: Sequence[Event]) -> None:
    """Wake the dispatcher once the transaction that wrote the events has committed."""
    emit_events(events)
