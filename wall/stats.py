"""The figures the stats screen shows, computed from the store alone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, distinct, func, select

from wall import schema
from wall.payloads import iso
from wall.store import Store

SERIES_MINUTES = 60
TOP = 8


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def compute(store: Store, now: datetime | None = None) -> dict[str, Any]:
    """Return the stats payload documented in docs/protocol.md."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    p = schema.posts.c
    approved = p.status == "approved"
    start = _minute(now) - timedelta(minutes=SERIES_MINUTES - 1)
    with store.read() as conn:
        total = conn.execute(select(func.count()).where(approved)).scalar() or 0
        authors = conn.execute(
            select(func.count(distinct(p.network + ":" + p.handle + ":" + p.author)))
            .where(approved)).scalar() or 0
        pending = conn.execute(select(func.count()).where(p.status == "pending")).scalar() or 0
        per_minute = conn.execute(select(func.count()).where(
            approved, p.received_at >= now - timedelta(seconds=60))).scalar() or 0
        times = conn.execute(select(p.received_at).where(
            approved, p.received_at >= start)).scalars().all()
        tag_count = func.count().label("n")
        tags = conn.execute(
            select(schema.post_tags.c.tag, tag_count)
            .join(schema.posts, schema.posts.c.id == schema.post_tags.c.post_id)
            .where(approved).group_by(schema.post_tags.c.tag)
            .order_by(tag_count.desc(), schema.post_tags.c.tag).limit(TOP)).all()
        author_count = func.count().label("n")
        top_authors = conn.execute(
            select(p.author, p.handle, p.network, author_count).where(approved)
            .group_by(p.author, p.handle, p.network)
            .order_by(author_count.desc(), p.author).limit(TOP)).all()
        net_count = func.count().label("n")
        networks = conn.execute(
            select(p.network, net_count).where(approved).group_by(p.network)
            .order_by(net_count.desc(), p.network)).all()
        ambassadors = _ambassadors(conn, int(total))
    buckets = {start + timedelta(minutes=i): 0 for i in range(SERIES_MINUTES)}
    for moment in times:
        key = _minute(moment)
        if key in buckets:
            buckets[key] += 1
    return {
        "total": int(total),
        "authors": int(authors),
        "pending": int(pending),
        "ambassador_posts": ambassadors["posts"],  # the same figure, for the total tile
        "per_minute": int(per_minute),
        "series": [{"t": iso(t), "count": n} for t, n in buckets.items()],
        "top_hashtags": [{"tag": t, "count": int(n)} for t, n in tags],
        "top_authors": [{"author": a, "handle": h, "network": net, "count": int(n)}
                        for a, h, net, n in top_authors],
        "networks": [{"network": net, "count": int(n)} for net, n in networks],
        "ambassadors": ambassadors,
    }


def _ambassadors(conn: Connection, total: int) -> dict[str, Any]:
    """Return the ambassadors' posts, their share of approved posts and their leaderboard."""
    p = schema.posts.c
    mine = (p.status == "approved") & p.ambassador.is_(True)
    posts = conn.execute(select(func.count()).where(mine)).scalar() or 0
    count = func.count().label("n")
    leaders = conn.execute(
        select(p.author, p.handle, p.network, count).where(mine)
        .group_by(p.author, p.handle, p.network)
        .order_by(count.desc(), p.author).limit(TOP)).all()
    return {
        "posts": int(posts),
        "share": round(posts / total, 4) if total else 0.0,
        "top": [{"author": a, "handle": h, "network": net, "count": int(n)}
                for a, h, net, n in leaders],
    }
