"""The `socialwall` command: run a wall, check a config."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wall import cli_after, cli_deploy, cli_new
from wall.cli_deploy import CONFIG_HELP, default_config
from wall.cli_tools import add_commands, dispatch
from wall.config import ConfigError, WallConfig, load_config

if TYPE_CHECKING:
    from flask import Flask


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
    run.add_argument("--config", help=CONFIG_HELP)
    run.add_argument("--walls", metavar="DIR",
                     help="serve every SLUG.toml of DIR under /w/SLUG/, starting and "
                     "stopping walls as files come and go (see docs/walls.md)")
    run.add_argument("--host", help="address to listen on (overrides [server] host)")
    run.add_argument("--port", type=int, help="port (overrides [server] port; 0 picks one)")
    run.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    run.add_argument("--no-sources", action="store_true",
                     help="serve screens only; a `socialwall ingest` process runs the sources")
    ingest = sub.add_parser("ingest", help="run the sources only, emitting through "
                            "[server] message_queue to every server process")
    ingest.add_argument("--config", help=CONFIG_HELP)
    ingest.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING"])
    check = sub.add_parser("check", help="validate a config file and list every problem")
    check.add_argument("--config", help=CONFIG_HELP)
    add_commands(sub)
    cli_deploy.add_commands(sub)
    cli_new.add_commands(sub)
    cli_after.add_commands(sub)
    return parser


def _load(path: str) -> WallConfig | None:
    from pathlib import Path

    from wall.envfile import load_env_beside

    try:
        config = load_config(path)
        load_env_beside(Path(path))
        return config
    except ConfigError as exc:
        _complain(f"socialwall: {exc}")
        _complain("Fix the keys above, then run `socialwall check --config "
                  f"{path}` again. `socialwall init` writes an example with every key.")
        return None


def check(path: str) -> int:
    """Validate a config; 0 when valid, 1 with every problem listed."""
    from wall import preflight

    config = _load(path)
    if config is None:
        return 1
    found = preflight.problems(config)
    if found:
        _complain(f"socialwall: {path}: {len(found)} thing(s) to fix before `run`:")
        for problem in found:
            _complain(f"  - {problem}")
        return 1
    names = ", ".join(f"{s.name} ({s.type})" for s in config.sources) or "none"
    _say(f"{path}: valid. Wall \"{config.wall.title}\", sources: {names}.")
    return 0


def _start(config: WallConfig, level: str) -> Flask | None:
    """Monkey-patch for the async mode, then create the app; None after a readable error."""
    from wall.server import patch_for

    patch_for(config.server.async_mode)
    from wall import create_app, logs

    logs.setup(level, config.server.log_format)
    _say(loading_line(config))

    try:
        return create_app(config)
    except Exception as exc:  # e.g. the database is unreachable: say so, no traceback
        logging.getLogger("socialwall").debug("start-up failed", exc_info=True)
        _complain(f"socialwall: cannot start: {exc}")
        return None


def loading_line(config: WallConfig) -> str:
    """Say what start-up loads, so that a quiet 10 seconds is not taken for a hang."""
    models = [name for name, on in (
        ("the toxicity model", config.moderation.toxicity),
        ("the language detector", bool(config.moderation.languages
                                       and config.moderation.detect_language))) if on]
    what = f" and {' and '.join(models)} (7-15 s)" if models else ""
    return f'Loading "{config.wall.title}": the database, the moderation rules{what}...'


def ended(config: WallConfig) -> bool:
    """Tell whether the wall's [wall] ends_at has passed: its sources stay stopped."""
    from wall.schedule import has_ended

    if not has_ended(config):
        return False
    _say("The wall ended at [wall] ends_at: sources stay stopped, the screens say thank you.")
    return True


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
    from wall import heartbeat
    from wall.health import public_sources
    from wall.lifecycle import on_stop_signals, shutdown
    from wall.realtime.broadcast import socketio
    from wall.runtime import get_wall

    wall = get_wall(app)
    wall.start(serve=False)  # the servers send the events; this process only commits
    socketio.start_background_task(heartbeat.run, wall.store, lambda: public_sources(wall),
                                   wall.stopping.is_set, wall.sleep)
    on_stop_signals(wall.stop, config.server.async_mode)
    _say(f'socialwall ingest for "{config.wall.title}" is running '
         f"({len(wall.runners)} source(s)). Press Ctrl+C to stop.")
    try:
        while not wall.stopping.is_set():
            socketio.sleep(0.5)
        _say("Stopped.")
    finally:
        shutdown(app)
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
    from wall.preflight import nobody_can_moderate

    refusal = nobody_can_moderate(config)
    if refusal:
        _complain(f"socialwall: {refusal}")
        return 1
    app = _start(config, level)
    if app is None:
        return 1
    from wall.lifecycle import shutdown
    from wall.runtime import get_wall
    from wall.server import serve
    from wall.web.health import SEPARATE_INGEST

    def ready(bound: int) -> None:
        from wall.banner import pages

        _say(f'socialwall "{config.wall.title}" is running ({server.async_mode}).')
        for line in pages(config, host, bound):
            _say(line)
        if app.config["MODERATOR_PASSWORD_GENERATED"]:
            _say(f"  Moderator password (generated, set {config.moderators.password_env} "
                 f"to choose one): {app.config['MODERATOR_PASSWORD']}")
        _say("Press Ctrl+C to stop.")
        app.config[SEPARATE_INGEST] = not sources  # /healthz then reads ingest's heartbeat
        get_wall(app).start(sources=sources and not ended(config))

    try:
        serve(app, host, port, server.async_mode, ready)
        _say("Stopped.")
    except OSError as exc:
        _complain(f"socialwall: cannot listen on {host}:{port}: {exc.strerror or exc}. "
                  "Pick another --port or stop the program using it.")
        return 1
    except KeyboardInterrupt:
        _say("Stopped.")
    finally:
        shutdown(app)
    return 0


