"""The only module that emits Socket.IO events."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from flask_socketio import SocketIO

from wall.realtime.frames import send_frames_once
from wall.realtime.upgrades import recover_abandoned_upgrades
from wall.store import MODERATORS, PUBLIC, Event

log = logging.getLogger(__name__)

socketio = SocketIO()
recover_abandoned_upgrades()
send_frames_once()

SCREENS_NS = "/"
SCREENS_ROOM = "screens"
# Screens that show the figures (the stats screen, the highlights' ambassador slide): only
# they hear stats_updated. The feed screens, most of a wall's sockets, get the figures in
# their join acknowledgement only: at 1,000 screens the ~8 KB of figures sent to each
# every second took more of the server's sends than the posts (docs/benchmarks.md).
FIGURES_ROOM = "screens:figures"
FIGURES_SCREENS = ("stats", "highlights")
MODERATORS_NS = "/moderator"
MODERATORS_ROOM = "moderators"


def screens_ns(prefix: str = "") -> str:
    """Return the screens' namespace of a wall: "/" alone, "/w/<slug>" in a folder of walls."""
    return prefix or SCREENS_NS


def moderators_ns(prefix: str = "") -> str:
    """Return the moderators' namespace of a wall: "/moderator" or "/w/<slug>/moderator"."""
    return prefix + MODERATORS_NS

_listeners: list[Callable[[int | None], None]] = []


def on_commit(listener: Callable[[int | None], None]) -> None:
    """Call listener(seq) after each commit that numbered events (a dispatcher's wake-up)."""
    _listeners.append(listener)


def off_commit(listener: Callable[[int | None], None]) -> None:
    """Stop calling a listener registered with on_commit."""
    if listener in _listeners:
        _listeners.remove(listener)


def emit_events(events: Iterable[Event]) -> None:
    """Announce committed events; this process's dispatcher sends them, in seq order.

    Nothing is sent from here: sending from every request thread would let seq 12
    overtake seq 11 (issue 9). The dispatcher reads the store after its last seq.
    """
    last = max((e.seq for e in events), default=None)
    if last is None:
        return
    for listener in list(_listeners):
        listener(last)


def emit_batch(audience: str, frame: dict[str, Any], local_only: bool,
               prefix: str = "") -> None:
    """Send one batched `events` frame to the room of an audience, in this process only
    when every process tails the store itself (a message queue is set)."""
    if audience == PUBLIC:
        room, namespace = SCREENS_ROOM, screens_ns(prefix)
    elif audience == MODERATORS:
        room, namespace = MODERATORS_ROOM, moderators_ns(prefix)
    else:
        log.error("frame for unknown audience %r; not sent", audience)
        return
    # socketio.server is python-socketio's Server: ignore_queue keeps the frame local.
    socketio.server.emit("events", frame, to=room, namespace=namespace,
                         ignore_queue=local_only)


def emit_stats(stats: dict[str, Any], seq: int, local_only: bool = False,
               prefix: str = "") -> None:
    """Send fresh figures to the screens that show them and to moderators (of this process
    when local_only)."""
    message = {"seq": seq, "stats": stats}
    for room, namespace in ((FIGURES_ROOM, screens_ns(prefix)),
                            (MODERATORS_ROOM, moderators_ns(prefix))):
        socketio.server.emit("stats_updated", message, to=room, namespace=namespace,
                             ignore_queue=local_only)


def emit_reload(version: str, name: str | None = None, prefix: str = "") -> None:
    """Ask every screen (or the one with that name) to reload itself."""
    room = f"screen:{name}" if name else SCREENS_ROOM
    socketio.emit("screen_reload", {"version": version}, to=room, namespace=screens_ns(prefix))


def emit_presence(names: list[str], prefix: str = "") -> None:
    """Tell every moderator who is on the moderator page now."""
    socketio.emit("moderators_present", {"names": names}, to=MODERATORS_ROOM,
                  namespace=moderators_ns(prefix))


def emit_rules_status(body: dict[str, Any], prefix: str = "") -> None:
    """Tell moderators that the rules were reloaded, or why an edit was refused."""
    socketio.emit("rules_reloaded", body, to=MODERATORS_ROOM, namespace=moderators_ns(prefix))
