"""A real server in every async mode: images arrive on screens in a post_updated event."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from tests import media_corpus as corpus
from tests.conftest import WallServer
from tests.test_realtime import receive_until, screen_client

MEDIA_TOML = """
[media]
allow_private_addresses = true
timeout_seconds = 5
"""


@pytest.fixture
def images() -> Iterator[corpus.ImageServer]:
    stand_in = corpus.ImageServer()
    yield stand_in
    stand_in.close()


@pytest.mark.parametrize("async_mode", ["gevent", "eventlet", "threading"])
def test_images_follow_the_post_in_every_async_mode(
        wall_server_factory: Any, images: corpus.ImageServer, async_mode: str) -> None:
    server: WallServer = wall_server_factory(mode="post", async_mode=async_mode,
                                             extra=MEDIA_TOML)
    screen, _ack = screen_client(server)
    photo = images.add("/p.jpg", corpus.exif_rotated_with_gps(), content_type="image/jpeg")
    avatar = images.add("/a.png", corpus.palette_transparent())
    [post_id] = server.push({"author": "Ada", "text": "photo", "media_urls": [photo],
                             "avatar_url": avatar})
    [added] = receive_until(screen, "post_added", timeout=15)
    assert added["post"]["id"] == post_id and added["post"]["media"] == []
    [updated] = receive_until(screen, "post_updated", timeout=30)
    post = updated["post"]
    assert updated["seq"] > added["seq"] and post["id"] == post_id
    [item] = post["media"]
    assert (item["width"], item["height"]) == (100, 300)  # EXIF rotation applied
    assert post["avatar"].startswith("/media/cache/")
    for url in (item["url"], item["fallback"], item["full"], post["avatar"]):
        reply = requests.get(server.url + url, timeout=10)
        assert reply.status_code == 200 and reply.headers["Content-Type"].startswith("image/")
        assert b"SpyCam" not in reply.content
    screen.disconnect()
