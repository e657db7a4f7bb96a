"""Photos sent by attendees: decoded safely, re-encoded, stored under instance/media/uploads.

One narrow function, `store_upload`, on top of the media pipeline's safe decoder and encoder
(wall/media/images.py): the same formats, pixel cap, EXIF rotation and metadata stripping.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from wall.media import images

log = logging.getLogger(__name__)

MAX_BYTES = 12 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40 MP photo decodes to ~120 MB: enough for any phone
MAX_SIDE = 2048
UPLOADS = "uploads"


class UploadError(Exception):
    """The file is not a photo this wall accepts; the message says why."""


def store_upload(data: bytes, media_root: Path) -> str:
    """Re-encode a photo as a clean JPEG with the media pipeline; return its /media/ path."""
    if len(data) > MAX_BYTES:
        raise UploadError(f"the photo is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        image = images.decode(data, images.Policy(max_pixels=MAX_PIXELS))
    except images.ImageError as exc:
        log.info("attendee photo refused: %s", exc)
        raise UploadError("this file is not a photo we can read") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    encoded = images.encode(image, "upload", "jpeg").data
    name = hashlib.sha256(encoded).hexdigest()[:32] + ".jpg"
    folder = media_root / UPLOADS
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(encoded)
    log.info("attendee photo stored as %s (%d bytes)", name, len(encoded))
    return f"/media/{UPLOADS}/{name}"
