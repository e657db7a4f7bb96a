"""The attendees' form shows the chosen photo with the pages' strict CSP in force."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from tests.conftest import WallServer

ATTENDEES = '[[sources]]\ntype = "attendees"\nphotos = true\n'


def test_the_chosen_photo_is_previewed_under_the_csp(wall_server_factory: Any,
                                                     browser: Any) -> None:
    server: WallServer = wall_server_factory(extra=ATTENDEES)
    # No bypass_csp here: the preview must work with the CSP a phone receives.
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        page = context.new_page()
        refused: list[str] = []
        page.on("console", lambda m: refused.append(m.text)
                if "Content Security" in m.text else None)
        page.goto(f"{server.url}/attend")
        photo = io.BytesIO()
        Image.new("RGB", (640, 480), (40, 120, 200)).save(photo, "PNG")
        page.set_input_files("[data-photo-input]", files=[
            {"name": "hall.png", "mimeType": "image/png", "buffer": photo.getvalue()}])
        preview = page.locator("[data-photo-img]")
        preview.wait_for(state="visible", timeout=15_000)
        # Polled from here: wait_for_function would need eval, which this CSP forbids.
        for _ in range(50):
            if preview.evaluate("img => img.complete && img.naturalWidth") == 640:
                break
            page.wait_for_timeout(200)
        assert preview.evaluate("img => img.naturalWidth") == 640
        assert preview.bounding_box()["height"] > 100  # type: ignore[index]
        assert refused == []
    finally:
        context.close()
