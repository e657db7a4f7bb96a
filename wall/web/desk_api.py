"""Moderator desk endpoints: undo, block author, bulk decisions, kill switch, messages, audit."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, jsonify, request

from wall import announcements, auth, desk, desk_lists
from wall.exports import audit_rows
from wall.realtime.broadcast import emit_events
from wall.runtime import get_wall
from wall.store import ACTIONS, Conflict, Event, NotFound
from wall.web import control

log = logging.getLogger(__name__)
bp = Blueprint("desk", __name__, url_prefix="/api")

HOST_MESSAGE_MAX = 500
BULK_MAX = 100

Reply = tuple[Response, int]


def _error(status: int, message: str) -> Reply:
    return jsonify(error=message), status


def _who() -> str:
    return auth.moderator() or "moderator"


def _sent(events: list[Event]) -> None:
    """Broadcast committed events and refresh the stats."""
    emit_events(events)
    get_wall().stats_dirty.set()


def _body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.post("/undo")
@auth.moderator_required
def undo() -> Reply:
    """Undo this moderator's last decision, if nobody changed the post since."""
    try:
        change = desk.undo(get_wall().store, _who())
    except NotFound:
        return _error(404, "nothing to undo")
    except Conflict as exc:
        return _error(409, str(exc))
    _sent(change.events)
    log.info("%s: undo on post %s", _who(), change.post["id"])
    return jsonify(post=change.post), 200


@bp.post("/posts/<int:post_id>/block_author")
@auth.moderator_required
def block_author(post_id: int) -> Reply:
    """Block a post's author: this post and their pending ones are rejected."""
    try:
        outcome = desk.block_author(get_wall().store, post_id, _who())
    except NotFound:
        return _error(404, f"no post {post_id}")
    _sent(outcome.events)
    log.info("%s: blocked %s", _who(), outcome.body["blocked"])
    return jsonify(outcome.body), 200


@bp.post("/posts/<int:post_id>/pin", defaults={"pinned": True})
@bp.post("/posts/<int:post_id>/unpin", defaults={"pinned": False})
@auth.moderator_required
def pin(post_id: int, pinned: bool) -> Reply:
    """Pin a post to the highlights screen, or unpin it (static paths win over <action>)."""
    try:
        change = desk.set_pinned(get_wall().store, post_id, pinned, _who())
    except NotFound:
        return _error(404, f"no post {post_id}")
    except Conflict as exc:
        return _error(409, str(exc))
    _sent(change.events)
    return jsonify(post=change.post), 200


@bp.post("/posts/decide")
@auth.moderator_required
def decide_many() -> Reply:
    """Apply one action to several posts; each post succeeds or fails on its own."""
    body = _body()
    action, ids = body.get("action"), body.get("ids")
    if action not in ACTIONS:
        return _error(400, f"action must be one of {', '.join(ACTIONS)}")
    if not isinstance(ids, list) or not ids or len(ids) > BULK_MAX \
            or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        return _error(400, f'"ids" must be a list of 1 to {BULK_MAX} post ids')
    expect = body.get("from") if body.get("from") in ("approved", "pending", "rejected") else None
    store, results = get_wall().store, []
    for post_id in ids:
        try:
            change = store.decide(post_id, str(action), _who(), expect=expect)
        except NotFound:
            results.append({"id": post_id, "status": 404})
            continue
        except Conflict as exc:
            results.append({"id": post_id, "status": 409, "error": str(exc)})
            continue
        _sent(change.events)
        results.append({"id": post_id, "status": 200, "post": change.post})
    return jsonify(results=results), 200


@bp.get("/wall")
def wall_state() -> Reply:
    """Tell a screen whether the kill switch is on, and the announcement shown."""
    store = get_wall().store
    return jsonify(paused=desk.is_paused(store), announcement=announcements.current(store)), 200


@bp.post("/wall/<any(pause, resume):what>")
@auth.moderator_required
def pause(what: str) -> Reply:
    """Blank every screen to the holding slide, or bring the wall back."""
    try:
        outcome = desk.set_paused(get_wall().store, what == "pause", _who())
    except Conflict as exc:
        return _error(409, str(exc))
    _sent(outcome.events)
    log.warning("%s: wall %s", _who(), "paused (kill switch)" if what == "pause" else "resumed")
    return jsonify(outcome.body), 200


@bp.post("/host_messages")
@auth.moderator_required
def host_message() -> Reply:
    """Show an announcement as a banner on every screen for its duration (seconds)."""
    return control.publish(_body(), _who())


@bp.get("/audit")
@auth.moderator_required
def audit() -> Reply:
    """Return the newest audit entries, newest first."""
    try:
        limit = max(1, min(500, int(request.args.get("limit", "50"))))
    except ValueError:
        return _error(400, "limit must be a whole number from 1 to 500")
    return jsonify(entries=audit_rows(get_wall().store, limit=limit, newest_first=True)), 200


def _int_arg(name: str, default: int | None) -> int | None:
    """Read a whole-number query argument; raise ValueError with a readable message."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number")
    return int(raw)


@bp.get("/desk/posts")
@auth.moderator_required
def desk_posts() -> Reply:
    """Return a page of one tab (pending, shown, rejected), filtered by network and text."""
    tab = request.args.get("tab", "pending")
    if tab not in desk_lists.TABS:
        return _error(400, f"tab must be one of {', '.join(desk_lists.TABS)}")
    try:
        before, limit = _int_arg("before", None), _int_arg("limit", 50)
    except ValueError as exc:
        return _error(400, str(exc))
    query = request.args.get("q", "").strip()[:200] or None
    network = request.args.get("network", "").strip()[:30] or None
    page = desk_lists.list_posts(get_wall().store, tab, network=network, query=query,
                                 before=before, limit=limit or 50)
    return jsonify(posts=page.items, total=page.total, next_before=page.next_before), 200


@bp.get("/desk/networks")
@auth.moderator_required
def desk_networks() -> Reply:
    """Return the networks of stored posts, for the desk's filter."""
    return jsonify(networks=desk_lists.networks(get_wall().store)), 200


@bp.get("/blocks")
@auth.moderator_required
def blocks() -> Reply:
    """List the authors moderators blocked."""
    return jsonify(blocks=desk_lists.list_blocks(get_wall().store)), 200


@bp.post("/blocks/unblock")
@auth.moderator_required
def unblock() -> Reply:
    """Lift one block (JSON {"key": "network:handle"}); the author's next posts go through."""
    key = _body().get("key")
    if not isinstance(key, str) or not key.strip():
        return _error(400, '"key" must be a blocked author\'s key, as GET /api/blocks lists it')
    if not desk_lists.unblock(get_wall().store, key, _who()):
        return _error(404, f"{key} is not blocked")
    log.info("%s: unblocked %s", _who(), key)
    return jsonify(unblocked=key), 200


def init_app(app: Flask) -> None:
    """Register the desk blueprint, and the announcement and control endpoints beside it."""
    app.register_blueprint(bp)
    control.init_app(app)
