"""Images in Chromium against a real server: fetched images appear, failed ones leave no trace."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests import media_corpus as corpus
from tests.browser import screenshot
from tests.conftest import WallServer
from tests.test_browser import TIMEOUT, card, log_in

MEDIA_TOML = """
[media]
allow_private_addresses = true
timeout_seconds = 3
"""


@pytest.fixture
def images() -> Iterator[corpus.ImageServer]:
    stand_in = corpus.ImageServer()
    yield stand_in
    stand_in.close()


def wait_for_media(server: WallServer, post_id: int, status: str = "approved") -> dict[str, Any]:
    """Poll the API until the post's images are recorded (ready or failed)."""
    http = server.session()
    for _ in range(100):
        posts = http.get(f"{server.url}/api/posts?status={status}", timeout=10).json()["posts"]
        post = next((p for p in posts if p["id"] == post_id), None)
        if post and (post["media"] or post["media_errors"]):
            return post
        time.sleep(0.1)
    raise AssertionError(f"post {post_id} never got its media recorded")


def test_feed_shows_fetched_images_the_qr_code_and_failed_images_cleanly(
        wall_server_factory: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = wall_server_factory(mode="post", extra=MEDIA_TOML)
    feed = page_factory(f"{server.url}/screen/feed")
    feed.wait_for_selector("body[data-screen=feed]")
    good_url = images.add("/good", corpus.photo((1600, 1000)), content_type="image/jpeg")
    bad_url = images.add("/evil.png", corpus.HTML, content_type="image/png")
    [bad] = server.push({"author": "Broken Image", "text": "My photo did not make it #TestDays",
                         "media_urls": [bad_url]})
    [good] = server.push({"author": "Camille Martin", "text": "Look at this! #TestDays",
                          "media_urls": [good_url]})
    card(feed, good).locator("img.card__image").wait_for(timeout=TIMEOUT)
    feed.wait_for_function(
        f"document.querySelector('[data-post-id=\"{good}\"] img.card__image').naturalWidth > 0",
        timeout=TIMEOUT)
    src = card(feed, good).locator("img.card__image").get_attribute("src")
    assert src.startswith("/media/cache/") and images.base not in src
    failed = wait_for_media(server, bad)
    assert "not a JPEG" in failed["media_errors"][0]
    assert card(feed, bad).locator("img.card__image").count() == 0
    assert card(feed, bad).locator(".is-broken").count() == 0
    assert "My photo did not make it" in card(feed, bad).inner_text()
    qr = feed.locator("[data-cta] img")
    feed.wait_for_function("document.querySelector('[data-cta] img').naturalWidth > 0",
                           timeout=TIMEOUT)
    assert qr.is_visible() and "#TestDays" in feed.locator("[data-cta]").inner_text()
    # Screens only ever asked this server for images, never the image host.
    assert all(not r.startswith(images.base) for r in feed.evaluate(
        "performance.getEntriesByType('resource').map(e => e.name)"))
    screenshot(feed, "media-feed-1920x1080")
    assert feed.errors == []


def test_highlights_show_the_qr_code(wall_server_factory: Any, page_factory: Any) -> None:
    server: WallServer = wall_server_factory(mode="post", extra=MEDIA_TOML)
    [post_id] = server.push({"author": "Léa", "text": "Highlight me #TestDays"})
    server.session().post(f"{server.url}/api/posts/{post_id}/highlight",
                          timeout=10).raise_for_status()
    page = page_factory(f"{server.url}/screen/highlights")
    page.wait_for_function("document.querySelector('[data-cta] img').naturalWidth > 0",
                           timeout=TIMEOUT)
    avatar = page.locator(f'[data-post-id="{post_id}"] img.avatar').first
    avatar.wait_for(timeout=TIMEOUT)
    page.wait_for_function("[...document.querySelectorAll('img.avatar')]"
                           ".every(img => img.complete && img.naturalWidth === 256)",
                           timeout=TIMEOUT)
    page.wait_for_timeout(1200)  # let the slide's entrance animation finish
    screenshot(page, "media-highlights-1920x1080")


def test_moderators_see_why_an_image_failed_and_can_reject_for_an_image(
        wall_server_factory: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = wall_server_factory(mode="pre", extra=MEDIA_TOML)
    moderator = page_factory(f"{server.url}/moderate", width=1024, height=768)
    log_in(moderator)
    bomb = images.add("/bomb.png", corpus.png_bomb(), content_type="image/png")
    photo = images.add("/photo.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    [bad, good] = server.push(
        {"author": "Bomb", "text": "nothing to see", "media_urls": [bomb]},
        {"author": "Photo", "text": "a nice photo", "media_urls": [photo]})
    card(moderator, bad).get_by_text("image 1 failed:", exact=False).wait_for(timeout=TIMEOUT)
    assert "decompression bomb of 144,000,000 pixels refused" in card(moderator, bad).inner_text()
    share = card(moderator, bad).locator("[data-card-png]")
    assert share.get_attribute("href") == f"/api/posts/{bad}/card.png"
    reject = card(moderator, good).locator('[data-action="reject_image"]')
    reject.wait_for(timeout=TIMEOUT)
    screenshot(moderator, "media-moderator-1024x768")
    reject.click()
    moderator.wait_for_function(
        f"!document.querySelector('[data-queue=pending] [data-post-id=\"{good}\"]')",
        timeout=TIMEOUT)
    assert moderator.errors == []


def test_highlights_use_the_full_screen_rendition(
        wall_server_factory: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = wall_server_factory(mode="post", extra=MEDIA_TOML)
    url = images.add("/big", corpus.photo((2400, 1600)), content_type="image/jpeg")
    [post_id] = server.push({"author": "Léa", "text": "Big photo #TestDays", "media_urls": [url]})
    post = wait_for_media(server, post_id)
    assert post["media"][0]["full"] != post["media"][0]["url"]
    server.session().post(f"{server.url}/api/posts/{post_id}/highlight",
                          timeout=10).raise_for_status()
    page = page_factory(f"{server.url}/screen/highlights")
    image = page.locator(f'[data-post-id="{post_id}"] img.spotlight__image')
    image.wait_for(timeout=TIMEOUT)
    assert image.get_attribute("src") == post["media"][0]["full"]
    page.wait_for_function("document.querySelector('img.spotlight__image').naturalWidth > 800",
                           timeout=TIMEOUT)
