"""Connections: one pooled engine per store, SQLite pragmas set once per connection."""

from __future__ import annotations

import sqlite3
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

POOL_SIZE = 4
POOL_OVERFLOW = 16
# A write waits this long for another process's lock on the SQLite file, then fails.
BUSY_TIMEOUT = 30.0
# ...but SQLite's own wait sleeps inside C, where gevent and eventlet cannot switch: the
# whole server froze while one write waited. SQLite waits at most this slice; the rest
# of the wait is a Python sleep between tries of BEGIN IMMEDIATE, which yields.
BUSY_SLICE = 0.05
READ_ONLY = "socialwall_read_only"  # execution option set by Store.read()


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
                               connect_args={"check_same_thread": False, "timeout": BUSY_SLICE})

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
            if conn.get_execution_options().get(READ_ONLY):
                conn.exec_driver_sql("BEGIN")
            else:
                begin_immediate(conn)

        return engine
    return create_engine(url, pool_pre_ping=True)


def begin_immediate(conn: Connection, timeout: float = BUSY_TIMEOUT) -> None:
    """Take SQLite's write lock, waiting for another writer without blocking the server.

    Past timeout, the last try raises through SQLAlchemy (OperationalError, "database is
    locked"), which the webhook answers with a 503 and the sources retry.
    """
    raw = conn.connection.dbapi_connection
    deadline = time.monotonic() + timeout
    pause = BUSY_SLICE
    while raw is not None and time.monotonic() < deadline:
        try:
            raw.execute("BEGIN IMMEDIATE")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                break  # not a lock: raised below, through SQLAlchemy
        time.sleep(pause)  # patched by gevent and eventlet: other requests run meanwhile
        pause = min(0.5, pause * 2)
    conn.exec_driver_sql("BEGIN IMMEDIATE")
