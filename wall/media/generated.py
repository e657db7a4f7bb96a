"""Images the server draws itself: initials avatars for authors without one."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from wall.demo_media import PALETTE, avatar_color, draw_initials, initials
from wall.media.images import encode

PREFIX = "/media/initials/"
_KEY = re.compile(r"^(?P<letters>[^\W_]{1,4}|\?)-(?P<colour>\d{1,2})$")


def initials_key(name: str) -> str:
    """Return the key naming an author's initials avatar: its letters and palette index."""
    return f"{initials(name)}-{PALETTE.index(avatar_color(name))}"


def initials_url(name: str) -> str:
    """Return the URL of an author's initials avatar; the image is drawn on first request."""
    return PREFIX + quote(initials_key(name)) + ".webp"


def initials_file(root: Path, key: str) -> Path | None:
    """Return the initials avatar for a key, drawing it once; None for a key we never make."""
    match = _KEY.match(key)
    if match is None or int(match["colour"]) >= len(PALETTE):
        return None
    path = root / f"{key}.webp"
    if not path.exists():
        image = draw_initials(match["letters"], PALETTE[int(match["colour"])])
        root.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(encode(image, "avatar256", "webp").data)
        os.replace(tmp, path)
    return path
