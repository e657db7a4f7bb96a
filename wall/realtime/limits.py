"""Per-connection rate and size limits on Socket.IO events.

Hand-written on purpose: Flask-Limiter and the `limits` package count HTTP requests
per key in a storage backend, and nothing maintained limits Socket.IO events per
connection. What is needed here is tiny and in-process: a token bucket per socket
(sid) and a cap on a payload's JSON size, checked before a handler does any work.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger(__name__)

# Above python-engineio's own per-message cap (MAX_HTTP_BUFFER) nothing even arrives.
MAX_HTTP_BUFFER = 64 * 1024
MAX_PAYLOAD = 4 * 1024  # bytes of a payload's JSON form; real ones are under 200


@dataclass(frozen=True)
class Rate:
    """A token bucket's shape: `burst` events at once, then one every `every` seconds."""

    burst: int
    every: float


# Screens heartbeat every 15 s and join on (re)connect or after a failed sync (3 s).
HEARTBEAT = Rate(burst=5, every=2.0)
JOIN = Rate(burst=5, every=3.0)


@dataclass
class _Bucket:
    tokens: float
    at: float


@dataclass
class _Socket:
    buckets: dict[str, _Bucket] = field(default_factory=dict)
    over: bool = False  # past a limit: logged once, being disconnected


class Limiter:
    """Token buckets per (namespace, sid) and kind of event; forget a socket on disconnect."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._sockets: dict[tuple[str, str], _Socket] = {}
        self._lock = threading.Lock()

    def allow(self, namespace: str, sid: str, kind: str, rate: Rate) -> bool:
        """Take a token for this socket's `kind` of event; False once the bucket is empty."""
        now = self._clock()
        with self._lock:
            sock = self._sockets.setdefault((namespace, sid), _Socket())
            if sock.over:
                return False
            bucket = sock.buckets.setdefault(kind, _Bucket(float(rate.burst), now))
            bucket.tokens = min(float(rate.burst), bucket.tokens + (now - bucket.at) / rate.every)
            bucket.at = now
            if bucket.tokens < 1.0:
                return False
            bucket.tokens -= 1.0
            return True

    def mark_over(self, namespace: str, sid: str) -> bool:
        """Flag a socket as past its limits; True only the first time (log it once)."""
        with self._lock:
            sock = self._sockets.setdefault((namespace, sid), _Socket())
            first, sock.over = not sock.over, True
            return first

    def forget(self, namespace: str, sid: str) -> None:
        """Drop a disconnected socket's buckets."""
        with self._lock:
            self._sockets.pop((namespace, sid), None)

    def tracked(self) -> int:
        """Return how many sockets have buckets (for tests and metrics)."""
        with self._lock:
            return len(self._sockets)


def too_big(data: Any, cap: int = MAX_PAYLOAD) -> bool:
    """Tell whether a payload's JSON form is over cap bytes (unserialisable counts as over)."""
    if data is None or isinstance(data, (bool, int, float)):
        return False
    try:
        return len(json.dumps(data, separators=(",", ":")).encode("utf-8", "replace")) > cap
    except (TypeError, ValueError, RecursionError):
        return True


limiter = Limiter()
