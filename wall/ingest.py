"""Ingest: run the sources and push each post through rules, store and broadcast."""

from __future__ import annotations

import dataclasses
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wall.broadcast import emit_events
from wall.desk import context_for
from wall.models import Post, utcnow
from wall.moderation import RuleSet
from wall.payloads import iso
from wall.sources import Runtime, Source
from wall.sources.base import Checkpoint, Deletion, Health, Item
from wall.store import Change, Store

log = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 60.0
DOWN_AFTER = 3  # consecutive failures before a source counts as down


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
        post = self.prepare(post)
        rules = self.rules()
        decision = rules.decide(post, context_for(self.store, rules.history_minutes))
        if hold:  # e.g. attendee posts: a moderator sees each one, with the rules' reasons
            decision = dataclasses.replace(decision, status="pending",
                                           reasons=(*decision.reasons, hold))
        change = self.store.ingest(post, decision, cursor)
        if change.created:
            log.debug("post %s from %s/%s: %s (%s)", change.post["id"], post.source,
                     post.external_id, decision.status, "; ".join(decision.reasons) or "-")
            emit_events(change.events)
            self.changed()
            self.after_commit(change, post)
        elif post.edited_at is not None:
            edit = self.store.apply_edit(post, decision)
            if edit is not None:
                log.info("post %s from %s/%s edited: %s", edit.post["id"], post.source,
                         post.external_id, edit.post["status"])
                emit_events(edit.events)
                self.changed()
                return edit
        return change

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
        """Apply one item; a post the store refuses is logged and skipped."""
        if isinstance(item, Health):
            self.health.state, self.health.detail = item.state, item.detail
            if item.state == "ok":
                self.health.failures = 0
            return
        try:
            if isinstance(item, Deletion):
                self.pipeline.delete(self.source.name, item.external_id)
            elif isinstance(item, Checkpoint) and item.post is None:
                self.pipeline.store.save_cursor(self.source.name, item.cursor)
            else:
                post = item.post if isinstance(item, Checkpoint) else item
                cursor = item.cursor if isinstance(item, Checkpoint) else None
                assert post is not None
                if self.pipeline.submit(post, cursor).created:
                    self.health.posts += 1
                    self.health.last_post_at = utcnow()
        except Exception as exc:  # one bad post must not stop the source
            log.exception("source %s: item rejected: %s", self.source.name, exc)
            return
        if self.health.state in ("starting", "down") or self.health.failures:
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
        delay *= random.uniform(0.5, 1.0)
        log.warning("source %s failed (%s); retrying in %.1fs", self.source.name,
                    h.last_error, delay)
        self.runtime.sleep(delay)
