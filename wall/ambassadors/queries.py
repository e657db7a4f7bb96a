"""Read-side queries: the badge snapshot, a person's posts, the export, the proof scan."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from wall.ambassadors.events import announce, changed
from wall.ambassadors.handles import entry
from wall.moderation.matching import AuthorList
from wall.payloads import post_payload
from wall.store import Store, schema

E = schema.ambassador_enrolments
H = schema.ambassador_handles
SCAN_BATCH = 500


def approved_entries(store: Store, verify: bool) -> tuple[str, ...]:
    """Return the author entries that carry the badge: approved, and proven when asked."""
    query = select(H.c.network, H.c.handle, H.c.verified_at, H.c.waived_by).join(
        E, E.c.id == H.c.enrolment_id).where(E.c.status == "approved")
    with store.read() as conn:
        rows = conn.execute(query).all()
    return tuple(sorted({entry(r.network, r.handle) for r in rows
                         if not verify or r.verified_at is not None or r.waived_by}))


def posts_of(store: Store, handles: list[dict[str, Any]],
             limit: int = 20) -> tuple[list[dict[str, Any]], int]:
    """Return a person's newest ambassador posts on the wall and how many are counted."""
    authors = AuthorList([h["entry"] for h in handles])
    p = schema.posts.c
    query = select(schema.posts).where(p.status == "approved", p.ambassador.is_(True)) \
        .order_by(p.id.desc())
    with store.read() as conn:
        mine = [row for row in conn.execute(query) if authors.find_handle(row.network, row.handle)]
        return [post_payload(dict(row._mapping)) for row in mine[:limit]], len(mine)


def scan_proofs(store: Store, after: int) -> tuple[int, int]:
    """Mark handles whose phrase a post from them shows; return (last post id, marked)."""
    claims = select(H.c.id, H.c.network, H.c.handle, E.c.phrase).join(
        E, E.c.id == H.c.enrolment_id).where(
        H.c.verified_at.is_(None), E.c.phrase != "", E.c.status.in_(("pending", "approved")))
    p = schema.posts.c
    with store.read() as conn:
        waiting = conn.execute(claims).all()
        posts = conn.execute(select(p.id, p.network, p.handle, p.text).where(p.id > after)
                             .order_by(p.id).limit(SCAN_BATCH)).all()
    last = posts[-1].id if posts else after
    found: dict[int, int] = {}
    for claim in waiting:
        authors = AuthorList([entry(claim.network, claim.handle)])
        for post in posts:
            if claim.phrase.casefold() in post.text.casefold() \
                    and authors.find_handle(post.network, post.handle):
                found[claim.id] = post.id
                break
    if found:
        now = datetime.now(UTC).replace(tzinfo=None)
        events = []
        with store.begin() as conn:
            for handle_id, post_id in found.items():
                done = conn.execute(update(H).where(H.c.id == handle_id,
                                                    H.c.verified_at.is_(None))
                                    .values(verified_at=now, verified_post_id=post_id))
                owner = conn.execute(select(E.c.id, E.c.status).join(
                    H, H.c.enrolment_id == E.c.id).where(H.c.id == handle_id)).first()
                if done.rowcount and owner is not None:
                    events.append(changed(store, conn, owner.id, "verified", owner.status))
        announce(events)
    return last, len(found)


def last_post_id(store: Store) -> int:
    """Return the newest post's id, where a proof scan starting now begins."""
    with store.read() as conn:
        return int(conn.execute(select(schema.posts.c.id).order_by(
            schema.posts.c.id.desc()).limit(1)).scalar() or 0)


def export_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Yield one row per enrolment for the communications team."""
    from wall.ambassadors.registry import listing

    for item in listing(store):
        _, counted = posts_of(store, item["handles"], limit=0)
        yield {
            "name": item["name"], "team": item["team"], "status": item["status"],
            "handles": " ".join(h["entry"] for h in item["handles"]),
            "charter_version": item["charter_version"], "accepted_at": item["accepted_at"],
            "verified": " ".join(h["entry"] for h in item["handles"] if h["verified"]),
            "posts_counted": counted, "left_at": item["left_at"] or "",
        }
