"""The stats of one period ("today", "week"): read from the day-bucketed counters.

"today" starts at the wall's local midnight; "week" is the last seven local days, today
included (a rolling week: Monday morning is not a fresh, empty wall). A period reads a
few rows per day and per name, never the posts themselves.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, select, text

from wall.models import HOST_NETWORK
from wall.payloads import iso
from wall.store import counters, schema

PERIODS = ("today", "week", "all")
DAYS = {"today": 1, "week": 7}
TOP = 8


@dataclass(frozen=True)
class Window:
    """The local days of a period and the UTC moment its first day began."""

    days: tuple[str, ...]  # local YYYY-MM-DD, oldest first
    since: datetime  # naive UTC
    zone: ZoneInfo

    @property
    def low(self) -> str:
        """Return the smallest counter key of the period."""
        return self.days[0]

    @property
    def high(self) -> str:
        """Return the first counter key after the period (the day after, as text)."""
        return _next_day(self.days[-1])


def _next_day(day: str) -> str:
    return (datetime.strptime(day, "%Y-%m-%d") + timedelta(days=1)).strftime("%Y-%m-%d")


def _local_midnight(day: str, zone: ZoneInfo) -> datetime:
    """Return the naive UTC moment a local day begins."""
    local = datetime.combine(datetime.strptime(day, "%Y-%m-%d").date(), time(), tzinfo=zone)
    return local.astimezone(UTC).replace(tzinfo=None)


def window(period: str, now: datetime, zone: ZoneInfo) -> Window:
    """Return the local days a period covers at `now` (naive UTC)."""
    today = now.replace(tzinfo=UTC).astimezone(zone).date()
    days = tuple((today - timedelta(days=n)).isoformat()
                 for n in reversed(range(DAYS[period])))
    return Window(days, _local_midnight(days[0], zone), zone)


def chart(win: Window, now: datetime, per_key: dict[str, int]) -> list[dict[str, Any]]:
    """Return the period's chart: hours since local midnight today, days for a week."""
    if len(win.days) > 1:
        return [{"t": iso(_local_midnight(d, win.zone)), "count": per_key.get(d, 0)}
                for d in win.days]
    points: dict[str, datetime] = {}
    moment = win.since
    while moment <= now:  # step UTC hours: a DST change gives 23 or 25 local hours
        points.setdefault(counters.hour_key(moment, win.zone), moment)
        moment += timedelta(hours=1)
    return [{"t": iso(t), "count": per_key.get(k, 0)} for k, t in points.items()]


def author(key: str, count: int) -> dict[str, Any]:
    """Return an author row of a top list from its counter key."""
    try:
        name, handle, network = json.loads(key)
    except (ValueError, TypeError):  # a key cut at the column's length: show what is left
        name, handle, network = key, "", ""
    return {"author": name, "handle": handle, "network": network, "count": count}


# A period's queries, written once as plain SQL (SQLite and PostgreSQL): wall.stats says
# why. substr(key, 12) is the name after "YYYY-MM-DD|".
_IN_DAYS = """kind = :kind AND "key" >= :low AND "key" < :high"""
_TOP_ALL = text(f"""SELECT substr("key", 12) AS name, sum("count") AS n FROM stat_counters
                    WHERE {_IN_DAYS} GROUP BY substr("key", 12) HAVING sum("count") > 0
                    ORDER BY sum("count") DESC, substr("key", 12)""")
_TOP = text(_TOP_ALL.text + " LIMIT :limit")
_PER_KEY = text(f"""SELECT "key", "count" FROM stat_counters WHERE {_IN_DAYS}""")
_AUTHORS = text("""SELECT count(DISTINCT substr("key", 12)) FROM stat_counters
                   WHERE kind = 'day_author' AND "key" >= :low AND "key" < :high
                   AND "count" > 0""")


