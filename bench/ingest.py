"""Webhook ingest speed (SQLite and PostgreSQL) and server memory with many stored posts."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text

from bench import driver
from bench.fleet import fleet
from bench.servers import TOKEN, socialwall

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@dataclass
class IngestResult:
    """Posts per second through POST /api/ingest, and whether the store holds them all."""

    database: str
    shape: str
    accepted: int = 0
    seconds: float = 0.0
    stored: int | None = None
    error: str = ""

    @property
    def per_s(self) -> float | None:
        return self.accepted / self.seconds if self.seconds and self.accepted else None

    @property
    def count_ok(self) -> bool:
        # wrk stops with requests in flight: the server may store a few it never saw
        # acknowledged. A loss is fewer stored than acknowledged.
        return self.stored is not None and self.stored >= self.accepted


@contextmanager
def postgres_database() -> Iterator[str]:
    """Create a throwaway database on the local PostgreSQL server; drop it afterwards."""
    name = f"wall_bench_{int(time.time())}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def count_posts(url: str) -> int:
    """Count the posts the store holds."""
    from wall.store import schema

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(schema.posts)).scalar_one())
    finally:
        engine.dispose()


def _pound(url: str, batch: int, seconds: float, workers: int) -> tuple[int, float]:
    """Send posts in batches from `workers` connections for `seconds`; return (accepted, s)."""
    counter = itertools.count()
    accepted = 0
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker() -> None:
        nonlocal accepted
        http = driver.session()
        while time.monotonic() < deadline:
            posts = [driver.post("i", next(counter)) for _ in range(batch)]
            ids = driver.send(http, url, posts)
            with lock:
                accepted += len(ids)

    start = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return accepted, time.monotonic() - start


LUA = Path(__file__).with_name("single_posts.lua")


def _pound_wrk(url: str, seconds: float, workers: int) -> tuple[int, float]:
    """Send single posts with wrk (one thread, `workers` connections); return (accepted, s).

    A Python client spends ~1.1 ms of CPU per request here (requests, measured), more
    than a bare Flask server does to answer it: on two cores it took the CPU the server
    needed. wrk spends a few microseconds.
    """
    out = subprocess.run(["wrk", "-t1", f"-c{workers}", f"-d{max(1, round(seconds))}s",
                          "-s", str(LUA), url, "--", f"wrk-{time.time_ns()}", TOKEN],
                         capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    found = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    if not found:
        raise RuntimeError(f"wrk printed no request count: {out[-200:]}")
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    unit = 1e-3 if found.group(3) == "ms" else 1.0
    return (int(found.group(1)) - (int(refused.group(1)) if refused else 0),
            float(found.group(2)) * unit)


def run_ingest(database: str, batch: int, seconds: float, workers: int = 4,
               async_mode: str = "gevent") -> IngestResult:
    """Measure webhook ingest on a fresh database ("sqlite" or "postgresql").

    Single posts are sent by wrk when it is installed (apt install wrk), else by the
    Python client; the shape says which.
    """
    shape = f"batches of {batch}" if batch > 1 else "single posts"
    use_wrk = batch == 1 and shutil.which("wrk") is not None
    client = "wrk" if use_wrk else "Python requests"
    result = IngestResult(database, f"{shape}, {workers} connections ({client})")
    with tempfile.TemporaryDirectory(prefix="wall-ingest-") as folder:
        try:
            with _database(database, Path(folder)) as url:
                server = socialwall(Path(folder), async_mode, url)
                try:
                    server.start()
                    result.accepted, result.seconds = (
                        _pound_wrk(server.url, seconds, workers) if use_wrk
                        else _pound(server.url, batch, seconds, workers))
                finally:
                    server.stop()
                result.stored = count_posts(url)
        except Exception as exc:  # reported in the table; the run goes on
            result.error = f"{type(exc).__name__}: {exc}"[:200]
    return result


@contextmanager
def _database(kind: str, folder: Path) -> Iterator[str]:
    if kind == "postgresql":
        with postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{folder / 'bench.db'}"


def fill(url: str, count: int, chunk: int = 5000) -> float:
    """Store `count` approved posts straight into the database; return the seconds taken.

    Rows are written in a few large transactions through the store's schema, not
    through the webhook, so that 100,000 posts take seconds rather than minutes.
    """
    from wall.store import Store, schema

    started = time.monotonic()
    store = Store(url)
    store.create_all()
    now = datetime.now(UTC).replace(tzinfo=None)
    tags = json.dumps(["Bench"])
    try:
        for first in range(0, count, chunk):
            rows: list[dict[str, Any]] = [dict(
                source="fill", external_id=f"fill-{n}", network="mastodon",
                author=f"Author {n % 997}", handle=f"@author{n % 997}",
                text=f"Stored post {n} about the lobby and the cars #Bench",
                url=None, created_at=now, received_at=now, media_json="[]",
                hashtags_json=tags, language="en", status="approved", highlighted=False,
                reasons_json="[]", decided_by="rules", media_errors_json="[]",
                ambassador=n % 50 == 0, pinned=False, facts_json="{}", shown_seq=0,
            ) for n in range(first, min(count, first + chunk))]
            with store.engine.begin() as conn:
                conn.execute(insert(schema.posts), rows)
                ids = conn.execute(select(schema.posts.c.id).where(
                    schema.posts.c.external_id.in_([r["external_id"] for r in rows]))).scalars()
                conn.execute(insert(schema.post_tags), [{"post_id": i, "tag": "Bench"}
                                                        for i in ids])
        # Rows written straight through the schema bypass the stats counters: count them
        # once, as the store does for a database from before the counters.
        store.count_again_if_needed()
    finally:
        store.close()
    return time.monotonic() - started


@dataclass
class MemoryResult:
    """Server memory and join time with many stored posts and connected screens."""

    posts: int
    screens: int
    join_timeout: float
    fill_s: float = 0.0
    join_s: float | None = None
    joined: int = 0
    rss_mb: float | None = None
    peak_rss_mb: float | None = None
    error: str = ""


def run_memory(posts: int, screens: int, join_timeout: float, procs: int = 4,
               async_mode: str = "gevent") -> MemoryResult:
    """Fill a SQLite wall with posts, start the server, join screens, read its memory."""
    result = MemoryResult(posts, screens, join_timeout)
    with tempfile.TemporaryDirectory(prefix="wall-memory-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        try:
            result.fill_s = fill(url, posts)
            server = socialwall(Path(folder), async_mode, url)
            try:
                server.start()
                with fleet(server.url, screens, procs=procs) as group:
                    result.join_s, result.joined = group.join(join_timeout)
                    driver.steady(server.url, "m", 10, 2)
                    group.wait_delivered("m", 20 * screens, 20)
                    result.rss_mb = server.rss_mb()
                result.peak_rss_mb = server.peak_rss_mb()
            finally:
                server.stop()
        except Exception as exc:  # reported in the table; the run goes on
            result.error = f"{type(exc).__name__}: {exc}"[:200]
    return result
