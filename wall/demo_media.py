"""Demo dataset access and first-run generation of the demo avatars and scene photos."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from wall.demo_scenes import SCENES, Color, load_font, render_scene, shade

log = logging.getLogger(__name__)

AVATAR_SIZE = 256
JPEG_QUALITY = 85
SCENE_NAMES: tuple[str, ...] = tuple(SCENES)
PALETTE: tuple[Color, ...] = (
    (239, 108, 0), (216, 67, 21), (194, 24, 91), (123, 31, 162), (81, 45, 168),
    (48, 63, 159), (25, 118, 210), (2, 136, 209), (0, 131, 143), (0, 121, 107),
    (56, 142, 60), (104, 159, 56), (175, 120, 0), (93, 64, 55), (69, 90, 100),
)


def load_dataset() -> dict[str, Any]:
    """Return the demo dataset: {"authors": [...], "posts": [...]}."""
    ref = resources.files("wall") / "data" / "demo_posts.json"
    data: dict[str, Any] = json.loads(ref.read_text(encoding="utf-8"))
    return data


def author_slug(handle: str) -> str:
    """Return a file-name-safe slug for a handle: "@camille@x.social" → "camille-x-social"."""
    ascii_only = unicodedata.normalize("NFKD", handle).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_only.lower()).strip("-")
    return slug or "author"


def avatar_path(handle: str) -> str:
    """Return the avatar's path relative to the media root."""
    return f"avatars/{author_slug(handle)}.png"


def scene_path(scene: str) -> str:
    """Return the scene photo's path relative to the media root."""
    return f"scenes/{scene}.jpg"


def initials(name: str) -> str:
    """Return up to two initials from a display name, skipping words that start with a symbol."""
    words = [w for w in name.split() if w[:1].isalnum()]
    letters = "".join(w[0] for w in words[:2]).upper()
    return letters or "?"


def avatar_color(name: str) -> Color:
    """Pick a palette colour deterministically from a name."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return PALETTE[int.from_bytes(digest[:4], "big") % len(PALETTE)]


def draw_avatar(name: str) -> Image.Image:
    """Draw a 256x256 avatar: white bold initials on a diagonal gradient square."""
    return draw_initials(initials(name), avatar_color(name))


def draw_initials(text: str, base: Color) -> Image.Image:
    """Draw a 256x256 avatar of up to two letters on a gradient of a base colour."""
    scale = 2
    size = AVATAR_SIZE * scale
    ramp = Image.linear_gradient("L")
    mask = Image.blend(ramp, ramp.transpose(Image.Transpose.ROTATE_90), 0.5).resize((size, size))
    img = Image.composite(Image.new("RGB", (size, size), shade(base, 0.72)),
                          Image.new("RGB", (size, size), shade(base, 1.12)), mask)
    draw = ImageDraw.Draw(img, "RGBA")
    draw.ellipse((-size * 0.3, -size * 0.45, size * 0.9, size * 0.45), fill=(255, 255, 255, 22))
    font = load_font(int(size * (0.42 if len(text) < 2 else 0.36)))
    centre = (size / 2, size / 2)
    draw.text((centre[0] + 4, centre[1] + 6), text, fill=(0, 0, 0, 60), font=font, anchor="mm")
    draw.text(centre, text, fill=(255, 255, 255), font=font, anchor="mm")
    return img.reduce(scale)


def _save_atomic(img: Image.Image, path: Path, **params: Any) -> None:
    """Write an image next to its destination, then move it in place."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    img.save(tmp, format="PNG" if path.suffix == ".png" else "JPEG", **params)
    os.replace(tmp, path)


def ensure_demo_media(root: Path) -> None:
    """Create the avatars and scene photos under root, skipping files that already exist."""
    (root / "avatars").mkdir(parents=True, exist_ok=True)
    (root / "scenes").mkdir(parents=True, exist_ok=True)
    created = 0
    for author in load_dataset()["authors"]:
        path = root / avatar_path(author["handle"])
        if not path.exists():
            _save_atomic(draw_avatar(author["name"]), path)
            created += 1
    for scene in SCENE_NAMES:
        path = root / scene_path(scene)
        if not path.exists():
            _save_atomic(render_scene(scene), path, quality=JPEG_QUALITY, optimize=True)
            created += 1
    if created:
        log.info("generated %d demo media files in %s", created, root)
