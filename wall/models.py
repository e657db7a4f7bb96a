"""The one shape every source produces, and what moderation decides about it."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
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


# The widest value each stored column takes (wall/store/schema.py). Sources hand over
# whatever the network sent; a post is made to fit here, once, so that one long name
# or URL never fails a whole batch on PostgreSQL (SQLite does not check lengths).
FITS = {"source": 100, "network": 30, "author": 300, "handle": 300, "language": 20}
MAX_ID = 300
MAX_URL = 2000
MAX_TAG = 100
# Control characters (tab and newline kept) and lone surrogates.
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_TEXTS = ("text", "spoiler_text", "author_bio", "place")


def clean_text(value: str) -> str:
    """Drop control characters (NUL included) and replace lone surrogates with U+FFFD.

    PostgreSQL refuses NUL in text and a lone surrogate cannot be encoded as UTF-8:
    either would fail the transaction of every post stored with it.
    """
    if not _UNSTORABLE.search(value):
        return value
    value = _CONTROL.sub("", value)
    return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in value)


def fit_id(value: str) -> str:
    """Return an id of at most MAX_ID characters; longer ids stay distinct by a digest."""
    if len(value) <= MAX_ID:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()
    return value[:MAX_ID - len(digest) - 1] + "~" + digest


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

    def __post_init__(self) -> None:
        """Make the post fit every store: lengths, control characters, valid UTF-8."""
        fixes: dict[str, object] = {}
        for name, limit in FITS.items():
            value = getattr(self, name)
            if value is not None and (len(value) > limit or _UNSTORABLE.search(value)):
                fixes[name] = clean_text(value)[:limit]
        for name in _TEXTS:
            value = getattr(self, name)
            if _UNSTORABLE.search(value):
                fixes[name] = clean_text(value)
        if len(self.external_id) > MAX_ID or _UNSTORABLE.search(self.external_id):
            fixes["external_id"] = fit_id(clean_text(self.external_id))
        for name in ("url", "avatar_url", "uri"):
            value = getattr(self, name)
            if value is not None and (len(value) > MAX_URL or _UNSTORABLE.search(value)):
                fixes[name] = None  # a cut URL would lead somewhere else: drop it
        for name, value in fixes.items():
            object.__setattr__(self, name, value)

    @property
    def hashtags(self) -> tuple[str, ...]:
        """Return the post's hashtags, lower-cased: those in the text, then the network's."""
        found = find_hashtags(self.text)
        extra = tuple(t.lower()[:MAX_TAG] for t in self.tags)
        return tuple(dict.fromkeys(found + extra))

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


# The organisers' own announcements are stored as posts of this network: shown on the
# feed, kept in the audit trail and exports, never counted as what people say (stats).
HOST_NETWORK = "host"

# Exported key (the dry-run file format, docs/moderation.md) -> Post field.
FACTS = {"is_reply": "is_reply", "is_repost": "is_repost", "sensitive": "sensitive",
         "author_id": "author_id", "is_bot": "author_bot", "spoiler": "spoiler_text",
         "followers": "author_followers", "noindex": "author_noindex",
         "discoverable": "author_discoverable", "bio": "author_bio", "links": "links",
         "rating": "rating", "place": "place", "addressed": "addressed",
         "matched": "matched"}


@cache
def _fact_defaults() -> dict[str, object]:
    """Return each fact's default (a Post built per call was 2 % of a batch's CPU)."""
    empty = Post("", "", "", "", "")
    return {key: getattr(empty, field) for key, field in FACTS.items()}


def post_facts(post: Post) -> dict[str, object]:
    """Return the moderation facts a source gave, beyond the defaults, for storage and export."""
    defaults = _fact_defaults()
    out: dict[str, object] = {key: getattr(post, field) for key, field in FACTS.items()
                              if getattr(post, field) != defaults[key]}
    for key in ("links", "matched"):
        if key in out:
            out[key] = list(getattr(post, FACTS[key]))
    if post.author_created_at is not None:
        out["author_created_at"] = post.author_created_at.isoformat()
    return out
