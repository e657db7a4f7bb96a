"""Load a wall's TOML config into typed, validated objects."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from wall.ambassadors.settings import AmbassadorsSection, parse_ambassadors
from wall.branding import BrandingSection, parse_branding
from wall.configreader import Reader
from wall.listening import Listening, Mention, read_listening
from wall.lobby import OUTSIDE_HOURS, Slide, read_hours, read_slides
from wall.media.settings import MediaSection, read_media
from wall.moderation.settings import MODERATION_MODES as MODERATION_MODES
from wall.moderation.settings import ModerationSection as ModerationSection
from wall.moderation.settings import parse_moderation
from wall.timezones import read_timezone

ASYNC_MODES = ("gevent", "eventlet", "threading")
# Every [server] key can come from the environment, which wins over the file: containers and
# systemd units keep credentials (database and Redis URLs) out of the TOML file.
SERVER_ENV = {
    "host": "SOCIALWALL_HOST",
    "port": "SOCIALWALL_PORT",
    "async_mode": "SOCIALWALL_ASYNC_MODE",
    "database": "SOCIALWALL_DATABASE_URL",
    "instance_dir": "SOCIALWALL_INSTANCE_DIR",
    "message_queue": "SOCIALWALL_MESSAGE_QUEUE",
    "channel": "SOCIALWALL_CHANNEL",
    "log_format": "SOCIALWALL_LOG_FORMAT",
    "access_log": "SOCIALWALL_ACCESS_LOG",
    "proxies": "SOCIALWALL_PROXIES",
    "compression": "SOCIALWALL_COMPRESSION",
    "socket_connections_per_address": "SOCIALWALL_SOCKET_CONNECTIONS_PER_ADDRESS",
    "socket_connects_per_minute": "SOCIALWALL_SOCKET_CONNECTS_PER_MINUTE",
}
LOG_FORMATS = ("text", "json")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
LANGUAGES = ("en", "fr")


class ConfigError(Exception):
    """A config file that cannot be used; lists every problem found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{source}: {len(problems)} problem(s):\n{lines}")


@dataclass(frozen=True)
class WallSection:
    """What the wall is about and how screens label it."""

    title: str = "socialwall"
    hashtags: tuple[str, ...] = ()
    language: str = "en"
    call_to_action_url: str = ""
    keywords: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    exclude_keywords: tuple[str, ...] = ()

    @property
    def listening(self) -> Listening:
        """Return what every source follows unless it sets its own terms."""
        return Listening(self.hashtags, self.keywords, self.mentions, self.exclude_keywords)
    starts_at: datetime | None = None  # before: a countdown on the screens
    ends_at: datetime | None = None  # after: sources stop, a thank-you slide
    retention_days: int = 0  # posts, images and audit entries older than this are erased


@dataclass(frozen=True)
class ServerSection:
    """Where and how the server runs."""

    host: str = "127.0.0.1"
    port: int = 5000
    async_mode: str = "gevent"
    database: str = ""
    instance_dir: Path = Path("instance")
    message_queue: str | None = None
    channel: str = "socialwall"
    log_format: str = "text"
    access_log: bool = False
    proxies: int = 0
    compression: bool = False
    socket_connections_per_address: int = 200  # Socket.IO connections open at once; 0: no cap
    socket_connects_per_minute: int = 600  # new Socket.IO connections a minute per address


@dataclass(frozen=True)
class ScreensSection:
    """Settings shared by the lobby screens."""

    max_cards: int = 24
    highlight_seconds: int = 10
    recycle_seconds: int = 20
    stale_seconds: int = 60
    announcement_seconds: int = 300
    auto_highlights: bool = True
    pin_minutes: int = 30
    ambassador_of_the_week: bool = False
    hours: tuple[str, ...] = ()
    outside_hours: str = "night"
    night_text: str = ""
    holding_text: str = ""
    burn_in_shift: bool = True
    slides: tuple[Slide, ...] = ()
    stats_period: str = "all"  # what /screen/stats counts without ?period=: today, week, all
    timezone: str = "UTC"  # where "today" starts (IANA name; the config's default: the server's)


@dataclass(frozen=True)
class ModeratorAccount:
    """One named moderator: a name and the variable holding their password hash."""

    name: str
    password_hash_env: str


@dataclass(frozen=True)
class ModeratorsSection:
    """How moderators log in: named accounts, or one shared password."""

    password_env: str = "SOCIALWALL_MODERATOR_PASSWORD"
    accounts: tuple[ModeratorAccount, ...] = ()
    idle_minutes: int = 60  # a session unused this long ends
    session_hours: int = 12  # a session ends this long after login, used or not
    login_attempts: int = 5  # wrong logins per account and per address ...
    login_window_minutes: int = 15  # ... within this window before a wait
    control_token_env: str = ""


@dataclass(frozen=True)
class SourceConfig:
    """One [[sources]] table: its type, a unique name, typed options."""

    type: str
    name: str
    enabled: bool
    options: Any


