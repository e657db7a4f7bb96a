"""After the event: `export posts --format csv|html`, `export stats`, `archive`, `purge`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wall.config import ConfigError, WallConfig, load_config

Say = Callable[[str], None]


def add_commands(sub: Any) -> None:
    """Add `archive` and `purge` to the `socialwall` parser."""
    bundle = sub.add_parser("archive", help="bundle posts, stats and the audit into one zip")
    bundle.add_argument("--config", help="TOML file (default: the embedded demo)")
    bundle.add_argument("--output", "-o", help="zip to write (default: <config name>-"
                        "archive-<date>.zip beside the config)")
    purge = sub.add_parser("purge", help="delete the wall's posts, audit, accounts and images")
    purge.add_argument("--config", help="TOML file (default: the embedded demo)")
    purge.add_argument("--yes", action="store_true", help="do not ask for the typed confirmation")


def dispatch(args: argparse.Namespace, say: Say, complain: Say) -> int | None:
    """Run `archive` or `purge`; None for other commands."""
    if args.command == "archive":
        return _with_store(args, say, complain, _archive)
    if args.command == "purge":
        return _with_store(args, say, complain, _purge)
    return None


def _with_store(args: argparse.Namespace, say: Say, complain: Say,
                action: Callable[..., int]) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from wall.walldb import opened

    try:
        config = load_config(args.config)
    except ConfigError as exc:
        complain(f"socialwall: {exc}")
        return 1
    try:
        with opened(config) as store:
            return int(action(args, config, store, say, complain))
    except OSError as exc:
        complain(f"socialwall: cannot write {exc.filename or ''}: {exc.strerror or exc}")
    except SQLAlchemyError as exc:
        complain(f"socialwall: the wall's database failed: {exc.__class__.__name__}")
    return 1


def export(args: argparse.Namespace, say: Say, complain: Say) -> int:
    """Export posts as CSV or an HTML folder, or stats as CSV or PNG."""
    return _with_store(args, say, complain, _export)


def _export(args: argparse.Namespace, config: WallConfig, store: Any, say: Say,
            complain: Say) -> int:
    from wall import export_posts, export_stats
    from wall.archive import media_root

    fmt, output = args.format, args.output
    if args.what == "stats" and fmt not in ("csv", "png"):
        complain("socialwall: stats export as --format csv or png")
        return 1
    if fmt in ("html", "png") and not output:
        complain(f"socialwall: --format {fmt} needs --output "
                 f"({'a folder' if fmt == 'html' else 'a .png file'})")
        return 1
    if fmt == "html":
        count = export_posts.write_html(store, Path(output), media_root(config),
                                        config.wall.title, args.status or "approved")
        say(f"{count} posts written to {Path(output) / 'index.html'} (images in "
            f"{Path(output) / 'images'}); open it in any browser, offline")
        return 0
    if fmt == "png":
        try:
            export_stats.write_png(store, Path(output), config.wall.title)
        except export_stats.ChartsMissing as exc:
            complain(f"socialwall: {exc}")
            return 1
        say(f"charts written to {output}")
        return 0
    target: Any = open(output, "w", encoding="utf-8", newline="") if output \
        else nullcontext(sys.stdout)
    with target as out:
        count = export_stats.write_csv(store, out) if args.what == "stats" \
            else export_posts.write_csv(store, out, args.status)
    if output:
        say(f"{count} {args.what} rows written to {output}")
    return 0


def _archive(args: argparse.Namespace, config: WallConfig, store: Any, say: Say,
             complain: Say) -> int:
    from wall.archive import archive

    base = Path(args.config)
    target = Path(args.output) if args.output else base.with_name(
        f"{base.stem}-archive-{datetime.now(UTC):%Y%m%d}.zip")
    for note in archive(store, config, target):
        complain(f"socialwall: {note}")
    say(f"Archive written to {target}: posts (jsonl, csv, html with images), stats, audit, "
        "config.")
    return 0


def _purge(args: argparse.Namespace, config: WallConfig, store: Any, say: Say,
           complain: Say) -> int:
    from wall.archive import purge

    title = config.wall.title
    if not args.yes:
        say("This deletes every post, image, audit entry, moderator account and ambassador "
            f'enrolment of "{title}". '
            "Stop its server first; `socialwall archive` keeps a copy.")
        sys.stdout.write(f'Type the wall\'s title ("{title}") to confirm: ')
        sys.stdout.flush()
        if sys.stdin.readline().strip() != title:
            complain("socialwall: the title typed differs; nothing was deleted")
            return 1
    gone = purge(store, config)
    counts = ", ".join(f"{n} {what}" for what, n in gone.items() if n)
    say(f"Purged: {counts or 'nothing was stored'}.")
    return 0
