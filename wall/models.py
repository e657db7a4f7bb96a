"""The one shape every source produces, and what moderation decides about it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal

Status = Literal["approved", "pending", "rejected"]
NETWORKS = ("demo", "webhook", "x", "mastodon", "bluesky", "rss", "instagram", "facebook",
            "threads", "google_reviews", "youtube")

_HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})", re.UNICODE)
_MENTION = re.compile(r"(?<![\w@])@([\w.\-]{1,100}(?:@[\w.\-]{1,200})?)", re.UNICODE)


def utcnow() -> datetime:
    """Return the current time in UTC, without sub-millisecond noise."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


def find_hashtags(text: str) -> tuple[str, ...]:
    """Return the distinct hashtags in a text, lower-cased, in order of appearance."""
    seen: dict[str, None] = {}
    for match in _HASHTAG.finditer(text):
        seen.setdefault(match.group(1).lower(), None)
    return tuple(seen)


def find_mentions(text: str) -> tuple[str, ...]:
    """Return the distinct @mentions in a text, lower-cased."""
    seen: dict[str, None] = {}
    for match in _MENTION.finditer(text):
        seen.setdefault(match.group(1).lower().rstrip(".-"), None)
    return tuple(seen)


@dataclass(frozen=True)
class Media:
    """One image attached to a post: where it comes from and its description."""

    url: str
    alt: str = ""


@dataclass(frozen=True)
class Post:
    """A post from any network, normalised; every field is untrusted plain text."""

    source: str
    external_id: str
    network: str
    author: str
    text: str
    handle: str = ""
    url: str | None = None
    created_at: datetime = field(default_factory=utcnow)
    avatar_url: str | None = None
    media: tuple[Media, ...] = ()
    language: str | None = None
    is_reply: bool = False
    is_repost: bool = False
    sensitive: bool = False
    # Carried from the networks for the rules (issue 4); None means "not reported".
    spoiler_text: str = ""
    author_bot: bool = False
    author_followers: int | None = None
    author_created_at: datetime | None = None
    author_noindex: bool = False
    author_discoverable: bool | None = None
    author_bio: str = ""
    uri: str | None = None
    edited_at: datetime | None = None
    # Filled by source adapters when the network gives them (docs/moderation.md).
    author_id: str = ""
    links: tuple[str, ...] = ()
    # Reviews (issue 12): stars 1..5, None when the post is no review; the reviewed place.
    rating: int | None = None
    place: str = ""
    # Read on the brand's own page, account, locations or video: kept with no hashtag.
    addressed: bool = False
    # Issue 12: hashtags the network gives outside the text (Bluesky `tags`, Mastodon
    # `tags`), handles the network says are mentioned (facets, entities, `mentions`;
    # lower-cased, no @), and what the wall's listening matched ("#tag", "keyword", "@x").
    tags: tuple[str, ...] = ()
    mentioned: tuple[str, ...] = ()
    matched: tuple[str, ...] = ()

    @property
    def hashtags(self) -> tuple[str, ...]:
        """Return the post's hashtags, lower-cased: those in the text, then the network's."""
        found = find_hashtags(self.text)
        extra = tuple(t.lower() for t in self.tags if t.lower() not in found)
        return found + tuple(dict.fromkeys(extra))

    @property
    def mentions(self) -> tuple[str, ...]:
        """Return the post's mentions, lower-cased."""
        return find_mentions(self.text)


@dataclass(frozen=True)
class Decision:
    """What the rules decided for a post, with reasons a moderator can read."""

    status: Status
    reasons: tuple[str, ...] = ()
    ambassador: bool = False
    toxicity: float | None = None
    language: str | None = None


# Exported key (the dry-run file format, docs/moderation.md) -> Post field.
FACTS = {"is_reply": "is_reply", "is_repost": "is_repost", "sensitive": "sensitive",
         "author_id": "author_id", "is_bot": "author_bot", "spoiler": "spoiler_text",
         "followers": "author_followers", "noindex": "author_noindex",
         "discoverable": "author_discoverable", "bio": "author_bio", "links": "links",
         "rating": "rating", "place": "place", "addressed": "addressed",
         "matched": "matched"}


def post_facts(post: Post) -> dict[str, object]:
    """Return the moderation facts a source gave, beyond the defaults, for storage and export."""
    defaults = Post("", "", "", "", "")
    out: dict[str, object] = {key: getattr(post, field) for key, field in FACTS.items()
                              if getattr(post, field) != getattr(defaults, field)}
    for key in ("links", "matched"):
        if key in out:
            out[key] = list(getattr(post, FACTS[key]))
    if post.author_created_at is not None:
        out["author_created_at"] = post.author_created_at.isoformat()
    return out
