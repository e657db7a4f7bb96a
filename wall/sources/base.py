"""The interface every source adapter implements."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from wall.models import Post


class SourceError(Exception):
    """A source could not fetch or understand what its network sent."""


@dataclass
class Runtime:
    """What a running source may use from its host: a cooperative sleep and a stop flag."""

    sleep: Callable[[float], None]
    stopping: Callable[[], bool]
    hashtags: tuple[str, ...] = ()


class Source(Protocol):
    """A running adapter: yields posts until the runtime says stop."""

    name: str

    def posts(self, runtime: Runtime) -> Iterator[Post]:
        """Yield posts as they arrive; return when runtime.stopping() is true."""
        ...