def run_walls(folder: str, host: str | None, port: int | None, level: str,
              sources: bool = True) -> int:
    """Serve every wall of a folder in one server; blocks until interrupted."""
    from pathlib import Path

    from wall.config import ServerSection

    path = Path(folder)
    if not path.is_dir():
        _complain(f"socialwall: --walls {folder}: no such folder. Pass the folder that "
                  "holds the walls' SLUG.toml files (`socialwall new SLUG` writes one).")
        return 1
    defaults = ServerSection()
    port = defaults.port if port is None else port
    if not 0 <= port <= 65535:
        _complain(f"socialwall: --port must be from 0 to 65535 (got {port})")
        return 1
    from wall.server import patch_for

    patch_for(defaults.async_mode)
    from wall import logs, multiwall_server

    logs.setup(level, defaults.log_format)
    try:
        return multiwall_server.run(path.resolve(), host or defaults.host, port,
                                    defaults.async_mode, sources, _say)
    except OSError as exc:
        _complain(f"socialwall: cannot listen on {host or defaults.host}:{port}: "
                  f"{exc.strerror or exc}. Pick another --port or stop the program using it.")
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `socialwall` console script."""
    args = _parser().parse_args(argv)
    if args.command == "run" and args.walls:
        if args.config:
            _complain("socialwall: give --config (one wall) or --walls (a folder), not both")
            return 2
        return run_walls(args.walls, args.host, args.port, args.log_level, not args.no_sources)
    if getattr(args, "config", "") is None:
        args.config = default_config()
    handled = dispatch(args, _say, _complain)
    if handled is None:
        handled = cli_deploy.dispatch(args, _say, _complain)
    if handled is None:
        handled = cli_new.dispatch(args, _say, _complain)
    if handled is None:
        handled = cli_after.dispatch(args, _say, _complain)
    if handled is not None:
        return handled
    if args.command == "check":
        return check(args.config)
    if args.command == "ingest":
        return ingest(args.config, args.log_level)
    return run(args.config, args.host, args.port, args.log_level, not args.no_sources)


if __name__ == "__main__":
    sys.exit(main())
