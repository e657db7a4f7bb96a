"""Bluesky: the Jetstream firehose filtered by hashtag, searchPosts backfill with a login."""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from wall.configreader import Reader
from wall.listening import Listening, read_listening
from wall.models import Media, Post, find_hashtags
from wall.sources.base import SourceError, parser
from wall.sources.text import clip, parse_time

log = logging.getLogger(__name__)

JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"
APPVIEW = "https://public.api.bsky.app"
PDS = "https://bsky.social"
CDN = "https://cdn.bsky.app/img/feed_fullsize/plain"
VIDEO_CDN = "https://video.bsky.app/watch"
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
    listening: Listening = field(default_factory=Listening)


def parse_options(r: Reader) -> BlueskyOptions:
    """Read the Bluesky source's options."""
    listening = read_listening(r)
    options = BlueskyOptions(
        jetstream_url=r.string("jetstream_url", JETSTREAM, allow_empty=False),
        appview_url=r.string("appview_url", APPVIEW, allow_empty=False).rstrip("/"),
        pds_url=r.string("pds_url", PDS, allow_empty=False).rstrip("/"),
        handle_env=r.string("handle_env", ""),
        app_password_env=r.string("app_password_env", ""),
        hashtags=listening.hashtags,
        listening=listening,
    )
    if not options.jetstream_url.startswith(("ws://", "wss://")):
        r.problem("jetstream_url", f'must start with wss:// (default "{JETSTREAM}")')
    if bool(options.handle_env) != bool(options.app_password_env):
        r.problem("app_password_env", "set both handle_env and app_password_env, or neither")
    return options


def outside_tags(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the hashtags a record carries beside its text: `tags` and tag facets."""
    tags = record.get("tags")
    found = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
    found += [f["tag"] for _facet, f in _features(record)
              if f.get("$type") == "app.bsky.richtext.facet#tag" and isinstance(f.get("tag"), str)]
    return tuple(dict.fromkeys(t.lstrip("#")[:100].lower() for t in found if t.strip("#")))


def record_tags(record: Mapping[str, Any]) -> set[str]:
    """Return the lower-cased hashtags of a post record: facets, tags, and the text."""
    tags = set(outside_tags(record))
    tags.update(find_hashtags(clip(record.get("text"), 5000)))
    return tags


# Self-labels an author puts on their own post (com.atproto.label.defs#selfLabels) and
# the labels Bluesky's moderation service gives, which its app hides behind a warning.
SENSITIVE_LABELS = frozenset({"porn", "sexual", "nudity", "graphic-media", "gore",
                              "nsfl", "corpse"})


def _features(record: Mapping[str, Any]) -> list[tuple[Mapping[str, Any], Mapping[str, Any]]]:
    """Return (facet, feature) pairs of a post record's rich-text facets."""
    out = []
    facets = record.get("facets")
    for facet in facets if isinstance(facets, list) else []:
        features = facet.get("features") if isinstance(facet, Mapping) else None
        for feature in features if isinstance(features, list) else []:
            if isinstance(feature, Mapping):
                out.append((facet, feature))
    return out


def _facet_text(text: str, facet: Mapping[str, Any]) -> str:
    """Return the text a facet covers (its index counts UTF-8 bytes)."""
    index = facet.get("index")
    if not isinstance(index, Mapping):
        return ""
    start, end = index.get("byteStart"), index.get("byteEnd")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        return ""
    return text.encode("utf-8")[start:end].decode("utf-8", "replace")


def record_links(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the links of a post: link facets, then an external embed's page."""
    found = [f.get("uri") for _facet, f in _features(record)
             if f.get("$type") == "app.bsky.richtext.facet#link"]
    embed = record.get("embed")
    if isinstance(embed, Mapping) and isinstance(embed.get("media"), Mapping):
        embed = embed["media"]  # app.bsky.embed.recordWithMedia
    external = embed.get("external") if isinstance(embed, Mapping) else None
    if isinstance(external, Mapping):
        found.append(external.get("uri"))
    links = (u[:2000] for u in found if isinstance(u, str) and u.startswith(("http://", "https://")))
    return tuple(dict.fromkeys(links))


def record_mentions(record: Mapping[str, Any]) -> tuple[str, ...]:
    """Return who a post mentions: each mention facet's DID and the handle it shows."""
    text = record.get("text") if isinstance(record.get("text"), str) else ""
    out: list[str] = []
    for facet, feature in _features(record):
        if feature.get("$type") == "app.bsky.richtext.facet#mention":
            if isinstance(feature.get("did"), str):
                out.append(feature["did"][:200])
            shown = _facet_text(str(text), facet).strip().lstrip("@").lower()
            if shown:
                out.append(shown[:200])
    return tuple(dict.fromkeys(out))


def self_labels(record: Mapping[str, Any]) -> set[str]:
    """Return the labels an author put on a post."""
    labels = record.get("labels")
    values = labels.get("values") if isinstance(labels, Mapping) else None
    return {str(v.get("val")) for v in values if isinstance(v, Mapping)} \
        if isinstance(values, list) else set()


def _video_still(did: str, embed: Mapping[str, Any]) -> tuple[Media, ...]:
    """Return a video's thumbnail (what app.bsky.embed.video#view names): a still, not the video."""
    video = embed.get("video")
    link = (video.get("ref") or {}).get("$link") if isinstance(video, Mapping) else None
    if not isinstance(link, str) or not link.isalnum():
        return ()
    return (Media(f"{VIDEO_CDN}/{quote(did, safe='')}/{link}/thumbnail.jpg",
                  clip(embed.get("alt"), 1500)),)


def _images(did: str, embed: Any) -> tuple[Media, ...]:
    if isinstance(embed, Mapping) and isinstance(embed.get("media"), Mapping):
        embed = embed["media"]  # app.bsky.embed.recordWithMedia
    if isinstance(embed, Mapping) and embed.get("$type") == "app.bsky.embed.video":
        return _video_still(did, embed)
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
def to_post(event: Any, profile: Profile | None = None, *, source: str,
            labels: set[str] | None = None) -> Post:
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
        sensitive=bool(SENSITIVE_LABELS & (self_labels(record) | (labels or set()))),
        author_id=did,
        links=record_links(record),
        tags=outside_tags(record),
        mentioned=record_mentions(record),
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
    found_labels = view.get("labels")
    labels = {str(v.get("val")) for v in found_labels if isinstance(v, Mapping)} \
        if isinstance(found_labels, list) else set()
    return to_post(event, profile, source=source, labels=labels)


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
