"""Decode untrusted image bytes with Pillow under limits, then re-encode clean renditions."""

from __future__ import annotations

import io
import logging
import re
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, ImageSequence

log = logging.getLogger(__name__)

FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
# Pillow only warns between its pixel limit and twice that: a warning is an error here.
warnings.filterwarnings("error", category=Image.DecompressionBombWarning)

CARD = (800, 1000)
FULL = (1920, 1080)
AVATAR_SIZES = (128, 256)
ANIMATED_BOX = (480, 480)
WEBP_QUALITY = 80
JPEG_QUALITY = 82
BACKGROUND = (255, 255, 255)


class ImageError(Exception):
    """Bytes that are not an image we accept; the message says why, for a moderator."""


@dataclass(frozen=True)
class Rendition:
    """One encoded image the server made: its name, bytes, file suffix and size."""

    name: str
    data: bytes
    suffix: str
    width: int
    height: int


@dataclass(frozen=True)
class Policy:
    """Decoding limits and what to do with animations."""

    max_pixels: int = 40_000_000
    keep_animation: bool = False
    max_frames: int = 60


def open_image(data: bytes, policy: Policy) -> Image.Image:
    """Open (not yet decode) bytes as one of the allowed formats, refusing too many pixels."""
    try:
        image = Image.open(io.BytesIO(data), formats=FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        pixels = f" of {int(found.group(1)):,} pixels" if found else ""
        raise ImageError(f"decompression bomb{pixels} refused") from None
    except Exception as exc:  # Pillow raises many types on hostile input; all mean "refused"
        raise ImageError(f"not a JPEG, PNG, GIF or WebP image: {exc}") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > policy.max_pixels:
        image.close()
        raise ImageError(f"{width}x{height} pixels is over the limit of {policy.max_pixels:,}")
    return image


def _sixteen_bit_to_l(image: Image.Image) -> Image.Image:
    """Scale 16- or 32-bit grey to 8 bits instead of clipping it to white."""
    if image.mode == "F":
        return image.convert("L")
    wide = image.convert("I")
    top = wide.getextrema()[1]
    scale = 1 / 256 if isinstance(top, int) and top > 255 else 1
    return wide.point(lambda value: value * scale).convert("L")


def normalise(image: Image.Image) -> Image.Image:
    """Return the image in RGB, or RGBA when it has transparency."""
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        return _sixteen_bit_to_l(image).convert("RGB")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (
        "transparency" in image.info)
    if has_alpha:
        return image.convert("RGBA")
    return image.convert("RGB")


def _clean(image: Image.Image) -> Image.Image:
    """Drop every piece of metadata carried over from the source."""
    image.info = {}
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Put a transparent image on a plain background, for JPEG."""
    if image.mode != "RGBA":
        return image
    base = Image.new("RGB", image.size, BACKGROUND)
    base.paste(image, mask=image.getchannel("A"))
    return base


def encode(image: Image.Image, name: str, fmt: str) -> Rendition:
    """Encode one rendition as WebP or JPEG, with no metadata."""
    out = io.BytesIO()
    image = _clean(image)
    if fmt == "webp":
        image.save(out, format="WEBP", quality=WEBP_QUALITY, method=4)
    else:
        image = _clean(_flatten(image))
        image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return Rendition(name, out.getvalue(), "." + ("webp" if fmt == "webp" else "jpg"),
                     image.width, image.height)


def decode(data: bytes, policy: Policy) -> Image.Image:
    """Decode the first frame, apply the EXIF orientation, normalise the colour mode."""
    image = open_image(data, policy)
    try:
        if image.format == "JPEG":
            image.draft(image.mode, FULL)  # decode huge JPEGs at a reduced scale
        image.load()
        try:
            upright = ImageOps.exif_transpose(image)
        except Exception as exc:  # a broken EXIF block must not lose the picture
            log.info("EXIF orientation ignored: %s", exc)
            upright = image
        return _clean(normalise(upright))
    except ImageError:
        raise
    except Exception as exc:  # truncated or corrupt data: Pillow raises OSError, ValueError...
        raise ImageError(f"corrupt or truncated image: {exc}") from None
    finally:
        image.close()


def _shrunk(image: Image.Image, box: tuple[int, int]) -> Image.Image:
    copy = image.copy()
    copy.thumbnail(box, Image.Resampling.LANCZOS, reducing_gap=3.0)
    return copy


def post_renditions(data: bytes, policy: Policy) -> list[Rendition]:
    """Make the full-screen and card renditions of a post image, WebP and JPEG."""
    image = decode(data, policy)
    full = _shrunk(image, FULL)
    card = _shrunk(full, CARD)
    out = [encode(full, "full", "webp"), encode(full, "full", "jpeg"),
           encode(card, "card", "webp"), encode(card, "card", "jpeg")]
    if policy.keep_animation:
        animated = animated_rendition(data, policy)
        if animated is not None:
            out.append(animated)
    return out


def avatar_renditions(data: bytes, policy: Policy) -> list[Rendition]:
    """Make square avatar renditions, WebP at each size and a JPEG fallback."""
    image = decode(data, policy)
    big = ImageOps.fit(image, (AVATAR_SIZES[-1],) * 2, Image.Resampling.LANCZOS)
    out = [encode(big.resize((size, size), Image.Resampling.LANCZOS), f"avatar{size}", "webp")
           for size in AVATAR_SIZES]
    out.append(encode(big, f"avatar{AVATAR_SIZES[-1]}", "jpeg"))
    return out


def animated_rendition(data: bytes, policy: Policy) -> Rendition | None:
    """Re-encode a short, small animation as animated WebP; None for a still image."""
    image = open_image(data, policy)
    try:
        if not getattr(image, "is_animated", False):
            return None
        frames: list[Image.Image] = []
        durations: list[int] = []
        for frame in ImageSequence.Iterator(image):
            if len(frames) >= policy.max_frames:
                break  # kept short: the rest of the animation is dropped
            frames.append(_clean(_shrunk(frame.convert("RGBA"), ANIMATED_BOX)))
            durations.append(max(20, int(frame.info.get("duration", 100) or 100)))
    except Exception as exc:  # a broken later frame: the still renditions are enough
        log.info("animation dropped: %s", exc)
        return None
    finally:
        image.close()
    out = io.BytesIO()
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:],
                   duration=durations, loop=0, quality=WEBP_QUALITY, method=4)
    return Rendition("animated", out.getvalue(), ".webp", frames[0].width, frames[0].height)
