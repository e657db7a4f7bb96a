"""The feed's layouts in Chromium at 1080p, 4K and portrait: level columns, a clear QR panel."""

from __future__ import annotations

import random
from typing import Any

import pytest

from tests.browser import screenshot
from tests.conftest import WallServer
from tests.kiosk import TIMEOUT, card, connected

VIEWPORTS = {"1080p": (1920, 1080), "4k": (3840, 2160), "portrait": (1080, 1920)}
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


def test_unknown_layout_falls_back_to_columns(kiosk_server: Any, page_factory: Any) -> None:
    server: WallServer = kiosk_server()
    page = page_factory(f"{server.url}/screen/feed?layout=<b>spiral")
    connected(page)
    assert page.locator('[data-feed][data-layout="columns"]').count() == 1
    assert page.locator("body").get_attribute("data-layout") == "columns"