def figures(conn: Connection, period: str, now: datetime, zone: ZoneInfo) -> dict[str, Any]:
    """Return the stats of a period from the day counters (cost: the period's rows)."""
    win = window(period, now, zone)
    days_of = {"low": win.low, "high": win.high}

    def top(kind: str, limit: int | None = TOP) -> list[tuple[str, int]]:
        rows = (conn.execute(_TOP_ALL, {"kind": kind, **days_of}) if limit is None
                else conn.execute(_TOP, {"kind": kind, "limit": limit, **days_of}))
        return [(str(k), int(n)) for k, n in rows.all()]

    def per_key(kind: str) -> dict[str, int]:
        return {str(k): int(n) for k, n in conn.execute(_PER_KEY, {"kind": kind, **days_of})}

    days = per_key("day")
    hours = per_key("hour") if period == "today" else days
    total = sum(days.values())
    authors = conn.execute(_AUTHORS, days_of).scalar() or 0
    ambassador_posts = sum(per_key("day_ambassadors").values())
    moods = Counter({k: n for k, n in top("day_sentiment", None)})
    return assemble(win, now, total=total, authors=int(authors), chart_keys=hours,
                    tags=top("day_tag"), top_authors=top("day_author"),
                    networks=top("day_network", None), ambassador_posts=ambassador_posts,
                    leaders=top("day_ambassador"), moods=moods)


def assemble(win: Window, now: datetime, *, total: int, authors: int,
             chart_keys: dict[str, int], tags: list[tuple[str, int]],
             top_authors: list[tuple[str, int]], networks: list[tuple[str, int]],
             ambassador_posts: int, leaders: list[tuple[str, int]],
             moods: Counter[str]) -> dict[str, Any]:
    """Return a period's payload (the same shape whether counted fast or slowly)."""
    return {
        "period": "today" if len(win.days) == 1 else "week",
        "since": iso(win.since),
        "total": total,
        "authors": authors,
        "ambassador_posts": ambassador_posts,
        "unit": "hour" if len(win.days) == 1 else "day",
        "series": chart(win, now, chart_keys),
        "top_hashtags": [{"tag": t, "count": n} for t, n in tags],
        "top_authors": [author(k, n) for k, n in top_authors],
        "networks": [{"network": net, "count": n} for net, n in networks],
        "ambassadors": {"posts": ambassador_posts,
                        "share": round(ambassador_posts / total, 4) if total else 0.0,
                        "top": [author(k, n) for k, n in leaders]},
        "sentiment": sentiment_counts(moods),
    }


def sentiment_counts(moods: Counter[str] | dict[str, int]) -> dict[str, int]:
    """Return the approved posts counted by sentiment label, every label present."""
    return {label: int(moods.get(label, 0)) for label in ("positive", "neutral", "negative")}


def recount(conn: Connection, period: str, now: datetime,
            settings: counters.Settings) -> dict[str, Any]:
    """Return the same figures counted from the posts themselves (slow; for checks)."""
    win = window(period, now, settings.zone)
    p = schema.posts.c
    rows = conn.execute(select(schema.posts).where(
        p.status == "approved", p.network != HOST_NETWORK,
        p.received_at >= win.since)).mappings().all()
    found: dict[str, Counter[str]] = {k: Counter() for k in (
        "chart", "tag", "author", "network", "ambassador", "mood")}
    ambassador_posts = 0
    for row in rows:
        if counters.day_key(row["received_at"], settings.zone) not in win.days:
            continue
        key = counters.author_key(row["author"][:200], (row["handle"] or "")[:200],
                                  row["network"])
        unit = (counters.hour_key if period == "today" else counters.day_key)
        found["chart"][unit(row["received_at"], settings.zone)] += 1
        found["tag"].update(list(dict.fromkeys(
            t[:200] for t in json.loads(row["hashtags_json"] or "[]"))))
        found["author"][key] += 1
        found["network"][str(row["network"])] += 1
        found["mood"][counters.score(row, settings)] += 1
        if row["ambassador"]:
            ambassador_posts += 1
            found["ambassador"][key] += 1

    def ranked(kind: str, limit: int | None = TOP) -> list[tuple[str, int]]:
        return sorted(found[kind].items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    return assemble(win, now, total=sum(found["network"].values()),
                    authors=len(found["author"]), chart_keys=dict(found["chart"]),
                    tags=ranked("tag"), top_authors=ranked("author"),
                    networks=ranked("network", None), ambassador_posts=ambassador_posts,
                    leaders=ranked("ambassador"), moods=found["mood"])
