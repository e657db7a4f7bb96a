"""Disk full for the media cache: moderators see a banner, /healthz says degraded, both recover."""

from __future__ import annotations

import contextlib
import errno
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import requests

from tests import media_corpus as corpus
from tests.browser import screenshot
from tests.conftest import PASSWORD, WallServer, write_config
from tests.standins import wait_for
from wall.config import load_config
from wall.media import health as media_health_module

MEDIA_TOML = """
[media]
allow_private_addresses = true
timeout_seconds = 3
"""
TIMEOUT = 30_000  # ms: the banner reads the media's state every 10 s, the probe every 5 s


@contextlib.contextmanager
def full_disk(folder: Path) -> Iterator[str]:
    """Make `folder` a full disk; yield how ("tmpfs" or "file"); undo it on exit.

    A tiny tmpfs filled to the last byte is a real full disk (ENOSPC). Mounting needs
    root with CAP_SYS_ADMIN; without it, a file where the folder should be makes every
    write fail as well (as root, chmod would not stop a write).
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
                             capture_output=True, check=False).returncode == 0
    if mounted:
        try:
            with open(folder / "filler", "wb") as filler:
                while True:
                    filler.write(b"\0" * 4096)
                    filler.flush()
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    else:
        folder.rmdir()
        folder.write_bytes(b"")
    try:
        yield "tmpfs" if mounted else "file"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)
        elif folder.is_file():
            folder.unlink()
            folder.mkdir()


def free(folder: Path, how: str) -> None:
    """Free the disk as an operator would: delete the filler, or put the folder back."""
    if how == "tmpfs":
        (folder / "filler").unlink()
    else:
        folder.unlink()
        folder.mkdir()


def test_an_unwritable_cache_is_on_healthz_for_all_and_detailed_for_moderators(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from wall import create_app

    monkeypatch.setattr(media_health_module, "PROBE_EVERY", 0.0)
    app = create_app(load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                              extra=MEDIA_TOML)), {"TESTING": True})
    client = app.test_client()
    client.post("/moderate/login", data={"password": PASSWORD, "name": "Mo"})
    cache = app.extensions["socialwall.media"].cache.root
    assert client.get("/healthz").json["media"] == "ok"
    shutil.rmtree(cache)
    cache.write_bytes(b"")  # a file where the cache folder should be

    reply = client.get("/healthz")
    assert reply.status_code == 200  # posts still arrive: not a reason to leave rotation
    assert reply.json["media"] == "degraded"
    assert str(tmp_path) not in reply.get_data(as_text=True)  # no path in public
    media = client.get("/api/sources").json["media"]
    assert media["state"] == "degraded" and media["problem"] == "not_a_folder"
    assert str(cache) in media["detail"]

    cache.unlink()
    cache.mkdir()
    assert client.get("/healthz").json["media"] == "ok"
    assert client.get("/api/sources").json["media"]["problem"] == ""
    app.extensions["socialwall"].store.close()


@pytest.mark.slow
def test_a_full_disk_shows_a_banner_to_moderators_and_both_recover(
        wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="pre", extra=MEDIA_TOML)
    cache = server.config_path.parent / "instance" / "media" / "cache"
    images = corpus.ImageServer()
    page = page_factory(f"{server.url}/moderate", width=1024, height=768)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("body[data-desk-ready]")
    banner = page.locator("[data-media-banner]")
    assert banner.is_hidden()
    try:
        with full_disk(cache) as how:
            def degraded() -> Any:
                body = requests.get(f"{server.url}/healthz", timeout=10).json()
                return body if body["media"] == "degraded" else None

            health = wait_for(degraded, timeout=30, what="/healthz media degraded")
            assert health["status"] == "ok" and str(cache) not in str(health)
            page.wait_for_selector("[data-media-banner]:not([hidden])", timeout=TIMEOUT)
            assert banner.get_attribute("role") == "alert"
            text = banner.inner_text()
            assert "Images cannot be saved" in text and "Posts still arrive" in text
            if how == "tmpfs":
                assert "the disk is full" in text and "No space left on device" in text
            # A post with an image still arrives, its image failure on it for moderators.
            url = images.add("/photo.jpg", corpus.photo((640, 480)))
            [post_id] = server.push({"author": "Camille", "text": "Photo while the disk is full",
                                     "media_urls": [url]})
            row = page.locator(f'[data-queue="pending"] > [data-post-id="{post_id}"]')
            row.wait_for(timeout=TIMEOUT)
            screenshot(page, f"media-banner-{how}-1024x768")

            free(cache, how)
            page.wait_for_selector("[data-media-banner][hidden]", state="attached",
                                   timeout=TIMEOUT)
            assert requests.get(f"{server.url}/healthz", timeout=10).json()["media"] == "ok"
    finally:
        images.close()
    assert page.errors == []


def test_downloads_failing_in_a_row_are_told_and_a_success_clears_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import make_post
    from wall import create_app
    from wall.media import worker as worker_module

    monkeypatch.setattr(worker_module, "RETRY_START", 600.0)  # no retry during the test
    app = create_app(load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                              extra=MEDIA_TOML)), {"TESTING": True})
    client = app.test_client()
    client.post("/moderate/login", data={"password": PASSWORD, "name": "Mo"})
    images = corpus.ImageServer()
    pipeline = app.extensions["socialwall"].pipeline
    worker = app.extensions["socialwall.media"]
    try:
        for n in range(media_health_module.FAILING_AFTER):
            pipeline.submit(make_post(media=[f"{images.base}/gone-{n}.jpg"]))  # 404s
            assert worker.wait_idle(30)
            state = client.get("/api/sources").json["media"]
            assert state["state"] == ("degraded" if n + 1 == media_health_module.FAILING_AFTER
                                      else "ok")
        assert state["problem"] == "fetch_failing" and "404" in state["detail"]
        assert client.get("/healthz").json["media"] == "degraded"
        pipeline.submit(make_post(media=[images.add("/ok.jpg", corpus.photo((320, 240)))]))
        assert worker.wait_idle(30)
        assert client.get("/api/sources").json["media"]["state"] == "ok"
    finally:
        images.close()
        app.extensions["socialwall"].store.close()


def test_one_dead_link_retried_is_not_a_banner(tmp_path: Path) -> None:
    from wall import create_app
    from wall.media.worker import Job, MediaWorker

    app = create_app(load_config(write_config(tmp_path, mode="post", async_mode="threading",
                                              extra=MEDIA_TOML)), {"TESTING": True})
    worker: MediaWorker = app.extensions["socialwall.media"]
    job = Job(post_id=7, author="Ada", avatar_url=None, media=(("http://x/gone.jpg", ""),))
    for attempt in range(4):  # the same post's image, 404 at each retry
        worker._failed(replace(job, attempt=attempt), "image 1 failed: HTTP 404")
    assert worker.problem() is None
    for post_id in (8, 9):  # two more posts failing: the hosts or the network are down
        worker._failed(replace(job, post_id=post_id), "image 1 failed: cannot resolve host")
    found = worker.problem()
    assert found is not None and found.code == "fetch_failing"
    app.extensions["socialwall"].store.close()
