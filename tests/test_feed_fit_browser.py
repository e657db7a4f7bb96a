"""Feed layouts in Chromium with real photos: every card shown where it fits, none squeezed."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from tests import media_corpus as corpus
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, card, connected

WORDS = "great keynote lobby coffee demo stand robot panel launch team crowd music".split()
MEDIA_TOML = "[media]\nallow_private_addresses = true\ntimeout_seconds = 3\n"

# Columns whose newest card is hidden although another column has room for it.
STRANDED_JS = """
() => {
  const feed = document.querySelector('[data-feed]').getBoundingClientRect();
  const columns = [...document.querySelectorAll('.feed__column')];
  const roomiest = Math.max(...columns.map((c) => feed.bottom - c.getBoundingClientRect().top));
  const stranded = [];
  columns.forEach((column, index) => {
    const first = column.querySelector('[data-post-id]');
    if (!first || !first.hidden) return;
    first.hidden = false;
    const height = first.getBoundingClientRect().height;
    first.hidden = true;
    if (height < roomiest) stranded.push({column: index, id: first.dataset.postId, height});
  });
  return stranded;
}
"""


@pytest.fixture
def images() -> Iterator[corpus.ImageServer]:
    """A loopback HTTP server for the posts' photos."""
    stand_in = corpus.ImageServer()
    yield stand_in
    stand_in.close()


@pytest.mark.timeout(300)
def test_a_card_too_tall_for_the_qr_column_goes_to_another(
        wall_server_factory: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = wall_server_factory(mode="post", extra=MEDIA_TOML,
                                             screens="recycle_seconds = 0")
    page = page_factory(f"{server.url}/screen/feed?columns=3", width=1920, height=1080)
    connected(page)
    photo = images.add("/photo.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    rng = random.Random(7)
    seen: list[Any] = []
    for i in range(16):
        # Every other post is a photo and nine lines of text: taller than the room above
        # the QR panel, not than the other columns.
        tall = i % 2 == 1
        text = " ".join(rng.choice(WORDS) for _ in range(80 if tall else rng.choice([3, 8, 15])))
        post = {"author": f"Guest {i}", "handle": f"@guest{i}", "text": f"{text} #TestDays",
                "media_urls": [photo] if tall else []}
        (post_id,) = server.push(post)
        shown = card(page, post_id)
        shown.wait_for(state="attached", timeout=TIMEOUT)
        if tall:
            shown.locator("img.card__image").wait_for(state="attached", timeout=TIMEOUT)
        page.wait_for_timeout(200)
        seen += page.evaluate(STRANDED_JS)
    assert seen == [], "a column's newest card waited hidden while another column had room"
    visible = page.evaluate("() => [...document.querySelectorAll('.feed__column')]"
                            ".map((c) => [...c.children].filter((n) => !n.hidden).length)")
    assert all(visible), f"a column shows nothing: {visible}"


@pytest.mark.timeout(300)
def test_the_mosaic_fills_the_room_beside_its_photos(
        wall_server_factory: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = wall_server_factory(mode="post", extra=MEDIA_TOML,
                                             screens="recycle_seconds = 0")
    page = page_factory(f"{server.url}/screen/feed?layout=mosaic", width=1920, height=1080)
    connected(page)
    photo = images.add("/photo.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    ids = []
    for i in range(10):
        (post_id,) = server.push({"author": f"Guest {i}", "handle": f"@guest{i}",
                                  "text": f"Tile {i} #TestDays",
                                  "media_urls": [photo] if i < 4 else []})
        ids.append(post_id)
    for post_id in ids[:4]:
        card(page, post_id).locator("img.card__image").wait_for(state="attached", timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    shown = page.evaluate("""() => {
      const qr = document.querySelector('[data-panel="qr"]').getBoundingClientRect();
      const feed = document.querySelector('[data-feed]').getBoundingClientRect();
      return [...document.querySelectorAll('[data-post-id]')].filter((c) => !c.hidden).map((c) => {
        const r = c.getBoundingClientRect();
        return {photo: c.classList.contains('has-photo'), inside: r.bottom <= feed.bottom + 1,
                clear: r.right <= qr.left || r.bottom <= qr.top || r.left >= qr.right};
      });
    }""")
    # A photo tile, and the text tiles that fit in the free cells beside it.
    assert any(tile["photo"] for tile in shown), shown
    assert len(shown) >= 3, shown
    assert all(tile["inside"] and tile["clear"] for tile in shown), shown


@pytest.mark.timeout(300)
def test_a_long_carousel_slide_shows_its_text_whole(
        wall_server_factory: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = wall_server_factory(mode="post", extra=MEDIA_TOML,
                                             screens="recycle_seconds = 0")
    page = page_factory(f"{server.url}/screen/feed?layout=carousel", width=1920, height=1080)
    connected(page)
    photo = images.add("/photo.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    text = " ".join(random.Random(3).choice(WORDS) for _ in range(45))
    (post_id,) = server.push({"author": "Long Talker", "handle": "@long",
                              "text": f"{text} #TestDays", "media_urls": [photo]})
    card(page, post_id).locator("img.card__image").wait_for(state="attached", timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    text_box = page.evaluate("""(id) => {
      const text = document.querySelector(`[data-post-id="${id}"] .card__text`);
      const style = getComputedStyle(text);
      const lines = parseInt(style.getPropertyValue('-webkit-line-clamp'), 10) || 99;
      return {shown: text.clientHeight, needed: Math.min(text.scrollHeight,
              lines * parseFloat(style.lineHeight))};
    }""", post_id)
    # Every line the card may show is shown: none squeezed under the QR panel's room.
    assert text_box["shown"] + 1 >= text_box["needed"], text_box
