"""The wall's schedule: `[wall] starts_at` and `ends_at`, and what each phase means."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from wall.configreader import Reader

if TYPE_CHECKING:
    from wall.config import WallConfig

BEFORE, LIVE, AFTER = "before", "live", "after"
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Return the current time, aware, in UTC."""
    return datetime.now(UTC)


def _moment(r: Reader, key: str) -> datetime | None:
    """Read an ISO 8601 date-time with an offset, quoted or as a TOML date-time."""
    value = r.value(key)
    if value is None:
        return None
    example = '"2026-06-04T09:00:00+02:00"'
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            r.problem(key, f"must be a date and time like {example} (got \"{value}\")")
            return None
    if not isinstance(value, datetime):
        r.problem(key, f"must be a date and time like {example}")
        return None
    if value.tzinfo is None:
        r.problem(key, "needs its offset from UTC, e.g. +02:00 for Paris in summer or Z for "
                  f"UTC: {example}")
        return None
    return value


def read_schedule(r: Reader) -> tuple[datetime | None, datetime | None]:
    """Read starts_at and ends_at of [wall]; ends_at must come after starts_at."""
    starts, ends = _moment(r, "starts_at"), _moment(r, "ends_at")
    if starts and ends and ends <= starts:
        r.problem("ends_at", "must come after starts_at")
        return starts, None
    return starts, ends


def phase(starts: datetime | None, ends: datetime | None, now: datetime) -> str:
    """Return "before" the start, "after" the end, else "live"."""
    if starts is not None and now < starts:
        return BEFORE
    if ends is not None and now >= ends:
        return AFTER
    return LIVE


def sources_stopper(ends: datetime | None, stopping: Callable[[], bool],
                    clock: Clock = utc_now) -> Callable[[], bool]:
    """Return a `stopping()` for source runners that also turns true at the wall's end."""
    if ends is None:
        return stopping
    return lambda: stopping() or clock() >= ends


def has_ended(config: WallConfig) -> bool:
    """Tell whether the wall's [wall] ends_at has passed: its sources stay stopped."""
    return phase(config.wall.starts_at, config.wall.ends_at, utc_now()) == AFTER
