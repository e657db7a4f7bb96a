"""The feed's layouts in Chromium at 1080p, 4K and portrait: level columns, a clear QR panel."""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

import pytest

from tests import media_corpus as corpus
from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, card, connected

VIEWPORTS = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}
MEDIA_TOML = "[media]\nallow_private_addresses = true\ntimeout_seconds = 3\n"
WORDS = "great keynote lobby coffee demo stand robot panel launch team crowd music".split()

# Every card's box, whether it is displayed, and the QR panel's box.
BOXES_JS = """
() => {
  const box = (node) => { const r = node.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height}; };
  const qr = document.querySelector('[data-panel="qr"]');
  const feed = document.querySelector('[data-feed]');
  return {
    qr: qr ? box(qr) : null,
    feed: box(feed),
    columns: [...document.querySelectorAll('.feed__column')].map((column) => ({
      box: box(column),
      cards: [...column.querySelectorAll('[data-post-id]')]
        .filter((c) => c.checkVisibility()).map(box),
    })),
    cards: [...document.querySelectorAll('[data-post-id]')]
      .filter((c) => c.checkVisibility()).map(box),
  };
}
"""


# Points of the feed's grid area (inside its padding) that no shown card covers, a card
# counting with the gap around it; the QR panel's own box is not a hole.
HOLES_JS = """
() => {
  const feed = document.querySelector('[data-feed]');
  const style = getComputedStyle(feed);
  const gap = parseFloat(style.rowGap) || 0;
  const r = feed.getBoundingClientRect();
  const pad = (side) => parseFloat(style[`padding${side}`]);
  const area = {left: r.left + pad('Left'), right: r.right - pad('Right'),
                top: r.top + pad('Top'), bottom: r.bottom - pad('Bottom')};
  const grow = (n) => { const b = n.getBoundingClientRect();
    return {left: b.left - gap, right: b.right + gap, top: b.top - gap, bottom: b.bottom + gap}; };
  const qr = document.querySelector('[data-panel="qr"]');
  const cards = [...feed.querySelectorAll('[data-post-id]')].filter((c) => c.checkVisibility());
  const boxes = cards.map(grow).concat(qr ? [grow(qr)] : []);
  const holes = [];
  for (let y = area.top + 8; y < area.bottom - 8; y += 16) {
    for (let x = area.left + 8; x < area.right - 8; x += 16) {
      if (!boxes.some((b) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom)) {
        holes.push([Math.round(x), Math.round(y)]);
      }
    }
  }
  // Tiles whose last line (the time) is cut by the tile's bottom.
  const cut = cards.filter((c) => { const foot = c.querySelector('.card__foot');
    return foot && foot.getBoundingClientRect().bottom > c.getBoundingClientRect().bottom + 1; });
  return {holes: holes.length, first: holes.slice(0, 5), shown: cards.length, cut: cut.length,
          photos: cards.filter((c) => c.classList.contains('has-photo')).length};
}
"""


@pytest.fixture
def images() -> Iterator[corpus.ImageServer]:
    """A loopback HTTP server for the posts' photos."""
    stand_in = corpus.ImageServer()
    yield stand_in
    stand_in.close()


def mixed_posts(count: int, seed: int) -> list[dict[str, Any]]:
    """Posts of one to eight lines, in a reproducible order."""
    rng = random.Random(seed)
    posts = []
    for i in range(count):
        words = " ".join(rng.choice(WORDS) for _ in range(rng.choice([3, 8, 20, 40, 70])))
        posts.append({"author": f"Guest {seed}-{i}", "handle": f"@guest{seed}x{i}",
                      "text": f"{words} #TestDays"})
    return posts


