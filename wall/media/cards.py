"""The shareable PNG card of a post: its text, author, avatar and the wall's branding."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageOps

from wall.demo_media import avatar_color, draw_avatar
from wall.demo_scenes import load_font, shade
from wall.payloads import local_media_path

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
AVATAR = 112
TEXT_LINES = 6
INK = (255, 255, 255)
MUTED = (225, 228, 240)


def wrap(draw: ImageDraw.ImageDraw, text: str, font: Any, width: int, lines: int) -> list[str]:
    """Break text into at most `lines` lines that fit `width` pixels, ending with … if cut."""
    out: list[str] = []
    words = text.split()
    current = ""
    for word in words:
        while draw.textlength(word, font=font) > width:  # one very long word: cut it
            cut = len(word) - 1
            while cut > 1 and draw.textlength(word[:cut], font=font) > width:
                cut -= 1
            if current:
                out.append(current)
                current = ""
            out.append(word[:cut])
            word = word[cut:]
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width:
            current = trial
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        last = out[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last[:-1]
        out[-1] = last.rstrip() + " …"
    return out


def _avatar(post: dict[str, Any], media_root: Path) -> Image.Image:
    """Return the post's avatar from the media folder, or initials drawn for it."""
    path = local_media_path(post.get("avatar"))
    if path:
        file = media_root / path.removeprefix("/media/")
        try:
            with Image.open(file, formats=["PNG", "JPEG", "WEBP"]) as image:
                return ImageOps.fit(image.convert("RGB"), (AVATAR, AVATAR))
        except (OSError, ValueError):
            pass  # evicted or unreadable: initials instead
    return draw_avatar(str(post.get("author") or "?")).resize((AVATAR, AVATAR))


def _background(brand: str) -> Image.Image:
    base = avatar_color(brand)
    ramp = Image.linear_gradient("L").rotate(90).resize((WIDTH, HEIGHT))
    return Image.composite(Image.new("RGB", (WIDTH, HEIGHT), shade(base, 0.35)),
                           Image.new("RGB", (WIDTH, HEIGHT), shade(base, 0.8)), ramp)


def render_card(post: dict[str, Any], title: str, hashtags: tuple[str, ...],
                media_root: Path) -> bytes:
    """Draw a 1200x630 PNG card of a post, fit for sharing."""
    card = _background(title)
    draw = ImageDraw.Draw(card)
    mask = Image.new("L", (AVATAR, AVATAR), 0)
    ImageDraw.Draw(mask).ellipse((0, 0, AVATAR - 1, AVATAR - 1), fill=255)
    card.paste(_avatar(post, media_root), (MARGIN, MARGIN), mask)
    left = MARGIN + AVATAR + 28
    draw.text((left, MARGIN + 14), str(post.get("author") or "")[:60], font=load_font(40),
              fill=INK)
    draw.text((left, MARGIN + 66), str(post.get("handle") or "")[:70],
              font=load_font(28, bold=False), fill=MUTED)
    text = " ".join(str(post.get("text") or "").split())
    size = 44 if len(text) < 140 else 36
    font = load_font(size, bold=False)
    top = MARGIN + AVATAR + 40
    lines = TEXT_LINES if size < 44 else TEXT_LINES - 2
    for i, line in enumerate(wrap(draw, text, font, WIDTH - 2 * MARGIN, lines)):
        draw.text((MARGIN, top + i * int(size * 1.3)), line, font=font, fill=INK)
    draw.line((MARGIN, HEIGHT - 96, WIDTH - MARGIN, HEIGHT - 96), fill=MUTED, width=2)
    draw.text((MARGIN, HEIGHT - 72), title[:40], font=load_font(30), fill=INK)
    tags = "  ".join(f"#{t}" for t in hashtags[:3])
    draw.text((WIDTH - MARGIN, HEIGHT - 72), tags, font=load_font(28, bold=False), fill=MUTED,
              anchor="ra")
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()
