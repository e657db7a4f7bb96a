"""The JSON API: posts for scripts, moderator actions, and the webhook."""

from __future__ import annotations

import hmac
import logging
import os
import time

from flask import Blueprint, Flask, Response, jsonify, request
from sqlalchemy.exc import OperationalError

from wall import auth, metrics
from wall.realtime.broadcast import emit_events
from wall.runtime import get_wall
from wall.sources import SourceError
from wall.sources.webhook import WebhookOptions, decode_body, to_post
from wall.store import ACTIONS, Change, Conflict, NotFound

log = logging.getLogger(__name__)
bp = Blueprint("api", __name__, url_prefix="/api")

INGEST_MAX_BYTES = 256 * 1024
STATUSES = ("approved", "pending", "rejected")

Reply = tuple[Response, int]


def _error(status: int, message: str) -> Reply:
    return jsonify(error=message), status


@bp.get("/posts")
def list_posts() -> Reply:
    """List posts by status, newest first; pending and rejected need a moderator."""
    status = request.args.get("status", "approved")
    if status not in STATUSES:
        return _error(400, f"status must be one of {', '.join(STATUSES)}")
    try:
        limit = max(1, min(500, int(request.args.get("limit", "50"))))
    except ValueError:
        return _error(400, "limit must be a whole number from 1 to 500")
    if status != "approved" and auth.moderator() is None:
        return _error(401, f"listing {status} posts needs a moderator session")
    return jsonify(posts=get_wall().store.posts(status, limit)), 200


@bp.post("/posts/<int:post_id>/<action>")
@auth.moderator_required
def decide(post_id: int, action: str) -> Reply:
    """Apply a moderator's decision: commit, then broadcast, then answer."""
    if action not in ACTIONS:
        return _error(404, f"unknown action; use one of {', '.join(ACTIONS)}")
    wall = get_wall()
    who = auth.moderator() or "moderator"
    expect = request.args.get("from") or None
    if expect is not None and expect not in STATUSES:
        return _error(400, f"from must be one of {', '.join(STATUSES)}")
    try:
        change = wall.store.decide(post_id, action, who, expect=expect)
    except NotFound:
        return _error(404, f"no post {post_id}")
    except Conflict as exc:
        return _error(409, str(exc))
    with metrics.FANOUT_SECONDS.time():
        emit_events(change.events)
    wall.stats_dirty.set()
    log.info("%s: %s post %s", who, action, post_id)
    return jsonify(post=change.post), 200


def _webhook_sources() -> list[tuple[str, str]]:
    """Return (source name, expected token) for each enabled webhook source with a token set."""
    out = []
    for conf in get_wall().config.sources:
        if conf.type == "webhook" and conf.enabled and isinstance(conf.options, WebhookOptions):
            token = os.environ.get(conf.options.token_env, "")
            if token:
                out.append((conf.name, token))
    return out


@bp.post("/ingest")
def ingest() -> Reply:
    """Accept posts pushed by another system with a bearer token."""
    sources = _webhook_sources()
    if not sources:
        return _error(404, "no webhook source is configured (or its token_env is unset)")
    header = request.headers.get("Authorization", "")
    token = header[7:].strip() if header.startswith("Bearer ") else ""
    source = next((name for name, expected in sources
                   if token and hmac.compare_digest(token.encode(), expected.encode())), None)
    if source is None:
        return _error(401, "missing or wrong token; send 'Authorization: Bearer <token>'")
    if (request.content_length or 0) > INGEST_MAX_BYTES:
        return _error(413, f"body larger than {INGEST_MAX_BYTES // 1024} KiB")
    raw = request.stream.read(INGEST_MAX_BYTES + 1)
    if len(raw) > INGEST_MAX_BYTES:
        return _error(413, f"body larger than {INGEST_MAX_BYTES // 1024} KiB")
    try:
        items = decode_body(raw)
    except SourceError as exc:
        return _error(400, str(exc))
    posts = []
    for index, item in enumerate(items):
        try:
            posts.append(to_post(item, source=source))
        except SourceError as exc:
            return _error(400, f"post {index}: {exc}" if len(items) > 1 else str(exc))
    started = time.perf_counter()
    outcomes = get_wall().pipeline.submit_each(posts)
    metrics.observe_ingest(source, (time.perf_counter() - started) / len(posts))
    metrics.WEBHOOK_POSTS.inc(sum(isinstance(o, Change) for o in outcomes))
    ids = [o.post["id"] if isinstance(o, Change) else None for o in outcomes]
    errors = [{"index": i, "error": f"not stored: {_reason(o)}"}
              for i, o in enumerate(outcomes) if isinstance(o, Exception)]
    if not errors:
        return jsonify(ids=ids), 202
    if any(i is not None for i in ids):  # the others are stored: say which were not
        return jsonify(ids=ids, errors=errors), 202
    if any(isinstance(o, OperationalError) for o in outcomes):
        return jsonify(error="the database is unavailable; nothing was stored, send again",
                       errors=errors), 503
    return jsonify(error="no post could be stored", ids=ids, errors=errors), 400


def _reason(exc: Exception) -> str:
    """Return the first line of a database error, without the SQL statement."""
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0][:300]


def init_app(app: Flask) -> None:
    """Register the API blueprint."""
    app.register_blueprint(bp)
