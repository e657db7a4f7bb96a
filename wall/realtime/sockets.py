"""Socket.IO handlers: screens and moderators join, sync and send heartbeats."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, request
from flask_socketio import ConnectionRefusedError, disconnect, join_room, leave_room

from wall import auth, stats
from wall.desk import is_paused
from wall.realtime.broadcast import (
    FIGURES_ROOM,
    FIGURES_SCREENS,
    MODERATORS_ROOM,
    SCREENS_ROOM,
    moderators_ns,
    screens_ns,
    socketio,
)
from wall.realtime.limits import HEARTBEAT, JOIN, MAX_PAYLOAD, Rate, limiter, too_big
from wall.runtime import get_wall
from wall.store import MODERATORS, PUBLIC
from wall.web.screens import SCREENS, clamp_options

log = logging.getLogger(__name__)

SNAPSHOT_POSTS = 60
SNAPSHOT_HIGHLIGHTS = 30
SNAPSHOT_PENDING = 200
SNAPSHOT_MAX_AGE = 2.0  # seconds a joining screen may get cached figures at the same seq
_cache_lock = threading.Lock()
# Screens that sent a valid join_screen on this connection: sid -> (page, name).
_joined: dict[str, tuple[str, str]] = {}
_joined_lock = threading.Lock()
Handler = Callable[[Any], dict[str, Any]]


def _sid() -> str:
    """Return the current socket's id."""
    return str(request.sid)  # type: ignore[attr-defined]


def _namespace() -> str:
    """Return the current socket's namespace."""
    return str(request.namespace)  # type: ignore[attr-defined]


def limited(namespace: str, kind: str, rate: Rate, handler: Handler) -> Handler:
    """Wrap an event handler: a socket past its rate or size limit is refused and dropped."""
    def guarded(data: Any = None) -> dict[str, Any]:
        sid = _sid()
        if not limiter.allow(namespace, sid, kind, rate):
            why = f"too many {kind} events"
        elif too_big(data):
            why = f"{kind} payload over {MAX_PAYLOAD} bytes"
        else:
            return handler(data)
        if limiter.mark_over(namespace, sid):
            log.warning("disconnecting socket %s on %s from %s: %s", sid, namespace,
                        request.remote_addr, why)
        disconnect()
        return {"ok": False, "error": why}
    guarded.__doc__ = handler.__doc__
    return guarded


def _since(data: Any) -> int | None:
    """Read a client's last applied sequence number; None asks for a snapshot."""
    if not isinstance(data, dict):
        return None
    since = data.get("since")
    if isinstance(since, bool) or not isinstance(since, int) or since < 0:
        return None
    return since


def _shared(wall: Any, seq: int, stats_too: bool = True) -> dict[str, Any]:
    """Return what every joining screen gets at seq, built once per seq (and at most
    every SNAPSHOT_MAX_AGE seconds, for the figures that move with the clock).

    The figures are computed only for a join that shows them (stats_too): a burst of
    feed screens joining while posts arrive never computes them.
    """
    with _cache_lock:
        cached = wall.snapshots.get("screens")
        if cached and cached["seq"] == seq and time.monotonic() - cached["at"] < SNAPSHOT_MAX_AGE:
            body = dict(cached["body"])
            if not stats_too or body.get("stats") is not None:
                return body
        else:
            body = {}
    if "posts" not in body:
        body = {"stats": None, "paused": is_paused(wall.store),
                "posts": wall.store.posts("approved", SNAPSHOT_POSTS),
                "highlights": wall.store.posts("approved", SNAPSHOT_HIGHLIGHTS,
                                               highlighted=True)}
    if stats_too:
        body["stats"] = stats.compute(wall.store)
    with _cache_lock:
        cached = wall.snapshots.get("screens")
        if not (cached and cached["seq"] == seq):  # keep the first build's time
            cached = {"seq": seq, "at": time.monotonic()}
        wall.snapshots["screens"] = {**cached, "body": body}
    return dict(body)


# What each screen shows of a snapshot; the rest is sent empty (lists) or null (stats).
# A feed shows posts only: at 1,000 feed screens joining at once, the figures (~8 KB)
# and highlights in every acknowledgement were a quarter of the join's memory peak.
SHOWS = {"feed": ("posts",), "stats": ("stats",),
         "highlights": ("posts", "highlights", "stats")}
EMPTY: dict[str, Any] = {"posts": [], "highlights": [], "stats": None}


def screen_sync(since: int | None, screen: str = "highlights") -> dict[str, Any]:
    """Build the acknowledgement of join_screen: a snapshot or the missed events."""
    wall = get_wall()
    seq = wall.store.last_seq()
    shows = SHOWS.get(screen, SHOWS["highlights"])
    shared = _shared(wall, seq, "stats" in shows)
    if since is not None and since <= seq:
        events = wall.store.events_since(since, [PUBLIC])
        if events is not None:
            return {"mode": "events", "seq": seq, "events": [e.replay() for e in events],
                    "stats": shared["stats"] if "stats" in shows else None,
                    "version": wall.version, "paused": shared["paused"]}
    return {"mode": "snapshot", "seq": seq, "version": wall.version,
            "paused": shared["paused"],
            **{key: shared[key] if key in shows else empty for key, empty in EMPTY.items()}}


