"""Media failures are visible on the post and in media_health, and retried without a restart."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import media_corpus as corpus
from tests.conftest import make_post, write_config
from wall.config import load_config
from wall.media import worker as worker_module
from wall.media.worker import MediaWorker, media_health

MEDIA_TOML = """
[media]
allow_private_addresses = true
timeout_seconds = 3
"""


@pytest.fixture
def server() -> Iterator[corpus.ImageServer]:
    stand_in = corpus.ImageServer()
    yield stand_in
    stand_in.close()


@pytest.fixture
def media_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from wall import create_app

    monkeypatch.setattr(worker_module, "RETRY_START", 0.5)  # seconds, not minutes, in a test
    path = write_config(tmp_path, mode="post", async_mode="threading", extra=MEDIA_TOML)
    app = create_app(load_config(path), {"TESTING": True})
    yield app
    app.extensions["socialwall"].store.close()


def wait_for(check: Any, timeout: float = 30) -> Any:
    """Poll until check() is truthy; return its value."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("condition not met in time")


def test_an_unwritable_cache_shows_on_the_post_and_heals_without_a_restart(
        media_app: Any, server: corpus.ImageServer) -> None:
    worker: MediaWorker = media_app.extensions["socialwall.media"]
    root = worker.cache.root
    shutil.rmtree(root)
    root.write_bytes(b"")  # a file where the cache folder should be: every write fails
    image = server.add("/photo.jpg", corpus.photo((640, 480)))
    store = media_app.extensions["socialwall"].store
    post_id = int(media_app.extensions["socialwall"].pipeline.submit(
        make_post(media=[image])).post["id"])

    post = wait_for(lambda: store.get(post_id)["media_errors"] and store.get(post_id))
    assert "media cache not writable" in post["media_errors"][0]
    assert any("media cache not writable" in r for r in post["reasons"])  # moderators see it
    health = media_health(media_app)
    assert health["state"] == "degraded" and "not writable" in health["last_error"]
    assert health["retrying"] == 1

    root.unlink()
    root.mkdir()  # the operator frees the disk: the next retry succeeds
    healed = wait_for(lambda: store.get(post_id)["media"] and store.get(post_id))
    assert healed["media"][0]["url"].startswith("/media/cache/")
    assert healed["media_errors"] == []
    assert media_health(media_app)["state"] == "ok"


def test_a_failed_fetch_is_retried_and_a_bad_image_is_not(
        media_app: Any, server: corpus.ImageServer) -> None:
    worker: MediaWorker = media_app.extensions["socialwall.media"]
    missing = f"{server.base}/later.jpg"  # 404 now, there on the next try
    not_an_image = server.add("/fake.jpg", b"this is not an image", content_type="image/jpeg")
    pipeline = media_app.extensions["socialwall"].pipeline
    store = media_app.extensions["socialwall"].store
    late = int(pipeline.submit(make_post(media=[missing])).post["id"])
    bad = int(pipeline.submit(make_post(media=[not_an_image])).post["id"])
    wait_for(lambda: store.get(late)["media_errors"] and store.get(bad)["media_errors"])
    assert [job.post_id for _, _, job in worker.retries] == [late]
    server.add("/later.jpg", corpus.photo((640, 480)))
    wait_for(lambda: store.get(late)["media"])
    assert store.get(late)["media"][0]["url"].startswith("/media/cache/")
    assert store.get(bad)["media"] == []
