"""SQLite's WAL checkpoints, run from a real OS thread while the wall serves.

By default SQLite checkpoints inside the commit that grows the write-ahead log past
1,000 pages: that commit copies the log into the database file and fsyncs it. Under
gevent or eventlet a C call cannot yield, so every screen, webhook call and moderator
waited for the disk (a few to tens of milliseconds, every few thousand posts). A serving
wall therefore turns the automatic checkpoint off on its pooled connections and
checkpoints every second from a real thread instead, with its own connection. PASSIVE
mode never waits for readers or writers and never blocks them. CLI commands keep
SQLite's default, and SQLite checkpoints anyway when the last connection closes.

SQLite starts the log again from its beginning only when a checkpoint copied all of it.
Under a steady stream of posts a commit always landed while the checkpoint ran, so the
log never started again: it grew for as long as posts kept coming (1.1 GB after 30 s at
1,200 posts/s), and each write to a new part of the file cost the kernel a page of
zeroes (docs/benchmarks.md, stop 15). The wall's own writers therefore pause for the
checkpoint: it runs between two group commits (wall.grouping.GroupCommit.alone; the
posts arriving meanwhile queue and form the next group), and the log is reused from
its start. Other writers (moderators, other processes) may still land during one: that
round then copies less, the next one all.
Hand-written: neither SQLAlchemy nor the sqlite3 module schedules checkpoints.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event

log = logging.getLogger(__name__)

INTERVAL = 1.0  # seconds between two checkpoints
Offload = Callable[..., Any]
Between = Callable[[Callable[[], Any]], Any]  # runs a task while the wall's writers wait


class Checkpoints:
    """Checkpoint one SQLite database file; `run` loops until the wall stops."""

    def __init__(self, engine: Engine) -> None:
        self.path = str(engine.url.database)
        self.runs = 0  # checkpoints done and pages copied: tests and /metrics read them
        self.pages = 0
        self._conn: sqlite3.Connection | None = None
        self._manual = True  # new pooled connections leave checkpoints to this thread

        @event.listens_for(engine, "connect")
        def _no_auto(dbapi_conn: Any, _record: Any) -> None:
            if self._manual:
                dbapi_conn.execute("PRAGMA wal_autocheckpoint=0")

        # Connections already pooled were opened with the automatic checkpoint: drop them
        # (one in use is closed when it comes back); new ones get the pragma above.
        engine.dispose()

    def once(self) -> tuple[int, int]:
        """Checkpoint what the log holds now; return (pages in the log, pages copied)."""
        if self._conn is None:
            # Used from whichever thread of the pool runs it, one at a time.
            self._conn = sqlite3.connect(self.path, timeout=5, check_same_thread=False,
                                         isolation_level=None)
        busy, logged, copied = self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        self.runs += 1
        self.pages += max(0, copied)
        return logged, copied

    def run(self, off_loop: Offload, sleep: Callable[[float], None],
            stopping: Callable[[], bool], between: Between) -> None:
        """Checkpoint every INTERVAL seconds in a real thread until stopping() is true.

        `between` runs each checkpoint while the wall's writers wait (GroupCommit.alone).
        """
        failing = False
        while not stopping():
            try:
                between(lambda: off_loop(self.once))
                failing = False
            except Exception as exc:  # a full disk, say: writes go on, the log grows
                if not failing:
                    log.warning("could not checkpoint the SQLite log of %s: %s (retrying "
                                "every %.0f s; the -wal file grows meanwhile)",
                                self.path, exc, INTERVAL)
                failing = True
            sleep(INTERVAL)
        self.close()

    def close(self) -> None:
        """Give SQLite back its automatic checkpoint and close the thread's connection."""
        self._manual = False
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def for_engine(engine: Engine) -> Checkpoints | None:
    """Return the checkpointer of a SQLite file database, or None (PostgreSQL, :memory:)."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Checkpoints(engine)
