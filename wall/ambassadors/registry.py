"""Enrolments in the store: enrol, decide, change handles, leave; every step audited."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from wall.ambassadors.events import announce, changed, unflag_posts
from wall.ambassadors.handles import entry
from wall.store import Conflict, NotFound, Store, schema

E = schema.ambassador_enrolments
H = schema.ambassador_handles
STATUSES = ("pending", "approved", "refused", "left")


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=UTC).isoformat() if moment else None


def _handles(conn: Connection, enrolment_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(select(H).where(H.c.enrolment_id == enrolment_id).order_by(H.c.id))
    return [{"id": h.id, "network": h.network, "handle": h.handle, "entry":
             entry(h.network, h.handle), "verified": h.verified_at is not None,
             "waived_by": h.waived_by} for h in rows]


def _payload(conn: Connection, row: Any) -> dict[str, Any]:
    """Return an enrolment as the moderators' list and the private page show it."""
    return {"id": row.id, "name": row.name, "team": row.team, "status": row.status,
            "charter_version": row.charter_version, "accepted_at": _iso(row.accepted_at),
            "created_at": _iso(row.created_at), "decided_by": row.decided_by,
            "decided_at": _iso(row.decided_at), "left_at": _iso(row.left_at),
            "phrase": row.phrase, "handles": _handles(conn, row.id)}


def _audit(store: Store, conn: Connection, action: str, actor: str, row: Any,
           *extra: str) -> None:
    """Write one step to the wall's audit trail: who, when, which charter version."""
    store._audit(conn, None, f"ambassador_{action}", actor,
                 [f"enrolment {row.id} ({row.name})", f"charter {row.charter_version}", *extra])


def _insert_handles(conn: Connection, enrolment_id: int,
                    claims: Sequence[tuple[str, str]]) -> None:
    for network, handle in claims:
        conn.execute(insert(H).values(enrolment_id=enrolment_id, network=network,
                                      handle=handle))


def enrol(store: Store, name: str, team: str, claims: Sequence[tuple[str, str]],
          charter_version: str, verify: bool) -> str:
    """Record a new enrolment waiting for a moderator; return its private token."""
    token, now = secrets.token_urlsafe(24), _now()
    phrase = f"wall-{secrets.token_hex(3)}" if verify else ""
    with store.begin() as conn:
        conn.execute(insert(E).values(
            token=token, name=name, team=team, status="pending",
            charter_version=charter_version, accepted_at=now, consent_at=now, phrase=phrase,
            created_at=now))
        row = conn.execute(select(E).where(E.c.token == token)).one()
        new_id = int(row.id)
        _insert_handles(conn, new_id, claims)
        _audit(store, conn, "enrol", name, row, "charter accepted", "consent to appear given")
        events = [changed(store, conn, new_id, "enrolled", "pending")]
    announce(events)
    return token


def by_token(store: Store, token: str) -> dict[str, Any]:
    """Return the enrolment a private link names; raise NotFound."""
    with store.read() as conn:
        row = conn.execute(select(E).where(E.c.token == token[:64])).first()
        if row is None or not secrets.compare_digest(row.token, token):
            raise NotFound(token)
        return {**_payload(conn, row), "token": row.token}


def listing(store: Store) -> list[dict[str, Any]]:
    """Return every enrolment, those waiting first, then the newest."""
    with store.read() as conn:
        rows = conn.execute(select(E).order_by(E.c.id.desc())).all()
        items = [_payload(conn, row) for row in rows]
    return sorted(items, key=lambda item: item["status"] != "pending")


def _row(conn: Connection, enrolment_id: int) -> Any:
    row = conn.execute(select(E).where(E.c.id == enrolment_id)).first()
    if row is None:
        raise NotFound(enrolment_id)
    return row


def decide(store: Store, enrolment_id: int, approve: bool, actor: str) -> dict[str, Any]:
    """Approve or refuse an enrolment; raise NotFound, or Conflict once the person left."""
    with store.begin() as conn:
        row = _row(conn, enrolment_id)
        if row.status == "left":
            raise Conflict("this person left the programme")
        status = "approved" if approve else "refused"
        conn.execute(update(E).where(E.c.id == row.id).values(
            status=status, decided_by=actor, decided_at=_now()))
        _audit(store, conn, "approve" if approve else "refuse", actor, row)
        events = [] if approve else unflag_posts(store, conn, _handles(conn, row.id))
        events.append(changed(store, conn, row.id, status, status))
        item = _payload(conn, _row(conn, row.id))
    announce(events)
    return item


def waive(store: Store, handle_id: int, actor: str) -> dict[str, Any]:
    """Let a handle carry the badge without the verification phrase."""
    with store.begin() as conn:
        handle = conn.execute(select(H).where(H.c.id == handle_id)).first()
        if handle is None:
            raise NotFound(handle_id)
        conn.execute(update(H).where(H.c.id == handle_id).values(waived_by=actor))
        row = _row(conn, handle.enrolment_id)
        _audit(store, conn, "waive", actor, row,
               f"handle {entry(handle.network, handle.handle)} approved without proof")
        item = _payload(conn, row)
        event = changed(store, conn, row.id, "waived", row.status)
    announce([event])
    return item


def change_handles(store: Store, token: str, claims: Sequence[tuple[str, str]]) -> None:
    """Replace the handles; new ones wait for a moderator again, kept ones keep their proof."""
    with store.begin() as conn:
        row = conn.execute(select(E).where(E.c.token == token)).first()
        if row is None or row.status == "left":
            raise NotFound(token)
        old = {(h["network"], h["handle"]) for h in _handles(conn, row.id)}
        dropped = [h for h in _handles(conn, row.id) if (h["network"], h["handle"]) not in claims]
        conn.execute(delete(H).where(H.c.enrolment_id == row.id,
                                     H.c.id.in_([h["id"] for h in dropped])))
        _insert_handles(conn, row.id, [c for c in claims if c not in old])
        status = row.status
        if set(claims) - old and row.status == "approved":
            # A new handle is a new claim: a moderator checks it before it gets the badge.
            status = "pending"
            conn.execute(update(E).where(E.c.id == row.id).values(status=status))
        events = unflag_posts(store, conn, dropped)
        _audit(store, conn, "handles", row.name, row,
               "handles: " + (", ".join(entry(n, h) for n, h in claims) or "none"))
        events.append(changed(store, conn, row.id, "handles", status))
    announce(events)


def leave(store: Store, token: str) -> None:
    """Leave the programme: the badge goes from new posts and from the counts at once."""
    with store.begin() as conn:
        row = conn.execute(select(E).where(E.c.token == token)).first()
        if row is None:
            raise NotFound(token)
        if row.status == "left":
            return
        conn.execute(update(E).where(E.c.id == row.id).values(status="left", left_at=_now()))
        events = unflag_posts(store, conn, _handles(conn, row.id))
        _audit(store, conn, "leave", row.name, row)
        events.append(changed(store, conn, row.id, "left", "left"))
    announce(events)

