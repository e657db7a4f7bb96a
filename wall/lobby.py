"""[screens] keys for a lobby that never closes: opening hours, slides, texts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from wall.configreader import Reader

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
OUTSIDE_HOURS = ("night", "black")
_HOURS = re.compile(r"(?P<first>[a-z]{3}|daily)(?:-(?P<last>[a-z]{3}))?\s+"
                    r"(?P<open>\d{2}:\d{2})-(?P<close>\d{2}:\d{2})")


@dataclass(frozen=True)
class Slide:
    """A sponsor or information slide that can join a scenes cycle."""

    image: str
    text: str = ""


def _minutes(value: str) -> int | None:
    """Read HH:MM as minutes after midnight (24:00 allowed as the end of the day)."""
    hours, minutes = (int(part) for part in value.split(":"))
    if minutes > 59 or hours > 24 or (hours == 24 and minutes):
        return None
    return hours * 60 + minutes


def parse_range(text: str) -> dict[str, Any] | None:
    """Read one opening range such as "mon-fri 07:30-19:00"; None when malformed."""
    match = _HOURS.fullmatch(text.strip().lower())
    if not match:
        return None
    first, last = match["first"], match["last"]
    if first == "daily":
        if last:
            return None
        days = list(range(7))
    else:
        if first not in DAYS or (last and last not in DAYS):
            return None
        start, end = DAYS.index(first), DAYS.index(last or first)
        days = [(start + i) % 7 for i in range((end - start) % 7 + 1)]
    opens, closes = _minutes(match["open"]), _minutes(match["close"])
    if opens is None or closes is None or opens == closes:
        return None
    # Monday is 1 as in JavaScript's Date.getDay() (Sunday 0), which the screens use.
    return {"days": sorted((d + 1) % 7 for d in days), "open": opens, "close": closes}


def read_hours(r: Reader) -> tuple[str, ...]:
    """Read [screens] hours: a list of ranges like "mon-fri 07:30-19:00"."""
    hours = r.strings("hours")
    for text in hours:
        if parse_range(text) is None:
            r.problem("hours", f'"{text}" is not an opening range; write it like '
                      '"mon-fri 07:30-19:00", "sat 10:00-14:00" or "daily 08:00-22:00" '
                      "(a range past midnight, like 18:00-02:00, is allowed)")
    return hours


def read_slides(readers: list[Reader]) -> tuple[Slide, ...]:
    """Read [[screens.slides]]: an image served by the wall and an optional line of text."""
    out: list[Slide] = []
    for r in readers:
        image = r.string("image", "", required=True, allow_empty=False)
        if image and (not image.startswith(("/static/", "/media/")) or ".." in image
                      or any(c in image for c in "\"'<> \\?#")):
            r.problem("image", 'must be a path served by the wall, such as '
                      '"/static/slides/sponsor.png" (kiosks may have no internet)')
            image = ""
        text = r.string("text", "")[:200]
        r.finish()
        if image:
            out.append(Slide(image=image, text=text))
    return tuple(out)


def hours_json(hours: tuple[str, ...]) -> list[dict[str, Any]]:
    """Return the opening ranges as the screens read them."""
    return [entry for entry in (parse_range(text) for text in hours) if entry]
