"""The wall's timezone: where "today" starts on the stats screen."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wall.configreader import Reader

LOCALTIME = Path("/etc/localtime")


def server_zone() -> str:
    """Return the IANA name of this machine's timezone ($TZ, then /etc/localtime), or UTC.

    Hand-written rather than tzlocal: a wall runs on Linux, where these two places are
    the whole answer, and an explicit `[screens] timezone` wins anyway.
    """
    for name in (os.environ.get("TZ", "").lstrip(":"), _linked_zone()):
        if name and _valid(name):
            return name
    return "UTC"


def _linked_zone() -> str:
    try:
        target = str(LOCALTIME.resolve())
    except OSError:
        return ""
    return target.split("/zoneinfo/", 1)[1] if "/zoneinfo/" in target else ""


def _valid(name: str) -> bool:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def read_timezone(r: Reader, key: str = "timezone") -> str:
    """Read an IANA timezone name such as "Europe/Paris"; empty means the server's."""
    name = r.string(key, "").strip()
    if not name:
        return server_zone()
    if not _valid(name):
        r.problem(key, f'"{name}" is not a timezone name: use one like "Europe/Paris", '
                  '"America/Montreal" or "UTC"')
        return "UTC"
    return name
