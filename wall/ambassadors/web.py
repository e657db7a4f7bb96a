"""The employees' pages: /ambassadors/join and the private /ambassadors/me/<token>."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session
from werkzeug.wrappers import Response

from wall.ambassadors import registry
from wall.ambassadors.handles import HandleError, parse_claims
from wall.ambassadors.live import refresh
from wall.ambassadors.queries import posts_of
from wall.i18n import labels
from wall.models import NETWORKS
from wall.runtime import get_wall
from wall.store import NotFound
from wall.web.screens import wall_context

log = logging.getLogger(__name__)
bp = Blueprint("ambassadors", __name__, url_prefix="/ambassadors")

NAME_MAX = 80
# Networks whose posts name a person's account; RSS items and demo posts do not.
_NO_ACCOUNTS = ("demo", "rss", "webhook")

Page = tuple[str, int]
NETWORK_NAMES = {"x": "X", "mastodon": "Mastodon", "bluesky": "Bluesky", "instagram": "Instagram",
                 "facebook": "Facebook", "threads": "Threads", "youtube": "YouTube",
                 "google_reviews": "Google"}


# Control characters (NUL breaks PostgreSQL) and bidi overrides (they reorder what a
# moderator reads) never belong in a name.
_UNSEEN: dict[int, str | None] = {
    **dict.fromkeys([*range(0, 32), 127, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]),
    **dict.fromkeys(map(ord, "\t\n\r"), " ")}


def clean_text(value: str) -> str:
    """Return a name or team as typed, without control characters, trimmed and capped."""
    return " ".join(value.translate(_UNSEEN).split())[:NAME_MAX]


def _on() -> None:
    """Answer 404 unless [ambassadors] enrolment = true."""
    if not get_wall().config.ambassadors.enrolment:
        abort(404, "ambassador enrolment is off: set enrolment = true in [ambassadors]")


def networks() -> list[str]:
    """Return the networks the wall follows where a person has a handle, in config order."""
    found = [c.type for c in get_wall().config.sources
             if c.enabled and c.type in NETWORKS and c.type not in _NO_ACCOUNTS]
    return list(dict.fromkeys(found))


def _form_token() -> str:
    token = session.get("ambassadors") or secrets.token_urlsafe(16)
    session["ambassadors"] = token
    return str(token)


def _checked_token() -> bool:
    sent = request.form.get("form_token", "")
    return bool(sent) and secrets.compare_digest(sent, str(session.get("ambassadors", "")))


def _render(template: str, status: int = 200, **extra: Any) -> Page:
    config = get_wall().config
    return render_template(template, wall=wall_context(), labels=labels(config.wall.language),
                           section=config.ambassadors, networks=networks(),
                           network_names=NETWORK_NAMES, form_token=_form_token(),
                           version=get_wall().version,
                           **extra), status


def _claims(words: dict[str, str]) -> list[tuple[str, str]]:
    """Read the handle fields; raise HandleError with a message in the wall's language."""
    try:
        claims = parse_claims(dict(request.form.items()))
    except HandleError as exc:
        raise HandleError(words["amb_handle_invalid"].replace("{h}", exc.raw)
                          if exc.raw else words["amb_too_many"], exc.raw) from None
    if not claims:
        raise HandleError(words["amb_handle_required"])
    return claims


@bp.get("/join")
def join() -> Page:
    """Show the enrolment form with the charter in full."""
    _on()
    return _render("ambassadors_join.html", form=request.form)


@bp.post("/join")
def submit() -> Page | Response:
    """Check the form, record the enrolment, send the person to their private page."""
    _on()
    words = labels(get_wall().config.wall.language)
    if not _checked_token():
        return _render("ambassadors_join.html", 400, form=request.form,
                       error=words["attend_expired"])
    name = clean_text(request.form.get("name", ""))
    team = clean_text(request.form.get("team", ""))
    error = None
    try:
        claims = _claims(words)
    except HandleError as exc:
        error = str(exc)
    if not name:
        error = words["amb_name_required"]
    elif request.form.get("accept") != "yes":
        error = words["amb_charter_required"]
    elif request.form.get("consent") != "yes":
        error = words["amb_consent_required"]
    if error:
        return _render("ambassadors_join.html", 400, form=request.form, error=error)
    section = get_wall().config.ambassadors
    token = registry.enrol(get_wall().store, name, team, claims, section.charter_version,
                           section.verify)
    log.info("ambassador enrolment received (%d handles, charter %s)", len(claims),
             section.charter_version)
    return redirect(f"{request.script_root}/ambassadors/me/{token}?welcome=1", 303)


def _person(token: str) -> dict[str, Any]:
    try:
        return registry.by_token(get_wall().store, token)
    except NotFound:
        abort(404, "this link is not valid any more: enrol again at /ambassadors/join")


@bp.get("/me/<token>")
def me(token: str) -> Page:
    """Show the person's status, handles, proof phrase, posts and count."""
    _on()
    person = _person(token)
    posts, count = posts_of(get_wall().store, person["handles"])
    if person["status"] == "left":
        posts, count = [], 0
    return _render("ambassadors_me.html", person=person, posts=posts, count=count,
                   welcome=request.args.get("welcome") == "1",
                   changed=request.args.get("changed") == "1")


@bp.post("/me/<token>/handles")
def change(token: str) -> Page | Response:
    """Replace the person's handles; new ones wait for a moderator again."""
    _on()
    person = _person(token)
    words = labels(get_wall().config.wall.language)
    error = None if _checked_token() else words["attend_expired"]
    try:
        claims = _claims(words) if error is None else []
    except HandleError as exc:
        error = str(exc)
    if error or person["status"] == "left":
        posts, count = posts_of(get_wall().store, person["handles"])
        return _render("ambassadors_me.html", 400, person=person, posts=posts, count=count,
                       error=error or words["amb_status_left"])
    registry.change_handles(get_wall().store, token, claims)
    refresh(get_wall())
    get_wall().stats_dirty.set()
    return redirect(f"{request.script_root}/ambassadors/me/{token}?changed=1", 303)


@bp.post("/me/<token>/leave")
def leave(token: str) -> Response:
    """Leave the programme in one tap: no badge on new posts, out of the counts."""
    _on()
    _person(token)
    if not _checked_token():
        abort(400, "the form expired: open your private link again")
    registry.leave(get_wall().store, token)
    refresh(get_wall())
    get_wall().stats_dirty.set()
    log.info("an ambassador left the programme")
    return redirect(f"{request.script_root}/ambassadors/me/{token}", 303)
