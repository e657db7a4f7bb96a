"""One ordered stream of committed events to this process's screens and moderators.

Synapse's streams, in small: every change has a position (seq) committed with it;
one background task per server process reads the events after the last position
it sent and emits them in order, coalesced into one frame per short tick. Local
commits wake it at once, other processes wake it through a "seq N exists" note on
Redis (wall.realtime.seqbus), and a poll every second is the safety net: the broker only
makes screens faster, the store is the truth.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wall.realtime import broadcast
from wall.store import MODERATORS, PUBLIC, Event

if TYPE_CHECKING:
    from wall.store import Store

log = logging.getLogger(__name__)

TICK = 0.02  # seconds between two frames: a burst of commits becomes one frame
POLL = 1.0  # read the store at least this often, whatever the notes say
BATCH = 500  # events read (and sent) at most per frame


class Dispatcher:
    """Tails the event log and sends each event once, in seq order, to local clients."""

    def __init__(self, store: Store, *, local_only: bool,
                 changed: Callable[[], None] = lambda: None, prefix: str = "") -> None:
        self.store = store
        self.prefix = prefix  # the wall's namespaces: "" alone, "/w/<slug>" in a folder
        self.changed = changed  # e.g. mark stats stale, whichever process committed
        self.local_only = local_only  # with a message queue every process tails the store
        self.wake = threading.Event()
        self.cursor = 0
        self.sent = {PUBLIC: 0, MODERATORS: 0}  # last frame's seq, per room

    def start_at(self, seq: int) -> None:
        """Begin after seq: earlier events were in every joining client's sync."""
        self.cursor = seq
        self.sent = {PUBLIC: seq, MODERATORS: seq}

    def notify(self, seq: int | None = None) -> None:
        """Wake the loop: seq (or some seq) is committed."""
        if seq is None or seq > self.cursor:
            self.wake.set()

    def run(self, stopping: threading.Event) -> None:
        """Send frames until the wall stops; a failed read is retried on the next tick."""
        while not stopping.is_set():
            self.wake.wait(POLL)
            self.wake.clear()
            try:
                while self.dispatch_once() >= BATCH and not stopping.is_set():
                    broadcast.socketio.sleep(0)
            except Exception:  # the database is away: the poll tries again, nothing is lost
                log.exception("event dispatch failed; retrying")
                broadcast.socketio.sleep(POLL)
            broadcast.socketio.sleep(TICK)

    def dispatch_once(self) -> int:
        """Read the events after the cursor and send them; return how many were read."""
        events = self.store.events_after(self.cursor, BATCH)
        if not events:
            return 0
        last = events[-1].seq
        public = [e for e in events if e.audience == PUBLIC]
        events = [e for e in events if e.audience in (PUBLIC, MODERATORS)]
        if public:
            broadcast.emit_batch(PUBLIC, self._frame(PUBLIC, public, last), self.local_only,
                                 self.prefix)
        # Moderators hear every event, public ones too, to keep "on the wall" lists current.
        broadcast.emit_batch(MODERATORS, self._frame(MODERATORS, events, last), self.local_only,
                             self.prefix)
        self.cursor = last
        self.changed()
        return len(events)

    def _frame(self, audience: str, events: list[Event], last: int) -> dict[str, Any]:
        """Build one batched frame: every event for that room with after < seq <= last."""
        frame = {"after": self.sent[audience], "seq": last,
                 "events": [e.replay() for e in events]}
        self.sent[audience] = last
        return frame
