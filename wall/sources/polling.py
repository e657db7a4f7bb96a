"""What the polling brand sources share: a saved state, quota windows, a polite loop."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from typing import Any

from wall.models import Post
from wall.sources import http
from wall.sources.base import Checkpoint, Health, Item, Runtime, SourceError

log = logging.getLogger(__name__)


def load_state(saved: str | None, name: str) -> dict[str, Any]:
    """Read a source's JSON cursor; an unreadable one starts fresh (logged), never fails."""
    if not saved:
        return {}
    try:
        data = json.loads(saved)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        log.warning("source %s: saved cursor unreadable; starting fresh", name)
        return {}
    return data


def dump_state(state: dict[str, Any]) -> str:
    """Write a source's state as its cursor."""
    return json.dumps(state, sort_keys=True, separators=(",", ":"))


def obj(value: Any) -> Mapping[str, Any]:
    """Return a JSON object, or an empty one for anything else."""
    return value if isinstance(value, Mapping) else {}


def stamp(moment: datetime) -> float:
    """Return a datetime as epoch seconds."""
    return moment.timestamp()


class Window:
    """Uses of a quota in a rolling window, e.g. 2,200 queries per 24 hours, kept in the cursor."""

    def __init__(self, limit: int, seconds: float, spent: Any = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.limit = limit
        self.seconds = seconds
        self.clock = clock
        self.spent: dict[str, float] = {}
        if isinstance(spent, dict):
            self.spent = {str(k): float(v) for k, v in spent.items()
                          if isinstance(v, int | float) and not isinstance(v, bool)}
        self._prune()

    def _prune(self) -> None:
        horizon = self.clock() - self.seconds
        self.spent = {k: v for k, v in self.spent.items() if v > horizon}

    def used(self) -> int:
        """Return how many uses count now."""
        self._prune()
        return len(self.spent)

    def holds(self, key: str) -> bool:
        """Return True when this key is already counted (a hashtag searched this week)."""
        self._prune()
        return key in self.spent

    def allows(self, key: str | None = None) -> bool:
        """Return True when one more use (of a new key) stays within the limit."""
        return (key is not None and self.holds(key)) or self.used() < self.limit

    def spend(self, key: str | None = None) -> None:
        """Count one use; a key already counted costs nothing more."""
        self._prune()
        key = key if key is not None else f"q{self.clock():.6f}.{len(self.spent)}"
        self.spent.setdefault(key, self.clock())

    def free_in(self) -> float:
        """Return the seconds until the oldest use leaves the window."""
        self._prune()
        if not self.spent:
            return 0.0
        return max(0.0, min(self.spent.values()) + self.seconds - self.clock())


def run_parts(name: str, parts: list[tuple[str, Callable[[], Iterator[Item]]]]) -> Iterator[Item]:
    """Poll each part (a hashtag, an edge, a location); one failing part does not stop the rest.

    Raises the first error when every part failed, so the runner backs off; a rate limit
    stops this round at once and is raised for the loop to wait out.
    """
    errors: list[str] = []
    for label, poll in parts:
        try:
            yield from poll()
        except http.RateLimited:
            raise
        except SourceError as exc:
            log.warning("source %s: %s: %s", name, label, exc)
            errors.append(f"{label}: {exc}")
    if errors and len(errors) == len(parts):
        raise SourceError(errors[0])
    if errors:
        yield Health("degraded", "; ".join(errors)[:500])


def loop(runtime: Runtime, poll: Callable[[], Iterator[Item]], interval: Callable[[], float],
         status: Callable[[], str], state: Callable[[], str]) -> Iterator[Item]:
    """Poll, report health with the quota status, save the state, wait; rate limits waited out."""
    while not runtime.stopping():
        yield from loop_once(runtime, poll, status, state, interval)


def loop_once(runtime: Runtime, poll: Callable[[], Iterator[Item]], status: Callable[[], str],
              state: Callable[[], str], wait: Callable[[], float]) -> Iterator[Item]:
    """Run one round: poll, report health, save the state, then sleep `wait()` seconds."""
    pause = None
    degraded = False
    try:
        for item in poll():
            degraded = degraded or isinstance(item, Health) and item.state != "ok"
            yield item
        if not degraded:
            yield Health("ok", status())
    except http.RateLimited as exc:
        yield Health("degraded", f"{exc}; {status()}"[:500])
        pause = exc.wait
    except SourceError:
        yield Checkpoint(state())  # the quota spent before the failure stays counted
        raise
    yield Checkpoint(state())
    runtime.sleep(max(wait(), pause or 0.0))


def fresh(name: str, seen: dict[str, float], key: str, pages: Iterator[list[Any]],
          convert: Callable[[Any], Post], backfill: int, cursor: Callable[[], str],
          when: Callable[[Post], datetime] | None = None) -> Iterator[Item]:
    """Yield an edge's posts oldest first: `backfill` at the first poll, then only newer ones.

    `seen[key]` keeps the newest time yielded, saved with each post, so a restart resumes.
    Pages come newest first; reading stops at the first page reaching older posts.
    """
    moment_of = when or (lambda post: post.created_at)
    since = seen.get(key)
    found: list[Post] = []
    for page in pages:
        older = False
        for raw in page:
            try:
                post = convert(raw)
            except SourceError as exc:
                log.warning("source %s: %s item skipped: %s", name, key, exc)
                continue
            # Same-second items are read again (stored once): none is lost at the edge.
            if since is not None and stamp(moment_of(post)) < since:
                older = True
                continue
            found.append(post)
        if older:
            break
    found.sort(key=moment_of)
    if since is None:
        newest = max((stamp(moment_of(p)) for p in found), default=0.0)
        found = found[len(found) - backfill:] if backfill else []
        seen[key] = newest if not found else 0.0
    for post in found:
        seen[key] = max(seen[key], stamp(moment_of(post)))
        yield Checkpoint(cursor(), post)
