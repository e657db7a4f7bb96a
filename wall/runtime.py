"""The running wall: its config, store, pipeline and background tasks."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

from wall import stats
from wall.broadcast import emit_stats, socketio
from wall.config import WallConfig
from wall.ingest import Pipeline, SourceRunner
from wall.moderation import RuleSet
from wall.sources import SOURCE_TYPES, Runtime
from wall.store import Store

log = logging.getLogger(__name__)

STATS_MIN_INTERVAL = 1.0
STATS_MAX_INTERVAL = 20.0


@dataclass
class Wall:
    """Everything a request handler or background task needs."""

    config: WallConfig
    store: Store
    rules: RuleSet
    version: str
    runners: list[SourceRunner] = field(default_factory=list)
    stats_dirty: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    started: bool = False

    def __post_init__(self) -> None:
        self.pipeline = Pipeline(self.store, lambda: self.rules, self.stats_dirty.set)

    def start(self, sources: bool = True) -> None:
        """Start the stats ticker and, unless told not to, every enabled source."""
        if self.started:
            return
        self.started = True
        socketio.start_background_task(self._stats_loop)
        from wall.reload import watch_rules

        socketio.start_background_task(watch_rules, self)
        from wall.ambassadors.live import watch

        socketio.start_background_task(watch, self)
        if not sources:
            return
        runtime = Runtime(sleep=self.sleep, stopping=self.stopping.is_set,
                          hashtags=self.config.wall.hashtags, cursor=self.store.cursor,
                          known=self.store.has_post, listening=self.config.wall.listening)
        for conf in self.config.sources:
            kind = SOURCE_TYPES[conf.type]
            if not conf.enabled or kind.build is None:
                continue
            runner = SourceRunner(kind.build(conf.name, conf.options), self.pipeline, runtime)
            self.runners.append(runner)
            socketio.start_background_task(runner.run)
            log.info("source %s (%s) started", conf.name, conf.type)

    def stop(self) -> None:
        """Ask background tasks to finish."""
        self.stopping.set()

    def sleep(self, seconds: float) -> None:
        """Sleep cooperatively, waking early when the wall stops."""
        end = time.monotonic() + seconds
        while not self.stopping.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return
            socketio.sleep(min(left, 0.5))

    def _stats_loop(self) -> None:
        """Send stats after changes, at most once a second, and every 20 s regardless."""
        last_sent = 0.0
        while not self.stopping.is_set():
            now = time.monotonic()
            if self.stats_dirty.is_set() or now - last_sent >= STATS_MAX_INTERVAL:
                self.stats_dirty.clear()
                try:
                    emit_stats(stats.compute(self.store), self.store.last_seq())
                except Exception:  # the next tick tries again; the wall keeps running
                    log.exception("stats update failed")
                last_sent = now
            socketio.sleep(STATS_MIN_INTERVAL)


def get_wall(app: Flask | None = None) -> Wall:
    """Return the Wall of the current (or given) app."""
    target: Any = app or current_app
    wall = target.extensions["socialwall"]
    assert isinstance(wall, Wall)
    return wall
