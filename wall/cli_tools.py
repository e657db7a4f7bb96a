"""The `socialwall` commands for moderation: rules test, export, hash-password."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from contextlib import nullcontext
from typing import IO, Any

from wall.config import ConfigError, WallConfig, load_config

Say = Callable[[str], None]


def add_commands(sub: Any) -> None:
    """Add the moderation commands to the `socialwall` parser."""
    rules = sub.add_parser("rules", help="try the moderation rules").add_subparsers(
        dest="rules_command", metavar="ACTION", required=True)
    test = rules.add_parser("test", help="run the rules over captured posts (JSON lines)")
    test.add_argument("--config", help="TOML file with [moderation] (default: the embedded demo)")
    test.add_argument("--posts", required=True, help="JSON lines file, one post a line")
    test.add_argument("--json", action="store_true", help="print JSON lines instead of text")
    export = sub.add_parser("export", help="export posts, the audit trail or the ambassadors")
    export.add_argument("what", choices=["posts", "audit", "ambassadors"])
    export.add_argument("--config", help="TOML file (default: the embedded demo)")
    export.add_argument("--format", choices=["jsonl", "csv"], default="jsonl")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.add_argument("--status", choices=["approved", "pending", "rejected"],
                        help="posts only: export only this status")
    sub.add_parser("hash-password", help="print a password hash for [[moderators.accounts]]")


def dispatch(args: argparse.Namespace, say: Say, complain: Say) -> int | None:
    """Run a moderation command; None when the command is not one of ours."""
    if args.command == "rules":
        return rules_test(args.config, args.posts, args.json, say, complain)
    if args.command == "export":
        return export(args, say, complain)
    if args.command == "hash-password":
        return hash_password(say, complain)
    return None


def _config(path: str, complain: Say) -> WallConfig | None:
    try:
        return load_config(path)
    except ConfigError as exc:
        complain(f"socialwall: {exc}")
        return None


def rules_test(config_path: str, posts_path: str, as_json: bool, say: Say,
               complain: Say) -> int:
    """Print each captured post's decision and reasons, then a summary."""
    from wall import dryrun
    from wall.moderation import RuleSet

    config = _config(config_path, complain)
    if config is None:
        return 1
    try:
        handle = open(posts_path, encoding="utf-8")
    except OSError as exc:
        complain(f"socialwall: cannot read --posts {posts_path}: {exc.strerror or exc}")
        return 1
    with handle:
        parsed, bad = [], 0
        for number, post, before in dryrun.read_posts(handle):
            if isinstance(post, str):
                complain(f"{posts_path}:{number}: skipped: {post}")
                bad += 1
            else:
                parsed.append((number, post, before))
    results = list(dryrun.run(RuleSet.from_config(config.moderation), parsed))
    for result in results:
        if as_json:
            say(json.dumps(result.as_json(), ensure_ascii=False))
        else:
            was = f" (was {result.before})" if result.before and result.before != result.status \
                else ""
            who = result.post.handle or result.post.author
            say(f"line {result.line}: {result.status.upper()}{was}  {who}: "
                f"{result.post.text[:60]!r}")
            for reason in result.reasons:
                say(f"    - {reason}")
    report = {**dryrun.summary(results), "skipped": bad}
    if as_json:
        say(json.dumps({"summary": report}, ensure_ascii=False))
    else:
        counts = ", ".join(f"{n} {s}" for s, n in sorted(report["decisions"].items()))
        say(f"{report['posts']} posts: {counts or 'none'}; {report['changed']} decided "
            f"differently than recorded; {bad} line(s) skipped.")
        for reason, n in report["top_reasons"]:
            say(f"  {n:5d}  {reason}")
    return 0


def export(args: argparse.Namespace, say: Say, complain: Say) -> int:
    """Write posts (JSON lines) or the audit trail (CSV or JSON lines)."""
    from wall.exports import write_audit, write_posts
    from wall.store import Store

    if args.what == "posts" and args.format != "jsonl":
        complain("socialwall: posts export as --format jsonl only (the dry run reads it)")
        return 1
    config = _config(args.config, complain)
    if config is None:
        return 1
    store = Store(config.database_url)
    try:
        store.create_all()
        target: Any = open(args.output, "w", encoding="utf-8", newline="") if args.output \
            else nullcontext(sys.stdout)
        with target as out:
            stream: IO[str] = out
            if args.what == "audit":
                count = write_audit(store, args.format, stream)
            elif args.what == "ambassadors":
                from wall.ambassadors.export import write_ambassadors

                count = write_ambassadors(store, args.format, stream)
            else:
                count = write_posts(store, stream, args.status)
    except OSError as exc:
        complain(f"socialwall: cannot write {args.output}: {exc.strerror or exc}")
        return 1
    finally:
        store.close()
    if args.output:
        say(f"{count} {args.what} entries written to {args.output}")
    return 0


def hash_password(say: Say, complain: Say) -> int:
    """Read a password (prompt, or one line of standard input) and print its hash."""
    from werkzeug.security import generate_password_hash

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            complain("socialwall: the two passwords differ; nothing printed")
            return 1
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if len(password) < 8:
        complain("socialwall: use a password of at least 8 characters")
        return 1
    say(generate_password_hash(password, method="scrypt"))
    return 0
