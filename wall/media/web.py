"""Image routes: the call-to-action QR code, a post's shareable card, rejecting for the image."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from wall import auth
from wall.addresses import phone_reachable
from wall.media.cards import render_card
from wall.media.qr import CallToAction, call_to_action, qr_png
from wall.media.records import reject_for_media
from wall.media.serve import harden, media_root
from wall.realtime.broadcast import emit_events
from wall.runtime import get_wall
from wall.store import Conflict, NotFound

log = logging.getLogger(__name__)
bp = Blueprint("media_api", __name__)
QR_MAX_AGE = 300


def wall_call_to_action() -> CallToAction | None:
    """Return the running wall's call to action for this request's base URL."""
    wall = get_wall().config.wall
    # A TV that opened the wall as 127.0.0.1 must not send phones to their own loopback.
    return call_to_action(wall.call_to_action_url, wall.hashtags,
                          phone_reachable(request.url_root))


@bp.get("/media/qr.png")
def qr() -> Response | tuple[Response, int]:
    """Serve the QR code of the wall's call to action."""
    action = wall_call_to_action()
    if action is None:
        return jsonify(error="no call to action: set [wall] call_to_action_url or hashtags"), 404
    response = Response(qr_png(action.target), mimetype="image/png")
    response.headers["Cache-Control"] = f"public, max-age={QR_MAX_AGE}"
    return harden(response)


@bp.get("/api/posts/<int:post_id>/card.png")
@auth.moderator_required
def card(post_id: int) -> Response | tuple[Response, int]:
    """Download a shareable PNG card of a post (moderators only)."""
    wall = get_wall()
    try:
        post = wall.store.get(post_id)
    except NotFound:
        return jsonify(error=f"no post {post_id}"), 404
    png = render_card(post, wall.config.wall.title, wall.config.wall.hashtags,
                      media_root(current_app))
    response = Response(png, mimetype="image/png")
    response.headers["Content-Disposition"] = f'attachment; filename="post-{post_id}.png"'
    response.headers["Cache-Control"] = "no-store"
    return harden(response)


@bp.post("/api/posts/<int:post_id>/reject_image")
@auth.moderator_required
def reject_image(post_id: int) -> tuple[Response, int]:
    """Reject a post because of its image: commit, broadcast, answer."""
    wall = get_wall()
    who = auth.moderator() or "moderator"
    try:
        change = reject_for_media(wall.store, post_id, who)
    except NotFound:
        return jsonify(error=f"no post {post_id}"), 404
    except Conflict as exc:
        return jsonify(error=str(exc)), 409
    emit_events(change.events)
    wall.stats_dirty.set()
    log.info("%s: rejected post %s for its image", who, post_id)
    return jsonify(post=change.post), 200


def _template_context() -> dict[str, Any]:
    return {"call_to_action": wall_call_to_action()}


def init_app(app: Flask) -> None:
    """Register the image routes and the call to action for templates."""
    app.register_blueprint(bp)
    app.context_processor(_template_context)
