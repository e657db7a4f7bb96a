"""Erase an enrolment for good (the person asks, or retention): row, handles, token, audit."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, and_, delete, or_, select, update

from wall.ambassadors.events import announce, changed, unflag_posts
from wall.ambassadors.registry import _handles
from wall.store import Event, NotFound, Store, schema

log = logging.getLogger(__name__)
E = schema.ambassador_enrolments
H = schema.ambassador_handles
# Steps the employee took: their audit rows name them as the actor.
SELF_STEPS = ("ambassador_enrol", "ambassador_handles", "ambassador_leave")
ANONYMOUS = "employee"


def _scrub_audit(conn: Connection, enrolment_id: int) -> int:
    """Keep that each step happened and when, not who (name, team, handles)."""
    a = schema.audit.c
    rows = conn.execute(select(a.id, a.action).where(
        a.action.like("ambassador\\_%", escape="\\"),
        a.reasons_json.like(f'%"enrolment {enrolment_id} (%'))).all()
    for row in rows:
        values = {"reasons_json": json.dumps([f"enrolment {enrolment_id}"])}
        if row.action in SELF_STEPS:
            values["actor"] = ANONYMOUS
        conn.execute(update(schema.audit).where(a.id == row.id).values(**values))
    return len(rows)


def erase_enrolment(store: Store, enrolment_id: int, actor: str) -> list[Event]:
    """Delete an enrolment, its handles and private link; return the events. Raise NotFound.

    The person's posts stay on the wall as ordinary posts (erase them one by one if
    they ask for that too); the export no longer has them.
    """
    with store.begin() as conn:
        row = conn.execute(select(E).where(E.c.id == enrolment_id)).first()
        if row is None:
            raise NotFound(enrolment_id)
        events = (unflag_posts(store, conn, _handles(conn, row.id))
                  if row.status == "approved" else [])
        conn.execute(delete(H).where(H.c.enrolment_id == row.id))
        conn.execute(delete(E).where(E.c.id == row.id))
        scrubbed = _scrub_audit(conn, row.id)
        store._audit(conn, None, "ambassador_erase", actor, [f"enrolment {row.id}"])
        events.append(changed(store, conn, row.id, "erased", "erased"))
    announce(events)
    log.info("ambassador enrolment %s erased by %s (%d audit rows made anonymous)",
             enrolment_id, actor, scrubbed)
    return events


def expire_enrolments(store: Store, days: int, now: datetime) -> int:
    """Erase enrolments withdrawn or refused more than `days` ago; return how many."""
    if now.tzinfo is not None:  # the store keeps naive UTC times
        now = now.astimezone(UTC).replace(tzinfo=None)
    cutoff = now - timedelta(days=days)
    old = or_(and_(E.c.status == "left", E.c.left_at < cutoff),
              and_(E.c.status == "refused", E.c.decided_at < cutoff))
    with store.read() as conn:
        ids = [int(i) for i in conn.execute(select(E.c.id).where(old)).scalars()]
    gone = 0
    for enrolment_id in ids:
        try:
            erase_enrolment(store, enrolment_id, "retention")
            gone += 1
        except NotFound:  # erased meanwhile by a moderator
            continue
    return gone
