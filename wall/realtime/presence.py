"""Who is on the moderator page now, per server process, told to every moderator."""

from __future__ import annotations

import threading

from wall.realtime.broadcast import emit_presence


class Presence:
    """Moderator page connections by socket id, with the name of who opened each."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix  # whose moderators hear it: "" alone, "/w/<slug>" in a folder
        self._lock = threading.Lock()
        self._by_sid: dict[str, str] = {}

    def names(self) -> list[str]:
        """Return the distinct names on, sorted."""
        with self._lock:
            return sorted(set(self._by_sid.values()), key=str.casefold)

    def arrive(self, sid: str, name: str) -> None:
        """Record a page that joined, and tell everyone."""
        with self._lock:
            self._by_sid[sid] = name
        emit_presence(self.names(), self.prefix)

    def leave(self, sid: str) -> None:
        """Forget a page that went away, and tell everyone."""
        with self._lock:
            gone = self._by_sid.pop(sid, None)
        if gone is not None:
            emit_presence(self.names(), self.prefix)

