"""The figures the stats screen shows: read from counters kept with the posts.

The payload's top level is all-time (as before periods existed); `periods` holds the same
figures for "today" and "week" in the wall's timezone, and `sentiment` counts approved
posts by mood (docs/protocol.md).
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, DateTime, bindparam, distinct, func, select, text

from wall import stats_period
from wall.models import HOST_NETWORK
from wall.payloads import iso
from wall.store import Store, counters, schema

SERIES_MINUTES = 60
TOP = 8
log = logging.getLogger(__name__)


# The queries of `compute`, written once: stats go out up to once a second while posts
# arrive, and building them as SQLAlchemy selects cost four times their run (~190 us a
# query against ~50 us as prepared text, 28 queries), all of it on the event loop that
# feeds the screens. Plain SQL that SQLite and PostgreSQL both read.
_STATUS = text("""SELECT "key", "count" FROM stat_counters WHERE kind = 'status'""")
_TOP_ALL = text('SELECT "key", "count" FROM stat_counters WHERE kind = :kind AND "count" > 0 '
                'ORDER BY "count" DESC, "key"')
_TOP = text(_TOP_ALL.text + " LIMIT :limit")
_AUTHORS = text("""SELECT count(*) FROM stat_counters WHERE kind = 'author' AND "count" > 0""")
# The time index bounds this by the last minute's posts; a bare status test would let
# SQLite pick the status index (every approved post) instead.
_PER_MINUTE = text("""SELECT count(*) FROM posts
                      WHERE lower(status) = 'approved' AND received_at >= :since
                      AND network != :host"""
                   ).bindparams(bindparam("since", type_=DateTime), host=HOST_NETWORK)
_MINUTES = text("""SELECT "key", "count" FROM stat_counters
                   WHERE kind = 'minute' AND "key" >= :low""")


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def compute(store: Store, now: datetime | None = None) -> dict[str, Any]:
    """Return the stats payload documented in docs/protocol.md, read from the counters."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    start = _minute(now) - timedelta(minutes=SERIES_MINUTES - 1)
    with store.read() as conn:
        status = {str(k): int(n) for k, n in conn.execute(_STATUS).all()}

        def top(kind: str, limit: int | None = TOP) -> list[tuple[str, int]]:
            rows = (conn.execute(_TOP_ALL, {"kind": kind}) if limit is None
                    else conn.execute(_TOP, {"kind": kind, "limit": limit}))
            return [(str(k), int(n)) for k, n in rows.all()]

        authors = conn.execute(_AUTHORS).scalar() or 0
        per_minute = conn.execute(_PER_MINUTE,
                                  {"since": now - timedelta(seconds=60)}).scalar() or 0
        minutes = {str(k): int(n) for k, n in conn.execute(
            _MINUTES, {"low": counters.minute_key(start)}).all()}
        tags, top_authors = top("tag"), top("author")
        networks, leaders = top("network", None), top("ambassador")
        moods = dict(top("sentiment", None))
        zone = counters.read_settings(conn).zone
        periods = {name: stats_period.figures(conn, name, now, zone)
                   for name in ("today", "week")}
    total = int(status.get("approved", 0))
    posts = int(status.get("ambassador", 0))
    series = [start + timedelta(minutes=i) for i in range(SERIES_MINUTES)]
    return {
        "total": total,
        "authors": int(authors),
        "pending": int(status.get("pending", 0)),
        "ambassador_posts": posts,
        "per_minute": int(per_minute),
        "series": [{"t": iso(t), "count": int(minutes.get(counters.minute_key(t), 0))}
                   for t in series],
        "top_hashtags": [{"tag": t, "count": n} for t, n in tags],
        "top_authors": [_author(k, n) for k, n in top_authors],
        "networks": [{"network": net, "count": n} for net, n in networks],
        "ambassadors": {"posts": posts, "share": round(posts / total, 4) if total else 0.0,
                        "top": [_author(k, n) for k, n in leaders]},
        "sentiment": stats_period.sentiment_counts(moods),
        "timezone": zone.key,
        "periods": periods,
    }


_author = stats_period.author


def prepare(store: Store, timezone: str, language: str) -> None:
    """Keep the counters in the wall's timezone and language (counting again on a change)."""
    with store.begin() as conn:
        if counters.configure(conn, timezone, language, store.dialect):
            log.info("stats counters kept in timezone %s, language %s", timezone, language)


def recount(store: Store, now: datetime | None = None) -> dict[str, Any]:
    """Return the same payload counted from every stored post (slow; for checks and tests)."""
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    p = schema.posts.c
    people = p.network != HOST_NETWORK  # announcements count in nothing (wall.store.counters)
    approved = (p.status == "approved") & people
    start = _minute(now) - timedelta(minutes=SERIES_MINUTES - 1)
    with store.read() as conn:
        total = conn.execute(select(func.count()).where(approved)).scalar() or 0
        authors = conn.execute(
            select(func.count(distinct(p.network + ":" + p.handle + ":" + p.author)))
            .where(approved)).scalar() or 0
        pending = conn.execute(select(func.count()).where(
            p.status == "pending", people)).scalar() or 0
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
        settings = counters.read_settings(conn)
        moods: Counter[str] = Counter(
            counters.score(row, settings) for row in conn.execute(
                select(schema.posts).where(approved)).mappings())
        periods = {name: stats_period.recount(conn, name, now, settings)
                   for name in ("today", "week")}
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
        "sentiment": stats_period.sentiment_counts(moods),
        "timezone": settings.zone.key,
        "periods": periods,
    }


def _ambassadors(conn: Connection, total: int) -> dict[str, Any]:
    """Return the ambassadors' posts, their share of approved posts and their leaderboard."""
    p = schema.posts.c
    mine = (p.status == "approved") & p.ambassador.is_(True) & (p.network != HOST_NETWORK)
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
