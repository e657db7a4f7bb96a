"""The interface every source adapter implements, and the items it may yield."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal, Protocol

from wall.models import Post


class SourceError(Exception):
    """A source could not fetch or understand what its network sent."""


@dataclass(frozen=True)
class Checkpoint:
    """A position in the network's stream, saved in the same transaction as `post`."""

    cursor: str
    post: Post | None = None


@dataclass(frozen=True)
class Deletion:
    """The network reports that a post was deleted: take it off every screen."""

    external_id: str


HealthState = Literal["ok", "degraded", "paused"]


@dataclass(frozen=True)
class Health:
    """A source's own report on itself: rate limited (degraded), out of budget (paused)."""

    state: HealthState
    detail: str = ""


Item = Post | Checkpoint | Deletion | Health


def _no_cursor(_name: str) -> str | None:
    return None


def _unknown(_source: str, _external_id: str) -> bool:
    return False


@dataclass
class Runtime:
    """What a running source may use from its host: a cooperative sleep and a stop flag."""

    sleep: Callable[[float], None]
    stopping: Callable[[], bool]
    hashtags: tuple[str, ...] = ()
    cursor: Callable[[str], str | None] = _no_cursor
    known: Callable[[str, str], bool] = _unknown  # is this post stored already?


class Source(Protocol):
    """A running adapter: yields posts (and checkpoints) until the runtime says stop."""

    name: str

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Yield items as they arrive; return when runtime.stopping() is true."""
        ...
