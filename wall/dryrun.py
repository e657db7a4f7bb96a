"""Dry run: the rules over captured posts (JSON lines), with no store and no screen."""

from __future__ import annotations

import json
from collections import Counter, deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from wall.models import NETWORKS, Media, Post
from wall.moderation import Context, RuleSet, Seen
from wall.sources.base import SourceError
from wall.sources.webhook import FIELDS, to_post

BOOLS = ("is_reply", "is_repost", "is_bot", "sensitive", "noindex", "addressed")
STRINGS = ("spoiler", "bio", "author_id", "language", "place")
IGNORED = ("status", "reasons", "matched")  # what an export says was decided then
# Captured-file keys that name a Post field differently (the file format is public).
FIELD_NAMES = {"is_bot": "author_bot", "spoiler": "spoiler_text", "followers": "author_followers",
               "noindex": "author_noindex", "discoverable": "author_discoverable",
               "bio": "author_bio"}


@dataclass(frozen=True)
class Result:
    """One captured post and what the rules decide about it now."""

    line: int
    post: Post
    status: str
    reasons: tuple[str, ...]
    before: str | None

    def as_json(self) -> dict[str, Any]:
        """Return the result as one JSON line."""
        return {"line": self.line, "id": self.post.external_id, "author": self.post.author,
                "handle": self.post.handle, "status": self.status,
                "reasons": list(self.reasons), "before": self.before}


def _extensions(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Read the fields beyond the webhook's that sources fill; raise SourceError."""
    out: dict[str, Any] = {}
    for key in BOOLS:
        if key in raw:
            if not isinstance(raw[key], bool):
                raise SourceError(f'"{key}" must be true or false')
            out[key] = raw[key]
    for key in STRINGS:
        if raw.get(key) is not None:
            if not isinstance(raw[key], str):
                raise SourceError(f'"{key}" must be a string')
            out[key] = raw[key]
    if raw.get("network") is not None:
        if raw["network"] not in (*NETWORKS, "host"):
            raise SourceError(f'"network" must be one of {", ".join(NETWORKS)}')
        out["network"] = raw["network"]
    if raw.get("followers") is not None:
        if isinstance(raw["followers"], bool) or not isinstance(raw["followers"], int):
            raise SourceError('"followers" must be a whole number')
        out["followers"] = raw["followers"]
    if raw.get("rating") is not None:  # a review's stars (issue 12)
        rating = raw["rating"]
        if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
            raise SourceError('"rating" must be a whole number of stars from 1 to 5')
        out["rating"] = rating
    if raw.get("discoverable") is not None:
        if not isinstance(raw["discoverable"], bool):
            raise SourceError('"discoverable" must be true or false')
        out["discoverable"] = raw["discoverable"]
    if raw.get("author_created_at") is not None:
        stamp = to_post({"author": "x", "text": "x", "created_at": raw["author_created_at"]},
                        source="capture").created_at
        out["author_created_at"] = stamp
    if raw.get("links") is not None:
        if not isinstance(raw["links"], list) or not all(isinstance(u, str) for u in raw["links"]):
            raise SourceError('"links" must be a list of URL strings')
        out["links"] = tuple(raw["links"])
    if raw.get("media") is not None:
        items = raw["media"]
        if not isinstance(items, list) or not all(isinstance(m, dict) for m in items):
            raise SourceError('"media" must be a list of {"url", "alt"} objects')
        out["media"] = tuple(Media(str(m.get("url", "")), str(m.get("alt", ""))) for m in items)
    return {FIELD_NAMES.get(key, key): value for key, value in out.items()}


def parse_line(raw: Any) -> Post:
    """Turn one captured JSON object into a Post; raise SourceError."""
    if not isinstance(raw, dict):
        raise SourceError("each line must be a JSON object")
    known = set(FIELDS) | set(BOOLS) | set(STRINGS) | set(IGNORED) | {
        "network", "followers", "discoverable", "author_created_at", "links", "media",
        "rating"}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise SourceError(f"unknown field(s) {', '.join(unknown)}")
    post = to_post({k: v for k, v in raw.items() if k in FIELDS}, source="capture")
    return replace(post, **_extensions(raw))


def read_posts(lines: Iterable[str]) -> Iterator[tuple[int, Post | str, str | None]]:
    """Yield (line number, post or error message, status decided back then)."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            before = raw.get("status") if isinstance(raw, dict) else None
            yield number, parse_line(raw), before if isinstance(before, str) else None
        except ValueError as exc:
            yield number, f"not JSON: {exc}", None
        except SourceError as exc:
            yield number, str(exc), None


def run(rules: RuleSet, posts: Iterable[tuple[int, Post, str | None]]) -> Iterator[Result]:
    """Decide each post in order, as the pipeline would, with a context of earlier ones."""
    minutes = rules.history_minutes
    recent: deque[Seen] = deque()
    for number, post, before in posts:
        now = post.created_at.astimezone(UTC)
        while recent and minutes and recent[0].at < now - timedelta(minutes=minutes):
            recent.popleft()
        decision = rules.decide(post, Context(now=now, recent=tuple(recent)))
        if minutes:
            recent.append(Seen(post.network, post.handle or post.author, post.text, now))
        yield Result(number, post, decision.status, decision.reasons, before)


def summary(results: list[Result]) -> dict[str, Any]:
    """Count decisions, changes from the recorded ones, and the most frequent reasons."""
    reasons: Counter[str] = Counter()
    for result in results:
        reasons.update(r.split(' "')[0].split(" @")[0] for r in result.reasons)
    return {
        "posts": len(results),
        "decisions": dict(Counter(r.status for r in results)),
        "changed": sum(1 for r in results if r.before and r.before != r.status),
        "top_reasons": reasons.most_common(8),
    }


def utc(moment: datetime) -> str:
    """Format a time for the report."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
