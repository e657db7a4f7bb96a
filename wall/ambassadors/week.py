"""The ambassador of the week: who posted most on the wall over seven days, for highlights."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Response, jsonify
from sqlalchemy import select

from wall.ambassadors.handles import entry
from wall.moderation.matching import AuthorList
from wall.payloads import iso, post_payload
from wall.runtime import get_wall
from wall.store import Store, schema

E = schema.ambassador_enrolments
H = schema.ambassador_handles
WINDOW = timedelta(days=7)
# Ambassador posts read at most, newest first: a week of a busy programme fits well within.
SCAN_LIMIT = 5_000
bp = Blueprint("ambassadors_week", __name__, url_prefix="/api/ambassadors")
_cache_lock = threading.Lock()


def _approved(store: Store) -> dict[int, dict[str, Any]]:
    """Return the approved enrolments with their author entries, by id."""
    query = select(E.c.id, E.c.name, E.c.team, H.c.network, H.c.handle).join(
        H, H.c.enrolment_id == E.c.id).where(E.c.status == "approved")
    people: dict[int, dict[str, Any]] = {}
    with store.read() as conn:
        for row in conn.execute(query):
            person = people.setdefault(int(row.id), {"name": row.name, "team": row.team,
                                                     "entries": []})
            person["entries"].append(entry(row.network, row.handle))
    return people


def pick(store: Store, now: datetime | None = None) -> dict[str, Any] | None:
    """Return the approved ambassador with the most approved posts over the last 7 days.

    Ties go to the most recent post. Their post shown is their newest highlighted one
    in the window, else their newest. None when nobody qualifies.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    people = _approved(store)
    if not people:
        return None
    p = schema.posts.c
    query = select(schema.posts).where(
        p.status == "approved", p.ambassador.is_(True), p.received_at >= now - WINDOW
    ).order_by(p.id.desc()).limit(SCAN_LIMIT)
    with store.read() as conn:
        posts = [dict(row) for row in conn.execute(query).mappings()]
    best: tuple[int, int, int] | None = None  # (count, newest post id, enrolment id)
    chosen: dict[int, list[dict[str, Any]]] = {}
    for person_id, person in people.items():
        authors = AuthorList(person["entries"])
        mine = [post for post in posts if authors.find_handle(post["network"], post["handle"])]
        if not mine:
            continue
        chosen[person_id] = mine
        rank = (len(mine), int(mine[0]["id"]), person_id)
        best = rank if best is None or rank > best else best
    if best is None:
        return None
    person, mine = people[best[2]], chosen[best[2]]
    shown = next((post for post in mine if post["highlighted"]), mine[0])
    return {"id": best[2], "name": person["name"], "team": person["team"],
            "count": best[0], "post": post_payload(shown), "since": iso(now - WINDOW)}


def current() -> dict[str, Any] | None:
    """Return this wall's ambassador of the week, computed once per event seq and minute."""
    wall = get_wall()
    if not wall.config.screens.ambassador_of_the_week:
        return None
    # Every change that can change the answer writes an event (a post shown or removed, an
    # enrolment decided, left or erased): the seq and the minute (the window slides) key it.
    key = f"{wall.store.last_seq()}:{datetime.now(UTC):%Y%m%d%H%M}"
    with _cache_lock:
        cached = wall.snapshots.get("ambassador_of_the_week")
        if cached and cached["key"] == key:
            return cached["value"]  # type: ignore[no-any-return]
    value = pick(wall.store)
    with _cache_lock:
        wall.snapshots["ambassador_of_the_week"] = {"key": key, "value": value}
    return value


@bp.get("/week")
def week() -> tuple[Response, int]:
    """Answer the ambassador of the week for the highlights screen (public: shown there)."""
    enabled = get_wall().config.screens.ambassador_of_the_week
    return jsonify(enabled=enabled, ambassador=current()), 200
