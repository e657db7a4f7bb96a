"""Mastodon's Status entity to a Post: text, media stills, mentions, tags and links."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from wall.models import Media, Post
from wall.sources.base import SourceError, parser
from wall.sources.text import clip, html_to_text, optional_time, parse_time

# Links in a status's HTML; hashtag and mention links carry these classes (Mastodon's
# own markup), the others are what the author linked to.
_ANCHOR = re.compile(r"<a\s[^>]*>", re.IGNORECASE)
_HREF = re.compile(r'\shref="([^"]{1,2000})"', re.IGNORECASE)
_CLASS = re.compile(r'\sclass="([^"]*)"', re.IGNORECASE)


def media_of(items: Any) -> tuple[Media, ...]:
    """Return the images to show: images as they are, a video's or gifv's preview still.

    The image pipeline decodes stills only; an MP4 handed to it would fail and leave a
    blank card.
    """
    out = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, Mapping):
            continue
        kind = item.get("type")
        url = item.get("url") if kind == "image" else \
            item.get("preview_url") if kind in ("gifv", "video") else None
        if isinstance(url, str) and url.startswith(("http://", "https://")):
            out.append(Media(url[:2000], clip(item.get("description"), 1500)))
    return tuple(out[:8])


def full_acct(acct: str, url: str) -> str:
    """Return an account as user@host: a local account's acct lacks its instance."""
    if "@" in acct or not acct:
        return acct
    host = urlsplit(url).netloc
    return f"{acct}@{host}" if host else acct


def mentions_of(status: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the accounts a status mentions, as user@host, lower-cased."""
    found = status.get("mentions")
    out = [full_acct(clip(m.get("acct")), clip(m.get("url"), 2000)).lower()
           for m in found if isinstance(m, Mapping)] if isinstance(found, list) else []
    return tuple(dict.fromkeys(a for a in out if a))


def tags_of(status: Mapping[str, Any]) -> tuple[str, ...]:
    """Return the hashtags Mastodon lists for a status (some sit outside its text)."""
    found = status.get("tags")
    names = [clip(t.get("name"), 100).lower() for t in found if isinstance(t, Mapping)] \
        if isinstance(found, list) else []
    return tuple(dict.fromkeys(n for n in names if n))


def links_of(status: Mapping[str, Any], content: str) -> tuple[str, ...]:
    """Return what the author linked to: content links that are not tags or mentions."""
    out = []
    for anchor in _ANCHOR.findall(content):
        href, kind = _HREF.search(anchor), _CLASS.search(anchor)
        classes = kind.group(1).split() if kind else []
        if href and "mention" not in classes and "hashtag" not in classes:
            out.append(html_to_text(href.group(1)))  # decodes &amp; in the address
    card = status.get("card")
    if isinstance(card, Mapping) and isinstance(card.get("url"), str):
        out.append(card["url"][:2000])
    return tuple(dict.fromkeys(u for u in out if u.startswith(("http://", "https://"))))


@parser
def to_post(raw: Any, *, source: str) -> Post:
    """Turn one Mastodon Status entity into a Post; a boost becomes the boosted status."""
    if not isinstance(raw, Mapping):
        raise SourceError("a status must be a JSON object")
    reblog = raw.get("reblog")
    status: Mapping[str, Any] = reblog if isinstance(reblog, Mapping) else raw
    account = status.get("account")
    if not isinstance(account, Mapping) or not isinstance(status.get("uri"), str):
        raise SourceError("a status needs an account object and a uri")
    acct = full_acct(clip(account.get("acct")), clip(account.get("url"), 2000))
    followers = account.get("followers_count")
    content = clip(status.get("content"), 50_000)
    return Post(
        source=source,
        external_id=status["uri"][:300],
        network="mastodon",
        author=clip(account.get("display_name")) or clip(account.get("username")) or acct,
        handle="@" + acct,
        text=html_to_text(content),
        url=clip(status.get("url"), 2000) or status["uri"][:2000],
        created_at=parse_time(status.get("created_at")),
        avatar_url=clip(account.get("avatar"), 2000) or None,
        media=media_of(status.get("media_attachments")),
        language=clip(status.get("language"), 20) or None,
        is_reply=bool(status.get("in_reply_to_id")),
        is_repost=isinstance(reblog, Mapping),
        sensitive=bool(status.get("sensitive")),
        spoiler_text=clip(status.get("spoiler_text"), 500),
        author_bot=bool(account.get("bot")),
        author_followers=followers if isinstance(followers, int) else None,
        author_created_at=optional_time(account.get("created_at")),
        author_noindex=bool(account.get("noindex")),
        author_discoverable=account.get("discoverable")
        if isinstance(account.get("discoverable"), bool) else None,
        author_bio=html_to_text(clip(account.get("note"), 10_000)),
        uri=status["uri"][:2000],
        edited_at=optional_time(status.get("edited_at")),
        author_id=clip(account.get("uri"), 2000) or clip(account.get("url"), 2000),
        links=links_of(status, content),
        tags=tags_of(status),
        mentioned=mentions_of(status),
    )