@dataclass(frozen=True)
class WallConfig:
    """A whole, validated wall configuration."""

    wall: WallSection = field(default_factory=WallSection)
    server: ServerSection = field(default_factory=ServerSection)
    screens: ScreensSection = field(default_factory=ScreensSection)
    moderation: ModerationSection = field(default_factory=ModerationSection)
    moderators: ModeratorsSection = field(default_factory=ModeratorsSection)
    sources: tuple[SourceConfig, ...] = ()
    path: Path | None = None
    media: MediaSection = field(default_factory=MediaSection)
    branding: BrandingSection = field(default_factory=BrandingSection)
    ambassadors: AmbassadorsSection = field(default_factory=AmbassadorsSection)

    @property
    def database_url(self) -> str:
        """Return the SQLAlchemy URL, defaulting to a SQLite file in the instance dir."""
        if self.server.database:
            return self.server.database
        return f"sqlite:///{(self.server.instance_dir / 'socialwall.db').resolve()}"


def _wall(r: Reader) -> WallSection:
    from wall.schedule import read_schedule

    listening = read_listening(r)
    starts_at, ends_at = read_schedule(r)
    section = WallSection(
        title=r.string("title", "socialwall", allow_empty=False),
        hashtags=listening.hashtags,
        keywords=listening.keywords,
        mentions=listening.mentions,
        exclude_keywords=listening.exclude_keywords,
        language=r.string("language", "en", choices=LANGUAGES),
        call_to_action_url=r.string("call_to_action_url", ""),
        starts_at=starts_at,
        ends_at=ends_at,
        retention_days=r.integer("retention_days", 0, low=0, high=3650),
    )
    r.finish()
    return section


def _server(r: Reader, base: Path) -> ServerSection:
    instance = Path(r.string("instance_dir", "instance", allow_empty=False))
    if not instance.is_absolute():
        instance = base / instance
    section = ServerSection(
        host=r.string("host", "127.0.0.1", allow_empty=False),
        port=r.integer("port", 5000, low=0, high=65535),
        async_mode=r.string("async_mode", "gevent", choices=ASYNC_MODES),
        database=r.string("database", ""),
        instance_dir=instance,
        message_queue=r.optional_string("message_queue") or None,
        channel=r.string("channel", "socialwall", allow_empty=False),
        log_format=r.string("log_format", "text", choices=LOG_FORMATS),
        access_log=r.boolean("access_log", False),
        proxies=r.integer("proxies", 0, low=0, high=5),
        compression=r.boolean("compression", False),
        socket_connections_per_address=r.integer("socket_connections_per_address", 200,
                                                 low=0, high=1_000_000),
        socket_connects_per_minute=r.integer("socket_connects_per_minute", 600,
                                             low=0, high=1_000_000),
    )
    if section.message_queue and not section.message_queue.startswith(("redis://", "rediss://")):
        r.problem("message_queue", 'must be a Redis URL such as "redis://127.0.0.1:6379/0"')
    if section.message_queue and find_spec("redis") is None:
        r.problem("message_queue", 'needs the Redis client: pip install "socialwall[scale]"')
    if section.database.startswith("postgresql") and find_spec("psycopg") is None:
        r.problem("database", 'needs the PostgreSQL driver: pip install "socialwall[scale]"')
    if section.database and "://" not in section.database:
        r.problem("database", 'must be a SQLAlchemy URL such as "sqlite:///wall.db" '
                  'or "postgresql+psycopg://user@host/db"')
    r.finish()
    return section


def _screens(r: Reader) -> ScreensSection:
    section = ScreensSection(
        max_cards=r.integer("max_cards", 24, low=4, high=200),
        highlight_seconds=r.integer("highlight_seconds", 10, low=3, high=600),
        recycle_seconds=r.integer("recycle_seconds", 20, low=0, high=3600),
        stale_seconds=r.integer("stale_seconds", 60, low=10, high=3600),
        announcement_seconds=r.integer("announcement_seconds", 300, low=5, high=86400),
        auto_highlights=r.boolean("auto_highlights", True),
        pin_minutes=r.integer("pin_minutes", 30, low=0, high=10080),
        ambassador_of_the_week=r.boolean("ambassador_of_the_week", False),
        hours=read_hours(r),
        outside_hours=r.string("outside_hours", "night", choices=OUTSIDE_HOURS),
        night_text=r.string("night_text", "")[:200],
        holding_text=r.string("holding_text", "")[:200],
        burn_in_shift=r.boolean("burn_in_shift", True),
        slides=read_slides(r.tables("slides")),
        stats_period=r.string("stats_period", "all", choices=("today", "week", "all")),
        timezone=read_timezone(r),
    )
    r.finish()
    return section


