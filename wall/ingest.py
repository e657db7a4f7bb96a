"""Ingest: run the sources and push each post through rules, store and broadcast."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from wall.broadcast import emit_events
from wall.desk import context_for
from wall.models import Post
from wall.moderation import RuleSet
from wall.sources import Runtime, Source
from wall.store import Change, Store

log = logging.getLogger(__name__)

BACKOFF_START = 1.0
BACKOFF_MAX = 60.0


@dataclass
class Pipeline:
    """Post → rules → store (commit) → broadcast; the one path every post takes."""

    store: Store
    rules: Callable[[], RuleSet]
    changed: Callable[[], None] = lambda: None

    def submit(self, post: Post) -> Change:
        """Decide, commit, then broadcast one post; a duplicate changes nothing."""
        rules = self.rules()
        decision = rules.decide(post, context_for(self.store, rules.history_minutes))
        change = self.store.ingest(post, decision)
        if change.created:
            log.info("post %s from %s/%s: %s (%s)", change.post["id"], post.source,
                     post.external_id, decision.status, "; ".join(decision.reasons) or "-")
            emit_events(change.events)
            self.changed()
        return change


@dataclass
class SourceRunner:
    """Runs one source forever in a background task, restarting it after failures."""

    source: Source
    pipeline: Pipeline
    runtime: Runtime
    failures: int = 0
    last_error: str | None = None
    stopped: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        """Pull posts and submit each one; a bad post or a crash never stops the loop."""
        while not self.runtime.stopping():
            try:
                for post in self.source.posts(self.runtime):
                    try:
                        self.pipeline.submit(post)
                        self.failures = 0
                    except Exception as exc:  # one bad post must not stop the source
                        log.exception("source %s: post %s rejected: %s", self.source.name,
                                      post.external_id, exc)
                return
            except Exception as exc:  # log, back off with jitter, start the source again
                self.failures += 1
                self.last_error = str(exc) or type(exc).__name__
                delay = min(BACKOFF_MAX, BACKOFF_START * 2 ** min(self.failures, 10))
                delay *= random.uniform(0.5, 1.0)
                log.warning("source %s failed (%s); retrying in %.1fs", self.source.name,
                            self.last_error, delay)
                self.runtime.sleep(delay)
