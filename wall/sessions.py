"""Server-side moderator sessions: one row per login, ended at once by logout or revocation."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import g, has_request_context, session
from sqlalchemy import select, update

from wall.runtime import get_wall
from wall.store.schema import moderator_sessions as table

log = logging.getLogger(__name__)

# Writing "last seen" on every request would make each page view a write; a minute's
# precision is plenty for an idle timeout counted in minutes.
SEEN_PRECISION = timedelta(seconds=60)


@dataclass(frozen=True)
class Session:
    """A live moderator session as stored."""

    id: str
    moderator: str
    csrf: str
    credential: str
    created_at: datetime
    seen_at: datetime


def _now() -> datetime:
    """Return the current UTC time, naive like every stored time."""
    return datetime.now(UTC).replace(tzinfo=None)


def session_id(token: str) -> str:
    """Return the stored id of a cookie token (a leaked table opens no session)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def open_session(name: str, credential: str) -> tuple[str, str]:
    """Store a new session and return its cookie token and CSRF token."""
    token, csrf, now = secrets.token_urlsafe(32), secrets.token_urlsafe(24), _now()
    with get_wall().store.engine.begin() as conn:
        conn.execute(table.insert().values(
            id=session_id(token), moderator=name, csrf=csrf, credential=credential,
            created_at=now, seen_at=now))
    log.info("moderator %s logged in", name)
    return token, csrf


def _expired(row: Session, now: datetime) -> str | None:
    """Return why a session has timed out, or None while it is valid."""
    section = get_wall().config.moderators
    if now - row.created_at > timedelta(hours=section.session_hours):
        return "session too old"
    if now - row.seen_at > timedelta(minutes=section.idle_minutes):
        return "idle too long"
    return None


def lookup(sid: str, *, touch: bool = True) -> Session | None:
    """Return the live session of that stored id, ending it if it timed out."""
    with get_wall().store.engine.connect() as conn:
        found = conn.execute(select(
            table.c.id, table.c.moderator, table.c.csrf, table.c.credential,
            table.c.created_at, table.c.seen_at).where(
            table.c.id == sid, table.c.ended_at.is_(None))).first()
    if found is None:
        return None
    row = Session(*found)
    now = _now()
    reason = _expired(row, now)
    if reason is not None:
        end_ids([row.id], reason)
        return None
    if touch and now - row.seen_at >= SEEN_PRECISION:
        with get_wall().store.engine.begin() as conn:
            conn.execute(update(table).where(table.c.id == sid).values(seen_at=now))
    return row


def current() -> Session | None:
    """Return the session of the current request's cookie, looked up once per request."""
    if not has_request_context():
        return None
    if "moderator_session" in g:
        cached: Session | None = g.moderator_session
        return cached
    token = session.get("sid")
    row = lookup(session_id(token)) if isinstance(token, str) and token else None
    g.moderator_session = row
    return row


def end_ids(ids: list[str], reason: str) -> list[str]:
    """End the sessions with those stored ids; return the ones that were still live."""
    if not ids:
        return []
    with get_wall().store.engine.begin() as conn:
        live = [r[0] for r in conn.execute(select(table.c.id).where(
            table.c.id.in_(ids), table.c.ended_at.is_(None)))]
        conn.execute(update(table).where(table.c.id.in_(live)).values(
            ended_at=_now(), ended_reason=reason[:100]))
    if has_request_context():
        g.pop("moderator_session", None)
    for sid in live:
        log.info("moderator session %s… ended: %s", sid[:8], reason)
    return live


def ids_of_credential(credential: str) -> list[str]:
    """Return the live sessions opened with that password fingerprint."""
    with get_wall().store.engine.connect() as conn:
        return [r[0] for r in conn.execute(select(table.c.id).where(
            table.c.credential == credential, table.c.ended_at.is_(None)))]
