"""Decoding and re-encoding with Pillow: hostile files refused, tricky ones made safe."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from tests import media_corpus as corpus
from wall.media.images import (
    ImageError,
    Policy,
    Rendition,
    animated_rendition,
    avatar_renditions,
    post_renditions,
)

POLICY = Policy()


def opened(rendition: Rendition) -> Image.Image:
    image = Image.open(io.BytesIO(rendition.data))
    image.load()
    return image


def by_name(renditions: list[Rendition]) -> dict[str, Rendition]:
    return {r.name + r.suffix: r for r in renditions}


def test_a_photo_gets_card_and_full_screen_renditions_in_webp_and_jpeg() -> None:
    out = by_name(post_renditions(corpus.photo((4000, 3000)), POLICY))
    assert set(out) == {"full.webp", "full.jpg", "card.webp", "card.jpg"}
    assert opened(out["full.webp"]).format == "WEBP"
    assert opened(out["card.jpg"]).format == "JPEG"
    assert (out["full.webp"].width, out["full.webp"].height) == (1440, 1080)
    assert (out["card.webp"].width, out["card.webp"].height) == (800, 600)
    assert opened(out["card.webp"]).size == (800, 600)


def test_exif_rotation_is_applied_and_gps_is_gone() -> None:
    source = corpus.exif_rotated_with_gps()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
    for rendition in post_renditions(source, POLICY):
        image = opened(rendition).convert("RGB")
        assert image.size == (100, 300), rendition.name  # turned upright
        top, bottom = image.getpixel((50, 20)), image.getpixel((50, 280))
        assert top[0] > 180 and top[2] < 90, top  # red is now on top
        assert bottom[2] > 180 and bottom[0] < 90, bottom
        assert not image.getexif(), rendition.name
        assert not image.info.get("exif") and b"SpyCam" not in rendition.data


def test_cmyk_becomes_rgb_with_the_right_colour() -> None:
    card = opened(by_name(post_renditions(corpus.cmyk(), POLICY))["card.jpg"])
    assert card.mode == "RGB"
    red, green, blue = card.getpixel((100, 60))
    assert red > 200 and green < 60 and blue < 80


def test_sixteen_bit_grey_is_scaled_not_clipped() -> None:
    card = opened(by_name(post_renditions(corpus.sixteen_bit(), POLICY))["card.webp"])
    value = card.convert("L").getpixel((60, 40))
    assert 110 < value < 145, value  # half intensity stays mid grey, not white


def test_palette_transparency_is_kept_in_webp_and_flattened_in_jpeg() -> None:
    out = by_name(post_renditions(corpus.palette_transparent(), POLICY))
    webp = opened(out["card.webp"])
    assert webp.mode == "RGBA" and webp.getpixel((5, 5))[3] == 0
    assert webp.getpixel((50, 50))[:3][0] > 200
    assert opened(out["card.jpg"]).getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize("name, make, message", [
    ("png bomb", corpus.png_bomb, "pixels is over the limit|decompression bomb"),
    ("gif bomb", corpus.gif_bomb, "pixels is over the limit|decompression bomb"),
    ("svg", lambda: corpus.SVG, "not a JPEG"),
    ("html", lambda: corpus.HTML, "not a JPEG"),
    ("truncated", lambda: corpus.noisy_photo()[:20_000], "corrupt or truncated"),
    ("corrupt png", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, "not a JPEG|corrupt"),
    ("empty", lambda: b"", "not a JPEG"),
    ("bmp", lambda: b"BM" + b"\0" * 100, "not a JPEG"),
])
def test_hostile_files_are_refused(name: str, make: object, message: str) -> None:
    with pytest.raises(ImageError, match=message):
        post_renditions(make(), POLICY)  # type: ignore[operator]


def test_a_huge_animated_gif_is_reduced_to_its_first_frame_by_default() -> None:
    out = by_name(post_renditions(corpus.animated_gif(), POLICY))
    assert "animated.webp" not in out
    card = opened(out["card.webp"])
    assert card.size == (800, 800) and not getattr(card, "is_animated", False)


def test_an_animation_can_be_kept_short_and_small() -> None:
    policy = Policy(keep_animation=True, max_frames=10)
    animated = animated_rendition(corpus.animated_gif(frames=40, side=800), policy)
    assert animated is not None
    image = Image.open(io.BytesIO(animated.data))
    assert image.format == "WEBP" and image.n_frames == 10
    assert max(image.size) <= 480


def test_avatars_are_square_at_both_sizes() -> None:
    out = by_name(avatar_renditions(corpus.photo((300, 200)), POLICY))
    assert opened(out["avatar128.webp"]).size == (128, 128)
    assert opened(out["avatar256.webp"]).size == (256, 256)
    assert opened(out["avatar256.jpg"]).format == "JPEG"