def on_join_screen(data: Any) -> dict[str, Any]:
    """A screen (re)connects: put it in the screens room and send what it must show."""
    screen = data.get("screen") if isinstance(data, dict) else None
    if screen not in SCREENS:
        return {"error": f"screen must be one of {', '.join(SCREENS)}"}
    name = clamp_options({"name": str(data.get("name", ""))}, str(screen))["name"]
    with _joined_lock:
        before = _joined.get(_sid())
        _joined[_sid()] = (str(screen), name)
    join_room(SCREENS_ROOM)
    if screen in FIGURES_SCREENS:
        join_room(FIGURES_ROOM)
    elif before is not None and before[0] in FIGURES_SCREENS:  # the same socket, another page
        leave_room(FIGURES_ROOM)
    join_room(f"screen:{name}")
    return screen_sync(_since(data), str(screen))


def on_heartbeat(data: Any) -> dict[str, Any]:
    """Record that the screen joined on this connection is alive and how much it shows."""
    if not isinstance(data, dict) or data.get("screen") not in SCREENS:
        return {"ok": False, "error": "heartbeat needs a known screen"}
    with _joined_lock:
        joined = _joined.get(_sid())
    if joined is None:  # only screens that joined are listed: no made-up names
        return {"ok": False, "error": "send join_screen before heartbeat"}
    shown = data.get("shown")
    shown = shown if isinstance(shown, int) and not isinstance(shown, bool) else 0
    get_wall().store.record_screen(joined[1], joined[0], max(0, min(shown, 10_000)))
    return {"ok": True}


def on_screen_disconnect(*_args: Any) -> None:
    """A screen went away: forget its join and its buckets."""
    sid = _sid()
    with _joined_lock:
        _joined.pop(sid, None)
    limiter.forget(_namespace(), sid)


def on_moderator_connect(auth_data: Any = None) -> None:
    """Refuse a moderator socket without a logged-in session."""
    if auth.moderator() is None:
        raise ConnectionRefusedError("log in on /moderate first")


def on_join_moderators(data: Any) -> dict[str, Any]:
    """A moderator page (re)connects: join the room and get the queue or missed events."""
    if auth.moderator() is None:
        return {"error": "not logged in"}
    join_room(MODERATORS_ROOM)
    wall = get_wall()
    wall.presence.arrive(_sid(), auth.moderator() or "moderator")
    seq = wall.store.last_seq()
    since = _since(data)
    if since is not None and since <= seq:
        events = wall.store.events_since(since, [PUBLIC, MODERATORS])
        if events is not None:
            return {"mode": "events", "seq": seq, "events": [e.replay() for e in events]}
    return {
        "mode": "snapshot", "seq": seq,
        "pending": wall.store.posts("pending", SNAPSHOT_PENDING, oldest_first=True),
        "recent": wall.store.posts("approved", SNAPSHOT_POSTS),
        "stats": stats.compute(wall.store),
        "paused": is_paused(wall.store),
        "present": wall.presence.names(),
    }


def on_moderator_disconnect(*_args: Any) -> None:
    """A moderator page went away: tell the others."""
    get_wall().presence.leave(_sid())
    limiter.forget(_namespace(), _sid())


def in_app(app: Flask, handler: Callable[..., Any]) -> Callable[..., Any]:
    """Run a handler inside a mounted wall's own request context (its config, store and
    session cookie), keeping the socket's sid and namespace that Flask-SocketIO set."""
    def run(*args: Any) -> Any:
        outer: Any = request
        sid, namespace, event = outer.sid, outer.namespace, getattr(outer, "event", None)
        with app.request_context(outer.environ):
            inner: Any = request
            inner.sid, inner.namespace, inner.event = sid, namespace, event
            return handler(*args)
    run.__doc__ = handler.__doc__
    return run


def handlers(prefix: str = "") -> dict[str, dict[str, Callable[..., Any]]]:
    """Return a wall's handlers by namespace and event, each limited per connection."""
    screens, moderators = screens_ns(prefix), moderators_ns(prefix)
    return {
        screens: {
            "join_screen": limited(screens, "join_screen", JOIN, on_join_screen),
            "heartbeat": limited(screens, "heartbeat", HEARTBEAT, on_heartbeat),
            "disconnect": on_screen_disconnect,
        },
        moderators: {
            "connect": on_moderator_connect,
            "join_moderators": limited(moderators, "join_moderators", JOIN, on_join_moderators),
            "disconnect": on_moderator_disconnect,
        },
    }


def init_app(app: Flask, prefix: str = "", mounted: bool = False) -> None:
    """Register the Socket.IO handlers of a wall; a mounted wall's run in its own app."""
    namespaces = {"screens": screens_ns(prefix), "moderators": moderators_ns(prefix)}
    app.context_processor(lambda: {"namespaces": namespaces})  # layout.html's data-namespace
    # Every event handler is limited per connection (wall/realtime/limits.py).
    for namespace, events in handlers(prefix).items():
        for event, handler in events.items():
            socketio.on_event(event, in_app(app, handler) if mounted else handler,
                              namespace=namespace)
