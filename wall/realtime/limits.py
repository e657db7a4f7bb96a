"""Rate and size limits on Socket.IO: per connection on events, per address on connections.

Hand-written on purpose: Flask-Limiter and the `limits` package count HTTP requests
per key in a storage backend, and nothing maintained limits Socket.IO events per
connection. What is needed here is tiny and in-process: a token bucket per socket
(sid) and a cap on a payload's JSON size, checked before a handler does any work;
and, at Engine.IO's connect (below every namespace), a cap on the connections open
at once and a token bucket of new connections per client address, so that
reconnecting does not buy a fresh event bucket.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from wall.config import ServerSection

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

REFUSED_LOG_EVERY = 60.0  # seconds: a refused address is logged once a minute
SWEEP_OVER = 4096  # addresses remembered before idle ones are swept out
TOO_MANY = "too many connections from your address; try again in a minute"


@dataclass
class _Address:
    sids: set[str] = field(default_factory=set)
    tokens: float = 0.0
    at: float = 0.0
    logged_at: float = float("-inf")


class Connections:
    """Socket.IO connections per client address: `most` open at once, `per_minute` new."""

    def __init__(self, most: int, per_minute: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.most, self.per_minute = most, per_minute
        self._clock = clock
        self._addresses: dict[str, _Address] = {}
        self._owner: dict[str, str] = {}  # sid -> address
        self._lock = threading.Lock()

    def admit(self, sid: str, address: str, alive: Callable[[str], bool]) -> str | None:
        """Count a new connection; return why it is refused, or None to let it in."""
        now = self._clock()
        with self._lock:
            entry = self._addresses.get(address)
            if entry is None:
                if len(self._addresses) >= SWEEP_OVER:
                    self._sweep(now)
                entry = self._addresses[address] = _Address(tokens=float(self.per_minute),
                                                            at=now)
            entry.sids = {s for s in entry.sids if alive(s)}  # a missed disconnect heals
            if self.per_minute:
                entry.tokens = min(float(self.per_minute),
                                   entry.tokens + (now - entry.at) * self.per_minute / 60.0)
                entry.at = now
            why = None
            if self.most and len(entry.sids) >= self.most:
                why = f"{len(entry.sids)} open at once (at most {self.most})"
            elif self.per_minute and entry.tokens < 1.0:
                why = f"over {self.per_minute} new connections a minute"
            if why is None:
                entry.tokens -= 1.0 if self.per_minute else 0.0
                entry.sids.add(sid)
                self._owner[sid] = address
                return None
            log_it = now - entry.logged_at >= REFUSED_LOG_EVERY
            if log_it:
                entry.logged_at = now
        if log_it:
            log.warning("refusing Socket.IO connections from %s: %s (logged once a minute "
                        "per address; [server] socket_connections_per_address and "
                        "socket_connects_per_minute)", address, why)
        return why

    def leave(self, sid: str) -> None:
        """Forget a closed connection."""
        with self._lock:
            address = self._owner.pop(sid, None)
            entry = self._addresses.get(address) if address is not None else None
            if entry is not None:
                entry.sids.discard(sid)

    def open(self, address: str) -> int:
        """Return how many connections an address has open (for tests and metrics)."""
        with self._lock:
            entry = self._addresses.get(address)
            return len(entry.sids) if entry else 0

    def _sweep(self, now: float) -> None:
        """Drop addresses with nothing open whose bucket has refilled (lock held)."""
        refill = 60.0 if self.per_minute else 0.0
        for address in [a for a, e in self._addresses.items()
                        if not e.sids and now - e.at >= refill
                        and now - e.logged_at >= REFUSED_LOG_EVERY]:
            del self._addresses[address]


def init_app(app: Flask, server: ServerSection) -> None:
    """Limit Socket.IO connections per client address at Engine.IO's connect.

    Wraps the connect and disconnect handlers python-socketio registers on its Engine.IO
    server (as python-socketio's own admin instrumentation does), so every namespace is
    covered and a refused client gets a 401 before any handler runs. The address is
    REMOTE_ADDR, which ProxyFix (`[server] proxies`) has already set from X-Forwarded-For.
    """
    from wall.realtime.broadcast import socketio

    connections = Connections(server.socket_connections_per_address,
                              server.socket_connects_per_minute)
    app.extensions["socialwall.connections"] = connections
    if not connections.most and not connections.per_minute:
        return
    eio = socketio.server.eio
    connect, disconnect = eio.handlers["connect"], eio.handlers["disconnect"]

    def on_connect(sid: str, environ: dict[str, Any]) -> Any:
        address = str(environ.get("REMOTE_ADDR") or "unknown")
        if connections.admit(sid, address, lambda other: other in eio.sockets) is not None:
            return TOO_MANY
        accepted = connect(sid, environ)
        if accepted is not None and accepted is not True:
            connections.leave(sid)
        return accepted

    def on_disconnect(sid: str, *reason: Any) -> Any:
        try:
            return disconnect(sid, *reason)
        finally:
            connections.leave(sid)

    eio.on("connect", on_connect)
    eio.on("disconnect", on_disconnect)
