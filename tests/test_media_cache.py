"""The content-addressed cache and the [media] config tables."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wall.config import ConfigError, parse_config
from wall.media.cache import MediaCache


def test_same_bytes_same_file_and_the_oldest_files_are_evicted(tmp_path: Path) -> None:
    cache = MediaCache(tmp_path, max_bytes=10_000)
    first = cache.put(b"a" * 3000, ".webp")
    assert cache.put(b"a" * 3000, ".webp") == first and cache.total == 3000
    assert first.startswith("/media/cache/") and first.endswith(".webp")
    older = [cache.put(bytes([i]) * 3000, ".jpg") for i in range(1, 3)]
    for age, url in enumerate([first, *older]):  # make the write order unambiguous
        path = tmp_path / url.removeprefix("/media/cache/")
        os.utime(path, (1000 + age, 1000 + age))
    newest = cache.put(b"z" * 3000, ".jpg")  # 12 000 bytes > 10 000: evict down to 9 000
    left = {p.name for p in tmp_path.glob("*/*")}
    assert (tmp_path / newest.removeprefix("/media/cache/")).name in left
    assert (tmp_path / first.removeprefix("/media/cache/")).name not in left
    assert cache.total <= 9000 and len(left) == 3


def test_a_restarted_cache_knows_its_size(tmp_path: Path) -> None:
    MediaCache(tmp_path, 1_000_000).put(b"x" * 1234, ".png")
    assert MediaCache(tmp_path, 1_000_000).total == 1234


@pytest.mark.parametrize("table, expected", [
    ({"media": {"animated": "loop"}}, 'media.animated: must be one of "first_frame", "keep"'),
    ({"media": {"allow_networks": ["nope"]}}, 'media.allow_networks[0]: "nope" is not'),
    ({"media": {"max_mb": 0}}, "media.max_mb: must be from 1 to 100"),
    ({"media": {"nsfw_threshold": 2}}, "media.nsfw_threshold: must be from 0.05 to 1"),
    ({"moderation": {"media": {"allow_images": False, "require_images": True}}},
     "moderation.media.require_images: cannot be true when allow_images is false"),
    ({"moderation": {"media": {"hide": True}}}, "moderation.media.hide: unknown key"),
])
def test_media_config_problems_name_their_key(table: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(table)
    assert any(p.startswith(expected) for p in caught.value.problems), caught.value.problems


def test_media_defaults_are_safe() -> None:
    config = parse_config({})
    assert config.media.allow_private_addresses is False
    assert config.media.animated == "first_frame" and config.media.nsfw_enabled is False
    assert config.moderation.media.allow_images and config.moderation.media.hide_sensitive
