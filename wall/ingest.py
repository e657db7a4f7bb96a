"""Ingest: run the sources and push each post through rules, store and broadcast."""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from wall.desk import context_for
from wall.models import Post, utcnow
from wall.moderation import RuleSet
from wall.payloads import iso
from wall.realtime.broadcast import emit_events
from wall.sources import Runtime, Source
from wall.sources.base import Checkpoint, Deletion, Health, Item
from wall.store import Change, Store

log = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 60.0
DOWN_AFTER = 3  # consecutive failures before a source counts as down
STORE_RETRY_MAX = 10.0  # seconds between two tries of a post while the database is away
WAITING_FOR_STORE = "waiting for the database"


def store_unreachable(exc: BaseException) -> bool:
    """Return True for a lost or refused database connection (not for a bad post)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    return isinstance(exc, (OperationalError, InterfaceError))


@dataclass
class Pipeline:
    """Post → rules → store (commit) → broadcast; the one path every post takes."""

    store: Store
    rules: Callable[[], RuleSet]
    changed: Callable[[], None] = lambda: None
    prepare: Callable[[Post], Post] = lambda post: post
    after_commit: Callable[[Change, Post], None] = lambda change, post: None

    def submit(self, post: Post, cursor: str | None = None, *, hold: str = "") -> Change:
        """Decide, commit (with the source's cursor), then broadcast; duplicates change nothing.

        With `hold`, the post waits for a moderator whatever the rules say (their reasons kept).
        """
        return self.submit_many([post], cursor, hold=hold)[0]

    def submit_many(self, posts: Sequence[Post], cursor: str | None = None, *,
                    hold: str = "") -> list[Change]:
        """Decide a batch with one read of context, commit it in one transaction, announce it.

        Raises the store's error when the batch could not be committed: nothing of it
        is stored then (see submit_each for a batch where one bad post must not stop
        the others).
        """
        posts = [self.prepare(post) for post in posts]
        rules = self.rules()
        context = context_for(self.store, rules.history_minutes)
        decisions = []
        for post in posts:
            decision = rules.decide(post, context)
            if hold:  # e.g. attendee posts: a moderator sees each one, with the rules' reasons
                decision = dataclasses.replace(decision, status="pending",
                                               reasons=(*decision.reasons, hold))
            decisions.append(decision)
        changes = self.store.ingest_many(list(zip(posts, decisions, strict=True)), cursor)
        out = []
        for post, decision, change in zip(posts, decisions, changes, strict=True):
            if change.created:
                log.debug("post %s from %s/%s: %s (%s)", change.post["id"], post.source,
                          post.external_id, decision.status, "; ".join(decision.reasons) or "-")
            elif post.edited_at is not None:
                edit = self.store.apply_edit(post, decision)
                if edit is not None:
                    log.info("post %s from %s/%s edited: %s", edit.post["id"], post.source,
                             post.external_id, edit.post["status"])
                    change = edit
            out.append(change)
        emit_events(e for change in out for e in change.events)
        if any(change.events for change in out):
            self.changed()
        for post, change in zip(posts, out, strict=True):
            if change.created:
                self.after_commit(change, post)
        return out

    def submit_each(self, posts: Sequence[Post]) -> list[Change | Exception]:
        """Submit a batch in one transaction; if it fails, each post alone.

        The outcome per post is its Change, or the error that kept it out: one post
        the database refuses does not lose the others.
        """
        try:
            return list(self.submit_many(posts))
        except SQLAlchemyError as exc:
            if len(posts) == 1:
                log.warning("post %s/%s not stored: %s", posts[0].source,
                            posts[0].external_id, exc)
                return [exc]
            log.warning("a batch of %d posts failed (%s); storing them one by one",
                        len(posts), exc)
        out: list[Change | Exception] = []
        for post in posts:
            try:
                out.append(self.submit_many([post])[0])
            except SQLAlchemyError as exc:
                log.warning("post %s/%s not stored: %s", post.source, post.external_id, exc)
                out.append(exc)
        return out

    def delete(self, source: str, external_id: str) -> None:
        """Take a post its network deleted off every screen."""
        change = self.store.remove_deleted(source, external_id)
        if change is not None:
            log.info("post %s from %s/%s deleted by its network", change.post["id"], source,
                     external_id)
            emit_events(change.events)
            self.changed()


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
        """Pull items and handle each one; a bad post or a crash never stops the loop."""
        while not self.runtime.stopping():
            try:
                for item in self.source.posts(self.runtime):
                    self._handle(item)
                self.health.state = "stopped"
                return
            except Exception as exc:  # log, back off with jitter, start the source again
                self._failed(exc)

    def _handle(self, item: Item) -> None:
        """Apply one item; a post the store refuses is logged and skipped, but while the
        database is unreachable the same item is tried again (the source waits), so that
        no cursor moves past a post that was never stored."""
        if isinstance(item, Health):
            self.health.state, self.health.detail = item.state, item.detail
            if item.state == "ok":
                self.health.failures = 0
            return
        delay = BACKOFF_START
        while True:
            try:
                self._apply(item)
                break
            except Exception as exc:  # one bad post must not stop the source
                if not store_unreachable(exc) or self.runtime.stopping():
                    log.exception("source %s: item rejected: %s", self.source.name, exc)
                    return
                self.health.state, self.health.detail = "degraded", WAITING_FOR_STORE
                log.warning("source %s: the database is unreachable (%s); keeping the post "
                            "and trying again in %.0fs", self.source.name,
                            str(getattr(exc, "orig", exc)).strip()[:200], delay)
                self.runtime.sleep(delay)
                delay = min(STORE_RETRY_MAX, delay * 2)
        if self.health.state in ("starting", "down") or self.health.failures \
                or self.health.detail == WAITING_FOR_STORE:
            self.health.state, self.health.detail = "ok", ""
        self.health.failures = 0

    def _apply(self, item: Item) -> None:
        """Store one post, deletion or cursor (and announce it)."""
        if isinstance(item, Deletion):
            self.pipeline.delete(self.source.name, item.external_id)
        elif isinstance(item, Checkpoint) and item.post is None:
            self.pipeline.store.save_cursor(self.source.name, item.cursor)
        else:
            post = item.post if isinstance(item, Checkpoint) else item
            cursor = item.cursor if isinstance(item, Checkpoint) else None
            assert isinstance(post, Post)
            if self.pipeline.submit(post, cursor).created:
                self.health.posts += 1
                self.health.last_post_at = utcnow()

    def _failed(self, exc: Exception) -> None:
        """Record a failure, then sleep an exponential, jittered delay."""
        h = self.health
        h.failures += 1
        h.last_error = (str(exc) or type(exc).__name__)[:500]
        h.last_error_at = utcnow()
        h.state = "down" if h.failures >= DOWN_AFTER else "degraded"
        h.detail = h.last_error
        delay = min(BACKOFF_MAX, BACKOFF_START * 2 ** min(h.failures, 10))
        delay *= random.uniform(0.5, 1.0)
        log.warning("source %s failed (%s); retrying in %.1fs", self.source.name,
                    h.last_error, delay)
        self.runtime.sleep(delay)
