"""The only module that emits Socket.IO events."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from flask_socketio import SocketIO

from wall.store import MODERATORS, PUBLIC, Event

log = logging.getLogger(__name__)

socketio = SocketIO()

SCREENS_NS = "/"
SCREENS_ROOM = "screens"
MODERATORS_NS = "/moderator"
MODERATORS_ROOM = "moderators"


def emit_events(events: Iterable[Event]) -> None:
    """Broadcast committed events, in order, to the audience each one names."""
    for event in events:
        if event.audience == PUBLIC:
            socketio.emit(event.type, event.message(), to=SCREENS_ROOM, namespace=SCREENS_NS)
            # Moderators see public changes too, to keep "on the wall" lists current.
            socketio.emit(event.type, event.message(), to=MODERATORS_ROOM,
                          namespace=MODERATORS_NS)
        elif event.audience == MODERATORS:
            socketio.emit(event.type, event.message(), to=MODERATORS_ROOM,
                          namespace=MODERATORS_NS)
        else:
            log.error("event %s has unknown audience %r; not sent", event.seq, event.audience)


def emit_stats(stats: dict[str, Any], seq: int) -> None:
    """Send fresh figures to every screen and moderator."""
    message = {"seq": seq, "stats": stats}
    socketio.emit("stats_updated", message, to=SCREENS_ROOM, namespace=SCREENS_NS)
    socketio.emit("stats_updated", message, to=MODERATORS_ROOM, namespace=MODERATORS_NS)


def emit_reload(version: str, name: str | None = None) -> None:
    """Ask every screen (or the one with that name) to reload itself."""
    room = f"screen:{name}" if name else SCREENS_ROOM
    socketio.emit("screen_reload", {"version": version}, to=room, namespace=SCREENS_NS)


def emit_presence(names: list[str]) -> None:
    """Tell every moderator who is on the moderator page now."""
    socketio.emit("moderators_present", {"names": names}, to=MODERATORS_ROOM,
                  namespace=MODERATORS_NS)


def emit_rules_status(body: dict[str, Any]) -> None:
    """Tell moderators that the rules were reloaded, or why an edit was refused."""
    socketio.emit("rules_reloaded", body, to=MODERATORS_ROOM, namespace=MODERATORS_NS)
