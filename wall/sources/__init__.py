"""Source adapters: each turns one network's items into Posts, knowing nothing else."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wall.configreader import Reader
from wall.sources.base import Runtime, Source, SourceError

__all__ = ["SOURCE_TYPES", "Runtime", "Source", "SourceError", "SourceType", "parse_options"]


@dataclass(frozen=True)
class SourceType:
    """How to read a [[sources]] table of one type and build its adapter."""

    parse: Callable[[Reader], Any]
    build: Callable[[str, Any], Source] | None  # None: passive (fed over HTTP)


def _build_x(name: str, options: Any) -> Source:
    """Create an X source; tweepy is imported only when one runs."""
    from wall.sources.x_client import XSource

    return XSource(name, options)


def _build_bluesky(name: str, options: Any) -> Source:
    """Create a Bluesky source; websocket-client is imported only when one runs."""
    from wall.sources.bluesky_stream import BlueskySource

    return BlueskySource(name, options)


def _registry() -> dict[str, SourceType]:
    from wall.sources import (
        attendees,
        bluesky,
        demo,
        facebook,
        google_reviews,
        instagram,
        mastodon,
        rss,
        threads,
        webhook,
        x,
        youtube,
    )

    return {
        "demo": SourceType(demo.parse_options, demo.build),
        "webhook": SourceType(webhook.parse_options, None),
        "x": SourceType(x.parse_options, _build_x),
        "mastodon": SourceType(mastodon.parse_options, mastodon.build),
        "bluesky": SourceType(bluesky.parse_options, _build_bluesky),
        "rss": SourceType(rss.parse_options, rss.build),
        "attendees": SourceType(attendees.parse_options, None),
        "instagram": SourceType(instagram.parse_options, instagram.build),
        "facebook": SourceType(facebook.parse_options, facebook.build),
        "threads": SourceType(threads.parse_options, threads.build),
        "google_reviews": SourceType(google_reviews.parse_options, google_reviews.build),
        "youtube": SourceType(youtube.parse_options, youtube.build),
    }


SOURCE_TYPES: dict[str, SourceType] = _registry()


def parse_options(kind: str, reader: Reader) -> Any:
    """Read the options of a [[sources]] table of the given type."""
    return SOURCE_TYPES[kind].parse(reader)
