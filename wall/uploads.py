"""Photos sent by attendees: decoded safely, re-encoded, stored under instance/media/uploads.

One narrow function, `store_upload`, so that it can later call the media pipeline of
wall/media/ (issue 5) instead of doing the work itself.
"""

from __future__ import annotations

import hashlib
import io
import logging
import warnings
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

log = logging.getLogger(__name__)

MAX_BYTES = 12 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 MP photo decodes to ~120 MB: enough for any phone
MAX_SIDE = 2048
FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO")
UPLOADS = "uploads"


class UploadError(Exception):
    """The file is not a photo this wall accepts; the message says why."""


def _decode(data: bytes) -> Image.Image:
    """Open and fully decode an image under the pixel cap; raise UploadError."""
    if len(data) > MAX_BYTES:
        raise UploadError(f"the photo is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise UploadError("send a JPEG, PNG, WebP or GIF photo")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise UploadError("the photo has too many pixels")
            image.load()
    except (UnidentifiedImageError, Image.DecompressionBombError,
            Image.DecompressionBombWarning, OSError, SyntaxError, ValueError):
        raise UploadError("this file is not a photo we can read") from None
    return image


def store_upload(data: bytes, media_root: Path) -> str:
    """Re-encode a photo as a metadata-free JPEG and return its /media/ URL path."""
    image = _decode(data)
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)  # no exif, no icc
    encoded = out.getvalue()
    name = hashlib.sha256(encoded).hexdigest()[:32] + ".jpg"
    folder = media_root / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(encoded)
    log.info("attendee photo stored as %s (%d bytes)", name, len(encoded))
    return f"/media/{UPLOADS}/{name}"
