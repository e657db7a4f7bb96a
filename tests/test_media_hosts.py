"""Images across hosts: servers sharing one media folder serve each other's cached images."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests import media_corpus as corpus
from tests.conftest import WallServer, write_config
from tests.pg import fresh_database
from tests.standins import wait_for

MEDIA_TOML = """
[media]
allow_private_addresses = true
timeout_seconds = 5
"""


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh database on this machine's PostgreSQL, shared by the hosts."""
    with fresh_database("socialwall_media_hosts") as url:
        yield url


@pytest.fixture
def images() -> Iterator[corpus.ImageServer]:
    """A loopback HTTP stand-in for a network's image host."""
    stand_in = corpus.ImageServer()
    yield stand_in
    stand_in.close()


def host(tmp_path: Path, name: str, database: str, shared: Path | None) -> WallServer:
    """Start a server with an instance folder of its own, as on another machine; its
    instance/media is the shared folder when `shared` is given (an NFS mount, one volume)."""
    folder = tmp_path / name
    folder.mkdir()
    if shared is not None:
        (folder / "instance").mkdir()
        (folder / "instance" / "media").symlink_to(shared, target_is_directory=True)
    config = write_config(folder, mode="post", extra=MEDIA_TOML)
    text = config.read_text(encoding="utf-8").replace(
        "[server]\n", f'[server]\ndatabase = "{database}"\n', 1)
    config.write_text(text, encoding="utf-8")
    server = WallServer(config, args=("--no-sources",))
    server.start()
    return server


@pytest.mark.slow
@pytest.mark.timeout(300)  # three servers starting on a shared 2-core machine
def test_an_image_cached_by_one_host_is_served_by_the_other(
        tmp_path: Path, pg_url: str, images: corpus.ImageServer) -> None:
    shared = tmp_path / "shared-media"
    shared.mkdir()
    started: list[WallServer] = []
    try:
        a = host(tmp_path, "a", pg_url, shared)
        started.append(a)
        b = host(tmp_path, "b", pg_url, shared)
        started.append(b)
        alone = host(tmp_path, "alone", pg_url, None)  # its own media folder: the control
        started.append(alone)
        photo = images.add("/p.jpg", corpus.photo(), content_type="image/jpeg")
        [post_id] = a.push({"author": "Ada", "text": "a photo through host A",
                            "media_urls": [photo]})

        def fetched() -> Any:
            posts = requests.get(f"{b.url}/api/posts", timeout=10).json()["posts"]
            post = next((p for p in posts if p["id"] == post_id), None)
            return post["media"] if post and post["media"] else None

        [item] = wait_for(fetched, timeout=60, what="host A to fetch and cache the image")
        for url in (item["url"], item["fallback"], item["full"]):
            assert url.startswith("/media/")
            on_a = requests.get(a.url + url, timeout=10)
            on_b = requests.get(b.url + url, timeout=10)
            assert on_b.status_code == 200 and on_b.headers["Content-Type"].startswith("image/")
            assert on_b.content == on_a.content
            # Without the shared folder the other host has the post but not its image.
            assert requests.get(alone.url + url, timeout=10).status_code == 404
    finally:
        for server in started:
            server.stop()
