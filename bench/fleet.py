"""A fleet of socket.io-client screens spread over several Node processes (screens.js)."""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench.servers import BENCH


class Fleet:
    """Screens in `procs` Node processes, driven through their stdin and stdout."""

    def __init__(self, url: str, screens: int, procs: int = 4, heartbeat_s: float = 15.0,
                 lifetime_s: int = 900) -> None:
        self.screens = screens
        procs = max(1, min(procs, screens))
        shares = [screens // procs + (1 if i < screens % procs else 0) for i in range(procs)]
        self.procs: list[subprocess.Popen[str]] = []
        self.inbox: list[queue.Queue[dict[str, Any]]] = []
        for i, share in enumerate(shares):
            proc = subprocess.Popen(
                ["node", str(BENCH / "screens.js"), "--url", url, "--count", str(share),
                 "--heartbeat", str(int(heartbeat_s * 1000)), "--name", f"p{i}",
                 "--lifetime", str(lifetime_s)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                text=True, bufsize=1)
            box: queue.Queue[dict[str, Any]] = queue.Queue()
            threading.Thread(target=self._pump, args=(proc, box), daemon=True).start()
            self.procs.append(proc)
            self.inbox.append(box)

    @staticmethod
    def _pump(proc: subprocess.Popen[str], box: queue.Queue[dict[str, Any]]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                box.put(json.loads(line))
            except ValueError:
                continue

    def _send(self, command: str) -> None:
        for proc in self.procs:
            if proc.poll() is None and proc.stdin is not None:
                try:
                    proc.stdin.write(command + "\n")
                    proc.stdin.flush()
                except (BrokenPipeError, OSError):
                    continue  # a crashed load process: its screens count as missing

    def _collect(self, kind: str, timeout: float) -> list[dict[str, Any]]:
        """Wait for one message of this kind from every process (fewer on timeout)."""
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] = []
        for box in self.inbox:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    message = box.get(timeout=left)
                except queue.Empty:
                    break
                if message.get("type") == kind:
                    found.append(message)
                    break
        return found

    def join(self, timeout: float) -> tuple[float | None, int]:
        """Connect every screen; return (seconds until all joined or None, screens joined)."""
        self._collect("ready", 60)  # Node has loaded socket.io-client everywhere
        started = time.time() * 1000
        self._send("go")
        done = self._collect("joined", timeout)
        if len(done) == len(self.procs):
            return (max(m["at"] for m in done) - started) / 1000, self.screens
        return None, self.count()["joined"]

    def count(self) -> dict[str, Any]:
        """Return the fleet's totals: joined screens and deliveries per phase."""
        self._send("count")
        total: dict[str, Any] = {"joined": 0, "rejoined": 0, "connected": 0, "delivered": {},
                                 "stale": 0, "batches": 0, "errors": 0}
        for message in self._collect("count", 10):
            total["joined"] += message["joined"]
            total["rejoined"] += message.get("rejoined", 0)
            total["connected"] += message.get("connected", 0)
            total["stale"] += message["stale"]
            total["batches"] += message["batches"]
            total["errors"] += message["errors"]
            for key, n in message["delivered"].items():
                total["delivered"][key] = total["delivered"].get(key, 0) + n
        return total

    def wait_rejoined(self, expected: int, timeout: float) -> bool:
        """Wait until `expected` screens joined again after losing the server."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.count()["rejoined"] >= expected:
                return True
            time.sleep(0.1)
        return False

    def wait_delivered(self, phase: str, expected: int, timeout: float,
                       idle: float = 3.0) -> int:
        """Wait until `expected` deliveries of a phase, no progress for `idle` s, or timeout."""
        deadline = time.monotonic() + timeout
        last, since = -1, time.monotonic()
        while time.monotonic() < deadline:
            got = int(self.count()["delivered"].get(phase, 0))
            if got >= expected:
                return got
            if got != last:
                last, since = got, time.monotonic()
            elif time.monotonic() - since > idle:
                return got
            time.sleep(0.3)
        return max(last, 0)

    def report(self, phase: str) -> dict[str, Any]:
        """Collect and reset a phase: every latency, the count, first and last arrival."""
        self._send(f"report {phase}")
        merged: dict[str, Any] = {"latencies": [], "count": 0, "first": None, "last": None}
        for message in self._collect("report", 30):
            merged["latencies"].extend(message["latencies"])
            merged["count"] += message["count"]
            for key, pick in (("first", min), ("last", max)):
                if message[key] is not None:
                    merged[key] = (message[key] if merged[key] is None
                                   else pick(merged[key], message[key]))
        return merged

    def close(self) -> None:
        """Disconnect every screen and end the processes."""
        self._send("quit")
        for proc in self.procs:
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
            for stream in (proc.stdin, proc.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except (BrokenPipeError, OSError):
                        pass


@contextmanager
def fleet(url: str, screens: int, **kwargs: Any) -> Iterator[Fleet]:
    """Run a fleet for the duration of a with-block."""
    group = Fleet(url, screens, **kwargs)
    try:
        yield group
    finally:
        group.close()
