"""Load a wall's TOML config into typed, validated objects."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wall.branding import BrandingSection, parse_branding
from wall.configreader import Reader
from wall.media.settings import MediaSection, read_media
from wall.moderation.settings import MODERATION_MODES as MODERATION_MODES
from wall.moderation.settings import ModerationSection as ModerationSection
from wall.moderation.settings import parse_moderation

ASYNC_MODES = ("gevent", "eventlet", "threading")
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
    compression: bool = False


@dataclass(frozen=True)
class ScreensSection:
    """Settings shared by the lobby screens."""

    max_cards: int = 24
    highlight_seconds: int = 10
    recycle_seconds: int = 20
    stale_seconds: int = 60


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

    @property
    def database_url(self) -> str:
        """Return the SQLAlchemy URL, defaulting to a SQLite file in the instance dir."""
        if self.server.database:
            return self.server.database
        return f"sqlite:///{(self.server.instance_dir / 'socialwall.db').resolve()}"


def _wall(r: Reader) -> WallSection:
    tags = tuple(t.lstrip("#") for t in r.strings("hashtags"))
    section = WallSection(
        title=r.string("title", "socialwall", allow_empty=False),
        hashtags=tags,
        language=r.string("language", "en", choices=LANGUAGES),
        call_to_action_url=r.string("call_to_action_url", ""),
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
        compression=r.boolean("compression", False),
    )
    if section.message_queue and not section.message_queue.startswith(("redis://", "rediss://")):
        r.problem("message_queue", 'must be a Redis URL such as "redis://127.0.0.1:6379/0"')
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
    )
    r.finish()
    return section


def _moderators(r: Reader) -> ModeratorsSection:
    section = ModeratorsSection(
        password_env=r.string("password_env", "SOCIALWALL_MODERATOR_PASSWORD",
                              allow_empty=False),
        accounts=_accounts(r.tables("accounts")),
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
    )
    root.finish()
    if problems:
        raise ConfigError(source, problems)
    return config


def load_config(path: str | Path) -> WallConfig:
    """Read and validate a TOML file; relative paths in it are relative to the working dir."""
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
        raise ConfigError(str(path), [f"is not valid TOML: {exc}"]) from None
    config = parse_config(data, source=str(path), base=Path.cwd())
    return WallConfig(**{**config.__dict__, "path": path.resolve()})
