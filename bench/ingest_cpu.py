"""Webhook ingest with the server's CPU: posts/s, CPU per post, CPU use, posts per commit.

Usage: python -m bench.ingest_cpu [--shapes 100,1] [--rounds 3] [--seconds 8]
  [--mode gevent]
Each round starts a fresh `socialwall run` on SQLite from the current directory (run it
from a worktree of another commit to compare, alternating, as docs/benchmarks.md does)
and sends batches of N posts from Python on 4 connections, or single posts (N = 1) from
wrk on 4 connections when wrk is installed. It reports figures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

import requests

from bench.ingest import _pound, _pound_wrk
from bench.servers import socialwall


def metric(url: str, name: str) -> float:
    """Read one counter from the server's /metrics."""
    found = re.search(rf"^{name} ([0-9.e+]+)$", requests.get(f"{url}/metrics", timeout=10).text,
                      re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def one(shape: int, seconds: float, mode: str) -> str:
    """Measure one shape on a fresh server; return its line."""
    with tempfile.TemporaryDirectory(prefix="wall-ingest-cpu-") as folder:
        server = socialwall(Path(folder), mode, f"sqlite:///{folder}/bench.db")
        server.start()
        try:
            cpu, began = server.cpu_seconds(), time.monotonic()
            accepted, took = (_pound_wrk(server.url, seconds, 4) if shape == 1
                              else _pound(server.url, shape, seconds, 4))
            used, wall = server.cpu_seconds() - cpu, time.monotonic() - began
            commits = metric(server.url, "socialwall_ingest_commits_total")
            posts = metric(server.url, "socialwall_ingest_committed_posts_total")
        finally:
            server.stop()
    shape_text = "single posts (wrk)" if shape == 1 else f"batches of {shape}"
    return (f"{shape_text}: {accepted / took:,.0f} posts/s, {used / accepted * 1e6:,.0f} us "
            f"CPU/post, {100 * used / wall:.0f} % CPU, "
            f"{posts / commits if commits else 0:.1f} posts/commit")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shapes", default="100,1")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--mode", default="gevent")
    args = parser.parse_args()
    for _ in range(args.rounds):
        for shape in (int(s) for s in args.shapes.split(",")):
            print(one(shape, args.seconds, args.mode), flush=True)


if __name__ == "__main__":
    main()
