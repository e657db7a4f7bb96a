"""The `socialwall` commands for operators: init, db upgrade, db current."""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wall.config import ConfigError, load_config
from wall.resources import demo_config, example_config

CONFIG_ENV = "SOCIALWALL_CONFIG"
INIT_FILE = "socialwall.toml"
CONFIG_HELP = f"TOML file (default: ${CONFIG_ENV}, else the embedded demo)"
Say = Callable[[str], None]


def default_config() -> str:
    """Return $SOCIALWALL_CONFIG, else the path of the demo config shipped in the package."""
    return os.environ.get(CONFIG_ENV) or str(demo_config())


def add_commands(sub: Any) -> None:
    """Add the operator commands to the `socialwall` parser."""
    init = sub.add_parser("init", help=f"write the commented example config to ./{INIT_FILE}")
    init.add_argument("path", nargs="?", default=INIT_FILE, help="file to write "
                      "(default: %(default)s in the current folder)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    db = sub.add_parser("db", help="database schema: upgrade, current").add_subparsers(
        dest="db_command", metavar="ACTION", required=True)
    for name, text in (("upgrade", "migrate the database to this version's schema"),
                       ("current", "print the database's schema revision")):
        action = db.add_parser(name, help=text)
        action.add_argument("--config", help=CONFIG_HELP)


def dispatch(args: argparse.Namespace, say: Say, complain: Say) -> int | None:
    """Run an operator command; None when the command is not one of ours."""
    if args.command == "init":
        return init(Path(args.path), args.force, say, complain)
    if args.command == "db":
        return database(args.db_command, args.config or default_config(), say, complain)
    return None


def init(path: Path, force: bool, say: Say, complain: Say) -> int:
    """Write the example config, refusing to overwrite a file unless forced."""
    if path.exists() and not force:
        complain(f"socialwall: {path} already exists; edit it, or run `socialwall init "
                 "--force` to replace it with the example")
        return 1
    try:
        path.write_text(example_config(), encoding="utf-8")
    except OSError as exc:
        complain(f"socialwall: cannot write {path}: {exc.strerror or exc}")
        return 1
    say(f"Wrote {path}, every key commented. Edit it, then:")
    say(f"  socialwall check --config {path}")
    say(f"  socialwall run --config {path}")
    return 0


def database(action: str, path: str, say: Say, complain: Say) -> int:
    """Upgrade the database's schema, or print its revision."""
    from wall import migrations
    from wall.store import make_engine

    try:
        config = load_config(path)
    except ConfigError as exc:
        complain(f"socialwall: {exc}")
        return 1
    engine = make_engine(config.database_url)
    shown = engine.url.render_as_string(hide_password=True)
    try:
        if action == "current":
            found = migrations.current(engine)
            state = "up to date" if found == migrations.head() else \
                f"needs `socialwall db upgrade` to {migrations.head()}"
            say(f"{shown}: revision {found or 'none'} ({state})")
            return 0
        before, after = migrations.upgrade(engine)
        say(f"{shown}: " + (f"upgraded from {before or 'none'} to {after}" if before != after
                            else f"already at {after}, nothing to do"))
        return 0
    except migrations.SchemaError as exc:
        complain(f"socialwall: {exc}")
        return 1
    except Exception as exc:  # unreachable server, bad credentials: say so, no traceback
        complain(f"socialwall: cannot reach the database {shown}: {exc}")
        return 1
    finally:
        engine.dispose()
