"""The [media] and [moderation.media] config tables, read into typed settings."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from wall.configreader import Reader

ANIMATED = ("first_frame", "keep")


@dataclass(frozen=True)
class MediaSection:
    """How avatars and post images are fetched, checked, re-encoded and cached."""

    enabled: bool = True
    allow_private_addresses: bool = False
    allow_networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    max_bytes: int = 8 * 1024 * 1024
    timeout_seconds: float = 15.0
    max_redirects: int = 3
    max_pixels: int = 40_000_000
    animated: str = "first_frame"
    max_frames: int = 60
    cache_max_mb: int = 500
    workers: int = 2
    nsfw_enabled: bool = False
    nsfw_threshold: float = 0.6


@dataclass(frozen=True)
class MediaRules:
    """What moderation does with images: allow them, require them, hide sensitive ones."""

    allow_images: bool = True
    require_images: bool = False
    hide_sensitive: bool = True


def _networks(r: Reader) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Read allow_networks: address ranges fetched from although private."""
    out = []
    for i, text in enumerate(r.strings("allow_networks")):
        try:
            out.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            r.problem(f"allow_networks[{i}]",
                      f'"{text}" is not an address range like "10.1.0.0/16"')
    return tuple(out)


def read_media(r: Reader) -> MediaSection:
    """Read the [media] table."""
    section = MediaSection(
        enabled=r.boolean("enabled", True),
        allow_private_addresses=r.boolean("allow_private_addresses", False),
        allow_networks=_networks(r),
        max_bytes=r.integer("max_mb", 8, low=1, high=100) * 1024 * 1024,
        timeout_seconds=r.number("timeout_seconds", 15.0, low=1, high=120),
        max_redirects=r.integer("max_redirects", 3, low=0, high=5),
        max_pixels=r.integer("max_megapixels", 40, low=1, high=200) * 1_000_000,
        animated=r.string("animated", "first_frame", choices=ANIMATED),
        max_frames=r.integer("max_frames", 60, low=2, high=500),
        cache_max_mb=r.integer("cache_max_mb", 500, low=10, high=100_000),
        workers=r.integer("workers", 2, low=1, high=16),
        nsfw_enabled=r.boolean("nsfw", False),
        nsfw_threshold=r.number("nsfw_threshold", 0.6, low=0.05, high=1.0),
    )
    r.finish()
    return section


def read_media_rules(r: Reader) -> MediaRules:
    """Read the [moderation.media] table."""
    rules = MediaRules(
        allow_images=r.boolean("allow_images", True),
        require_images=r.boolean("require_images", False),
        hide_sensitive=r.boolean("hide_sensitive", True),
    )
    if rules.require_images and not rules.allow_images:
        r.problem("require_images", "cannot be true when allow_images is false")
    r.finish()
    return rules