def overlaps(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] \
        and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def burst(server: WallServer, page: Any, posts: list[dict[str, Any]], size: int) -> list[int]:
    """Push posts in small batches, as a busy hashtag does, waiting for each to show."""
    ids: list[int] = []
    for start in range(0, len(posts), size):
        ids += server.push(*posts[start:start + size])
        card(page, ids[-1]).wait_for(state="attached", timeout=TIMEOUT)
    page.wait_for_timeout(400)
    return ids


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_columns_stay_level_and_never_cover_the_qr_panel(kiosk_server: Any, page_factory: Any,
                                                          viewport: str) -> None:
    server: WallServer = kiosk_server(screens="recycle_seconds = 0")
    width, height = VIEWPORTS[viewport]
    page = page_factory(f"{server.url}/screen/feed", width=width, height=height)
    connected(page)
    burst(server, page, mixed_posts(50, seed=len(viewport)), size=5)
    shown = page.evaluate(BOXES_JS)
    qr, feed = shown["qr"], shown["feed"]
    assert qr is not None
    assert len(shown["columns"]) >= 2
    assert not [c for c in shown["cards"] if overlaps(c, qr)], "a card covers the QR panel"
    tallest = max(c["height"] for c in shown["cards"])
    # Room left empty at the bottom of each column, down to the QR panel or the screen's edge.
    room = []
    for column in shown["columns"]:
        under_qr = column["box"]["left"] < qr["right"] and qr["left"] < column["box"]["right"]
        floor = qr["top"] if under_qr else feed["bottom"]
        end = max((c["bottom"] for c in column["cards"]), default=column["box"]["top"])
        room.append(max(0.0, floor - end))
        assert column["cards"], "a column is empty"
    assert max(room) - min(room) <= tallest, (room, tallest)
    screenshot(page, f"feed-columns-{viewport}")


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("layout", ["mosaic", "carousel"])
def test_other_layouts_keep_the_hooks_and_clear_the_qr_panel(kiosk_server: Any,
                                                               page_factory: Any,
                                                               layout: str) -> None:
    server: WallServer = kiosk_server(screens="recycle_seconds = 0")
    for viewport, (width, height) in VIEWPORTS.items():
        page = page_factory(f"{server.url}/screen/feed?layout={layout}", width=width,
                            height=height)
        connected(page)
        assert page.locator(f'[data-feed][data-layout="{layout}"]').count() == 1
        if viewport == "1080p":
            ids = burst(server, page, mixed_posts(14, seed=7), size=7)
        card(page, ids[-1]).wait_for(state="attached", timeout=TIMEOUT)
        page.wait_for_timeout(400)
        shown = page.evaluate(BOXES_JS)
        assert shown["cards"], "nothing shown"
        assert not [c for c in shown["cards"] if overlaps(c, shown["qr"])]
        if layout == "carousel":
            assert len(shown["cards"]) == 1
            assert card(page, ids[-1]).is_visible()
        screenshot(page, f"feed-{layout}-{viewport}")


