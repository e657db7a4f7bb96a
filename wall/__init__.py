"""socialwall: a self-hosted social media wall."""

from __future__ import annotations

import logging
from datetime import timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the package stays import-light so the CLI can monkey-patch first
    from flask import Flask

    from wall.config import WallConfig

log = logging.getLogger(__name__)

try:
    __version__ = version("socialwall")
except PackageNotFoundError:  # running from a checkout that was not installed
    __version__ = "0.0.0"


def create_app(config: WallConfig, test_config: dict[str, Any] | None = None,
               prefix: str = "") -> Flask:
    """Create the Flask app for a validated config; sources start with start_background().

    With a prefix ("/w/<slug>") the app is one wall of a folder (wall.multiwall): it is
    mounted under that path, uses the Socket.IO namespaces "<prefix>" and
    "<prefix>/moderator" of the folder's one Socket.IO server, and a cookie of its own.
    """
    from flask import Flask

    from wall import auth, media, sentiment, server, serving, stats
    from wall.ambassadors import desk as ambassadors_desk
    from wall.moderation import RuleSet
    from wall.realtime import limits
    from wall.realtime import sockets as realtime
    from wall.realtime.broadcast import socketio
    from wall.realtime.limits import MAX_HTTP_BUFFER
    from wall.resources import shared
    from wall.runtime import Wall
    from wall.store import Store
    from wall.version import build_version
    from wall.web import api, attendees, branding, desk_api, moderator, screen_admin, screens
    from wall.web import erase as erase_web
    from wall.web import schedule as schedule_web
    from wall.web.security import init_app as init_security

    instance = config.server.instance_dir.resolve()
    instance.mkdir(parents=True, exist_ok=True)
    app = Flask(__name__, static_folder=str(shared("static")),
                template_folder=str(shared("templates")), instance_path=str(instance))
    app.config.update(
        SECRET_KEY=auth.secret_key(instance),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        JSON_SORT_KEYS=False,
    )
    if prefix:  # a login on one wall of a folder is no login on another
        app.config["SESSION_COOKIE_NAME"] = "session_" + prefix.rsplit("/", 1)[-1]
    store = Store(config.database_url)
    store.create_all()
    password, generated = auth.resolve_password(config.moderators.password_env)
    if generated and auth.accounts_only(config, store):
        password, generated = "", False  # named accounts only: no shared password
    app.config["MODERATOR_PASSWORD"] = password
    app.config["MODERATOR_PASSWORD_GENERATED"] = generated
    app.config["MODERATOR_ACCOUNTS"] = config.moderators.accounts
    if test_config:
        app.config.update(test_config)

    stats.prepare(store, config.screens.timezone, config.wall.language)
    sentiment.warm_up()  # like the rules: the first approved post must not wait for lexicons
    rules = RuleSet.from_config(config.moderation)
    rules.warm_up()  # a model loading on the first post would stall the server meanwhile
    wall = Wall(config=config, store=store, rules=rules, version=build_version(), prefix=prefix)
    app.extensions["socialwall"] = wall

    init_security(app)
    media.init_app(app)
    screens.init_app(app)
    branding.init_app(app)
    screen_admin.init_app(app)
    moderator.init_app(app)
    api.init_app(app)
    attendees.init_app(app)
    desk_api.init_app(app)
    schedule_web.init_app(app)
    erase_web.init_app(app)
    ambassadors_desk.init_app(app)
    if prefix:  # the folder's server (wall.multiwall) runs Socket.IO for every wall
        app.extensions["socketio"] = socketio
        realtime.init_app(app, prefix, mounted=True)
    else:
        socketio.init_app(app, async_mode=config.server.async_mode,
                          message_queue=config.server.message_queue,
                          channel=config.server.channel,
                          logger=False, engineio_logger=False,
                          max_http_buffer_size=MAX_HTTP_BUFFER,
                          **server.socketio_options(config.server.compression))
        server.socketio_route(app)
        if not config.server.compression:
            app.wsgi_app = server.without_websocket_compression(app.wsgi_app)  # type: ignore[method-assign,assignment]
        realtime.init_app(app)
        limits.init_app(app, config.server)  # connections per client address, at connect
    serving.init_app(app, config.server)
    return app
