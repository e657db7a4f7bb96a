"""Organisers' announcements: a banner on every screen for a chosen time.

An announcement is still stored as a post of the "host" network (the audit
trail and exports keep it), and the banner's state lives in wall_state under
one key, so a screen that reloads or reconnects asks for it and gets it back.
Each function commits, then returns the events to broadcast.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from wall import desk
from wall.payloads import iso
from wall.store import PUBLIC, Conflict, Store, schema

KEY = "announcement"
MIN_SECONDS = 5
MAX_SECONDS = 24 * 3600


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _read(conn: Connection) -> dict[str, Any] | None:
    w = schema.wall_state.c
    raw = conn.execute(select(w.value).where(w.key == KEY)).scalar()
    try:
        value = json.loads(raw) if raw else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _public(state: dict[str, Any], now: datetime) -> dict[str, Any] | None:
    """Return what screens show of a stored announcement, or None once it has ended."""
    try:
        until = datetime.fromisoformat(str(state["until"]).rstrip("Z"))
    except (KeyError, ValueError):
        return None
    remaining = (until - now).total_seconds()
    if remaining <= 0:
        return None
    return {"id": state.get("id"), "text": state.get("text", ""), "author": state.get("author", ""),
            "until": iso(until), "remaining": round(remaining, 1)}


def current(store: Store, now: datetime | None = None) -> dict[str, Any] | None:
    """Return the announcement on screen now, with its remaining seconds, or None."""
    with store.read() as conn:
        state = _read(conn)
    return _public(state, now or _now()) if state else None


def announce(store: Store, text: str, author: str, actor: str,
             seconds: int) -> tuple[dict[str, Any], dict[str, Any], list[Any]]:
    """Publish an announcement for `seconds`; return the host post, the banner and the events."""
    change = desk.host_message(store, text, author, actor)
    now = _now()
    state = {"id": change.post["id"], "text": text, "author": author,
             "until": iso(now + timedelta(seconds=seconds))}
    w = schema.wall_state.c
    with store.begin() as conn:
        conn.execute(delete(schema.wall_state).where(w.key == KEY))
        conn.execute(insert(schema.wall_state).values(key=KEY, value=json.dumps(state),
                                                      updated_at=now))
        banner = _public(state, now)
        assert banner is not None
        store._audit(conn, change.post["id"], "announce", actor, [f"for {seconds} s"])
        event = store._emit(conn, "announcement_shown", PUBLIC, change.post["id"],
                            {"announcement": banner})
    return change.post, banner, [*change.events, event]


def dismiss(store: Store, actor: str) -> list[Any]:
    """Take the announcement off every screen now; raise Conflict when none is shown."""
    w = schema.wall_state.c
    with store.begin() as conn:
        state = _read(conn)
        if state is None or _public(state, _now()) is None:
            raise Conflict("no announcement is on the screens")
        conn.execute(delete(schema.wall_state).where(w.key == KEY))
        post_id = state.get("id") if isinstance(state.get("id"), int) else None
        store._audit(conn, post_id, "dismiss_announcement", actor, [])
        return [store._emit(conn, "announcement_dismissed", PUBLIC, post_id, {"id": post_id})]
