"""Stats counters kept with the posts: each transaction adjusts what its posts add.

A post adds a fixed set of (kind, key) pairs to `stat_counters` (its status; when
approved, its minute, network, author, hashtags, ambassadorship and sentiment, and the
same again bucketed by the wall's local day, so "today" and "this week" are a few rows).
`stat_posts` remembers the pairs each post adds now; after a transaction changed posts,
the difference is applied in that same transaction, so stats never drift from the posts
and their cost does not grow with the number of stored posts.

Rows of kind "meta" are settings, not counts: the counters' layout version, the wall's
timezone (where a local day starts) and its language (for posts without one).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from functools import cache, lru_cache
from typing import Any
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from wall import sentiment
from wall.models import HOST_NETWORK
from wall.store import raw, schema

Pair = tuple[str, str]
CHUNK = 500
META = "meta"
# 1: all-time kinds only (0004); 2: day-bucketed kinds and sentiment; 3: the organisers'
# announcements count in nothing (a database counted in another layout is counted again
# once, at the next start).
LAYOUT = 3
MEMO = "~sentiment"  # kept in stat_posts only: the label and a digest of the text it scored
DAY_KINDS = ("day", "hour", "day_network", "day_tag", "day_author", "day_ambassadors",
             "day_ambassador", "day_sentiment")


class Settings:
    """Where local days start and which language a post without one is scored in."""

    def __init__(self, zone: ZoneInfo | None = None, language: str = "en") -> None:
        self.zone = zone or ZoneInfo("UTC")
        self.language = language


KEY_MAX = 700  # stat_counters.key


def minute_key(moment: datetime) -> str:
    """Return the counter key of a minute: ISO 8601 without seconds, sortable as text."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def day_key(moment: datetime, zone: ZoneInfo) -> str:
    """Return the local day (YYYY-MM-DD) of a naive UTC moment in the wall's timezone."""
    return moment.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d")


