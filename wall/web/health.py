"""Operators' endpoints: /healthz for load balancers and probes, /metrics for Prometheus."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, current_app, jsonify, request
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from wall import auth, health, heartbeat, metrics
from wall.media.worker import media_health
from wall.runtime import get_wall

log = logging.getLogger(__name__)

bp = Blueprint("health", __name__)
RETRY_AFTER = "5"  # seconds: PostgreSQL restarting, a failover
SEPARATE_INGEST = "SOCIALWALL_SEPARATE_INGEST"  # app.config: sources run in `socialwall ingest`


@bp.get("/healthz")
def healthz() -> tuple[Response, int]:
    """Answer 200 when every part works, else 503 with the reasons; source states only."""
    wall = get_wall()
    found = health.check(wall, bool(current_app.config.get(SEPARATE_INGEST)))
    body = {"status": "degraded" if found.reasons else "ok", "reasons": found.reasons,
            "version": wall.version, "database": found.database,
            "seq": wall.store.last_seq() if found.database == "ok" else None,
            "sources": found.sources,
            # Images failing is not a reason to take the server out of rotation: posts
            # still arrive. Public: the state only; moderators read why on /api/sources.
            "media": media_health(current_app)["state"]}
    if found.queue is not None:
        body["message_queue"] = found.queue
    if found.ingest is not None:
        body["ingest"] = found.ingest
    return jsonify(body), 503 if found.reasons else 200


@bp.app_errorhandler(OperationalError)
@bp.app_errorhandler(InterfaceError)
def database_unreachable(exc: DBAPIError) -> tuple[Response, int]:
    """Answer 503 (try again), not 500, while the database is away; the cause is logged."""
    log.warning("%s %s: the database is unreachable: %s", request.method, request.path,
                str(exc.orig or exc).strip().splitlines()[0][:300] if str(exc.orig or exc)
                else type(exc).__name__)
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        reply = jsonify(error="the database is unavailable; nothing was changed, "
                              "try again in a few seconds")
    else:
        reply = Response("The database is unavailable; try again in a few seconds.\n"
                         "La base de données est indisponible ; réessayez dans quelques "
                         "secondes.\n", mimetype="text/plain")
    reply.headers["Retry-After"] = RETRY_AFTER
    return reply, 503


@bp.get("/api/sources")
def sources() -> tuple[Response, int]:
    """Give moderators every source's state with its detail and last error, and the media's."""
    if auth.moderator() is None:
        return jsonify({"error": "log in on /moderate first"}), 401
    wall = get_wall()
    found = health.public_sources(wall, detailed=True)
    if current_app.config.get(SEPARATE_INGEST):
        beat = heartbeat.read(wall.store)
        states = {s.get("name"): s for s in (beat[1] if beat else []) if isinstance(s, dict)}
        for entry in found:
            if entry["name"] in states and entry["state"] in ("passive", "disabled"):
                entry.update(states[entry["name"]])
    return jsonify({"sources": found, "media": media_health(current_app)}), 200


@bp.get("/metrics")
def prometheus() -> Response:
    """Expose the metrics in Prometheus' text format."""
    return Response(metrics.exposition(get_wall()),
                    mimetype="text/plain; version=0.0.4; charset=utf-8")


def init_app(app: Flask) -> None:
    """Register the health blueprint."""
    app.register_blueprint(bp)
