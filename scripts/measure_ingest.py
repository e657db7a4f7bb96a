"""Measure webhook ingest on a real server: batches of 100, then single posts on 4 connections.

Usage: .venv/bin/python scripts/measure_ingest.py [--checkout DIR] [--mode gevent]
  [--database URL] [--posts 2000]
Starts `socialwall run` from DIR (default: this checkout) on a fresh SQLite file (or
the database URL given), prints posts per second for each shape and checks the count.
It reports figures; it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

TOKEN = "measure-token"
CONFIG = """
[wall]
title = "Measure"
hashtags = ["TestDays"]

[server]
async_mode = "{mode}"
instance_dir = "{instance}"
{database}

[moderation]
mode = "post"

[[sources]]
type = "webhook"
name = "webhook"
token_env = "MEASURE_TOKEN"
"""


def start(checkout: Path, config: Path) -> tuple[subprocess.Popen[str], str]:
    """Start a server and return it with its base URL."""
    env = dict(os.environ, MEASURE_TOKEN=TOKEN, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "wall.cli", "run", "--config", str(config),
                             "--port", "0", "--no-sources", "--log-level", "WARNING"],
                            cwd=checkout, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    for line in proc.stdout:
        found = re.search(r"Listening on (http://\S+)", line)
        if found:
            threading.Thread(target=lambda: [None for _ in proc.stdout or ()],  # drain
                             daemon=True).start()
            return proc, found.group(1)
    raise RuntimeError("server did not start")


def body(prefix: str, n: int) -> dict[str, str]:
    return {"id": f"{prefix}-{n}", "author": f"Guest {n % 300}", "handle": f"@g{n % 300}",
            "text": f"Measured post {n} about the #TestDays demo, number {n}"}


def batches(url: str, count: int) -> float:
    """Send count posts in batches of 100 on one connection; return posts/s."""
    http = requests.Session()
    began = time.perf_counter()
    for first in range(0, count, 100):
        posts = [body("batch", n) for n in range(first, min(first + 100, count))]
        reply = http.post(f"{url}/api/ingest", json={"posts": posts},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)
        assert reply.status_code == 202, reply.text
    return count / (time.perf_counter() - began)


def singles(url: str, count: int, connections: int = 4) -> float:
    """Send count posts one per request on `connections` kept-alive connections."""
    def send(worker: int) -> None:
        http = requests.Session()
        for n in range(worker, count, connections):
            reply = http.post(f"{url}/api/ingest", json=body("single", n),
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=300)
            assert reply.status_code == 202, reply.text

    began = time.perf_counter()
    with ThreadPoolExecutor(connections) as pool:
        list(pool.map(send, range(connections)))
    return count / (time.perf_counter() - began)


def cpu_seconds(pid: int) -> float:
    """Return a process's CPU time so far (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(pid: int, run: Callable[[], float], count: int) -> tuple[float, float]:
    """Run one shape; return (posts/s, server CPU microseconds per post)."""
    before = cpu_seconds(pid)
    rate = run()
    return rate, (cpu_seconds(pid) - before) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkout", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--mode", default="gevent")
    parser.add_argument("--database", default="")
    parser.add_argument("--posts", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "wall.toml"
        database = f'database = "{args.database}"' if args.database else ""
        config.write_text(CONFIG.format(mode=args.mode, instance=Path(tmp) / "instance",
                                        database=database), encoding="utf-8")
        proc, url = start(Path(args.checkout), config)
        try:
            rate_batch, cpu_batch = measured(proc.pid, lambda: batches(url, args.posts),
                                             args.posts)
            rate_single, cpu_single = measured(proc.pid, lambda: singles(url, args.posts),
                                               args.posts)
            stored = len(requests.get(f"{url}/api/posts", params={"limit": 500},
                                      timeout=30).json()["posts"])
        finally:
            proc.terminate()
            proc.wait(20)
    print(f"{args.mode} {args.database.split(':')[0] or 'sqlite'}: "
          f"batches of 100 {rate_batch:8.0f} posts/s ({cpu_batch:.0f} us CPU/post) | "
          f"single posts, 4 connections {rate_single:8.0f} posts/s ({cpu_single:.0f} us CPU/post)"
          f" | listed {stored} (limit 500) | load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
