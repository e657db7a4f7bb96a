"""Group commit: concurrent writers share one transaction, each answered after its commit.

The first caller to arrive leads: it yields while others queue (1 ms at most), takes
what is queued (up to a limit), commits it as one group and wakes each caller with its
own outcome; the next caller in the queue then leads the following group. No background
task is needed, and only `threading` primitives are used, which gevent and eventlet
patch into cooperative ones, so the same code serves the three async modes.
Hand-written: the libraries at hand (SQLAlchemy, the async servers) have no group commit.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

Work = TypeVar("Work")
Outcome = TypeVar("Outcome")
T = TypeVar("T")

WINDOW = 0.001  # seconds a leader may go on yielding while other writers queue
# Only while writers come together: a lone writer (one client posting one post at a
# time, or 10 posts/s on a calm wall) yields once and commits. Under concurrency the
# callers that arrive during a commit queue up and form the next group anyway.
BUSY = 0.05  # seconds after a group of several during which the next leader waits
MAX_ITEMS = 200  # items (posts) per group at most


@dataclass
class Ticket(Generic[Work, Outcome]):
    """One caller's work in the queue, and its outcome once its group committed."""

    work: Work
    size: int
    done: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None
    error: BaseException | None = None
    leads: bool = False
    task: Callable[[], Any] | None = None  # run alone instead of committing (GroupCommit.alone)


class GroupCommit(Generic[Work, Outcome]):
    """Run queued work in groups: `commit(works)` returns one outcome per work, in order."""

    def __init__(self, commit: Callable[[Sequence[Work]], list[Outcome]],
                 window: float = WINDOW, max_items: int = MAX_ITEMS) -> None:
        self.commit = commit
        self.window = window
        self.max_items = max_items
        self._lock = threading.Lock()
        self._queue: list[Ticket[Work, Outcome]] = []
        self._leading = False
        self._last_shared = -BUSY  # monotonic time a group of several callers committed
        self.groups = 0  # groups committed and the items in them: /metrics shows both
        self.items = 0

    def run(self, work: Work, size: int = 1) -> Outcome:
        """Queue work and return its outcome after the commit of its group (or raise)."""
        outcome: Outcome = self._wait(Ticket(work, size))
        return outcome

    def alone(self, task: Callable[[], T]) -> T:
        """Run a task between two groups: no group commits while it runs; writers queue.

        The SQLite checkpoint runs so (wall.store.checkpoint): with no commit during it,
        it copies the whole log, and the next commit starts the log again from its start.
        """
        ticket: Ticket[Any, tuple[T]] = Ticket(None, 0, task=lambda: (task(),))
        result: tuple[T] = self._wait(ticket)  # in a tuple: a task may return None
        return result[0]

    def _wait(self, ticket: Ticket[Any, Any]) -> Any:
        """Queue a ticket, lead when its turn comes, and return its outcome (or raise)."""
        with self._lock:
            self._queue.append(ticket)
            ticket.leads = not self._leading
            self._leading = True
        while not ticket.leads:
            ticket.done.wait()
            if ticket.leads and ticket.outcome is None and ticket.error is None:
                break  # handed the lead before its group ran: commit the next group
            return _result(ticket)
        self._lead()
        return _result(ticket)

    def _lead(self) -> None:
        """Commit one group (or run one task), then hand the lead to the next in the queue."""
        if self._queue[0].task is None:
            self._gather()
        with self._lock:
            group: list[Ticket[Work, Outcome]] = [self._queue.pop(0)]
            total = group[0].size
            while (group[0].task is None and self._queue and self._queue[0].task is None
                   and total + self._queue[0].size <= self.max_items):
                ticket = self._queue.pop(0)
                group.append(ticket)
                total += ticket.size
        task = group[0].task
        try:
            outcomes = [task()] if task is not None else self.commit([t.work for t in group])
        except BaseException as exc:  # each caller re-raises it
            for ticket in group:
                ticket.error = exc
        else:
            for ticket, outcome in zip(group, outcomes, strict=True):
                ticket.outcome = outcome
        if task is None:
            self.groups += 1
            self.items += total
        if len(group) > 1:
            self._last_shared = time.monotonic()
        with self._lock:
            if self._queue:
                self._queue[0].leads = True
                self._queue[0].done.set()
            else:
                self._leading = False
        for ticket in group:
            ticket.leads = False
            ticket.done.set()

    def _gather(self) -> None:
        """Let the writers already under way queue behind this leader before it commits.

        Under gevent and eventlet a commit does not yield, so a leader that committed at
        once never let the requests already read from their sockets in: every group held
        one post (measured: 2,020 groups for 2,020 posts on 4 connections). The leader
        yields, and yields again while the queue still grows, up to `window` seconds after
        a shared group. A fixed sleep of the window instead left the server idle for it
        once every writer had queued: 20 % of the time with 4 webhook connections.
        """
        deadline = time.monotonic() + (self.window if self.window and
                                       time.monotonic() - self._last_shared < BUSY else 0.0)
        queued = len(self._queue)
        while True:
            time.sleep(0)  # patched to a cooperative yield under gevent/eventlet
            grown = len(self._queue)
            if grown == queued or time.monotonic() >= deadline:
                return
            queued = grown


def _result(ticket: Ticket[Work, Outcome]) -> Outcome:
    """Return a ticket's outcome or raise its error."""
    if ticket.error is not None:
        raise ticket.error
    assert ticket.outcome is not None
    return ticket.outcome
