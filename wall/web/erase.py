"""POST /api/posts/<id>/erase: a moderator erases a post everywhere, in one step."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, current_app, jsonify
from flask.typing import ResponseReturnValue

from wall import auth
from wall.erase import erase
from wall.realtime.broadcast import emit_events
from wall.runtime import get_wall
from wall.store import NotFound

bp = Blueprint("erase", __name__)


@bp.post("/api/posts/<int:post_id>/erase")
@auth.moderator_required
def erase_post(post_id: int) -> ResponseReturnValue:
    """Remove the post from every screen, the store, the image cache and later exports."""
    wall = get_wall()
    media_root = Path(current_app.instance_path) / "media"
    try:
        events = erase(wall.store, post_id, auth.moderator() or "moderator", media_root)
    except NotFound:
        return jsonify(error=f"no post {post_id} (erased already?)"), 404
    emit_events(events)
    wall.stats_dirty.set()
    return jsonify(erased=post_id, seq=events[-1].seq)


def init_app(app: Flask) -> None:
    """Register the erase action."""
    app.register_blueprint(bp)
