"""Connections: one pooled engine per store, SQLite pragmas set once per connection."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

POOL_SIZE = 4
POOL_OVERFLOW = 16


def naive_utc(moment: datetime) -> datetime:
    if moment.tzinfo is not None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and immediate write locks."""
    if url.startswith("sqlite"):
        # Kept connections (pool), pragmas once per connection: a new connection per
        # transaction cost an open, the pragmas and a WAL checkpoint with fsync at close.
        engine = create_engine(url, poolclass=QueuePool, pool_size=POOL_SIZE,
                               max_overflow=POOL_OVERFLOW, pool_timeout=60,
                               connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None
            cursor = dbapi_conn.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            conn.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    return create_engine(url, pool_pre_ping=True)
