"""The interface every source adapter implements, and the items it may yield."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from functools import cache, wraps
from typing import Literal, ParamSpec, Protocol

from wall.listening import Listening, listen
from wall.models import Post

log = logging.getLogger(__name__)


class SourceError(Exception):
    """A source could not fetch or understand what its network sent."""


P = ParamSpec("P")
# What a parser meets in a payload shaped unlike the recorded ones: a list for an object,
# a number past a limit, a lone surrogate, nesting past the stack.
MALFORMED = (AttributeError, KeyError, IndexError, TypeError, ValueError, OverflowError,
             RecursionError, UnicodeError)


def _valid_text(post: Post) -> Post:
    """Refuse a post holding text that is not valid Unicode (the store could not keep it)."""
    for name in _post_fields():
        value = getattr(post, name)
        if isinstance(value, str) and not value.isascii():  # ASCII has no surrogate
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise SourceError(f"{name} holds a lone surrogate") from None
    return post


@cache
def _post_fields() -> tuple[str, ...]:
    """Return the names of a Post's fields (dataclasses.fields builds them anew per call)."""
    return tuple(item.name for item in fields(Post))


def parser(to_post: Callable[P, Post]) -> Callable[P, Post]:
    """Make a to_post reject any malformed item with SourceError, which sources log."""

    @wraps(to_post)
    def checked(*args: P.args, **kwargs: P.kwargs) -> Post:
        try:
            return _valid_text(to_post(*args, **kwargs))
        except SourceError:
            raise
        except MALFORMED as exc:
            raise SourceError(f"malformed item: {type(exc).__name__}: {exc}"[:300]) from exc

    return checked


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
    # The wall's hashtags, keywords, mentions and excluded keywords (issue 12).
    listening: Listening = field(default_factory=Listening)

    def follows(self, own: Listening, hashtags: tuple[str, ...] = ()) -> Listening:
        """Return a source's terms: its own keys, the wall's for each key it leaves empty.

        `hashtags` are the source options' own, for options built without a Listening.
        """
        if hashtags and not own.hashtags:
            own = Listening(hashtags, own.keywords, own.mentions, own.exclude_keywords)
        wall = self.listening
        if not wall.hashtags and self.hashtags:  # a Runtime built with hashtags only
            wall = Listening(self.hashtags, wall.keywords, wall.mentions, wall.exclude_keywords)
        return own.over(wall)


class Source(Protocol):
    """A running adapter: yields posts (and checkpoints) until the runtime says stop."""

    name: str

    def posts(self, runtime: Runtime) -> Iterator[Item]:
        """Yield items as they arrive; return when runtime.stopping() is true."""
        ...


def drop_reason(post: Post) -> str:
    """Return why a post must never reach a screen as is (an empty card), or ""."""
    if not post.text.strip() and not post.media:
        return "no text and no image"
    return ""


def listened(name: str, items: Iterator[Item], listening: Listening) -> Iterator[Item]:
    """Pass a source's items on, keeping the posts that match (with what they matched).

    A post dropped (no match, an excluded keyword, nothing to show) is logged with the
    reason; its checkpoint is kept, so the source's position still moves on.
    """
    try:
        for item in items:
            if isinstance(item, Post):
                post, cursor = item, None
            elif isinstance(item, Checkpoint) and item.post is not None:
                post, cursor = item.post, item.cursor
            else:
                yield item
                continue
            kept, why = listen(post, listening)
            why = why or drop_reason(post)
            if kept is None or why:
                log.info("source %s: post %s dropped: %s", name, post.external_id[:100], why)
                if cursor is not None:
                    yield Checkpoint(cursor)
                continue
            yield kept if cursor is None else Checkpoint(cursor, kept)
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()
