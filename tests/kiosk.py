"""Helpers for the kiosk browser tests: servers with screen settings, page measurements."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import WallServer

TIMEOUT = 15_000

# The colour a person sees behind an element: its own background, or its
# ancestors' composited over each other (translucent layers included).
CONTRAST_JS = """
(selector) => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return null;
    const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a)
      .concat([a]);
  };
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const el = document.querySelector(selector);
  if (!el) return null;
  const bg = background(el);
  const fg = over(parse(getComputedStyle(el).color), bg);
  return {fg: fg.slice(0, 3), bg: bg.slice(0, 3)};
}
"""


def luminance(rgb: list[float]) -> float:
    """Relative luminance of an sRGB colour, as WCAG 2 defines it."""
    def channel(value: float) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(fg: list[float], bg: list[float]) -> float:
    """WCAG contrast ratio of two colours."""
    light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def card(page: Any, post_id: int) -> Any:
    """The element showing a post."""
    return page.locator(f'[data-post-id="{post_id}"]')


@pytest.fixture
def kiosk_server(wall_server_factory: Callable[..., WallServer]) -> Callable[..., WallServer]:
    """Start real post-moderated servers with extra [screens] keys and extra tables."""

    def start(*, screens: str = "", extra: str = "", mode: str = "post") -> WallServer:
        return wall_server_factory(mode=mode, extra=extra, screens=screens)

    return start


def mark(page: Any) -> None:
    """Leave a marker in the page's JS world; it disappears when the page reloads."""
    page.evaluate("window.__kioskMarker = 1")


def reloaded(page: Any) -> bool:
    """Whether the page reloaded since mark()."""
    return bool(page.evaluate("window.__kioskMarker !== 1"))


def wait_reloaded(page: Any, timeout: float = 20) -> None:
    """Wait until the page has reloaded since mark() and is connected again."""
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if reloaded(page):
                page.wait_for_selector("body[data-connected=true]", timeout=TIMEOUT)
                return
        except Error:  # the page is navigating: its JS world is being replaced
            pass
        time.sleep(0.2)
    raise AssertionError("the page did not reload")


def connected(page: Any) -> None:
    """Wait until the screen is in sync with the server."""
    page.wait_for_selector("body[data-connected=true]", timeout=TIMEOUT)
