"""The moderators' side: list enrolments, approve or refuse them, waive a proof."""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, Response, jsonify

from wall import auth
from wall.ambassadors import registry
from wall.ambassadors.erase import erase_enrolment
from wall.ambassadors.live import refresh
from wall.runtime import get_wall
from wall.store import Conflict, NotFound

log = logging.getLogger(__name__)
bp = Blueprint("ambassadors_desk", __name__, url_prefix="/api/ambassadors")

Reply = tuple[Response, int]


def _who() -> str:
    return auth.moderator() or "moderator"


def _done(item: dict[str, Any]) -> Reply:
    """Refresh the badge snapshot and the stats after a committed change."""
    refresh(get_wall())
    get_wall().stats_dirty.set()
    return jsonify(enrolment=item), 200


@bp.get("")
@auth.moderator_required
def listing() -> Reply:
    """List every enrolment, those waiting first."""
    section = get_wall().config.ambassadors
    return jsonify(enrolments=registry.listing(get_wall().store), verify=section.verify,
                   charter_version=section.charter_version), 200


@bp.post("/<int:enrolment_id>/<any(approve, refuse):action>")
@auth.moderator_required
def decide(enrolment_id: int, action: str) -> Reply:
    """Approve or refuse an enrolment."""
    try:
        item = registry.decide(get_wall().store, enrolment_id, action == "approve", _who())
    except NotFound:
        return jsonify(error=f"no enrolment {enrolment_id}"), 404
    except Conflict as exc:
        return jsonify(error=str(exc)), 409
    log.info("%s: %s ambassador enrolment %s", _who(), action, enrolment_id)
    return _done(item)


@bp.post("/<int:enrolment_id>/erase")
@auth.moderator_required
def erase(enrolment_id: int) -> Reply:
    """Erase an enrolment for good: the person, their handles, their private link."""
    try:
        erase_enrolment(get_wall().store, enrolment_id, _who())
    except NotFound:
        return jsonify(error=f"no enrolment {enrolment_id} (erased already?)"), 404
    refresh(get_wall())
    get_wall().stats_dirty.set()
    return jsonify(erased=enrolment_id), 200


@bp.post("/handles/<int:handle_id>/approve")
@auth.moderator_required
def waive(handle_id: int) -> Reply:
    """Let an unproven handle carry the badge anyway."""
    try:
        item = registry.waive(get_wall().store, handle_id, _who())
    except NotFound:
        return jsonify(error=f"no handle {handle_id}"), 404
    return _done(item)


def init_app(app: Flask) -> None:
    """Register the employees' pages and the moderators' endpoints; load the snapshot."""
    from wall.ambassadors import web, week

    app.register_blueprint(web.bp)
    app.register_blueprint(bp)
    app.register_blueprint(week.bp)
    with app.app_context():
        refresh(get_wall(app))
    config = get_wall(app).config
    app.context_processor(lambda: {
        "ambassadors_on": config.ambassadors.enrolment,
        "ambassador_of_the_week": config.screens.ambassador_of_the_week})
