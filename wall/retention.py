"""[wall] retention_days: a background task that erases what is older than that."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

from wall.ambassadors.erase import expire_enrolments
from wall.erase import expire
from wall.realtime.broadcast import emit_events, socketio
from wall.runtime import Wall

log = logging.getLogger(__name__)
EVERY_SECONDS = 3600.0


def sweep(wall: Wall, media_root: Path, now: datetime | None = None) -> int:
    """Erase what is past retention once and broadcast it; return how many posts and
    enrolments went."""
    days = wall.config.wall.retention_days
    if not days:
        return 0
    now = now or datetime.now(UTC)
    events = expire(wall.store, media_root, days, now)
    emit_events(events)
    if events:
        log.info("retention: erased %d post(s) older than %d days", len(events), days)
    # Enrolments are personal data too: those withdrawn or refused that long ago go.
    enrolments = expire_enrolments(wall.store, days, now)
    if enrolments:
        log.info("retention: erased %d ambassador enrolment(s) left or refused over %d days "
                 "ago", enrolments, days)
    return len(events) + enrolments


def _loop(wall: Wall, media_root: Path) -> None:
    while not wall.stopping.is_set():
        try:
            sweep(wall, media_root)
        except Exception:  # the next sweep tries again; the wall keeps running
            log.exception("retention sweep failed")
        wall.sleep(EVERY_SECONDS)


def start(wall: Wall, media_root: Path) -> None:
    """Start the hourly sweep when [wall] retention_days is set (call from Wall.start)."""
    if wall.config.wall.retention_days:
        socketio.start_background_task(_loop, wall, media_root)
