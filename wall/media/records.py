"""Store writes about images: renditions ready or failed, a flag, a rejection for the image."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, not_, or_, select, update

from wall.payloads import post_payload
from wall.store import MODERATORS, PUBLIC, Change, Conflict, Event, NotFound, Store, schema

# These functions extend Store with the same transaction helpers its own methods use;
# they live here to keep store.py about posts and events in general.


def _reasons(row: Any, extra: Sequence[str]) -> str:
    reasons = json.loads(row["reasons_json"] or "[]")
    reasons.extend(r for r in extra if r not in reasons)
    return json.dumps(reasons, ensure_ascii=False)


def record_media(store: Store, post_id: int, *, avatar_local: str | None,
                 media: list[dict[str, Any]], errors: list[str], flag: str | None) -> Change:
    """Commit a post's renditions (or why they failed) and the events screens must hear."""
    with store.begin() as conn:
        row = store._row(conn, post_id)
        status = row["status"]
        failed = [e for e in errors if not e.startswith("avatar")]
        values: dict[str, Any] = dict(
            avatar_local=avatar_local or row["avatar_local"],
            media_json=json.dumps(media, ensure_ascii=False) if media else row["media_json"],
            media_errors_json=json.dumps(errors, ensure_ascii=False),
            media_state="failed" if errors else "ready",
            reasons_json=_reasons(row, failed + ([flag] if flag else [])))
        if flag and status == "approved":
            values.update(status="pending", highlighted=False, decided_by=None)
        conn.execute(update(schema.posts).where(schema.posts.c.id == post_id).values(**values))
        payload = post_payload(store._row(conn, post_id))
        store._audit(conn, post_id, "media", "media", errors + ([flag] if flag else []))
        events: list[Event] = []
        if flag and status == "approved":
            events.append(store._emit(conn, "post_removed", PUBLIC, post_id, {"id": post_id}))
            events.append(store._emit(conn, "post_queued", MODERATORS, post_id,
                                      {"post": payload}))
        elif status == "approved":
            events.append(store._emit(conn, "post_updated", PUBLIC, post_id, {"post": payload}))
        elif status == "pending":
            events.append(store._emit(conn, "post_queued", MODERATORS, post_id,
                                      {"post": payload}))
    return Change(payload, created=False, events=events)


def reject_for_media(store: Store, post_id: int, actor: str) -> Change:
    """Reject a pending or shown post because of its image; raise NotFound or Conflict."""
    with store.begin() as conn:
        row = store._row_or_none(conn, post_id)
        if row is None:
            raise NotFound(post_id)
        status = row["status"]
        if status not in ("pending", "approved"):
            raise Conflict(f"cannot reject a post that is {status}")
        reason = f"image rejected by {actor}"
        conn.execute(update(schema.posts).where(schema.posts.c.id == post_id).values(
            status="rejected", highlighted=False, decided_by=actor,
            decided_at=datetime.now(UTC).replace(tzinfo=None),
            reasons_json=_reasons(row, [reason])))
        payload = post_payload(store._row(conn, post_id))
        store._audit(conn, post_id, "reject_image", actor, [reason])
        events: list[Event] = []
        if status == "approved":
            events.append(store._emit(conn, "post_removed", PUBLIC, post_id, {"id": post_id}))
        events.append(store._emit(conn, "post_decided", MODERATORS, post_id,
                                  {"post": payload, "action": "reject", "by": actor}))
    return Change(payload, created=False, events=events)


def unfinished(store: Store, limit: int = 500) -> list[Any]:
    """Return recent posts whose remote images were never recorded (e.g. a restart cut in)."""
    posts = schema.posts.c
    remote_avatar = and_(posts.avatar_url.is_not(None), posts.avatar_local.is_(None),
                         not_(posts.avatar_url.like("/media/%")))
    query = (select(schema.posts)
             .where(posts.media_state.is_(None), posts.status != "rejected",
                    or_(remote_avatar, posts.media_json.like('%"local": null%')))
             .order_by(posts.id.desc()).limit(limit))
    with store.read() as conn:
        return list(conn.execute(query).mappings().all())
