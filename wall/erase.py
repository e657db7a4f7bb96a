"""Erase a post for good (a GDPR request, or retention): rows, images, events, audit content."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.engine import Connection

from wall.store import PUBLIC, Event, NotFound, Store, schema

log = logging.getLogger(__name__)
MEDIA_KEYS = ("local", "fallback", "full", "full_fallback")


def _media_urls(row: Any) -> set[str]:
    """Return the /media/ URLs of a post's avatar and images."""
    urls = {row["avatar_local"]} if row["avatar_local"] else set()
    for entry in json.loads(row["media_json"] or "[]"):
        urls.update(entry[k] for k in MEDIA_KEYS if isinstance(entry.get(k), str))
    return {u for u in urls if u.startswith("/media/") and ".." not in u}


def _erase_in(store: Store, conn: Connection, row: Any, actor: str) -> list[Event]:
    """Delete one post and every trace of its content, inside a transaction."""
    post_id = int(row["id"])
    e, a = schema.events.c, schema.audit.c
    # Events already sent carried the post (text, name, avatar): a screen or moderator
    # catching up after a reconnect must never receive them again.
    conn.execute(update(schema.events).where(e.post_id == post_id)
                 .values(type="post_removed", body_json=json.dumps({"id": post_id})))
    # The audit keeps who did what and when, not what was said (reasons can quote it).
    conn.execute(update(schema.audit).where(a.post_id == post_id).values(reasons_json="[]"))
    conn.execute(delete(schema.post_tags).where(schema.post_tags.c.post_id == post_id))
    conn.execute(delete(schema.posts).where(schema.posts.c.id == post_id))
    store._audit(conn, post_id, "erase", actor, ())
    return [store._emit(conn, "post_removed", PUBLIC, post_id, {"id": post_id})]


def _still_used(store: Store, urls: Iterable[str]) -> set[str]:
    """Return the URLs another post still shows (cache files are shared by content)."""
    p = schema.posts.c
    wanted = list(urls)
    if not wanted:
        return set()
    used: set[str] = set()
    with store.read() as conn:
        clauses = [p.media_json.contains(u) for u in wanted] + [p.avatar_local.in_(wanted)]
        for row in conn.execute(select(p.avatar_local, p.media_json).where(or_(*clauses))):
            used.update(u for u in wanted if u == row[0] or u in (row[1] or ""))
    return used


def _delete_files(store: Store, media_root: Path, urls: set[str]) -> int:
    """Delete the image files no other post uses; return how many went."""
    root = media_root.resolve()
    gone = 0
    for url in urls - _still_used(store, urls):
        path = (root / url[len("/media/"):]).resolve()
        if path.is_relative_to(root) and path.is_file():
            path.unlink()
            gone += 1
    return gone


def erase(store: Store, post_id: int, actor: str, media_root: Path) -> list[Event]:
    """Erase one post everywhere; return the events to broadcast. Raise NotFound."""
    with store.begin() as conn:
        row = conn.execute(select(schema.posts).where(schema.posts.c.id == post_id)
                           ).mappings().first()
        if row is None:
            raise NotFound(post_id)
        urls = _media_urls(row)
        events = _erase_in(store, conn, row, actor)
    _delete_files(store, media_root, urls)
    log.info("post %s erased by %s", post_id, actor)
    return events


def expire(store: Store, media_root: Path, days: int, now: datetime) -> list[Event]:
    """Erase posts received more than `days` ago and older audit entries; return events."""
    if now.tzinfo is not None:  # the store keeps naive UTC times
        now = now.astimezone(UTC).replace(tzinfo=None)
    cutoff = now - timedelta(days=days)
    p, a = schema.posts.c, schema.audit.c
    with store.read() as conn:
        old = [int(i) for i in conn.execute(select(p.id).where(p.received_at < cutoff))
               .scalars()]
    events: list[Event] = []
    for post_id in old:
        try:
            events += erase(store, post_id, "retention", media_root)
        except NotFound:  # erased meanwhile by a moderator
            continue
    with store.begin() as conn:
        conn.execute(delete(schema.audit).where(a.at < cutoff))
    return events
