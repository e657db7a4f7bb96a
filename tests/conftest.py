"""Shared fixtures: configs, an in-process app, a real server on 127.0.0.1, factories."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from wall.config import WallConfig, load_config
from wall.models import Media, Post

pytest_plugins = ["tests.browser", "tests.kiosk", "tests.walls"]

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
TOKEN = "test-webhook-token"

BASE_TOML = """
[wall]
title = "Test Wall"
hashtags = ["TestDays"]
language = "en"

[server]
async_mode = "{async_mode}"
instance_dir = "{instance}"

[screens]
max_cards = 12
highlight_seconds = 3
{screens}

[moderation]
mode = "{mode}"
blocked_words = ["arnaque", "scam"]
blocked_authors = ["@spambot3000"]
trusted_authors = ["@velocia"]
{moderation}
[moderators]
password_env = "TEST_WALL_PASSWORD"

[[sources]]
type = "webhook"
token_env = "TEST_WALL_TOKEN"
"""


# For tests of the flow from a network, not of the rules: replies, reposts, bots and
# sensitive posts in the recorded payloads pass, as a wall that switched those rules off.
KEEP_ALL_KINDS = """
drop_replies = false
drop_reposts = false
drop_bots = false
drop_sensitive = false
"""


def write_config(tmp_path: Path, *, mode: str = "pre", async_mode: str = "gevent",
                 extra: str = "", moderation: str = "", screens: str = "") -> Path:
    """Write a wall config under tmp_path; `moderation` and `screens` add keys to those tables."""
    instance = tmp_path / "instance"
    text = BASE_TOML.format(mode=mode, async_mode=async_mode, instance=instance,
                            moderation=textwrap.dedent(moderation),
                            screens=textwrap.dedent(screens))
    path = tmp_path / "wall.toml"
    path.write_text(text + textwrap.dedent(extra), encoding="utf-8")
    return path


_counter = iter(range(1, 10**9))


def make_post(**overrides: Any) -> Post:
    """Build a Post with sensible defaults; any field can be overridden."""
    n = next(_counter)
    values: dict[str, Any] = dict(
        source="webhook", external_id=f"ext-{n}", network="webhook",
        author=f"Author {n}", handle=f"@author{n}", text=f"Post number {n} #TestDays",
    )
    values.update(overrides)
    if "media" in values:
        values["media"] = tuple(m if isinstance(m, Media) else Media(m) for m in values["media"])
    return Post(**values)


@pytest.fixture(autouse=True)
def _secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_WALL_PASSWORD", PASSWORD)
    monkeypatch.setenv("TEST_WALL_TOKEN", TOKEN)


@pytest.fixture
def config(tmp_path: Path) -> WallConfig:
    """A post-moderation test config on a temporary SQLite file (threading mode)."""
    return load_config(write_config(tmp_path, mode="post", async_mode="threading"))


@pytest.fixture
def app(config: WallConfig) -> Any:
    """The Flask app in process, with no background sources."""
    from wall import create_app

    application = create_app(config, {"TESTING": True})
    yield application
    application.extensions["socialwall"].store.close()


@pytest.fixture
def client(app: Any) -> Any:
    """Flask's test client."""
    return app.test_client()


@pytest.fixture
def moderator_client(app: Any) -> Any:
    """A test client logged in as a moderator, sending the CSRF header."""
    test_client = app.test_client()
    reply = test_client.post("/moderate/login", data={"password": PASSWORD, "name": "Mo"})
    assert reply.status_code == 302
    with test_client.session_transaction() as sess:
        test_client.environ_base["HTTP_X_CSRF_TOKEN"] = sess["csrf"]
    return test_client


def receive_event(client: Any, timeout: float = 10) -> tuple[str, Any]:
    """Return a SimpleClient's next (event, payload), entries of `events` frames one by one."""
    pending: list[tuple[str, Any]] = client.__dict__.setdefault("socialwall_pending", [])
    while not pending:
        name, *args = client.receive(timeout=timeout)
        if name == "events":
            pending.extend((entry["type"], entry) for entry in args[0]["events"])
        else:
            pending.append((name, args[0] if args else None))
    return pending.pop(0)


