"""Operators' endpoints: /healthz for load balancers and probes, /metrics for Prometheus."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, jsonify

from wall import auth, health, heartbeat, metrics
from wall.media.worker import media_health
from wall.runtime import get_wall

bp = Blueprint("health", __name__)
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