def _moderators(r: Reader) -> ModeratorsSection:
    section = ModeratorsSection(
        password_env=r.string("password_env", "SOCIALWALL_MODERATOR_PASSWORD",
                              allow_empty=False),
        accounts=_accounts(r.tables("accounts")),
        idle_minutes=r.integer("idle_minutes", 60, low=1, high=7 * 24 * 60),
        session_hours=r.integer("session_hours", 12, low=1, high=24 * 30),
        login_attempts=r.integer("login_attempts", 5, low=1, high=1000),
        login_window_minutes=r.integer("login_window_minutes", 15, low=1, high=24 * 60),
        control_token_env=r.string("control_token_env", ""),
    )
    r.finish()
    return section


def _accounts(readers: list[Reader]) -> tuple[ModeratorAccount, ...]:
    out: list[ModeratorAccount] = []
    for r in readers:
        account = ModeratorAccount(
            name=r.string("name", "", required=True, allow_empty=False).strip()[:60],
            password_hash_env=r.string("password_hash_env", "", required=True,
                                       allow_empty=False))
        if account.name and any(a.name.casefold() == account.name.casefold() for a in out):
            r.problem("name", f'"{account.name}" is used by another account')
        r.finish()
        out.append(account)
    return tuple(out)


def _sources(readers: list[Reader]) -> tuple[SourceConfig, ...]:
    from wall.sources import SOURCE_TYPES, parse_options

    out: list[SourceConfig] = []
    names: set[str] = set()
    for r in readers:
        kind = r.string("type", "", choices=sorted(SOURCE_TYPES), required=True)
        name = r.string("name", kind, allow_empty=False)
        enabled = r.boolean("enabled", True)
        if name in names:
            r.problem("name", f'"{name}" is used by another source; give each source a unique name')
        names.add(name)
        if not kind:
            r.rest()
            continue
        options = parse_options(kind, r)
        r.finish()
        out.append(SourceConfig(type=kind, name=name, enabled=enabled, options=options))
    return tuple(out)


def parse_config(data: dict[str, Any], *, source: str = "config",
                 base: Path | None = None) -> WallConfig:
    """Validate a parsed TOML document; raise ConfigError listing every problem."""
    problems: list[str] = []
    root = Reader(data, "", problems)
    base = base or Path.cwd()
    config = WallConfig(
        wall=_wall(root.table("wall")),
        server=_server(root.table("server"), base),
        screens=_screens(root.table("screens")),
        moderation=parse_moderation(root.table("moderation")),
        moderators=_moderators(root.table("moderators")),
        sources=_sources(root.tables("sources")),
        media=read_media(root.table("media")),
        branding=parse_branding(root.table("branding"), base),
        ambassadors=parse_ambassadors(root.table("ambassadors"), base),
    )
    root.finish()
    if problems:
        raise ConfigError(source, problems)
    return config


def _env_value(key: str, value: str) -> object:
    """Convert a variable's text to the key's TOML type; a bad value is left for the check."""
    if key in ("port", "proxies", "socket_connections_per_address",
               "socket_connects_per_minute") and value.strip().isdigit():
        return int(value)
    if key in ("access_log", "compression") and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    return value


def _name_env(problem: str) -> str:
    """Say which variable set a bad [server] value: the file may not even have the key."""
    for key, name in SERVER_ENV.items():
        if problem.startswith(f"server.{key}:") and os.environ.get(name):
            return f"{problem} (set by the environment variable {name})"
    return problem


def apply_env(data: dict[str, Any], env: Mapping[str, str]) -> dict[str, Any]:
    """Return the document with [server] keys replaced by their SOCIALWALL_* variables."""
    server = data.get("server", {})
    if not isinstance(server, dict):
        return data  # a [server] that is not a table: parse_config reports it
    server = dict(server)
    for key, name in SERVER_ENV.items():
        value = env.get(name)
        if value is None or value == "":
            continue
        server[key] = _env_value(key, value)
    return {**data, "server": server}


def config_base(path: Path) -> Path:
    """Return the folder relative paths in a config start from: the config's own folder,
    except for the configs shipped in the package, whose instance/ goes in the current one
    (inside an installed package it would land in site-packages)."""
    from wall.resources import shared

    folder = path.resolve().parent
    return Path.cwd() if folder == shared("config").resolve() else folder


def load_config(path: str | Path) -> WallConfig:
    """Read and validate a TOML file; relative paths in it are relative to its folder."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), ["file not found; pass --config with the path "
                                      "of a TOML file, e.g. config/demo.toml"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(path), [f"cannot be read: {exc}"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        from wall.configsyntax import explain

        raise ConfigError(str(path), [explain(exc, text)]) from None
    data = apply_env(data, os.environ)
    try:
        config = parse_config(data, source=str(path), base=config_base(path))
    except ConfigError as exc:
        raise ConfigError(exc.source, [_name_env(p) for p in exc.problems]) from None
    return WallConfig(**{**config.__dict__, "path": path.resolve()})
