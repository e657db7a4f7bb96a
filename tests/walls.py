"""A real `socialwall run --walls DIR` process on 127.0.0.1, and its wall files."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import PASSWORD, TOKEN, WallServer

WALL_TOML = """
[wall]
title = "{title}"
hashtags = ["{slug}"]

[server]
instance_dir = "{slug}-data"

[moderation]
mode = "{mode}"

[moderators]
password_env = "TEST_WALL_PASSWORD"

[[sources]]
type = "webhook"
token_env = "TEST_WALL_TOKEN"
"""


def write_wall(folder: Path, slug: str, title: str, mode: str = "post") -> Path:
    """Write SLUG.toml in the folder: a webhook wall with its own data folder."""
    path = folder / f"{slug}.toml"
    path.write_text(WALL_TOML.format(slug=slug, title=title, mode=mode), encoding="utf-8")
    return path


class WallsServer(WallServer):
    """A real server of a folder of walls (`socialwall run --walls`)."""

    LISTENING = r"serving the walls of .* at http://127\.0\.0\.1:(\d+)/"

    @property
    def folder(self) -> Path:
        """Return the folder of walls served."""
        return self.config_path

    def argv(self) -> list[str]:
        """Return the command that serves the folder."""
        return [sys.executable, "-m", "wall.cli", "run", "--walls", str(self.folder),
                "--port", "0", "--log-level", "INFO"]

    def push(self, slug: str, text: str) -> int:
        """Send one post through a wall's webhook and return its id."""
        reply = requests.post(f"{self.url}/w/{slug}/api/ingest",
                              json={"posts": [{"author": "Camille", "text": text}]},
                              headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
        assert reply.status_code == 202, reply.text
        return int(reply.json()["ids"][0])

    def moderator(self, slug: str) -> requests.Session:
        """Return an HTTP session logged in on one wall, sending its CSRF header."""
        http = requests.Session()
        reply = http.post(f"{self.url}/w/{slug}/moderate/login",
                          data={"name": "Mo", "password": PASSWORD}, timeout=10)
        reply.raise_for_status()
        match = re.search(r'data-csrf="([^"]+)"', reply.text)
        assert match, "moderator page has no data-csrf"
        http.headers["X-CSRF-Token"] = match.group(1)
        return http

    def wait_for(self, slug: str, status: int, timeout: float = 20) -> None:
        """Wait until a wall's feed page answers with that status (hot add or removal)."""
        deadline = time.monotonic() + timeout
        while True:
            got = requests.get(f"{self.url}/w/{slug}/screen/feed", timeout=10).status_code
            if got == status:
                return
            assert time.monotonic() < deadline, f"/w/{slug}/ still answers {got}"
            time.sleep(0.2)

    def screen(self, slug: str) -> tuple[Any, dict[str, Any]]:
        """Connect a feed screen to a wall's namespace; return it and its sync."""
        client = socketio.SimpleClient()
        client.connect(self.url, namespace=f"/w/{slug}", transports=["websocket"])
        ack = client.call("join_screen", {"screen": "feed", "name": "lobby"}, timeout=10)
        return client, ack


@pytest.fixture
def walls_folder(tmp_path: Path) -> Path:
    """A folder with two walls, alpha and beta."""
    folder = tmp_path / "walls"
    folder.mkdir()
    write_wall(folder, "alpha", "Alpha Summit")
    write_wall(folder, "beta", "Beta Days")
    return folder


@pytest.fixture
def walls_server(walls_folder: Path) -> Iterator[WallsServer]:
    """A running server of the two-wall folder."""
    server = WallsServer(walls_folder)
    server.start()
    yield server
    server.stop()
