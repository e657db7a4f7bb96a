"""Announcements on the screens, and the control API for automation.

POST /api/control/pause|resume|announce take `Authorization: Bearer <token>`,
the token being read from the variable [moderators] control_token_env names:
a building's scheduler can blank the wall at night or announce a fire drill
without a moderator session. No token configured: the API does not exist (404).
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Flask, Response, jsonify, request

from wall import announcements, auth, desk
from wall.i18n import labels
from wall.realtime.broadcast import emit_events
from wall.runtime import get_wall
from wall.store import Conflict

log = logging.getLogger(__name__)
bp = Blueprint("control", __name__, url_prefix="/api")

TEXT_MAX = 500
F = TypeVar("F", bound=Callable[..., Any])
Reply = tuple[Response, int]


def _error(status: int, message: str) -> Reply:
    return jsonify(error=message), status


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def _sent(events: list[Any]) -> None:
    emit_events(events)
    get_wall().stats_dirty.set()


def publish(body: dict[str, Any], actor: str) -> Reply:
    """Check an announcement's JSON ({"text", "duration"?}), put it on the screens, answer 201."""
    text, duration = body.get("text"), body.get("duration")
    if not isinstance(text, str) or not text.strip():
        return _error(400, '"text" must be the announcement, a non-empty string')
    if len(text) > TEXT_MAX:
        return _error(400, f"an announcement holds at most {TEXT_MAX} characters")
    wall = get_wall()
    if duration is None:
        duration = wall.config.screens.announcement_seconds
    if isinstance(duration, bool) or not isinstance(duration, int | float) \
            or not announcements.MIN_SECONDS <= duration <= announcements.MAX_SECONDS:
        return _error(400, f'"duration" must be a number of seconds from '
                      f"{announcements.MIN_SECONDS} to {announcements.MAX_SECONDS}")
    author = labels(wall.config.wall.language).get("organisers", "Organisers")
    post, banner, events = announcements.announce(wall.store, text.strip(), author, actor,
                                                  int(duration))
    _sent(events)
    return jsonify(post=post, announcement=banner), 201


@bp.post("/announcement/dismiss")
@auth.moderator_required
def dismiss() -> Reply:
    """Take the announcement off every screen now."""
    try:
        events = announcements.dismiss(get_wall().store, auth.moderator() or "moderator")
    except Conflict as exc:
        return _error(409, str(exc))
    _sent(events)
    return jsonify(announcement=None), 200


def token_required(view: F) -> F:
    """Refuse a control call without the configured bearer token (404 when none is set)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        name = get_wall().config.moderators.control_token_env
        expected = os.environ.get(name, "") if name else ""
        if not expected:
            return _error(404, "the control API is off: set [moderators] control_token_env "
                          "and that environment variable")
        sent = request.headers.get("Authorization", "")
        if not hmac.compare_digest(sent.encode("utf-8"), f"Bearer {expected}".encode()):
            return _error(401, "send the control token as 'Authorization: Bearer <token>'")
        return view(*args, **kwargs)

    return cast(F, wrapped)


@bp.post("/control/<any(pause, resume):what>")
@token_required
def control_pause(what: str) -> Reply:
    """Blank every screen to the holding slide, or bring the wall back (idempotent)."""
    try:
        outcome = desk.set_paused(get_wall().store, what == "pause", "control API")
    except Conflict:
        return jsonify(paused=what == "pause", changed=False), 200
    _sent(outcome.events)
    log.warning("control API: wall %s", "paused" if what == "pause" else "resumed")
    return jsonify({**outcome.body, "changed": True}), 200


@bp.post("/control/announce")
@token_required
def control_announce() -> Reply:
    """Put an announcement on the screens; same JSON as POST /api/host_messages."""
    return publish(_body(), "control API")


def init_app(app: Flask) -> None:
    """Register the announcement and control endpoints."""
    app.register_blueprint(bp)
