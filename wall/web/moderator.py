"""The moderator's tablet page, its login and the ways to end sessions."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, abort, redirect, render_template, request, url_for
from flask import Response as FlaskResponse
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from werkzeug.wrappers import Response

from wall import auth
from wall.i18n import labels
from wall.runtime import get_wall
from wall.web.screens import wall_context

log = logging.getLogger(__name__)
bp = Blueprint("moderator", __name__, url_prefix="/moderate")


def _login_page(error: str | None, status: int = 200) -> tuple[str, int]:
    """Render the login form with its CSRF token and an optional error."""
    words = labels(get_wall().config.wall.language)
    html = render_template("login.html", wall=wall_context(), labels=words, error=error,
                           csrf_token=auth.csrf_token())
    return html, status


@bp.get("")
def page() -> str | Response | tuple[str, int]:
    """Show the queue to a moderator, or the login form."""
    name = auth.moderator()
    if name is None:
        return _login_page(None)
    return render_template("moderator.html", wall=wall_context(),
                           labels=labels(get_wall().config.wall.language),
                           csrf_token=auth.csrf_token(), moderator_name=name)


def _login_limit() -> str:
    """Return the configured allowance of wrong logins."""
    section = get_wall().config.moderators
    return f"{section.login_attempts} per {section.login_window_minutes} minutes"


def _account_key() -> str:
    """Key the per-account limit on the name typed, as accounts match it."""
    return "account:" + request.form.get("name", "").strip().casefold()[:60]


def _address_key() -> str:
    """Key the per-address limit on the client (ProxyFix sets it behind a proxy)."""
    return "address:" + (request.remote_addr or "unknown")


def _too_many(limit: RequestLimit) -> FlaskResponse:
    """Answer a refused login with the form and when to try again."""
    wait = max(1, int(limit.reset_at - datetime.now(UTC).timestamp()))
    minutes = (wait + 59) // 60
    log.warning("moderator login refused: too many attempts (%s) from %s",
                limit.key, request.remote_addr)
    when = f"{minutes} minute{'s' if minutes != 1 else ''}"
    html, _ = _login_page(f"Too many wrong passwords. Try again in {when}.", 429)
    response = FlaskResponse(html, status=429, mimetype="text/html")
    response.headers["Retry-After"] = str(wait)
    return response


def _failed(response: Response) -> bool:
    """Count only wrong passwords against the limits."""
    return response.status_code == 401


def _from_browser() -> bool:
    """Tell whether a browser sent the request (it names where the request came from)."""
    return "Origin" in request.headers or "Sec-Fetch-Site" in request.headers


@bp.post("/login")
def login() -> tuple[str, int] | Response:
    """Check the password and open a moderator session."""
    # Login CSRF (logging a victim's browser into the attacker's session) needs a browser;
    # every browser sends Origin or Sec-Fetch-Site on a form POST, so those must carry the
    # token of the form they were served. Scripts and kiosks' tooling send neither.
    if _from_browser() and not auth.valid_login_csrf(request.form.get("csrf_token", "")):
        return _login_page("The form expired. Please try again.", 400)
    words = labels(get_wall().config.wall.language)
    who = auth.verify_login(request.form.get("name", ""), request.form.get("password", ""))
    if who is None:
        log.warning("failed moderator login from %s", request.remote_addr)
        return _login_page(words.get("wrong_password", "Wrong password"), 401)
    auth.log_in(who)
    return redirect(url_for("moderator.page"))


def _check_form_csrf() -> None:
    """Refuse a moderator's form post without the page's CSRF token."""
    if auth.moderator() is not None and not auth.valid_csrf(request.form.get("csrf_token", "")):
        abort(403)


@bp.post("/logout")
def logout() -> Response:
    """End the moderator session and its open sockets (the form carries the CSRF token)."""
    _check_form_csrf()
    auth.log_out()
    return redirect(url_for("moderator.page"))


@bp.post("/sessions/end-all")
def end_all() -> Response:
    """End every session opened with this moderator's password, on every device."""
    if auth.moderator() is None:
        abort(401)
    _check_form_csrf()
    count = auth.end_all_sessions()
    log.warning("a moderator ended all %d sessions of their password", count)
    return redirect(url_for("moderator.page"))


def init_app(app: Flask) -> None:
    """Register the moderator blueprint, with login limits counted per app."""
    server = get_wall(app).config.server
    # On Redis with a message queue, so every server process counts the same attempts.
    limiter = Limiter(get_remote_address, app=app,
                      storage_uri=server.message_queue or "memory://",
                      key_prefix=f"{server.channel}:login", headers_enabled=True)
    # Only the login is limited: Flask-Limiter's before-request check runs for it alone
    # (_check_only_login). The filter keeps other requests from resolving their (empty)
    # limits should that check ever not be found under its name.
    limiter.request_filter(lambda: request.endpoint != "moderator.login")
    _check_only_login(app, limiter)
    app.register_blueprint(bp)
    view: Any = app.view_functions["moderator.login"]
    for key in (_account_key, _address_key):
        view = limiter.limit(_login_limit, key_func=key, deduct_when=_failed,
                             on_breach=_too_many)(view)
    app.view_functions["moderator.login"] = view


def _check_only_login(app: Flask, limiter: Limiter) -> None:
    """Run Flask-Limiter's before-request check for the login only.

    The check resolves a request's limits before any filter says "none here": ~3 % of a
    single webhook post's CPU (docs/benchmarks.md, stop 15). The login's own limits are
    checked by the decorators above either way; this check only covers default and
    application-wide limits, which this wall does not set. If a Flask-Limiter release
    registers its check under another name, nothing is replaced and every request pays
    for it again (tests/test_sessions.py guards the name).
    """
    hooks = app.before_request_funcs.setdefault(None, [])
    check = limiter._check_request_limit  # noqa: SLF001  (registered under this name)
    if check in hooks:
        def login_only() -> None:
            if request.endpoint == "moderator.login":
                check()

        hooks[hooks.index(check)] = login_only
