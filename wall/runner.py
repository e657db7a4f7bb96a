"""Running a source: its items read in a task of their own, its bursts stored as one batch.

A reader task iterates the source and queues what it yields; the runner takes the first
item, then whatever else is already queued (or arrives within a couple of
milliseconds), up to BURST_MAX, and submits the run of posts in one transaction with
their cursors. A poll that returns N items therefore costs one commit, a stream that
yields one post at a time is stored at once, and a deletion, a health report or a
bare cursor is applied after the posts before it, in the order the source gave them.
"""

from __future__ import annotations

import logging
import queue
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from wall.models import Post, utcnow
from wall.payloads import iso
from wall.sources import Runtime, Source
from wall.sources.base import Checkpoint, Deletion, Health, Item
from wall.store import Change

if TYPE_CHECKING:
    from wall.ingest import Pipeline

log = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 60.0
DOWN_AFTER = 3  # consecutive failures before a source counts as down
BURST_MAX = 100  # posts stored in one transaction at most
BURST_LINGER = 0.002  # seconds to wait for the next item of a burst
# The back-off's jitter has its own generator: sources never move the global random state
# (which other code, and hypothesis in the tests, rely on).
_JITTER = random.Random()
STORE_RETRY_MAX = 10.0  # seconds between two tries of a burst while the database is away
WAITING_FOR_STORE = "waiting for the database"
T = TypeVar("T")


def store_unreachable(exc: BaseException) -> bool:
    """Return True for a lost or refused database connection (not for a bad post)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError))


@dataclass
class SourceHealth:
    """What moderators and /healthz see of a running source."""

    state: str = "starting"
    detail: str = ""
    failures: int = 0
    last_error: str | None = None
    last_error_at: datetime | None = None
    last_post_at: datetime | None = None
    posts: int = 0

    def as_dict(self) -> dict[str, Any]:
        """Return the JSON shape of /healthz and the moderator's sources panel."""
        return {"state": self.state, "detail": self.detail, "failures": self.failures,
                "last_error": self.last_error, "last_error_at": iso(self.last_error_at),
                "last_post_at": iso(self.last_post_at), "posts": self.posts}


@dataclass(frozen=True)
class _Ended:
    """The source returned (error None) or raised."""

    error: Exception | None = None


def _is_post(item: object) -> bool:
    return isinstance(item, Post) or isinstance(item, Checkpoint) and item.post is not None


