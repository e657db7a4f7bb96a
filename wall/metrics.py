"""Prometheus metrics at /metrics: histograms the pipeline observes, gauges read per scrape."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.gc_collector import GCCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from wall.runtime import Wall
from wall.store import schema

REGISTRY = CollectorRegistry()  # ours alone: several apps in one test process never clash
# Python's garbage collections (python_gc_*): long full collections stall the screens.
GCCollector(registry=REGISTRY)
BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# The engine observes these (wall.ingest, wall.realtime.broadcast): see docs/deploy.md, Metrics.
INGEST_SECONDS = Histogram(
    "socialwall_ingest_seconds", "Time from a post reaching the pipeline to its commit",
    ["source"], buckets=BUCKETS, registry=REGISTRY)
FANOUT_SECONDS = Histogram(
    "socialwall_fanout_seconds", "Time from a commit to its events handed to Socket.IO",
    buckets=BUCKETS, registry=REGISTRY)
WEBHOOK_POSTS = Counter(
    "socialwall_webhook_posts", "Posts accepted by POST /api/ingest", registry=REGISTRY)


class WallCollector(Collector):
    """Read the store and the sources at scrape time: nothing to keep in step."""

    def __init__(self, wall: Wall) -> None:
        self.wall = wall

    def collect(self) -> Iterator[Metric]:
        """Yield posts by status, the last seq, screens per page and sources' states."""
        store = self.wall.store
        posts = GaugeMetricFamily("socialwall_posts", "Stored posts by status",
                                  labels=["status"])
        recent = datetime.now(UTC).replace(tzinfo=None) - timedelta(
            seconds=2 * self.wall.config.screens.stale_seconds)
        store.flush_screens()  # heartbeats wait in memory between flushes: count them too
        with store.read() as conn:
            for status, count in conn.execute(select(schema.posts.c.status, func.count())
                                              .group_by(schema.posts.c.status)):
                posts.add_metric([status], count)
            pages = conn.execute(select(schema.screens.c.screen, func.count())
                                 .where(schema.screens.c.last_seen >= recent)
                                 .group_by(schema.screens.c.screen)).all()
        yield posts
        yield GaugeMetricFamily("socialwall_last_event_seq", "Sequence number of the last event",
                                value=store.last_seq())
        screens = GaugeMetricFamily(
            "socialwall_screens_connected", "Screens that sent a heartbeat lately, per page",
            labels=["page"])
        for page, count in pages:
            screens.add_metric([page], count)
        yield screens
        writer = self.wall.pipeline.writer  # posts per transaction: how well ingest groups
        yield CounterMetricFamily("socialwall_ingest_commits",
                                  "Transactions the ingest pipeline committed",
                                  value=writer.groups)
        yield CounterMetricFamily("socialwall_ingest_committed_posts",
                                  "Posts in the transactions the ingest pipeline committed",
                                  value=writer.items)
        checkpoints = self.wall.checkpoints  # SQLite: the log copied from a real thread
        if checkpoints is not None:
            yield CounterMetricFamily("socialwall_sqlite_checkpoints",
                                      "WAL checkpoints run off the event loop",
                                      value=checkpoints.runs)
            yield CounterMetricFamily("socialwall_sqlite_checkpointed_pages",
                                      "Pages those checkpoints copied into the database file",
                                      value=checkpoints.pages)
        yield from self._sources()

    def _sources(self) -> Iterator[Metric]:
        from wall.health import public_sources

        state = GaugeMetricFamily("socialwall_source_up",
                                  "1 when the source works (ok), else 0", labels=["source"])
        failures = GaugeMetricFamily("socialwall_source_failures",
                                     "Consecutive failures of the source", labels=["source"])
        for entry in public_sources(self.wall):
            if "failures" not in entry:
                continue  # passive or disabled here (or run by `socialwall ingest`)
            state.add_metric([entry["name"]], 1 if entry["state"] == "ok" else 0)
            failures.add_metric([entry["name"]], entry["failures"])
        yield state
        yield failures


def exposition(wall: Wall) -> bytes:
    """Return every metric in Prometheus' text format."""
    scrape = CollectorRegistry()
    scrape.register(WallCollector(wall))
    return generate_latest(REGISTRY) + generate_latest(scrape)


def observe_ingest(source: str, seconds: float) -> None:
    """Record one post's time through the pipeline."""
    INGEST_SECONDS.labels(source=source).observe(seconds)
