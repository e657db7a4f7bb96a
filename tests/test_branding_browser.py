"""Branding in Chromium: per-theme palettes, light stays light, the index page branded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PIL import Image

from tests.conftest import WallServer
from tests.kiosk import luminance

BACKGROUND_JS = """() => {
  const m = getComputedStyle(document.body).getPropertyValue('--bg').trim();
  return m;
}"""


def rgb(hex_colour: str) -> list[float]:
    digits = hex_colour.lstrip("#")
    return [int(digits[i:i + 2], 16) for i in (0, 2, 4)]


def test_custom_colours_keep_the_light_theme_light(kiosk_server: Any, page_factory: Any,
                                                   tmp_path: Path) -> None:
    Image.new("RGB", (160, 40), (255, 85, 0)).save(tmp_path / "logo.png")
    server: WallServer = kiosk_server(extra=f"""
        [branding]
        logo = "{tmp_path / 'logo.png'}"
        accent = "#ff7a1a"
        background = "#101820"
        text = "#f0f0f0"

        [branding.dark]
        surface = "#1c2733"

        [branding.light]
        accent = "#b34700"
        """)
    light = page_factory(f"{server.url}/screen/feed?theme=light")
    dark = page_factory(f"{server.url}/screen/feed?theme=dark")
    light_bg = light.evaluate(BACKGROUND_JS)
    assert luminance(rgb(light_bg)) > 0.5, light_bg
    assert light.evaluate("getComputedStyle(document.body).getPropertyValue('--accent')"
                          ).strip() == "#b34700"
    assert dark.evaluate(BACKGROUND_JS) == "#101820"
    assert dark.evaluate("getComputedStyle(document.body).getPropertyValue('--surface')"
                         ).strip() == "#1c2733"
    assert dark.evaluate("getComputedStyle(document.body).getPropertyValue('--accent')"
                         ).strip() == "#ff7a1a"
    index = page_factory(f"{server.url}/")
    index.wait_for_function("document.querySelector('.landing__logo').naturalWidth === 160")
    assert index.evaluate(BACKGROUND_JS) == "#101820"
