"""The webhook source: posts pushed to POST /api/ingest by another system."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from wall.configreader import Reader
from wall.models import Media, Post, utcnow
from wall.sources.base import SourceError, parser
from wall.sources.text import parse_time

MAX_TEXT = 5000
MAX_NAME = 200
MAX_URL = 2000
MAX_MEDIA = 8
MAX_POSTS = 100
MAX_FUTURE = timedelta(days=1)  # clocks drift; a post dated years ahead would pin the wall
FIELDS = ("id", "author", "handle", "text", "url", "created_at", "avatar_url", "media_urls")
# C0 and C1 control characters but tab and newline: a NUL breaks PostgreSQL text, and
# none of them is anything a screen can show.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class WebhookOptions:
    """Options of a type = "webhook" source."""

    token_env: str


def parse_options(r: Reader) -> WebhookOptions:
    """Read the webhook source's options."""
    return WebhookOptions(token_env=r.string("token_env", "", required=True, allow_empty=False))


def decode_body(raw: bytes) -> list[Any]:
    """Read a request body: one post object or {"posts": [...]}; raise SourceError."""
    try:
        body: Any = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        body = None
    except RecursionError:  # nesting deeper than the decoder's stack allows
        raise SourceError("body is nested too deeply to be a post") from None
    if body is None:
        raise SourceError('body must be JSON: one post object or {"posts": [...]}')
    items = body.get("posts") if isinstance(body, dict) and "posts" in body else [body]
    if not isinstance(items, list) or not items:
        raise SourceError('"posts" must be a non-empty list of post objects')
    if len(items) > MAX_POSTS:
        raise SourceError(f"at most {MAX_POSTS} posts per request")
    return items


def clean_string(value: str, key: str) -> str:
    """Refuse text that is not valid Unicode; drop control characters."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise SourceError(f'"{key}" holds a lone surrogate: send valid UTF-8 text') from None
    return _CONTROLS.sub("", value)


def _text(raw: Mapping[str, Any], key: str, limit: int, *, required: bool = False) -> str:
    value = raw.get(key)
    if value is None or value == "":
        if required:
            raise SourceError(f'"{key}" is required (a non-empty string)')
        return ""
    if not isinstance(value, str):
        raise SourceError(f'"{key}" must be a string')
    value = clean_string(value, key).strip()
    if required and not value:
        raise SourceError(f'"{key}" must not be blank')
    if len(value) > limit:
        raise SourceError(f'"{key}" is longer than {limit} characters')
    return value


def _time(raw: Mapping[str, Any]) -> datetime:
    value = raw.get("created_at")
    if value is None:
        return utcnow()
    if not isinstance(value, str):
        raise SourceError('"created_at" must be an ISO 8601 string such as "2026-11-22T10:00:00Z"')
    moment = parse_time(clean_string(value, "created_at")[:100], '"created_at"')
    if moment > utcnow() + MAX_FUTURE:
        raise SourceError('"created_at" is more than a day in the future')
    return moment


def _media(raw: Mapping[str, Any]) -> tuple[Media, ...]:
    value = raw.get("media_urls")
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise SourceError('"media_urls" must be a list of URL strings')
    if len(value) > MAX_MEDIA:
        raise SourceError(f'"media_urls" holds more than {MAX_MEDIA} URLs')
    for url in value:
        if len(url) > MAX_URL:
            raise SourceError(f'a "media_urls" entry is longer than {MAX_URL} characters')
    return tuple(Media(clean_string(u, "media_urls").strip()) for u in value)


@parser
def to_post(raw: Any, *, source: str) -> Post:
    """Validate one pushed JSON object and turn it into a Post; raise SourceError."""
    if not isinstance(raw, Mapping):
        raise SourceError("each post must be a JSON object")
    unknown = sorted(set(raw) - set(FIELDS))
    if unknown:
        raise SourceError(f"unknown field(s) {', '.join(unknown)}; allowed: {', '.join(FIELDS)}")
    author = _text(raw, "author", MAX_NAME, required=True)
    text = _text(raw, "text", MAX_TEXT, required=True)
    ident = raw.get("id")
    if ident is not None and not isinstance(ident, str | int) or isinstance(ident, bool):
        raise SourceError('"id" must be a string or an integer')
    if isinstance(ident, str):
        ident = clean_string(ident, "id")
    if ident is None or ident == "":
        # No id given: the same author and text count as the same post.
        ident = "h-" + hashlib.sha256(f"{author}\0{text}".encode()).hexdigest()[:32]
    return Post(
        source=source,
        external_id=str(ident)[:300],
        network="webhook",
        author=author,
        handle=_text(raw, "handle", MAX_NAME),
        text=text,
        url=_text(raw, "url", MAX_URL) or None,
        created_at=_time(raw),
        avatar_url=_text(raw, "avatar_url", MAX_URL) or None,
        media=_media(raw),
    )
