"""The call-to-action QR code shown on the feed and highlights screens."""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.pil import PilImage


@dataclass(frozen=True)
class CallToAction:
    """What the QR code holds and the line printed under it."""

    target: str
    label: str
    is_link: bool


def call_to_action(url: str, hashtags: tuple[str, ...], base_url: str) -> CallToAction | None:
    """Return the wall's call to action: its configured URL, else "post with #tag"; or None."""
    if url.startswith("/"):
        url = base_url.rstrip("/") + url
    if url.startswith(("http://", "https://")):
        return CallToAction(url, url.split("://", 1)[1].rstrip("/"), True)
    if hashtags:
        tags = " ".join(f"#{t}" for t in hashtags[:2])
        return CallToAction(tags, tags, False)
    return None


@lru_cache(maxsize=16)
def qr_png(target: str, box_size: int = 10) -> bytes:
    """Encode a text or URL as a black-on-white QR code PNG with a quiet zone."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=2)
    code.add_data(target)
    code.make(fit=True)
    image = code.make_image(image_factory=PilImage).get_image()
    out = io.BytesIO()
    image.convert("L").save(out, format="PNG", optimize=True)
    return out.getvalue()
