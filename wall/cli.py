"""The `socialwall` command: run a wall, check a config."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wall.cli_tools import add_commands, dispatch
from wall.config import ConfigError, WallConfig, load_config

if TYPE_CHECKING:
    from flask import Flask

DEFAULT_CONFIG = "config/demo.toml"


def _say(text: str = "") -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _complain(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="socialwall", description="A self-hosted social wall.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = sub.add_parser("run", help="run the wall's server and sources")
    run.add_argument("--config", default=DEFAULT_CONFIG, help="TOML file (default: %(default)s)")
    run.add_argument("--host", help="address to listen on (overrides [server] host)")
    run.add_argument("--port", type=int, help="port (overrides [server] port; 0 picks one)")
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    run.add_argument("--no-sources", action="store_true",
                     help="serve screens only; a `socialwall ingest` process runs the sources")
    ingest = sub.add_parser("ingest", help="run the sources only, emitting through "
                            "[server] message_queue to every server process")
    ingest.add_argument("--config", default=DEFAULT_CONFIG, help="TOML file (default: %(default)s)")
    ingest.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    check = sub.add_parser("check", help="validate a config file and list every problem")
    check.add_argument("--config", default=DEFAULT_CONFIG, help="TOML file (default: %(default)s)")
    add_commands(sub)
    return parser


def _load(path: str) -> WallConfig | None:
    try:
        return load_config(path)
    except ConfigError as exc:
        _complain(f"socialwall: {exc}")
        _complain("Fix the keys above, then run `socialwall check --config "
                  f"{path}` again. config/example.toml documents every key.")
        return None


def check(path: str) -> int:
    """Validate a config; 0 when valid, 1 with every problem listed."""
    config = _load(path)
    if config is None:
        return 1
    names = ", ".join(f"{s.name} ({s.type})" for s in config.sources) or "none"
    _say(f"{path}: valid. Wall \"{config.wall.title}\", sources: {names}.")
    return 0


def _start(config: WallConfig, level: str) -> Flask | None:
    """Monkey-patch for the async mode, then create the app; None after a readable error."""
    from wall.server import patch_for

    patch_for(config.server.async_mode)
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from wall import create_app

    try:
        return create_app(config)
    except Exception as exc:  # e.g. the database is unreachable: say so, no traceback
        logging.getLogger("socialwall").debug("start-up failed", exc_info=True)
        _complain(f"socialwall: cannot start: {exc}")
        return None


def ingest(path: str, level: str) -> int:
    """Run the sources alone; their events reach the servers through the message queue."""
    config = _load(path)
    if config is None:
        return 1
    if not config.server.message_queue:
        _complain("socialwall: `ingest` needs [server] message_queue (a Redis URL) so that "
                  "the server processes hear about new posts; without it use `socialwall run`.")
        return 1
    app = _start(config, level)
    if app is None:
        return 1
    from wall.broadcast import socketio
    from wall.runtime import get_wall

    wall = get_wall(app)
    wall.start(serve=False)  # the servers send the events; this process only commits
    _say(f'socialwall ingest for "{config.wall.title}" is running '
         f"({len(wall.runners)} source(s)). Press Ctrl+C to stop.")
    try:
        while True:
            socketio.sleep(3600)
    except KeyboardInterrupt:
        _say("Stopped.")
    finally:
        wall.stop()
    return 0


def run(path: str, host: str | None, port: int | None, level: str,
        sources: bool = True) -> int:
    """Start the server; blocks until interrupted."""
    config = _load(path)
    if config is None:
        return 1
    server = config.server
    host = host or server.host
    port = server.port if port is None else port
    if not 0 <= port <= 65535:
        _complain(f"socialwall: --port must be from 0 to 65535 (got {port})")
        return 1
    app = _start(config, level)
    if app is None:
        return 1
    from wall.runtime import get_wall
    from wall.server import serve

    def ready(bound: int) -> None:
        shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
        base = f"http://{shown}:{bound}"
        _say(f'socialwall "{config.wall.title}" is running ({server.async_mode}).')
        _say(f"Listening on {base}")
        _say(f"  Feed:        {base}/screen/feed")
        _say(f"  Stats:       {base}/screen/stats")
        _say(f"  Highlights:  {base}/screen/highlights")
        _say(f"  Moderator:   {base}/moderate")
        if app.config["MODERATOR_PASSWORD_GENERATED"]:
            _say(f"  Moderator password (generated, set {config.moderators.password_env} "
                 f"to choose one): {app.config['MODERATOR_PASSWORD']}")
        _say("Press Ctrl+C to stop.")
        get_wall(app).start(sources=sources)

    try:
        serve(app, host, port, server.async_mode, ready)
    except OSError as exc:
        _complain(f"socialwall: cannot listen on {host}:{port}: {exc.strerror or exc}. "
                  "Pick another --port or stop the program using it.")
        return 1
    except KeyboardInterrupt:
        _say("Stopped.")
    finally:
        get_wall(app).stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `socialwall` console script."""
    args = _parser().parse_args(argv)
    handled = dispatch(args, _say, _complain)
    if handled is not None:
        return handled
    if args.command == "check":
        return check(args.config)
    if args.command == "ingest":
        return ingest(args.config, args.log_level)
    return run(args.config, args.host, args.port, args.log_level, not args.no_sources)


if __name__ == "__main__":
    sys.exit(main())
