"""Start and stop the servers under test: socialwall in one async mode, or the Node reference."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PASSWORD = "bench-moderator-password"
TOKEN = "bench-webhook-token"
TRUSTED = "@bench"  # posts from this handle skip the queue; others wait for a moderator
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

WALL_TOML = """
[wall]
title = "Bench wall"
hashtags = ["Bench"]
language = "en"

[server]
async_mode = "{async_mode}"
instance_dir = "{instance}"
{database}
# Every simulated screen comes from 127.0.0.1: no per-address connection limit here.
socket_connections_per_address = 0
socket_connects_per_minute = 0
{server_extra}

[moderation]
mode = "pre"
trusted_authors = ["{trusted}"]
detect_language = false
toxicity = false

[moderators]
password_env = "BENCH_WALL_PASSWORD"

[[sources]]
type = "webhook"
token_env = "BENCH_WALL_TOKEN"
"""


def write_wall_config(folder: Path, async_mode: str, database: str = "",
                      server_extra: str = "") -> Path:
    """Write a pre-moderated wall config with a webhook source under folder."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"wall-{async_mode}.toml"
    text = WALL_TOML.format(async_mode=async_mode, instance=folder / "instance",
                            database=f'database = "{database}"' if database else "",
                            trusted=TRUSTED, server_extra=server_extra)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass
class Server:
    """One server process on 127.0.0.1, found by the port it prints."""

    name: str
    command: list[str]
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    proc: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, timeout: float = 60) -> Server:
        """Start the process and wait until it listens."""
        self.proc = subprocess.Popen(self.command, cwd=ROOT, env={**os.environ, **self.env},
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True)
        found: queue.Queue[int] = queue.Queue()

        def pump() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                if len(self.output) < 500:
                    self.output.append(line)
                match = re.search(r"Listening on http://127\.0\.0\.1:(\d+)", line)
                if match:
                    found.put(int(match.group(1)))

        threading.Thread(target=pump, daemon=True).start()
        try:
            self.port = found.get(timeout=timeout)
        except queue.Empty:
            self.stop()
            raise RuntimeError(f"{self.name} did not start:\n{''.join(self.output)}") from None
        return self

    def restart(self, timeout: float = 60) -> float:
        """Stop the process and start it again on the same port; return when it listens.

        Returns the seconds between the stop signal and the new process listening.
        """
        began = time.monotonic()
        port = self.port
        self.stop()
        self.output.clear()
        self.command = [*self.command[:self.command.index("--port") + 1], str(port),
                        *self.command[self.command.index("--port") + 2:]]
        self.start(timeout)
        return time.monotonic() - began

    def cpu_seconds(self) -> float:
        """Return the user + system CPU time the server has used so far."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def peak_rss_mb(self) -> float:
        """Return the server's peak resident memory (VmHWM), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def rss_mb(self) -> float:
        """Return the server's resident memory now (VmRSS), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        """Stop the process: SIGINT, then SIGKILL after 10 s."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.proc.stdout:
            self.proc.stdout.close()


def socialwall(folder: Path, async_mode: str, database: str = "",
               server_extra: str = "") -> Server:
    """Return (not started) a `socialwall run` server; server_extra adds [server] keys."""
    config = write_wall_config(folder, async_mode, database, server_extra)
    return Server(
        name=f"socialwall ({async_mode})",
        command=[sys.executable, "-m", "wall.cli", "run", "--config", str(config),
                 "--port", "0", "--log-level", "WARNING"],
        env={"BENCH_WALL_PASSWORD": PASSWORD, "BENCH_WALL_TOKEN": TOKEN,
             "PYTHONUNBUFFERED": "1"})


def node_reference() -> Server:
    """Return (not started) the Node socket.io reference server."""
    return Server(name="node socket.io", command=["node", str(BENCH / "node_server.js"),
                                                   "--port", "0"])


def wait_for(check: object, timeout: float, step: float = 0.2) -> bool:
    """Poll a callable until it returns true or the timeout passes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(step)
    return False
