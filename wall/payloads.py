"""The JSON shapes the server sends: one function owns each payload."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from wall.media.generated import initials_url

MEDIA_PREFIX = "/media/"


def iso(moment: datetime | None) -> str | None:
    """Format a UTC datetime as ISO 8601 with a Z suffix."""
    if moment is None:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="seconds") + "Z"


def local_media_path(url: str | None) -> str | None:
    """Return a URL only if it is a path this server serves under /media/."""
    if not url or not url.startswith(MEDIA_PREFIX):
        return None
    if ".." in url or "\\" in url or "//" in url[1:] or "?" in url or "#" in url:
        return None
    return url


def safe_link(url: str | None) -> str | None:
    """Return a URL only if it is an absolute http(s) link, else None."""
    if not url or len(url) > 2000:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def post_payload(row: Mapping[str, Any]) -> dict[str, Any]:
    """Build the post payload documented in docs/protocol.md from a posts row."""
    media = [media_item(m) for m in _json_list(row["media_json"])
             if local_media_path(m.get("local"))]
    facts = _facts(row.get("facts_json"))
    return {
        "id": row["id"],
        "source": row["source"],
        "network": row["network"],
        "external_id": row["external_id"],
        "author": row["author"],
        "handle": row["handle"] or "",
        "text": row["text"],
        "url": safe_link(row["url"]),
        "created_at": iso(row["created_at"]),
        "received_at": iso(row["received_at"]),
        "avatar": local_media_path(row["avatar_local"]) or initials_url(row["author"]),
        "media": media,
        "hashtags": _json_list(row["hashtags_json"]),
        "language": row["language"],
        "status": row["status"],
        "highlighted": bool(row["highlighted"]),
        "reasons": _json_list(row["reasons_json"]),
        "media_errors": _json_list(row.get("media_errors_json")),
        "ambassador": bool(row.get("ambassador")),
        "toxicity": row.get("toxicity"),
        "pinned": bool(row.get("pinned")),
        **_review(facts),
        "matched": _matched(facts),
    }


def _json_list(text: str | None) -> Any:
    """Decode a stored JSON list; most are empty, and "[]" is not worth a decoder call."""
    return [] if not text or text == "[]" else json.loads(text)


def _facts(facts_json: str | None) -> Any:
    """Decode a post's stored facts once (None when they do not decode)."""
    if not facts_json or facts_json == "{}":
        return {}
    try:
        return json.loads(facts_json)
    except ValueError:
        return None


def review_fields(facts_json: str | None) -> dict[str, Any]:
    """Return a review's stars (1..5) and place from the stored facts; {} for other posts."""
    return _review(_facts(facts_json))


def _review(facts: Any) -> dict[str, Any]:
    """review_fields of facts already decoded."""
    out: dict[str, Any] = {}
    rating = facts.get("rating") if isinstance(facts, dict) else None
    if isinstance(rating, int) and not isinstance(rating, bool) and 1 <= rating <= 5:
        out["rating"] = rating
    if isinstance(facts, dict) and isinstance(facts.get("place"), str) and facts["place"]:
        out["place"] = facts["place"][:200]
    return out


def _matched(facts: Any) -> list[str]:
    """Return what the wall's listening matched ("#tag", "keyword", "@brand"), from the facts."""
    found = facts.get("matched") if isinstance(facts, dict) else None
    return [str(m) for m in found if isinstance(m, str)] if isinstance(found, list) else []


def media_item(entry: Mapping[str, Any]) -> dict[str, Any]:
    """Return one image of the payload: local renditions only, never the network's address."""
    item: dict[str, Any] = {"url": entry["local"], "alt": entry.get("alt") or ""}
    for key in ("full", "fallback", "full_fallback"):
        if local_media_path(entry.get(key)):
            item[key] = entry[key]
    for key in ("width", "height"):
        if isinstance(entry.get(key), int):
            item[key] = entry[key]
    return item