_running: list[WallServer] = []  # servers started and not stopped, for failure reports


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Add what every running server process printed to a failing test's report."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when == "call":
        for server in list(_running):
            report.sections.append((f"server on port {server.port}",
                                    "".join(server.output[-200:]) or "(nothing printed)"))


@dataclass
class WallServer:
    """A real `socialwall run` process on 127.0.0.1."""

    config_path: Path
    port: int = 0
    command: str = "run"
    args: tuple[str, ...] = ()
    proc: subprocess.Popen[str] | None = None
    output: list[str] = field(default_factory=list)
    pump_thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # The line that says the server listens, with its port.
    LISTENING = r"Listening on http://127\.0\.0\.1:(\d+)"

    def argv(self) -> list[str]:
        """Return the command that starts the server."""
        port = ("--port", str(self.port)) if self.command == "run" else ()
        return [sys.executable, "-m", "wall.cli", self.command, "--config",
                str(self.config_path), *port, "--log-level", "WARNING", *self.args]

    def start(self, timeout: float = 60) -> None:
        """Start the server and wait until it listens."""
        env = dict(os.environ, TEST_WALL_PASSWORD=PASSWORD, TEST_WALL_TOKEN=TOKEN,
                   PYTHONUNBUFFERED="1")
        self.proc = subprocess.Popen(
            self.argv(), cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True)
        ready = threading.Event()

        def pump() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                self.output.append(line)
                match = re.search(self.LISTENING, line)
                if match:
                    self.port = int(match.group(1))
                    ready.set()
                elif "ingest for" in line:
                    ready.set()

        self.pump_thread = threading.Thread(target=pump, daemon=True)
        self.pump_thread.start()
        _running.append(self)
        deadline = time.monotonic() + timeout
        while not ready.wait(0.1):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("server did not start:\n" + "".join(self.output))

    def stop(self) -> None:
        """Stop the server process."""
        _running[:] = [server for server in _running if server is not self]
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        if self.pump_thread is not None:
            self.pump_thread.join(10)
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()

    def session(self) -> requests.Session:
        """Return an HTTP session logged in as a moderator, sending the CSRF header."""
        http = requests.Session()
        reply = http.post(f"{self.url}/moderate/login", data={"password": PASSWORD},
                          timeout=10)
        reply.raise_for_status()
        match = re.search(r'data-csrf="([^"]+)"', reply.text)
        assert match, "moderator page has no data-csrf"
        http.headers["X-CSRF-Token"] = match.group(1)
        return http

    def metric(self, name: str) -> float:
        """Read a metric from /metrics: its value, summed over its labels if it has any."""
        text = requests.get(f"{self.url}/metrics", timeout=10).text
        found = re.findall(rf"^{re.escape(name)}(?:\{{[^}}]*\}})? ([0-9.e+-]+)$", text,
                           re.MULTILINE)
        assert found, f"{name} missing from /metrics"
        return sum(float(value) for value in found)

    def push(self, *posts: dict[str, Any]) -> list[int]:
        """Send posts through the webhook and return their ids."""
        reply = requests.post(f"{self.url}/api/ingest", json={"posts": list(posts)},
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert reply.status_code == 202, reply.text
        ids: list[int] = reply.json()["ids"]
        return ids


@pytest.fixture
def wall_server_factory(tmp_path: Path) -> Iterator[Callable[..., WallServer]]:
    """Start real servers with a chosen mode; all are stopped at the end."""
    started: list[WallServer] = []

    def start(*, mode: str = "pre", async_mode: str = "gevent", extra: str = "",
              moderation: str = "", screens: str = "") -> WallServer:
        path = write_config(tmp_path, mode=mode, async_mode=async_mode, extra=extra,
                            moderation=moderation, screens=screens)
        server = WallServer(path)
        server.start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def wall_server(wall_server_factory: Callable[..., WallServer]) -> WallServer:
    """A real pre-moderated wall server in gevent mode."""
    return wall_server_factory()
