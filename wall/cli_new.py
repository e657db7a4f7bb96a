"""The `socialwall new` and `socialwall moderator` commands."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from wall import wizard
from wall.config import ConfigError, WallConfig, load_config
from wall.store import Store

Say = Callable[[str], None]
T = TypeVar("T")


def add_commands(sub: Any) -> None:
    """Add `new` and `moderator` to the `socialwall` parser."""
    new = sub.add_parser("new", help="create a wall: a commented config and its env file")
    new.add_argument("slug", help='short name of the wall, e.g. "devcon-lyon-2026"')
    new.add_argument("--title", help="shown on every screen")
    new.add_argument("--hashtags", help="hashtags or keywords, comma-separated")
    new.add_argument("--language", choices=wizard.LANGUAGES, help="screen labels")
    new.add_argument("--networks", help=f"comma-separated: {', '.join(wizard.NETWORKS)}")
    new.add_argument("--mode", choices=wizard.MODES, help="pre: posts wait for a moderator; "
                     "post: shown at once")
    new.add_argument("--moderators", help="moderators' names, comma-separated (each gets a "
                     "generated password); empty: one shared password")
    new.add_argument("--port", type=int, default=5000, help="port (default: %(default)s)")
    new.add_argument("--dir", default=".", help="folder to write into (default: current)")
    new.add_argument("--yes", "-y", action="store_true",
                     help="ask nothing: use the options given and defaults for the rest")
    mod = sub.add_parser("moderator", help="named moderator accounts in the wall's database")
    actions = mod.add_subparsers(dest="moderator_command", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add an account (password prompted twice)")
    add.add_argument("name")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input")
    remove = actions.add_parser("remove", help="delete an account")
    remove.add_argument("name")
    listing = actions.add_parser("list", help="list the accounts")
    for action in (add, remove, listing):
        action.add_argument("--config", help="TOML file (default: the embedded demo)")


def dispatch(args: argparse.Namespace, say: Say, complain: Say) -> int | None:
    """Run `new` or `moderator`; None for other commands."""
    if args.command == "new":
        return new(args, say, complain)
    if args.command == "moderator":
        return moderator(args, say, complain)
    return None


def _ask(question: str, default: str, parse: Callable[[str], T], say: Say) -> T:
    """Ask until the answer parses; an empty answer takes the default."""
    while True:
        sys.stdout.write(f"{question} [{default}]: ")
        sys.stdout.flush()
        line = sys.stdin.readline()
        if not line:  # end of input: the defaults answer the rest
            say("")
            return parse(default)
        try:
            return parse(line.strip() or default)
        except wizard.AnswerError as exc:
            say(f"  {exc}")


def _answers(args: argparse.Namespace, say: Say) -> wizard.Answers:
    """Collect the answers from options, then questions unless --yes."""
    slug = wizard.check_slug(args.slug)
    title = args.title or " ".join(w.capitalize() for w in slug.split("-"))
    tags = args.hashtags or "".join(w.capitalize() for w in slug.split("-"))
    networks = args.networks or ",".join(wizard.DEFAULT_NETWORKS)
    language, mode, moderators = args.language or "en", args.mode or "pre", args.moderators or ""
    if args.yes:
        return wizard.Answers(slug, title, wizard.parse_hashtags(tags),
                              wizard.parse_choice(language, wizard.LANGUAGES, "the language"),
                              wizard.parse_networks(networks),
                              wizard.parse_choice(mode, wizard.MODES, "the mode"),
                              wizard.parse_moderators(moderators), args.port)
    say(f"A new wall, {slug}. Press Enter to keep the answer in brackets.")
    return wizard.Answers(
        slug,
        _ask("Title shown on the screens", title, _title, say),
        _ask("Hashtags or keywords (comma-separated)", tags, wizard.parse_hashtags, say),
        _ask("Screen language (en, fr)", language,
             lambda v: wizard.parse_choice(v, wizard.LANGUAGES, "the language"), say),
        _ask(f"Networks ({', '.join(wizard.NETWORKS)})", networks, wizard.parse_networks, say),
        _ask("Moderation: pre (posts wait for a moderator) or post (shown at once)", mode,
             lambda v: wizard.parse_choice(v, wizard.MODES, "the mode"), say),
        _ask("Moderators' names, comma-separated (empty: one shared password)", moderators,
             wizard.parse_moderators, say),
        args.port)


def _title(value: str) -> str:
    if not value.strip() or len(value) > 120:
        raise wizard.AnswerError("a title has 1 to 120 characters")
    return value.strip()


def new(args: argparse.Namespace, say: Say, complain: Say) -> int:
    """Write SLUG.toml and SLUG.env, add the moderators, print what to do next."""
    try:
        answers = _answers(args, say)
    except wizard.AnswerError as exc:
        complain(f"socialwall: {exc}")
        return 1
    folder = Path(args.dir)
    config_path, env_path = folder / f"{answers.slug}.toml", folder / f"{answers.slug}.env"
    taken = [str(p) for p in (config_path, env_path) if p.exists()]
    if taken:
        complain(f"socialwall: {' and '.join(taken)} exist already; pick another name or "
                 "--dir, or delete them first")
        return 1
    folder.mkdir(parents=True, exist_ok=True)
    shared = None if answers.moderators else wizard.new_secret()
    config_path.write_text(wizard.config_text(answers), encoding="utf-8")
    fd = os.open(env_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(wizard.env_text(answers, shared, wizard.new_secret()))
    config = load_config(config_path)
    passwords = _add_moderators(config, answers.moderators)
    _report(answers, config_path, env_path, shared, passwords, say)
    return 0


def _add_moderators(config: WallConfig, names: tuple[str, ...]) -> dict[str, str]:
    from wall import accounts_db
    from wall.walldb import opened

    if not names:
        return {}
    with opened(config) as store:
        return {accounts_db.add(store, name, p): p
                for name, p in ((n, wizard.new_secret()) for n in names)}


def _report(a: wizard.Answers, config_path: Path, env_path: Path, shared: str | None,
            passwords: dict[str, str], say: Say) -> None:
    from wall import preflight
    from wall.addresses import bases
    from wall.envfile import load_env

    say(f"Wrote {config_path} (the wall) and {env_path} (its secrets; keep it private).")
    base = bases("0.0.0.0", a.port)[-1]
    say(f"Start it:  socialwall run --config {config_path}")
    say("Then open, on the TVs and the moderator's tablet:")
    for label, page in (("Feed", "/screen/feed"), ("Stats", "/screen/stats"),
                        ("Highlights", "/screen/highlights"), ("Moderator", "/moderate")):
        say(f"  {label + ':':12} {base}{page}")
    if "attendees" in a.networks:
        say(f"  {'Attendees:':12} {base}/attend (the QR code on the screens opens it)")
    if passwords:
        say("Moderator logins (shown once; `socialwall moderator add` makes more):")
        for name, password in passwords.items():
            say(f"  {name}: {password}")
    else:
        say(f"Moderator login: any name, password {shared} (in {env_path})")
    load_env(env_path)
    missing = preflight.missing_variables(load_config(config_path))
    if missing:
        say(f"Still missing (fill them in {env_path}):")
        for variable in missing:
            say(f"  {variable.name}: {variable.purpose}")
    else:
        say("No credential is missing.")


def _config(path: str, complain: Say) -> WallConfig | None:
    from wall.envfile import load_env_beside

    try:
        config = load_config(path)
    except ConfigError as exc:
        complain(f"socialwall: {exc}")
        return None
    load_env_beside(Path(path))
    return config


def moderator(args: argparse.Namespace, say: Say, complain: Say) -> int:
    """Add, remove or list the named moderator accounts of a wall."""
    from sqlalchemy.exc import SQLAlchemyError

    from wall import accounts_db
    from wall.walldb import opened

    config = _config(args.config, complain)
    if config is None:
        return 1
    try:
        with opened(config) as store:
            return _moderator(args, store, say, complain)
    except accounts_db.AccountError as exc:
        complain(f"socialwall: {exc}")
    except SQLAlchemyError as exc:
        complain(f"socialwall: cannot open the wall's database: {exc.__class__.__name__}: "
                 f"{exc.args[0] if exc.args else exc}")
    return 1


def _moderator(args: argparse.Namespace, store: Store, say: Say, complain: Say) -> int:
    """Run one `moderator` action on an open store."""
    from wall import accounts_db

    if args.moderator_command == "list":
        rows = accounts_db.names(store)
        for name, created in rows:
            say(f"{name}  (added {created:%Y-%m-%d %H:%M})")
        if not rows:
            say(f"No moderator account yet: socialwall moderator add NAME --config "
                f"{args.config}")
        return 0
    if args.moderator_command == "remove":
        if not accounts_db.remove(store, args.name):
            complain(f'socialwall: no moderator named "{args.name}"; '
                     "`socialwall moderator list` shows them")
            return 1
        say(f'Moderator "{args.name}" removed: they can no longer log in.')
        return 0
    password = _password(args.password_stdin, complain)
    if password is None:
        return 1
    name = accounts_db.add(store, args.name, password)
    say(f'Moderator "{name}" added: log in at /moderate with this name and password.')
    return 0


def _password(from_stdin: bool, complain: Say) -> str | None:
    """Read a new password: one line of standard input, or prompted twice."""
    if from_stdin or not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != password:
        complain("socialwall: the two passwords differ; nothing changed")
        return None
    return password
