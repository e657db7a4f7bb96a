"""Bluesky: the Jetstream firehose filtered by hashtag, searchPosts backfill with a login."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wall.configreader import Reader
from wall.models import Media, Post, find_hashtags
from wall.sources.base import SourceError, parser
from wall.sources.text import clip, parse_time

log = logging.getLogger(__name__)

JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"
APPVIEW = "https://public.api.bsky.app"
PDS = "https://bsky.social"
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain"
COLLECTION = "app.bsky.feed.post"


@dataclass(frozen=True)
class BlueskyOptions:
    """Options of a type = "bluesky" source."""

    jetstream_url: str = JETSTREAM
    appview_url: str = APPVIEW
    pds_url: str = PDS
    handle_env: str = ""
    app_password_env: str = ""
    hashtags: tuple[str, ...] = ()


def parse_options(r: Reader) -> BlueskyOptions:
    """Read the Bluesky source's options."""
    options = BlueskyOptions(
        jetstream_url=r.string("jetstream_url", JETSTREAM, allow_empty=False),
        appview_url=r.string("appview_url", APPVIEW, allow_empty=False).rstrip("/"),
        pds_url=r.string("pds_url", PDS, allow_empty=False).rstrip("/"),
        handle_env=r.string("handle_env", ""),
        app_password_env=r.string("app_password_env", ""),
        hashtags=tuple(t.lstrip("#") for t in r.strings("hashtags")),
    )
    if not options.jetstream_url.startswith(("ws://", "wss://")):
        r.problem("jetstream_url", f'must start with wss:// (default "{JETSTREAM}")')
    if bool(options.handle_env) != bool(options.app_password_env):
        r.problem("app_password_env", "set both handle_env and app_password_env, or neither")
    return options


def record_tags(record: Mapping[str, Any]) -> set[str]:
    """Return the lower-cased hashtags of a post record: facets, tags, and the text."""
    tags = {t.lower() for t in record.get("tags") or [] if isinstance(t, str)}
    for facet in record.get("facets") or []:
        for feature in (facet.get("features") or []) if isinstance(facet, Mapping) else []:
            if isinstance(feature, Mapping) and feature.get("$type") == \
                    "app.bsky.richtext.facet#tag" and isinstance(feature.get("tag"), str):
                tags.add(feature["tag"].lower())
    tags.update(find_hashtags(clip(record.get("text"), 5000)))
    return tags


def _images(did: str, embed: Any) -> tuple[Media, ...]:
    if isinstance(embed, Mapping) and isinstance(embed.get("media"), Mapping):
        embed = embed["media"]  # app.bsky.embed.recordWithMedia
    if not isinstance(embed, Mapping) or embed.get("$type") != "app.bsky.embed.images":
        return ()
    out = []
    for image in embed.get("images") or []:
        link = ((image.get("image") or {}).get("ref") or {}).get("$link") \
            if isinstance(image, Mapping) else None
        if isinstance(link, str) and link.isalnum():
            out.append(Media(f"{CDN}/{did}/{link}@jpeg", clip(image.get("alt"), 1500)))
    return tuple(out[:4])


@dataclass(frozen=True)
class Profile:
    """What a wall shows of a Bluesky account."""

    handle: str
    name: str = ""
    avatar: str | None = None


@parser
def to_post(event: Any, profile: Profile | None = None, *, source: str) -> Post:
    """Turn one Jetstream commit event creating an app.bsky.feed.post into a Post."""
    if not isinstance(event, Mapping) or not isinstance(event.get("commit"), Mapping):
        raise SourceError("a Jetstream event must be an object with a commit")
    did, commit = clip(event.get("did"), 200), event["commit"]
    record, rkey = commit.get("record"), clip(commit.get("rkey"), 100)
    if not did.startswith("did:") or not rkey or not isinstance(record, Mapping):
        raise SourceError("commit event without did, rkey or record")
    text = record.get("text")
    if not isinstance(text, str):
        raise SourceError(f"post {rkey} has no text")
    profile = profile or Profile(handle=did)
    langs = record.get("langs")
    return Post(
        source=source,
        external_id=f"at://{did}/{COLLECTION}/{rkey}",
        network="bluesky",
        author=profile.name or profile.handle,
        handle="@" + profile.handle if not profile.handle.startswith("did:") else profile.handle,
        text=text[:5000],
        url=f"https://bsky.app/profile/{did}/post/{rkey}",
        created_at=parse_time(record.get("createdAt"), "createdAt"),
        avatar_url=profile.avatar,
        media=_images(did, record.get("embed")),
        language=clip(langs[0], 20) if isinstance(langs, list) and langs else None,
        is_reply=isinstance(record.get("reply"), Mapping),
        uri=f"at://{did}/{COLLECTION}/{rkey}",
    )


@parser
def view_to_post(view: Any, *, source: str) -> Post:
    """Turn one PostView from app.bsky.feed.searchPosts into a Post (same id as Jetstream)."""
    if not isinstance(view, Mapping) or not isinstance(view.get("uri"), str):
        raise SourceError("a PostView must be an object with a uri")
    found = view.get("author")
    author: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    parts = view["uri"].split("/")
    if len(parts) != 5 or parts[3] != COLLECTION:
        raise SourceError(f"not a post uri: {view['uri'][:80]}")
    event = {"did": parts[2], "commit": {"rkey": parts[4], "record": view.get("record")}}
    profile = Profile(clip(author.get("handle")) or parts[2], clip(author.get("displayName")),
                      clip(author.get("avatar"), 2000) or None)
    return to_post(event, profile, source=source)


class ProfileCache:
    """Resolved names and avatars by DID, bounded, so each author is looked up once."""

    def __init__(self, size: int = 5000) -> None:
        self.size = size
        self.items: OrderedDict[str, Profile] = OrderedDict()

    def get(self, did: str) -> Profile | None:
        """Return a cached profile."""
        found = self.items.get(did)
        if found is not None:
            self.items.move_to_end(did)
        return found

    def put(self, did: str, profile: Profile) -> None:
        """Cache a profile, forgetting the least recently used past the bound."""
        self.items[did] = profile
        self.items.move_to_end(did)
        while len(self.items) > self.size:
            self.items.popitem(last=False)


def build(name: str, options: BlueskyOptions) -> Any:
    """Create a Bluesky source."""
    from wall.sources.bluesky_stream import BlueskySource

    return BlueskySource(name, options)
