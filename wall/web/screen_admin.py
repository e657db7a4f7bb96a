"""Moderator-only HTTP endpoints to see the lobby screens and reload them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from wall import auth, desk_lists
from wall.realtime.broadcast import emit_reload
from wall.runtime import get_wall
from wall.web.screens import clamp_options

log = logging.getLogger(__name__)
bp = Blueprint("screen_admin", __name__, url_prefix="/api/screens")

# Screens send a heartbeat every 15 s: three missed ones and a screen counts as offline.
ONLINE_WITHIN = timedelta(seconds=45)


def _online(last_seen: str | None, now: datetime) -> bool:
    """Tell whether a heartbeat time is recent enough."""
    if not last_seen:
        return False
    seen = datetime.fromisoformat(last_seen.replace("Z", "+00:00"))
    return now - seen <= ONLINE_WITHIN


@bp.get("")
@auth.moderator_required
def list_screens() -> tuple[Response, int]:
    """List every screen that sent a heartbeat: page, last seen, posts shown, online."""
    wall = get_wall()
    now = datetime.now(UTC)
    screens: list[dict[str, Any]] = wall.store.list_screens()
    for entry in screens:
        entry["online"] = _online(entry["last_seen"], now)
    return jsonify(screens=screens, version=wall.version), 200


@bp.post("/reload")
@auth.moderator_required
def reload_screens() -> tuple[Response, int]:
    """Ask one named screen (JSON {"name": ...}) or every screen ({}) to reload."""
    body = request.get_json(silent=True)
    if body is None:
        body = {}
    if not isinstance(body, dict):
        return jsonify(error='send a JSON object: {"name": "lobby-left"} or {} for all'), 400
    raw = body.get("name")
    if raw is not None and (not isinstance(raw, str) or not raw.strip()):
        return jsonify(error="name must be a screen's name, or left out to reload all"), 400
    name = clamp_options({"name": raw}, "feed")["name"] if raw else None
    wall = get_wall()
    emit_reload(wall.version, name, wall.prefix)
    log.info("%s asked %s to reload", auth.moderator(), name or "every screen")
    return jsonify(reloaded=name or "all"), 200


@bp.delete("/<name>")
@auth.moderator_required
def remove_screen(name: str) -> tuple[Response, int]:
    """Forget a screen that was taken down; it comes back if it sends a heartbeat again."""
    if not desk_lists.remove_screen(get_wall().store, name):
        return jsonify(error=f"no screen named {name!r}"), 404
    log.info("%s removed screen %s", auth.moderator(), name)
    return jsonify(removed=name), 200


def init_app(app: Flask) -> None:
    """Register the screens endpoints."""
    app.register_blueprint(bp)
