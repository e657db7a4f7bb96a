"""The running wall: its config, store, pipeline and background tasks."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app

from wall import stats
from wall.config import WallConfig
from wall.ingest import Pipeline, SourceRunner
from wall.moderation import RuleSet
from wall.realtime import broadcast
from wall.realtime.broadcast import emit_stats, socketio
from wall.realtime.dispatcher import Dispatcher
from wall.realtime.presence import Presence
from wall.reload import watch_rules
from wall.sources import SOURCE_TYPES, Runtime
from wall.store import Store

if TYPE_CHECKING:
    from wall.realtime.seqbus import SeqBus
    from wall.store.checkpoint import Checkpoints

log = logging.getLogger(__name__)

STATS_MIN_INTERVAL = 1.0
STATS_MAX_INTERVAL = 20.0
SCREENS_FLUSH_INTERVAL = 5.0  # heartbeats reach the database at most this often


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
    snapshots: dict[str, Any] = field(default_factory=dict)  # realtime's cache, keyed by seq
    # The Socket.IO namespaces' prefix: "" for a wall alone ("/" and "/moderator"),
    # "/w/<slug>" for a wall served from a folder of walls (wall.multiwall).
    prefix: str = ""

    def __post_init__(self) -> None:
        self.pipeline = Pipeline(self.store, lambda: self.rules, self.stats_dirty.set)
        queue = self.config.server.message_queue
        self.dispatcher = Dispatcher(self.store, local_only=bool(queue),
                                     changed=self.stats_dirty.set, prefix=self.prefix)
        self.presence = Presence(self.prefix)
        self.seqbus: SeqBus | None = None
        self.checkpoints: Checkpoints | None = None  # a serving SQLite wall's (start())
        if queue and queue.startswith(("redis://", "rediss://", "unix://")):
            # Imported here: redis is the optional [scale] extra, absent on one-process walls.
            from wall.realtime.seqbus import SeqBus

            self.seqbus = SeqBus(queue, self.config.server.channel)

    def committed(self, seq: int | None) -> None:
        """Wake this process's dispatcher and tell the others that seq exists."""
        self.dispatcher.notify(seq)
        if self.seqbus is not None:
            self.seqbus.publish(seq)

    def start(self, sources: bool = True, serve: bool = True) -> None:
        """Start the dispatcher and stats ticker (when serving screens) and the sources."""
        if self.started:
            return
        self.started = True
        broadcast.on_commit(self.committed)
        if serve:
            self.dispatcher.start_at(self.store.last_seq())
            socketio.start_background_task(self.dispatcher.run, self.stopping)
            if self.seqbus is not None:
                socketio.start_background_task(self.seqbus.listen, self.dispatcher.notify,
                                               self.stopping, self.sleep)
            socketio.start_background_task(self._stats_loop)
            self._start_checkpoints()
            from wall import retention

            # Here, not in the CLI, so that gunicorn's workers sweep too.
            retention.start(self, self.config.server.instance_dir.resolve() / "media")
        socketio.start_background_task(watch_rules, self)
        from wall.ambassadors.live import watch

        socketio.start_background_task(watch, self)
        if not sources:
            return
        from wall.schedule import sources_stopper

        # Sources stop when the wall stops, or when [wall] ends_at passes while it runs.
        runtime = Runtime(sleep=self.sleep,
                          stopping=sources_stopper(self.config.wall.ends_at, self.stopping.is_set),
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

    def _start_checkpoints(self) -> None:
        """Checkpoint a SQLite log from a real thread (wall.store.checkpoint says why)."""
        from wall.offload import off_loop
        from wall.store.checkpoint import for_engine

        self.checkpoints = for_engine(self.store.engine)
        if self.checkpoints is not None:
            socketio.start_background_task(self.checkpoints.run, off_loop, self.sleep,
                                           self.stopping.is_set, self.pipeline.writer.alone)

    def stop(self) -> None:
        """Ask background tasks to finish."""
        broadcast.off_commit(self.committed)
        self.stopping.set()
        self.dispatcher.notify()
        try:
            self.store.flush_screens()  # the last heartbeats heard
        except Exception:  # stopping anyway: the screens beat again after the restart
            log.warning("could not record the last screen heartbeats", exc_info=True)

    def sleep(self, seconds: float) -> None:
        """Sleep cooperatively, waking early when the wall stops."""
        end = time.monotonic() + seconds
        while not self.stopping.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return
            socketio.sleep(min(left, 0.5))

    def _stats_loop(self) -> None:
        """Send stats after changes (at most once a second, and every 20 s regardless);
        write the screens' heartbeats every few seconds."""
        last_sent = last_flush = 0.0
        while not self.stopping.is_set():
            now = time.monotonic()
            if self.stats_dirty.is_set() or now - last_sent >= STATS_MAX_INTERVAL:
                self.stats_dirty.clear()
                try:
                    emit_stats(stats.compute(self.store), self.store.last_seq(),
                               self.dispatcher.local_only, self.prefix)
                except Exception:  # the next tick tries again; the wall keeps running
                    log.exception("stats update failed")
                last_sent = now
                socketio.sleep(0)  # let deliveries queued meanwhile go before the flush
            if now - last_flush >= SCREENS_FLUSH_INTERVAL:
                last_flush = now
                try:
                    self.store.flush_screens()
                except Exception:  # the next heartbeat of each screen is written on the next flush
                    log.exception("could not record screen heartbeats")
            socketio.sleep(STATS_MIN_INTERVAL)


def get_wall(app: Flask | None = None) -> Wall:
    """Return the Wall of the current (or given) app."""
    target: Any = app or current_app
    wall = target.extensions["socialwall"]
    assert isinstance(wall, Wall)
    return wall
