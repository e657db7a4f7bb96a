"""One fan-out scenario: a server, N screens, steady and saturated posts, approvals."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from bench import driver
from bench.figures import Latency, percentile, summarise
from bench.fleet import fleet
from bench.servers import Server, node_reference, socialwall


@dataclass
class Plan:
    """How long each phase runs; --quick shortens everything."""

    steady_rate: float = 10.0
    steady_s: float = 6.0
    saturate_s: float = 3.0
    saturate_deliveries: int = 150_000  # posts sent = this / screens: bounded work per run
    approvals: int = 10
    join_timeout: float = 90.0
    drain_timeout: float = 30.0
    keepalive_requests: int = 200
    heartbeat_s: float = 15.0  # as static/js/screen.js (HEARTBEAT_MS)
    procs: int = 4
    restart: bool = True  # stop and start the server, time until every screen is back
    # Seconds between the last join and the steady phase. Right after 1,000 screens join
    # at once, their connections finish settling (transport upgrades) for a second or
    # two: measured at once, one or two posts waited ~200 ms behind that (no single task
    # held the loop over 30 ms, gevent's monitor says). Steady means after it; the join
    # itself is its own column.
    settle_s: float = 5.0


@dataclass
class Result:
    """The figures of one (server, screens) scenario."""

    server: str
    screens: int
    join_s: float | None = None
    joined: int = 0
    steady: Latency | None = None
    deliveries_per_s: float | None = None
    delivered: int = 0
    expected: int = 0
    cpu_us_per_delivery: float | None = None
    peak_rss_mb: float | None = None
    approve_p50: float | None = None
    approve_p99: float | None = None
    approve_lost: int = 0
    keepalive_ms: float | None = None
    restart_s: float | None = None  # server stopped -> every screen joined again
    server_restart_s: float | None = None  # of which: stopped -> the new process listens
    stale: int = 0
    batches: int = 0
    error: str = ""
    notes: list[str] = field(default_factory=list)


def keepalive_times(url: str, requests_count: int, path: str = "/healthz") -> list[float]:
    """Time sequential GETs on one kept-alive connection, in milliseconds each."""
    times = []
    with requests.Session() as http:
        http.get(f"{url}{path}", timeout=30)
        for _ in range(requests_count):
            start = time.perf_counter()
            http.get(f"{url}{path}", timeout=30)
            times.append((time.perf_counter() - start) * 1000)
    return times


def keepalive_ms(url: str, requests_count: int) -> float | None:
    """Return the median time of sequential GET /healthz on one kept-alive connection."""
    return percentile(keepalive_times(url, requests_count), 50) if requests_count > 0 else None


def _approvals(url: str, screens: Any, plan: Plan, joined: int, result: Result) -> None:
    """Time approve -> every joined screen, for a few posts approved one by one."""
    approved = driver.approvals(url, plan.approvals)
    screens.wait_delivered("a", len(approved) * joined, plan.drain_timeout)
    arrivals: dict[int, list[float]] = {}
    for n, at in screens.report("a")["latencies"]:
        arrivals.setdefault(int(n), []).append(at)
    all_screens = [max(arrivals[n]) - t0 for n, t0 in approved.items()
                   if len(arrivals.get(n, [])) >= joined]
    result.approve_lost = sum(max(0, joined - len(arrivals.get(n, []))) for n in approved)
    result.approve_p50 = percentile(all_screens, 50)
    result.approve_p99 = percentile(all_screens, 99)


def _run(server: Server, screens: int, plan: Plan, result: Result) -> None:
    url = server.url
    result.keepalive_ms = keepalive_ms(url, plan.keepalive_requests)
    with fleet(url, screens, procs=plan.procs, heartbeat_s=plan.heartbeat_s) as group:
        result.join_s, result.joined = group.join(plan.join_timeout)
        joined = result.joined
        if not joined:
            result.error = "no screen joined"
            return
        time.sleep(plan.settle_s)
        accepted = driver.steady(url, "s", plan.steady_rate, plan.steady_s)
        group.wait_delivered("s", accepted * joined, plan.drain_timeout)
        result.steady = summarise(group.report("s")["latencies"], accepted * joined)

        cpu_before = server.cpu_seconds()
        limit = max(20, plan.saturate_deliveries // screens)
        burst = driver.saturate(url, "x", plan.saturate_s, batch=min(100, max(1, limit // 4)),
                                limit=limit)
        group.wait_delivered("x", burst.accepted * joined, plan.drain_timeout)
        cpu = server.cpu_seconds() - cpu_before
        report = group.report("x")
        result.delivered, result.expected = report["count"], burst.accepted * joined
        if report["count"] and report["last"]:
            result.deliveries_per_s = report["count"] / ((report["last"] - burst.started_ms) / 1000)
            result.cpu_us_per_delivery = cpu / report["count"] * 1e6
        if server.name.startswith("socialwall") and plan.approvals:
            _approvals(url, group, plan, joined, result)
        totals = group.count()
        result.stale, result.batches = totals["stale"], totals["batches"]
        result.peak_rss_mb = server.peak_rss_mb()
        if plan.restart:
            _restart(server, group, plan, joined, result)


def _restart(server: Server, screens: Any, plan: Plan, joined: int, result: Result) -> None:
    """Restart the server on its port; time until every screen that had joined is back.

    The screens reconnect with socket.io-client's backoff (1 s doubling to 10 s, as the
    feed page) and join again with `since`; the database is kept, as on a real restart.
    """
    began = time.monotonic()
    result.server_restart_s = server.restart()
    if screens.wait_rejoined(joined, plan.join_timeout):
        result.restart_s = time.monotonic() - began
    else:
        result.notes.append(f"{screens.count()['rejoined']} of {joined} back after the restart")


def run_fanout(kind: str, screens: int, plan: Plan, server_extra: str = "",
               label: str = "") -> Result:
    """Run one scenario; kind is an async mode of socialwall or "node"."""
    result = Result(server=label or kind, screens=screens)
    with tempfile.TemporaryDirectory(prefix="wall-bench-") as folder:
        server = (node_reference() if kind == "node"
                  else socialwall(Path(folder), kind, server_extra=server_extra))
        try:
            server.start()
            _run(server, screens, plan, result)
        except Exception as exc:  # a failed scenario is reported, and the run goes on
            result.error = f"{type(exc).__name__}: {exc}"[:200]
        finally:
            server.stop()
    if result.delivered < result.expected or result.approve_lost or result.error:
        # Something went missing: what the server said is the first thing to read.
        said = [line.strip() for line in server.output
                if "WARNING" in line or "ERROR" in line or "Traceback" in line]
        result.notes += said[-5:] or ["the server logged no warning"]
    return result
