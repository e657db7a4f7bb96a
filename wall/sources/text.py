"""Turn a network's HTML and dates into plain text and UTC datetimes."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

import nh3

from wall.sources.base import SourceError

# Block elements end a line, so that words on either side stay apart once the tags
# are gone ("Kitchen<h2>HEY</h2>" reads "Kitchen" then "HEY", not "KitchenHEY").
_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|hr|"
                    r"table|tr|section|article|aside|header|footer|figure|figcaption|"
                    r"details|summary|address|main|nav)(?:\s[^>]*)?/?>", re.IGNORECASE)
_NEWLINES = re.compile(r"\s*\n\s*")
_CELL = re.compile(r"</?t[dh](?:\s[^>]*)?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\f\v]+")
MAX_TEXT = 5000


def html_to_text(markup: str) -> str:
    """Strip every tag with nh3 (line breaks kept) and decode entities: plain text only."""
    markup = markup or ""
    if "<" in markup and ">" in markup:  # HTML: a newline in the source is only a space
        markup = _NEWLINES.sub(" ", markup)
    marked = _CELL.sub(" ", _BREAK.sub("\n", markup))
    cleaned = nh3.clean(marked, tags=set(), clean_content_tags={"script", "style"})
    text = html.unescape(cleaned)
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)[:MAX_TEXT]


def parse_time(value: object, what: str = "created_at") -> datetime:
    """Parse an ISO 8601 time into an aware UTC datetime; raise SourceError."""
    if not isinstance(value, str) or not value:
        raise SourceError(f"{what} is missing or not a string")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SourceError(f"{what} is not an ISO 8601 time: {value[:40]!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59:59-14:00 is past the calendar's end in UTC
        raise SourceError(f"{what} is outside the calendar once in UTC: {value[:40]!r}") from None


def optional_time(value: object) -> datetime | None:
    """Parse an optional ISO 8601 time; None when absent or unreadable."""
    try:
        return parse_time(value) if value else None
    except SourceError:
        return None


def clip(value: object, limit: int = 300) -> str:
    """Return a string field trimmed to a limit, or "" when it is not a string."""
    return value.strip()[:limit] if isinstance(value, str) else ""
