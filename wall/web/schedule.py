"""GET /api/schedule: when the wall starts and ends, the server's time, the final figures."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, jsonify
from flask.typing import ResponseReturnValue

from wall import stats
from wall.runtime import get_wall
from wall.schedule import AFTER, phase, utc_now

bp = Blueprint("schedule", __name__)


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


@bp.get("/api/schedule")
def state() -> ResponseReturnValue:
    """Return the schedule; screens keep their own clock in step with the server's `now`."""
    wall = get_wall()
    section, now = wall.config.wall, utc_now()
    body: dict[str, Any] = {
        "starts_at": _iso(section.starts_at), "ends_at": _iso(section.ends_at),
        "now": now.isoformat(), "phase": phase(section.starts_at, section.ends_at, now),
    }
    if section.ends_at is not None:
        figures = stats.compute(wall.store)
        body["figures"] = {key: figures[key] for key in
                           ("total", "authors", "top_hashtags", "networks")}
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    if body["phase"] == AFTER:
        response.headers["Cache-Control"] = "max-age=60"
    return response


def init_app(app: Flask) -> None:
    """Register the schedule endpoint."""
    app.register_blueprint(bp)
