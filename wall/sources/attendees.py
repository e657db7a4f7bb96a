"""Attendee posts: a short form at /attend; every post waits for a moderator."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from wall.configreader import Reader
from wall.models import Media, Post, utcnow
from wall.sources.base import SourceError, parser

MAX_NAME = 60


@dataclass(frozen=True)
class AttendeesOptions:
    """Options of a type = "attendees" source."""

    max_text: int = 280
    photos: bool = True
    posts_per_client: int = 3
    per_minutes: int = 10
    proxies: int = 0


def parse_options(r: Reader) -> AttendeesOptions:
    """Read the attendees source's options."""
    return AttendeesOptions(
        max_text=r.integer("max_text", 280, low=20, high=2000),
        photos=r.boolean("photos", True),
        posts_per_client=r.integer("posts_per_client", 3, low=1, high=1000),
        per_minutes=r.integer("per_minutes", 10, low=1, high=1440),
        proxies=r.integer("proxies", 0, low=0, high=5),
    )


@parser
def to_post(name: str, text: str, photo: str | None, *, source: str,
            options: AttendeesOptions) -> Post:
    """Validate one form submission and turn it into a Post; raise SourceError."""
    name, text = " ".join(name.split()), text.strip()
    if not name:
        raise SourceError("Please tell us your name.")
    if len(name) > MAX_NAME:
        raise SourceError(f"Your name must be at most {MAX_NAME} characters.")
    if not text:
        raise SourceError("Please write a message.")
    if len(text) > options.max_text:
        raise SourceError(f"Your message must be at most {options.max_text} characters.")
    now = utcnow()
    ident = hashlib.sha256(f"{name}\0{text}\0{now.isoformat()}".encode()).hexdigest()[:32]
    return Post(source=source, external_id=ident, network="attendee", author=name, text=text,
                created_at=now, media=(Media(photo),) if photo else ())