@dataclass
class SourceRunner:
    """Runs one source forever in a background task, restarting it after failures."""

    source: Source
    pipeline: Pipeline
    runtime: Runtime
    health: SourceHealth = field(default_factory=SourceHealth)
    stopped: threading.Event = field(default_factory=threading.Event)

    @property
    def failures(self) -> int:
        """Return the number of consecutive failures."""
        return self.health.failures

    @property
    def last_error(self) -> str | None:
        """Return the last error message."""
        return self.health.last_error

    def run(self) -> None:
        """Pull items and handle them; a bad post or a crash never stops the loop."""
        while not self.runtime.stopping():
            items: queue.Queue[Item | _Ended] = queue.Queue(maxsize=2 * BURST_MAX)
            # threading is patched into greenlets under gevent and eventlet: a task like any.
            threading.Thread(target=self._read, args=(items,), daemon=True,
                             name=f"source-{self.source.name}").start()
            try:
                self._consume(items)
                self.health.state = "stopped"
                return
            except Exception as exc:  # log, back off with jitter, start the source again
                self._failed(exc)

    def _read(self, items: queue.Queue[Item | _Ended]) -> None:
        """Queue every item the source yields, then how it ended."""
        try:
            for item in self.source.posts(self.runtime):
                items.put(item)
        except Exception as exc:  # handed to the runner, which backs off and restarts
            items.put(_Ended(exc))
        else:
            items.put(_Ended())

    def _consume(self, items: queue.Queue[Item | _Ended]) -> None:
        """Handle queued items until the source ends; raise what it raised."""
        while True:
            burst: list[Item | _Ended] = [items.get()]
            while _is_post(burst[-1]) and len(burst) < BURST_MAX:
                try:
                    burst.append(items.get(timeout=BURST_LINGER))
                except queue.Empty:
                    break
            last = burst[-1]
            posts = [i for i in burst if isinstance(i, Post | Checkpoint) and _is_post(i)]
            if posts:
                self._store(posts)
            if isinstance(last, _Ended):
                if last.error is not None:
                    raise last.error
                return
            if not _is_post(last):
                self._handle(last)

    def _store(self, items: Sequence[Post | Checkpoint]) -> None:
        """Submit a burst of posts in one transaction with their cursors; log the refused."""
        posts = [i.post if isinstance(i, Checkpoint) else i for i in items]
        cursors = [i.cursor if isinstance(i, Checkpoint) else None for i in items]
        def attempt() -> list[Change | Exception]:
            outcomes = self.pipeline.submit_each([p for p in posts if p is not None], cursors)
            away = next((o for o in outcomes if isinstance(o, Exception)
                         and store_unreachable(o)), None)
            if away is not None:
                raise away  # the whole burst again: what was stored answers as a duplicate
            return outcomes

        try:
            outcomes = self._until_stored(attempt)
        except Exception as exc:  # one bad burst must not stop the source
            log.exception("source %s: %d items rejected: %s", self.source.name, len(posts), exc)
            return
        stored = False
        for outcome in outcomes:
            if isinstance(outcome, Change):
                stored = True
                if outcome.created:
                    self.health.posts += 1
                    self.health.last_post_at = utcnow()
            else:
                log.error("source %s: item rejected: %s", self.source.name, outcome)
        if stored:
            self._fine()

    def _handle(self, item: Item) -> None:
        """Apply one item that is no post; one the store refuses is logged and skipped."""
        if isinstance(item, Health):
            self.health.state, self.health.detail = item.state, item.detail
            if item.state == "ok":
                self.health.failures = 0
            return
        def attempt() -> None:
            if isinstance(item, Deletion):
                self.pipeline.delete(self.source.name, item.external_id)
            elif isinstance(item, Checkpoint):
                self.pipeline.store.save_cursor(self.source.name, item.cursor)

        try:
            self._until_stored(attempt)
        except Exception as exc:  # one bad item must not stop the source
            log.exception("source %s: item rejected: %s", self.source.name, exc)
            return
        self._fine()

    def _until_stored(self, attempt: Callable[[], T]) -> T:
        """Run attempt; while the database is unreachable, wait and run it again.

        The source waits with its items instead of skipping them, so that no cursor
        moves past a post that was never stored (a PostgreSQL restart lost posts so).
        """
        delay = BACKOFF_START
        while True:
            try:
                return attempt()
            except Exception as exc:
                if not store_unreachable(exc) or self.runtime.stopping():
                    raise
                self.health.state, self.health.detail = "degraded", WAITING_FOR_STORE
                log.warning("source %s: the database is unreachable (%s); keeping the posts "
                            "and trying again in %.0fs", self.source.name,
                            str(getattr(exc, "orig", exc)).strip()[:200], delay)
                self.runtime.sleep(delay)
                delay = min(STORE_RETRY_MAX, delay * 2)

    def _fine(self) -> None:
        """Mark the source healthy after an item was applied."""
        if self.health.state in ("starting", "down") or self.health.failures \
                or self.health.detail == WAITING_FOR_STORE:
            self.health.state, self.health.detail = "ok", ""
        self.health.failures = 0

    def _failed(self, exc: Exception) -> None:
        """Record a failure, then sleep an exponential, jittered delay."""
        h = self.health
        h.failures += 1
        h.last_error = (str(exc) or type(exc).__name__)[:500]
        h.last_error_at = utcnow()
        h.state = "down" if h.failures >= DOWN_AFTER else "degraded"
        h.detail = h.last_error
        delay = min(BACKOFF_MAX, BACKOFF_START * 2 ** min(h.failures, 10))
        delay *= _JITTER.uniform(0.5, 1.0)
        log.warning("source %s failed (%s); retrying in %.1fs", self.source.name,
                    h.last_error, delay)
        self.runtime.sleep(delay)
