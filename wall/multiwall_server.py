"""The server of a folder of walls: the index page at /, Socket.IO, and serving."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, render_template, request

from wall.multiwall import Entry, Walls

log = logging.getLogger(__name__)

SCREEN_PAGES = ("feed", "stats", "highlights")
LABELS = {
    "en": {"title": "Walls", "intro": "Every wall served here, one line each.",
           "feed": "Feed", "stats": "Stats", "highlights": "Highlights",
           "moderate": "Moderate", "broken": "Not running",
           "starting": "Starting: its screens open in a few seconds.", "none":
           "No wall yet: put a SLUG.toml in the folder (socialwall new SLUG writes one)."},
    "fr": {"title": "Murs", "intro": "Chaque mur servi ici, un par ligne.",
           "feed": "Fil", "stats": "Statistiques", "highlights": "À la une",
           "moderate": "Modérer", "broken": "Arrêté",
           "starting": "Démarrage : ses écrans s'ouvrent dans quelques secondes.", "none":
           "Aucun mur : déposez un SLUG.toml dans le dossier (socialwall new SLUG en écrit un)."},
}


def index_app(walls: Walls) -> Flask:
    """Create the app that lists the walls at / (no post content, plain branding)."""
    from wall.resources import shared
    from wall.web.security import add_headers

    app = Flask(__name__, static_folder=str(shared("static")),
                template_folder=str(shared("templates")))

    @app.get("/")
    def index() -> str:
        """List every wall: its title, screens and moderator page, or why it is not served."""
        lang = request.accept_languages.best_match(list(LABELS)) or "en"
        return render_template("walls.html", walls=walls.listing(), labels=LABELS[lang],
                               lang=lang, screens=SCREEN_PAGES)

    @app.get("/healthz")
    def health() -> dict[str, Any]:
        """Say which walls run, start or are broken (each wall has its own /w/SLUG/healthz)."""
        return {"status": "ok", "walls": {e.slug: e.state for e in walls.listing()}}

    app.after_request(add_headers)
    return app


def build(walls: Walls, async_mode: str) -> Flask:
    """Create the index app, with the one Socket.IO server and every wall mounted."""
    from wall import server
    from wall.config import ServerSection
    from wall.realtime import limits
    from wall.realtime.broadcast import socketio
    from wall.realtime.limits import MAX_HTTP_BUFFER

    app = index_app(walls)
    socketio.init_app(app, async_mode=async_mode, logger=False, engineio_logger=False,
                      max_http_buffer_size=MAX_HTTP_BUFFER,
                      **server.socketio_options(False))
    server.socketio_route(app)
    limits.init_app(app, ServerSection())  # connections per address: the defaults
    app.wsgi_app = server.without_websocket_compression(app.wsgi_app)  # type: ignore[method-assign,assignment]
    app.wsgi_app = walls.wsgi(app.wsgi_app)  # type: ignore[method-assign]
    return app


def describe(entry: Entry, base: str) -> list[str]:
    """Return a wall's banner lines: its address, or why it is not served; and the
    generated moderator password when it has one (as `socialwall run` prints it)."""
    if entry.app is None:
        return [f"  {entry.slug:16} NOT running: {entry.error}"]
    lines = [f"  {entry.slug:16} {base}{entry.prefix}/"]
    if entry.app.config["MODERATOR_PASSWORD_GENERATED"]:
        env = entry.app.extensions["socialwall"].config.moderators.password_env
        lines.append(f"  {'':16} moderator password (generated, set {env} to choose one): "
                     f"{entry.app.config['MODERATOR_PASSWORD']}")
    return lines


def run(folder: Path, host: str, port: int, async_mode: str, sources: bool,
        say: Any) -> int:
    """Serve every wall of a folder until interrupted; 0 once stopped."""
    from wall.addresses import bases
    from wall.realtime.broadcast import socketio
    from wall.server import serve

    walls = Walls(folder, sources=sources)
    app = build(walls, async_mode)

    def ready(bound: int) -> None:
        with walls.lock:
            walls.scan()
        base = bases(host, bound)[-1]
        say(f"socialwall is serving the walls of {folder} ({async_mode}) at {base}/")
        for entry in walls.listing():
            for line in describe(entry, base):
                say(line)
        say(f"New files in {folder} start their wall within seconds. Press Ctrl+C to stop.")
        walls.announce = lambda entry: [say(line) for line in describe(entry, base)]
        socketio.start_background_task(walls.watch)

    try:
        serve(app, host, port, async_mode, ready)
    except KeyboardInterrupt:
        pass
    finally:
        walls.close()
    say("Stopped.")
    return 0
