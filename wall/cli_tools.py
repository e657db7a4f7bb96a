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
    export = sub.add_parser("export", help="export posts, stats, the audit or the ambassadors")
    export.add_argument("what", choices=["posts", "audit", "stats", "ambassadors"])
    export.add_argument("--config", help="TOML file (default: the embedded demo)")
    export.add_argument("--format", choices=["jsonl", "csv", "html", "png"], default="jsonl",
                        help="posts: jsonl, csv or html (a folder); audit: jsonl or csv; "
                        "stats: csv or png")
    export.add_argument("--output", "-o", help="file to write (default: standard output)")
    export.add_argument("--status", choices=["approved", "pending", "rejected"],
                        help="posts only: export only this status")
    hashing = sub.add_parser("hash-password",
                             help="print a password hash for [[moderators.accounts]]")
    hashing.add_argument("--export", metavar="NAME",
                         help="print a shell line `export NAME='<hash>'`, quoted so the "
                         "shell keeps every $ of the hash")


def dispatch(args: argparse.Namespace, say: Say, complain: Say) -> int | None:
    """Run a moderation command; None when the command is not one of ours."""
    if args.command == "rules":
        return rules_test(args.config, args.posts, args.json, say, complain)
    if args.command == "export":
        return export(args, say, complain)
    if args.command == "hash-password":
        return hash_password(say, complain, getattr(args, "export", None))
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

    if args.what == "stats" or (args.what == "posts" and args.format != "jsonl"):
        from wall.cli_after import export as export_more

        return export_more(args, say, complain)
    if args.format not in ("jsonl", "csv"):
        complain("socialwall: the audit exports as --format jsonl or csv")
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


def hash_password(say: Say, complain: Say, export_name: str | None = None) -> int:
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
    hashed = generate_password_hash(password, method="scrypt")
    if export_name:
        say(f"export {export_name}='{hashed}'")  # the hash holds no ' to escape
        return 0
    say(hashed)
    complain("The hash contains $ signs, which an unquoted shell `export` replaces: put it "
             "in single quotes (export NAME='scrypt:...'), use --export NAME, or better, "
             "`socialwall moderator add NAME` (no hash to copy)")
    return 0