def hour_key(moment: datetime, zone: ZoneInfo) -> str:
    """Return the local hour (YYYY-MM-DDTHH) of a naive UTC moment."""
    return moment.replace(tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%dT%H")


@lru_cache(maxsize=256)
def _time_keys(moment: datetime, tz: tzinfo | None, zone: ZoneInfo) -> tuple[str, str, str]:
    """Return (minute, day, hour) keys: a batch's posts share their received time.

    tz is part of the cache key: equal instants in two timezones are equal datetimes.
    """
    return minute_key(moment), day_key(moment, zone), hour_key(moment, zone)


@lru_cache(maxsize=4096)  # the authors of a wall's posts repeat: one encoding each
def author_key(author: str, handle: str, network: str) -> str:
    """Return the counter key of an author as the stats screen groups them."""
    key = json.dumps([author, handle or "", network], ensure_ascii=False)
    if len(key) > KEY_MAX:
        # Only names full of quotes or backslashes get here (a post's names are at most
        # 300 characters, models.FITS); the stats group those by their first 150.
        key = json.dumps([author[:150], (handle or "")[:150], network[:30]], ensure_ascii=False)
    return key


def text_digest(text: str) -> str:
    """Return a short digest of a post's text: an edit scores the post again."""
    return hashlib.sha256(text.encode("utf-8", "replace")).hexdigest()[:16]


def score(row: Any, settings: Settings, memo: str | None = None) -> str:
    """Return the post's sentiment label, reusing the memo when its text is unchanged."""
    digest = text_digest(str(row["text"] or ""))
    if memo and memo.startswith(digest + ":"):
        return memo.split(":", 1)[1]
    return sentiment.label(str(row["text"] or ""), row["language"], settings.language)


def pairs(row: Any, settings: Settings | None = None, label: str | None = None) -> list[Pair]:
    """Return what one posts row adds to the counters (an announcement: nothing)."""
    if row["network"] == HOST_NETWORK:
        return []
    settings = settings or Settings()
    out: list[Pair] = [("status", str(row["status"]))]
    if row["status"] != "approved":
        return out
    author = author_key(row["author"], row["handle"], row["network"])
    moment = row["received_at"]
    label = label or score(row, settings)
    tags = list(dict.fromkeys(t[:200] for t in json.loads(row["hashtags_json"] or "[]")))
    minute, day, hour = _time_keys(moment, moment.tzinfo, settings.zone)
    out += [("minute", minute), ("network", str(row["network"])),
            ("author", author), ("sentiment", label)]
    out += [("tag", t) for t in tags]
    short = author_key(row["author"][:200], (row["handle"] or "")[:200], row["network"])
    out += [("day", day), ("hour", hour),
            ("day_network", f"{day}|{row['network']}"), ("day_author", f"{day}|{short}"),
            ("day_sentiment", f"{day}|{label}")]
    out += [("day_tag", f"{day}|{t}") for t in tags]
    if row["ambassador"]:
        out += [("ambassador", author), ("status", "ambassador"),
                ("day_ambassadors", day), ("day_ambassador", f"{day}|{short}")]
    return out


# The counting settings change only when the wall's timezone or language changes
# (configure, at start, in the same process): re-read at most every META_TTL seconds
# instead of once per transaction (a read of its own in every write: ~10 % of a single
# post's store time in the profile).
META_TTL = 30.0
_meta_cache: WeakKeyDictionary[Engine, tuple[float, Settings]] = WeakKeyDictionary()


def read_settings(conn: Connection, meta: dict[str, str] | None = None) -> Settings:
    """Return the timezone and language the counters are kept in (UTC and English if unset)."""
    meta = _meta(conn) if meta is None else meta
    try:
        zone = ZoneInfo(meta.get("timezone", "UTC"))
    except (ValueError, KeyError):  # a zone this machine's tz database lacks: count in UTC
        zone = ZoneInfo("UTC")
    return Settings(zone, meta.get("language", "en"))


def _meta(conn: Connection) -> dict[str, str]:
    c = schema.stat_counters.c
    keys = conn.execute(select(c.key).where(c.kind == META)).scalars().all()
    return dict(str(k).partition("=")[::2] for k in keys)


def _set_meta(conn: Connection, name: str, value: str) -> None:
    _meta_cache.pop(conn.engine, None)
    c = schema.stat_counters.c
    conn.execute(delete(schema.stat_counters).where(c.kind == META, c.key.like(f"{name}=%")))
    conn.execute(insert(schema.stat_counters).values(kind=META, key=f"{name}={value}", count=1))


def configure(conn: Connection, timezone: str, language: str, dialect: str) -> bool:
    """Keep the counters in this timezone and language; count again if they changed."""
    meta = _meta(conn)
    if meta.get("timezone") == timezone and meta.get("language") == language:
        return False
    _set_meta(conn, "timezone", timezone)
    _set_meta(conn, "language", language)
    rebuild(conn, dialect)
    return True


def apply(conn: Connection, post_ids: Iterable[int], dialect: str) -> None:
    """Bring the counters of these posts up to date inside the open transaction."""
    ids = sorted(set(post_ids))
    if not ids:
        return
    settings = _settings_for_counting(conn)
    delta: Counter[Pair] = Counter()
    for first in range(0, len(ids), CHUNK):
        chunk = ids[first:first + CHUNK]
        before = dict(conn.execute(select(schema.stat_posts.c.post_id,
                                          schema.stat_posts.c.counted_json)
                                   .where(schema.stat_posts.c.post_id.in_(chunk))).all())
        rows = conn.execute(select(schema.posts).where(schema.posts.c.id.in_(chunk))
                            ).mappings().all()
        seen = []
        for row in rows:
            old_list = [tuple(p) for p in json.loads(before.get(row["id"], "[]"))]
            memo = next((str(p[1]) for p in old_list if p[0] == MEMO), None)
            now, kept = _counted(row, settings, memo)
            delta.update(now)
            delta.subtract(p for p in old_list if p[0] != MEMO)
            seen.append({"post_id": row["id"],
                         "counted_json": json.dumps(kept, ensure_ascii=False)})
        for gone in set(before) - {row["id"] for row in rows}:  # erased: take its share out
            delta.subtract(tuple(p) for p in json.loads(before[gone]) if p[0] != MEMO)
        if before:
            conn.execute(delete(schema.stat_posts).where(
                schema.stat_posts.c.post_id.in_(list(before))))
        if seen:
            conn.execute(insert(schema.stat_posts), seen)
    add(conn, delta, dialect)


def add_new(conn: Connection, rows: Sequence[Mapping[str, Any]], dialect: str) -> None:
    """Count posts never counted before from the rows in hand (no read back): a batch's.

    The same effect as `apply` for new posts, without reading them again.
    """
    if not rows:
        return
    settings = _settings_for_counting(conn)
    delta: Counter[Pair] = Counter()
    seen = []
    for row in rows:
        now, kept = _counted(row, settings, None)
        delta.update(now)
        seen.append({"post_id": row["id"], "counted_json": json.dumps(kept, ensure_ascii=False)})
    raw.insert_rows(conn, schema.stat_posts, seen)  # the DB-API cursor on SQLite
    add(conn, delta, dialect)


def _settings_for_counting(conn: Connection) -> Settings:
    """Return the counting settings; mark a new database as counted in this layout."""
    hit = _meta_cache.get(conn.engine)
    if hit is not None and time.monotonic() - hit[0] < META_TTL:
        return hit[1]
    meta = _meta(conn)
    if "layout" in meta:  # a settled database: keep its settings a while
        settings = read_settings(conn, meta)
        _meta_cache[conn.engine] = (time.monotonic(), settings)
        return settings
    if "layout" not in meta and not conn.execute(select(schema.stat_posts.c.post_id).limit(1)
                                                 ).first():
        _set_meta(conn, "layout", str(LAYOUT))  # a new database: counted in this layout
    return read_settings(conn, meta)


def _counted(row: Any, settings: Settings, memo: str | None) -> tuple[list[Pair], list[Any]]:
    """Return what a post adds now, and what stat_posts keeps of it (with its score's memo)."""
    label = score(row, settings, memo) if row["status"] == "approved" else None
    now = pairs(row, settings, label)
    if label:
        memo = f"{text_digest(str(row['text'] or ''))}:{label}"
    return now, now + ([(MEMO, memo)] if memo else [])


_SQLITE_ADD = ('INSERT INTO "stat_counters" ("kind", "key", "count") VALUES (?, ?, ?) '
               'ON CONFLICT ("kind", "key") DO UPDATE SET "count" = "count" + excluded."count"')


@cache
def _upsert(dialect: str) -> Any:
    """Return the counters' upsert, built once (building it cost more than running it)."""
    table = schema.stat_counters
    stmt: Any = sqlite.insert(table) if dialect == "sqlite" else postgresql.insert(table)
    return stmt.on_conflict_do_update(index_elements=["kind", "key"],
                                      set_={"count": table.c.count + stmt.excluded.count})


def add(conn: Connection, delta: Mapping[Pair, int], dialect: str) -> None:
    """Add the deltas to the counters (an upsert per changed pair, in one statement)."""
    rows = [{"kind": k, "key": key[:700], "count": n} for (k, key), n in delta.items() if n]
    if not rows:
        return
    table = schema.stat_counters
    if dialect == "sqlite":  # the DB-API cursor: wall.store.raw says why
        raw.execute_many(conn, _SQLITE_ADD, [(r["kind"], r["key"], r["count"]) for r in rows])
        return
    if dialect == "postgresql":
        conn.execute(_upsert(dialect), rows)
        return
    for row in rows:  # another database: read, then write
        found = conn.execute(select(table.c.count).where(
            table.c.kind == row["kind"], table.c.key == row["key"])).scalar()
        if found is None:
            conn.execute(insert(table).values(**row))
        else:
            conn.execute(table.update().where(table.c.kind == row["kind"],
                                              table.c.key == row["key"])
                         .values(count=found + row["count"]))


def rebuild(conn: Connection, dialect: str) -> None:
    """Count every stored post again from scratch (a database from before these counters)."""
    conn.execute(delete(schema.stat_counters).where(schema.stat_counters.c.kind != META))
    conn.execute(delete(schema.stat_posts))
    _set_meta(conn, "layout", str(LAYOUT))
    last = 0
    while True:
        ids = conn.execute(select(schema.posts.c.id).where(schema.posts.c.id > last)
                           .order_by(schema.posts.c.id).limit(CHUNK)).scalars().all()
        if not ids:
            return
        apply(conn, ids, dialect)
        last = ids[-1]


def needs_rebuild(conn: Connection) -> bool:
    """Return True when posts were never counted, or counted in an older layout."""
    if conn.execute(select(schema.posts.c.id).limit(1)).first() is None:
        return False  # nothing to count (a new database takes the layout with its first post)
    if _meta(conn).get("layout") != str(LAYOUT):
        return True
    return not conn.execute(select(schema.stat_posts.c.post_id).limit(1)).first()
