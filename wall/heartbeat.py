"""The separate ingest process's heartbeat, kept in the store for every server to read."""

from __future__ import annotations

import json
import logging
import os
import socket
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from wall.store import Store, schema

log = logging.getLogger(__name__)

KEY = "ingest_heartbeat"
INTERVAL = 5.0
STALE_AFTER = 20.0  # four missed beats: the ingest process is down or cannot reach the store


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def beat(store: Store, sources: list[dict[str, Any]]) -> None:
    """Record that ingest is alive now, with its sources' public states."""
    value = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "sources": sources})
    dialect = postgresql if store.dialect == "postgresql" else sqlite
    row = {"key": KEY, "value": value, "updated_at": _now()}
    statement = dialect.insert(schema.wall_state).values(**row)
    statement = statement.on_conflict_do_update(
        index_elements=["key"], set_={"value": value, "updated_at": row["updated_at"]})
    with store.engine.begin() as conn:  # one upsert: concurrent beats never conflict
        conn.execute(statement)


def read(store: Store) -> tuple[float, list[dict[str, Any]]] | None:
    """Return (seconds since the last beat, the sources it reported), None before any beat."""
    with store.read() as conn:
        row = conn.execute(select(schema.wall_state.c.value, schema.wall_state.c.updated_at)
                           .where(schema.wall_state.c.key == KEY)).first()
    if row is None:
        return None
    try:
        sources = list(json.loads(row.value).get("sources", []))
    except (ValueError, AttributeError):
        sources = []
    return (_now() - row.updated_at).total_seconds(), sources


def run(store: Store, sources: Any, stopping: Any, sleep: Any) -> None:
    """Beat every INTERVAL seconds until stopping(); a failed beat is logged and retried."""
    while not stopping():
        try:
            beat(store, sources())
        except Exception:  # the store is down: /healthz on the servers shows it
            log.warning("ingest heartbeat not written", exc_info=True)
        sleep(INTERVAL)
