"""Several walls in one server: every SLUG.toml of a folder served under /w/SLUG/.

One process holds one Flask app per wall, mounted under /w/<slug> by werkzeug's
DispatcherMiddleware (which sets SCRIPT_NAME, so url_for builds /w/<slug>/ links),
and one Socket.IO server whose handlers for the namespaces "/w/<slug>" and
"/w/<slug>/moderator" run inside that wall's app (wall.realtime.sockets.in_app).
Each wall keeps its own config, store, rules, moderators, media and session cookie.
The folder is polled every few seconds: a new file starts its wall, a removed file
stops it, a broken file is logged and listed on the index page with its error.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from wall.config import ConfigError, WallConfig, load_config

log = logging.getLogger(__name__)

POLL_SECONDS = 2.0
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MOUNT = "/w/"


class WallError(Exception):
    """A wall file that cannot be served; says why in words a person can act on."""


@dataclass
class Entry:
    """One file of the folder: its wall when running, or why it is not."""

    slug: str
    path: Path
    stamp: tuple[int, int] | None
    app: Flask | None = None
    error: str = ""

    @property
    def prefix(self) -> str:
        """Return the path and Socket.IO namespace prefix of this wall."""
        return MOUNT + self.slug

    @property
    def state(self) -> str:
        """Return "running", "starting" (its models may take seconds) or "broken"."""
        if self.app is not None:
            return "running"
        return "broken" if self.error else "starting"

    @property
    def title(self) -> str:
        """Return the wall's title, or its file name while it is broken."""
        if self.app is None:
            return self.path.name
        return str(self.app.extensions["socialwall"].config.wall.title)


def _stamp(path: Path) -> tuple[int, int] | None:
    """Return a file's modification time and size, or None when it is gone."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def check_slug(stem: str) -> str:
    """Return the slug of a file stem, or raise WallError saying how to rename it."""
    if not SLUG.fullmatch(stem):
        raise WallError(f'"{stem}" cannot be part of an address: name the file with '
                        "lowercase letters, digits and dashes, e.g. devcon-lyon.toml")
    return stem


def _disconnect(namespaces: tuple[str, ...]) -> None:
    """Disconnect every socket of this process from those namespaces."""
    from wall.realtime.broadcast import socketio

    for namespace in namespaces:
        for sid, _eio in list(socketio.server.manager.get_participants(namespace, None)):
            socketio.server.disconnect(sid, namespace=namespace)


class Walls:
    """The walls of one folder, mounted in one WSGI app, added and removed while running."""

    def __init__(self, folder: Path, sources: bool = True) -> None:
        self.folder = folder
        self.sources = sources
        self.entries: dict[str, Entry] = {}
        self.mounts: dict[str, Any] = {}  # DispatcherMiddleware reads it on each request
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        # Told about each wall started or refused after the first scan (the banner's lines).
        self.announce: Callable[[Entry], Any] = lambda entry: None

    def wsgi(self, fallback: Any) -> DispatcherMiddleware:
        """Wrap the index app: /w/<slug>/... goes to that wall's app."""
        dispatcher = DispatcherMiddleware(fallback)
        dispatcher.mounts = self.mounts  # the same dict, changed as walls come and go
        return dispatcher

    def scan(self) -> None:
        """Start the walls of new (or mended) files, stop those of removed files."""
        found = {p.stem: p for p in sorted(self.folder.glob("*.toml")) if p.is_file()}
        for stem in [s for s in self.entries if s not in found]:
            self.stop(stem)
        for stem, path in found.items():
            stamp = _stamp(path)
            entry = self.entries.get(stem)
            if entry is not None and (entry.app is not None or entry.stamp == stamp):
                continue  # running (its rules reload themselves), or broken and untouched
            self.start(stem, path, stamp)

    def start(self, stem: str, path: Path, stamp: tuple[int, int] | None) -> None:
        """Load, check, create and start one wall; a failure is recorded, never raised."""
        entry = Entry(slug=stem, path=path, stamp=stamp)
        self.entries[stem] = entry
        try:
            check_slug(stem)
            app = self._create(path, entry.prefix)
            from wall.runtime import get_wall
            from wall.schedule import has_ended

            wall = get_wall(app)
            wall.start(sources=self.sources and not has_ended(wall.config))
            entry.app = app
        except (ConfigError, WallError) as exc:
            # The index is public: the file's name says which one, not where the folder is.
            entry.error = str(exc).replace(str(path), path.name)
        except Exception as exc:  # e.g. a database that cannot be opened: said, not raised
            log.debug("wall %s failed to start", stem, exc_info=True)
            entry.error = f"cannot start: {exc}"
        self.announce(entry)
        if entry.app is None:
            log.error("wall %s is NOT served (the others keep running): %s", path.name,
                      entry.error)
            return
        self.mounts[entry.prefix] = entry.app
        log.info('wall "%s" started at %s/', entry.title, entry.prefix)

    def _create(self, path: Path, prefix: str) -> Flask:
        """Read a wall's config and env file and build its app (not started)."""
        from wall import create_app
        from wall.envfile import load_env_beside
        from wall.preflight import nobody_can_moderate

        config = load_config(path)
        load_env_beside(path)
        self._refuse_shared(config)
        refusal = nobody_can_moderate(config)
        if refusal:
            raise WallError(refusal)
        return create_app(config, prefix=prefix)

    def _refuse_shared(self, config: WallConfig) -> None:
        """Raise WallError if this wall would share its data with a running one."""
        if config.server.message_queue:
            raise WallError("[server] message_queue is for one wall run by several "
                            "processes; with --walls remove it, or run this wall on its own")
        for other in self.entries.values():
            if other.app is None:
                continue
            theirs: WallConfig = other.app.extensions["socialwall"].config
            if theirs.database_url == config.database_url:
                raise WallError(f'it would share the database of wall "{other.slug}" '
                                f"({config.database_url}): give each wall its own [server] "
                                'instance_dir (e.g. instance_dir = "my-wall-data") or database')

    def stop(self, stem: str) -> None:
        """Unmount a wall, close its sockets, stop its tasks and close its store."""
        entry = self.entries.pop(stem, None)
        if entry is None or entry.app is None:
            return
        from wall.lifecycle import shutdown
        from wall.realtime.broadcast import moderators_ns, screens_ns, socketio

        self.mounts.pop(entry.prefix, None)
        namespaces = (screens_ns(entry.prefix), moderators_ns(entry.prefix))
        _disconnect(namespaces)  # with the handlers still there: they forget each socket
        for namespace in namespaces:
            socketio.server.handlers.pop(namespace, None)  # new connections are refused
        _disconnect(namespaces)  # any socket that joined meanwhile
        shutdown(entry.app)
        log.info("wall %s stopped: its file is gone", entry.slug)

    def watch(self) -> None:
        """Scan the folder every few seconds until stopped."""
        from wall.realtime.broadcast import socketio

        while not self.stopping.is_set():
            socketio.sleep(POLL_SECONDS)
            try:
                with self.lock:
                    self.scan()
            except Exception:  # one bad scan must not end hot-adding for good
                log.exception("could not scan %s; trying again", self.folder)

    def close(self) -> None:
        """Stop watching and stop every wall."""
        self.stopping.set()
        with self.lock:
            for stem in list(self.entries):
                self.stop(stem)

    def listing(self) -> list[Entry]:
        """Return the entries by slug, for the index page."""
        return [entry for _slug, entry in sorted(self.entries.items())]
