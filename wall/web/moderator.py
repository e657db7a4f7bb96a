"""The moderator's tablet page and its login."""

from __future__ import annotations

import hmac
import logging

from flask import Blueprint, Flask, abort, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from wall import auth
from wall.i18n import labels
from wall.runtime import get_wall
from wall.web.screens import wall_context

log = logging.getLogger(__name__)
bp = Blueprint("moderator", __name__, url_prefix="/moderate")


@bp.get("")
def page() -> str | Response:
    """Show the queue to a moderator, or the login form."""
    words = labels(get_wall().config.wall.language)
    name = auth.moderator()
    if name is None:
        return render_template("login.html", wall=wall_context(), labels=words, error=None)
    return render_template("moderator.html", wall=wall_context(), labels=words,
                           csrf_token=auth.csrf_token(), moderator_name=name)


@bp.post("/login")
def login() -> tuple[str, int] | Response:
    """Check the password and open a moderator session."""
    words = labels(get_wall().config.wall.language)
    given = request.form.get("password", "")
    who = auth.verify_login(request.form.get("name", ""), given)
    if who is None:
        log.warning("failed moderator login from %s", request.remote_addr)
        html = render_template("login.html", wall=wall_context(), labels=words,
                               error=words.get("wrong_password", "Wrong password"))
        return html, 401
    auth.log_in(who)
    return redirect(url_for("moderator.page"))


@bp.post("/logout")
def logout() -> Response:
    """End the moderator session (the form carries the CSRF token)."""
    sent = request.form.get("csrf_token", "")
    if auth.moderator() is not None and not hmac.compare_digest(sent, auth.csrf_token()):
        abort(403)
    session.clear()
    return redirect(url_for("moderator.page"))


def init_app(app: Flask) -> None:
    """Register the moderator blueprint."""
    app.register_blueprint(bp)
