"""The highlights screen in Chromium: automatic rotation, pins that run out, hero text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import media_corpus as corpus
from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, connected

VIEWPORTS = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}
VIEWPORTS_QR = {"1080p": (1920, 1080), "720p": (1280, 720), "portrait": (1080, 1920)}


def shown_ids(page: Any, rounds: int = 40) -> list[str]:
    """The posts the stage shows over a while, in order of first appearance."""
    seen: list[str] = []
    for _ in range(rounds):
        page.wait_for_timeout(250)
        for post_id in page.eval_on_selector_all(
                ".spotlight:not(.is-leaving)", "els => els.map(e => e.dataset.postId)"):
            if post_id not in seen:
                seen.append(post_id)
    return seen


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_recent_posts_rotate_when_nothing_is_highlighted(kiosk_server: Any, page_factory: Any,
                                                         viewport: str) -> None:
    server: WallServer = kiosk_server()
    ids = server.push(*[{"author": f"Guest {i}", "text": f"Loving the demo stand number {i}!"}
                        for i in range(3)])
    width, height = VIEWPORTS[viewport]
    page = page_factory(f"{server.url}/screen/highlights", width=width, height=height)
    connected(page)
    seen = shown_ids(page)
    assert set(seen) >= {str(i) for i in ids[:2]}, seen
    assert page.locator("[data-empty]").is_hidden()
    assert page.locator(".spotlight[data-auto=true]").count() >= 1
    size = page.locator(".spotlight__text").first.evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)")
    assert size >= height / 30, size
    screenshot(page, f"highlights-auto-{viewport}")
    # A moderator's highlight takes over the rotation at once.
    http = server.session()
    http.post(f"{server.url}/api/posts/{ids[0]}/highlight", timeout=10).raise_for_status()
    page.locator(f'.spotlight[data-post-id="{ids[0]}"]:not([data-auto])').wait_for(
        timeout=TIMEOUT)
    assert shown_ids(page, rounds=20) == [str(ids[0])]


def test_auto_highlights_can_be_switched_off(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server(screens="auto_highlights = false")
    server.push({"author": "Guest", "text": "Hello"})
    page = page_factory(f"{server.url}/screen/highlights")
    connected(page)
    page.wait_for_timeout(1000)
    assert page.locator(".spotlight").count() == 0
    assert page.locator("[data-empty]").is_visible()


def test_a_pin_runs_out_after_pin_minutes(kiosk_server: Any, browser: Any) -> None:
    server: WallServer = kiosk_server(screens="pin_minutes = 1")
    ids = server.push({"author": "A", "text": "First highlight"},
                      {"author": "B", "text": "Pinned welcome message"})
    http = server.session()
    http.post(f"{server.url}/api/posts/{ids[0]}/highlight", timeout=10).raise_for_status()
    http.post(f"{server.url}/api/posts/{ids[1]}/pin", timeout=10).raise_for_status()
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        page = context.new_page()
        page.clock.install()
        page.goto(f"{server.url}/screen/highlights")
        connected(page)
        assert shown_ids(page, rounds=24) == [str(ids[1])]
        page.clock.fast_forward("01:35")
        page.locator(f'.spotlight[data-post-id="{ids[0]}"]').wait_for(timeout=TIMEOUT)
    finally:
        context.close()



# The shown slide's box and the QR panel's box.
SLIDE_AND_QR_JS = """() => {
  const box = (node) => { const r = node.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom}; };
  const slide = document.querySelector('.spotlight:not(.is-leaving)');
  const qr = document.querySelector('[data-panel="qr"]');
  return {slide: slide ? box(slide) : null, qr: qr ? box(qr) : null,
          settled: !slide || slide.getAnimations().every((a) => a.playState !== 'running')};
}"""


@pytest.fixture
def photo_url() -> Iterator[str]:
    """The URL of a photo on a loopback HTTP server."""
    images = corpus.ImageServer()
    yield images.add("/p.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    images.close()


def test_the_slide_and_the_qr_panel_do_not_overlap(kiosk_server: Any, page_factory: Any,
                                                   photo_url: str) -> None:
    server: WallServer = kiosk_server(
        extra="[media]\nallow_private_addresses = true\ntimeout_seconds = 3\n")
    text = "The demo stand is the best part of the day #TestDays"
    ids = server.push({"author": "Guest", "handle": "@guest", "text": text},
                      {"author": "Snap", "handle": "@snap", "text": text,
                       "media_urls": [photo_url]})
    http = server.session()
    for post_id in ids:  # the text slide then the photo slide, each alone in the rotation
        http.post(f"{server.url}/api/posts/{post_id}/highlight", timeout=10).raise_for_status()
        for name, (width, height) in VIEWPORTS_QR.items():
            page = page_factory(f"{server.url}/screen/highlights", width=width, height=height)
            connected(page)
            page.locator(f'.spotlight[data-post-id="{post_id}"]').wait_for(timeout=TIMEOUT)
            page.wait_for_function(f"({SLIDE_AND_QR_JS})().settled", timeout=TIMEOUT)
            shown = page.evaluate(SLIDE_AND_QR_JS)
            screenshot(page, f"highlights-qr-{post_id}-{name}")
            slide, qr = shown["slide"], shown["qr"]
            assert slide and qr, shown
            apart = slide["right"] <= qr["left"] or qr["right"] <= slide["left"] \
                or slide["bottom"] <= qr["top"] or qr["bottom"] <= slide["top"]
            assert apart, (name, shown)
            assert slide["bottom"] - slide["top"] > height / 3, (name, shown)
            page.context.close()
        http.post(f"{server.url}/api/posts/{post_id}/unhighlight",
                  timeout=10).raise_for_status()
