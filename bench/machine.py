"""Describe the machine and the software versions a benchmark ran on."""

from __future__ import annotations

import json
import os
import platform
import sqlite3
import subprocess
from importlib.metadata import PackageNotFoundError, version

from bench.servers import BENCH

PACKAGES = ("flask", "flask-socketio", "python-socketio", "python-engineio", "simple-websocket",
            "gevent", "eventlet", "werkzeug", "sqlalchemy", "psycopg")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def _node_package(name: str) -> str:
    try:
        path = BENCH / "node_modules" / name / "package.json"
        return str(json.loads(path.read_text())["version"])
    except (OSError, ValueError, KeyError):
        return "-"


def _command(*args: str) -> str:
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "-"


def load() -> str:
    """Return the load average (1, 5, 15 min)."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def describe() -> list[str]:
    """Return lines describing cores, load and versions."""
    model = "-"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):  # noqa: SIM115
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    python_packages = ", ".join(f"{p} {_version(p)}" for p in PACKAGES)
    return [
        f"machine: {os.cpu_count()} cores ({model}), load average {load()}, "
        f"{platform.system()} {platform.release()}",
        f"python {platform.python_version()}: {python_packages}, sqlite {sqlite3.sqlite_version}",
        f"node {_command('node', '--version')}: socket.io {_node_package('socket.io')}, "
        f"socket.io-client {_node_package('socket.io-client')}",
    ]