@pytest.mark.timeout(300)
def test_the_mosaic_leaves_no_hole_when_few_posts_have_photos(
        kiosk_server: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = kiosk_server(screens="recycle_seconds = 0", extra=MEDIA_TOML)
    photo = images.add("/photo.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    # Text posts of one to six lines; short ones are set larger, and four large lines are
    # more than a tile holds on a portrait screen.
    texts = [" ".join(WORDS * 3)[:i * 40] for i in range(6)]
    texts += ["lobby great lobby team panel crowd lobby team"] * 2
    posts = [{"author": f"Guest {i}", "handle": f"@guest{i}", "text": f"{text} #TestDays"}
             for i, text in enumerate(texts)]
    posts.append({"author": "Photographer", "handle": "@photo", "text": "A photo #TestDays",
                  "media_urls": [photo]})
    ids = server.push(*posts)
    for width, height in ((1920, 1080), (1280, 720), (1080, 1920)):
        page = page_factory(f"{server.url}/screen/feed?layout=mosaic", width=width,
                            height=height)
        connected(page)
        card(page, ids[-1]).locator("img.card__image").wait_for(state="attached",
                                                                timeout=TIMEOUT)
        page.wait_for_timeout(800)
        screenshot(page, f"feed-mosaic-few-photos-{width}x{height}")
        shown = page.evaluate(HOLES_JS)
        assert shown["photos"] == 1 and shown["shown"] >= 4, shown
        assert shown["holes"] == 0 and shown["cut"] == 0, (width, height, shown)
        boxes = page.evaluate(BOXES_JS)
        assert not [c for c in boxes["cards"] if overlaps(c, boxes["qr"])]
        tiles = boxes["cards"]
        assert not [(a, b) for i, a in enumerate(tiles) for b in tiles[i + 1:] if overlaps(a, b)]


# The mosaic's grid: its columns and rows, and how many cells its shown tiles and the QR
# panel cover (a cell no tile covers is an empty hole on the screen).
GRID_JS = """
() => {
  const feed = document.querySelector('[data-feed]');
  const style = getComputedStyle(feed);
  const columns = style.gridTemplateColumns.split(' ').length;
  const rows = style.gridTemplateRows.split(' ').length;
  const tiles = [...feed.querySelectorAll('[data-post-id]')].filter((c) => c.checkVisibility());
  const span = (c) => { const s = getComputedStyle(c);
    const cols = parseInt(s.gridColumnEnd.replace('span ', ''), 10) || 1;
    const rs = parseInt(s.gridRowEnd.replace('span ', ''), 10) || 1;
    return cols * rs; };
  const qr = document.querySelector('[data-panel="qr"]');
  const covered = tiles.reduce((sum, c) => sum + span(c), 0) + (qr && qr.checkVisibility() ? 1 : 0);
  return {columns, rows, covered};
}
"""


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_the_mosaic_of_a_few_posts_has_fewer_larger_tiles_and_no_empty_cell(
        kiosk_server: Any, page_factory: Any, images: corpus.ImageServer) -> None:
    server: WallServer = kiosk_server(screens="recycle_seconds = 0", extra=MEDIA_TOML)
    photo = images.add("/photo.jpg", corpus.photo((1200, 900)), content_type="image/jpeg")
    sizes = {"720p": (1280, 720), **VIEWPORTS}
    pages = {}
    for viewport, (width, height) in sizes.items():
        page = page_factory(f"{server.url}/screen/feed?layout=mosaic", width=width,
                            height=height)
        connected(page)
        pages[viewport] = page
    texts = [" ".join(WORDS * 2)[:i * 30 + 20] for i in range(7)]
    posts = [{"author": f"Guest {i}", "handle": f"@guest{i}", "text": f"{text} #TestDays"}
             for i, text in enumerate(texts)]
    posts[2]["media_urls"] = [photo]
    ids: list[int] = []
    author: dict[tuple[str, int], float] = {}  # the first post's name, its height on screen
    for count in (1, 3, 7):
        ids += server.push(*posts[len(ids):count])
        for viewport, page in pages.items():
            card(page, ids[-1]).wait_for(state="visible", timeout=TIMEOUT)
            if count >= 3:
                card(page, ids[2]).locator("img.card__image").wait_for(state="attached",
                                                                       timeout=TIMEOUT)
            page.wait_for_timeout(800)
            screenshot(page, f"feed-mosaic-{count}-posts-{viewport}")
            shown = page.evaluate(HOLES_JS)
            grid = page.evaluate(GRID_JS)
            where = (count, viewport, shown, grid)
            # Every post shows, no empty cell is left, and no tile's last line is cut.
            assert shown["shown"] == count, where
            assert grid["covered"] == grid["columns"] * grid["rows"], where
            assert shown["holes"] == 0 and shown["cut"] == 0, where
            boxes = page.evaluate(BOXES_JS)
            assert not [c for c in boxes["cards"] if overlaps(c, boxes["qr"])], where
            tiles = boxes["cards"]
            assert not [(a, b) for i, a in enumerate(tiles) for b in tiles[i + 1:]
                        if overlaps(a, b)], where
            author[viewport, count] = card(page, ids[0]).locator(
                ".card__author").bounding_box()["height"]
    for viewport in sizes:
        # One post beside the QR panel in a cell twice the usual size: set larger, to be
        # read from across the room, not left small in a mostly empty tile.
        assert author[viewport, 1] > 1.3 * author[viewport, 7], (viewport, author)


def test_unknown_layout_falls_back_to_columns(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    page = page_factory(f"{server.url}/screen/feed?layout=<b>spiral")
    connected(page)
    assert page.locator('[data-feed][data-layout="columns"]').count() == 1
    assert page.locator("body").get_attribute("data-layout") == "columns"
