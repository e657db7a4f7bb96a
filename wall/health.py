"""What /healthz checks: the database, the message queue, the ingest process, the sources."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from wall import heartbeat
from wall.runtime import Wall

log = logging.getLogger(__name__)

PROBE_TIMEOUT = 1  # seconds per probe (database, Redis): /healthz answers within two seconds
PUBLIC_KEYS = ("state", "failures", "last_post_at", "posts")  # no URLs, hosts or errors
RUNNING = ("starting", "ok", "degraded", "down", "paused", "stopped")


@dataclass
class Health:
    """The outcome of every check: reasons make it unhealthy."""

    reasons: list[str] = field(default_factory=list)
    database: str = "ok"
    queue: str | None = None
    ingest: str | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)


def database_ok(wall: Wall) -> bool:
    """Return True when the database answers within PROBE_TIMEOUT (about)."""
    if wall.store.dialect != "postgresql":
        return wall.store.ping()
    # A probe engine of its own: the store's pool would wait for the server's TCP timeout.
    probe = create_engine(wall.store.engine.url, poolclass=NullPool, connect_args={
        "connect_timeout": max(PROBE_TIMEOUT, 2),  # libpq's smallest
        "options": f"-c statement_timeout={PROBE_TIMEOUT * 1000}"})
    try:
        with probe.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception as exc:  # any driver error means "down"; the reason is logged
        log.warning("health: database down: %s", exc)
        return False
    finally:
        probe.dispose()


def queue_ok(url: str) -> bool:
    """Return True when the Redis message queue answers a PING."""
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=PROBE_TIMEOUT,
                                  socket_timeout=PROBE_TIMEOUT)
    try:
        return bool(client.ping())
    except redis.RedisError as exc:
        log.warning("health: message queue down: %s", exc)
        return False
    finally:
        client.close()


def public_sources(wall: Wall, *, detailed: bool = False) -> list[dict[str, Any]]:
    """Return each configured source with its state; `detailed` adds errors, for moderators."""
    out = []
    for conf in wall.config.sources:
        entry: dict[str, Any] = {"name": conf.name, "type": conf.type, "enabled": conf.enabled}
        runner = next((r for r in wall.runners if r.source.name == conf.name), None)
        if runner is not None:
            shown = runner.health.as_dict()
            entry.update(shown if detailed else {key: shown[key] for key in PUBLIC_KEYS})
        else:
            entry["state"] = "passive" if conf.enabled else "disabled"
        out.append(entry)
    return out


def check(wall: Wall, separate_ingest: bool) -> Health:
    """Run every check; a server whose sources run in `socialwall ingest` reads its beat."""
    health = Health(sources=public_sources(wall))
    if not database_ok(wall):
        health.database = "down"
        health.reasons.append("database: not answering")
    if wall.config.server.message_queue:
        health.queue = "ok" if queue_ok(wall.config.server.message_queue) else "down"
        if health.queue == "down":
            health.reasons.append("message queue: Redis not answering")
    if separate_ingest and health.database == "ok":
        _check_ingest(wall, health)
    active = [s for s in health.sources if s["state"] in RUNNING]
    if active and all(s["state"] == "down" for s in active):
        health.reasons.append("sources: every source is down")
    return health


def _check_ingest(wall: Wall, health: Health) -> None:
    """Read the ingest process's beat: its age, and the states of the sources it runs."""
    beat = heartbeat.read(wall.store)
    if beat is None or beat[0] > heartbeat.STALE_AFTER:
        health.ingest = "down"
        health.reasons.append("ingest: no heartbeat from `socialwall ingest` for "
                              f"{heartbeat.STALE_AFTER:.0f} s" if beat is None else
                              f"ingest: last heartbeat {beat[0]:.0f} s ago")
        return
    health.ingest = "ok"
    states = {s.get("name"): s for s in beat[1] if isinstance(s, dict)}
    for entry in health.sources:
        reported = states.get(entry["name"])
        if reported is not None and entry["state"] in ("passive", "disabled"):
            entry.update({key: reported[key] for key in PUBLIC_KEYS if key in reported})
