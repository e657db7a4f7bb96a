"""Run the benchmarks and print the machine and the tables (`make bench`, `make bench-quick`).

Usage: python -m bench.run [--quick] [--screens 100,500] [--servers gevent,node] [--json FILE]
Everything runs on 127.0.0.1, every loop is bounded, and every process is stopped at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench import machine
from bench.fanout import Plan, Result, run_fanout
from bench.figures import Latency, ms, ratio, render
from bench.ingest import IngestResult, MemoryResult, run_ingest, run_memory

MODES = ("gevent", "eventlet", "threading")
QUICK = Plan(steady_s=2, settle_s=1, saturate_s=1, saturate_deliveries=10_000, approvals=3,
             join_timeout=30, drain_timeout=10, keepalive_requests=20)
QUICK_SCREENS = "50"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="about two minutes: 50 screens, "
                        "short phases, SQLite ingest only, 5,000 stored posts")
    parser.add_argument("--screens", help="comma-separated screen counts (default 100,500,1000)")
    parser.add_argument("--servers", default=",".join((*MODES, "node")),
                        help="comma-separated: gevent, eventlet, threading, node")
    parser.add_argument("--no-ingest", action="store_true", help="skip the ingest figures")
    parser.add_argument("--no-memory", action="store_true", help="skip the stored-posts figure")
    parser.add_argument("--stored", type=int, help="posts stored for the memory figure")
    parser.add_argument("--heartbeat", type=float, help="seconds between a screen's "
                        "heartbeats (default 15, as the feed page)")
    parser.add_argument("--json", type=Path, help="also write every figure to this JSON file")
    return parser.parse_args(argv)


def fanout_table(results: list[Result]) -> str:
    """Render the fan-out results, each row beside the Node row of the same size."""
    node = {r.screens: r for r in results if r.server == "node"}
    rows = []
    for r in results:
        ref = node.get(r.screens)
        lat = r.steady or Latency(None, None, None, 0, 0)
        rows.append([
            str(r.screens), "node socket.io" if r.server == "node" else f"socialwall {r.server}",
            f"{r.deliveries_per_s:,.0f}" if r.deliveries_per_s else "-",
            ratio(r.deliveries_per_s, ref.deliveries_per_s if ref else None),
            f"{ms(lat.p50)} / {ms(lat.p95)} / {ms(lat.p99)}",
            f"{lat.lost + max(0, r.expected - r.delivered)}",
            ms(r.cpu_us_per_delivery),
            ratio(r.cpu_us_per_delivery, ref.cpu_us_per_delivery if ref else None),
            ms(r.peak_rss_mb),
            "-" if r.join_s is None else f"{r.join_s:.1f}",
            "-" if r.restart_s is None else f"{r.restart_s:.1f} ({ms(r.server_restart_s)})",
            f"{ms(r.approve_p50)} / {ms(r.approve_p99)}" if r.approve_p50 is not None else "-",
            ms(r.keepalive_ms),
            r.error or "; ".join([*([] if r.joined == r.screens else [f"{r.joined} joined"]),
                                  *r.notes]),
        ])
    return render(["screens", "server", "deliveries/s (saturated)", "vs node",
                   "ingest->screen p50/p95/p99 ms (10 posts/s)", "lost", "CPU us/delivery",
                   "vs node", "peak RSS MB", "join all s",
                   "back after restart s (server)", "approve->all p50/p99 ms",
                   "keep-alive ms/req", "notes"], rows)


def other_table(ingest: list[IngestResult], memory: MemoryResult | None) -> str:
    """Render the ingest and stored-posts figures."""
    rows = [[f"webhook ingest, {i.shape}, {i.database}",
             f"{i.per_s:,.0f} posts/s" if i.per_s else "-",
             i.error or (f"{i.stored} stored of {i.accepted} acknowledged"
                         + ("" if i.count_ok else " MISMATCH"))] for i in ingest]
    if memory is not None:
        rows.append([f"server with {memory.posts:,} stored posts, {memory.screens} screens",
                     f"RSS {ms(memory.rss_mb)} MB (peak {ms(memory.peak_rss_mb)})",
                     memory.error or f"{memory.joined} joined in {ms(memory.join_s)} s "
                     f"(timeout {ms(memory.join_timeout)} s), fill {memory.fill_s:.0f} s"])
    return render(["what", "figure", "notes"], rows)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks and print the results."""
    args = parse_args(argv)
    plan = dataclasses.replace(QUICK if args.quick else Plan())
    if args.heartbeat:
        plan.heartbeat_s = args.heartbeat
    sizes = [int(s) for s in (args.screens or (QUICK_SCREENS if args.quick else "100,500,1000"))
             .split(",")]
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    started = time.monotonic()
    say = print  # the harness is a command-line tool: it prints its report
    for line in machine.describe():
        say(line)
    say(f"plan: {dataclasses.asdict(plan)}")
    results: list[Result] = []
    for screens in sizes:
        for server in servers:
            say(f"... {server}, {screens} screens (load {machine.load()}, "
                f"{time.monotonic() - started:.0f} s)", flush=True)
            results.append(run_fanout(server, screens, plan))
    ingest: list[IngestResult] = []
    if not args.no_ingest:
        seconds = 2.0 if args.quick else 6.0
        for database in ("sqlite",) if args.quick else ("sqlite", "postgresql"):
            for batch in (100, 1):
                say(f"... ingest {database}, batch {batch} (load {machine.load()})", flush=True)
                ingest.append(run_ingest(database, batch, seconds))
    memory = None
    if not args.no_memory:
        stored = args.stored or (5_000 if args.quick else 100_000)
        screens = 50 if args.quick else 1000
        say(f"... {stored:,} stored posts, {screens} screens (load {machine.load()})", flush=True)
        memory = run_memory(stored, screens, plan.join_timeout)
    say("")
    say(fanout_table(results))
    say("")
    say(other_table(ingest, memory))
    say(f"\ntook {time.monotonic() - started:.0f} s; load average now {machine.load()}")
    if args.json:
        args.json.write_text(json.dumps({
            "machine": machine.describe(), "plan": dataclasses.asdict(plan),
            "fanout": [_plain(r) for r in results], "ingest": [_plain(i) for i in ingest],
            "memory": _plain(memory) if memory else None}, indent=1))
    return 0


def _plain(item: Any) -> Any:
    return dataclasses.asdict(item)


if __name__ == "__main__":
    sys.exit(main())
