"""Reload the moderation rules when the config file changes, without a restart."""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from pathlib import Path
from typing import Protocol

from wall.config import ConfigError, WallConfig, load_config
from wall.moderation import RuleSet
from wall.realtime.broadcast import emit_rules_status

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0


class Wall(Protocol):
    """What reloading needs of the running wall (wall.runtime.Wall; no import, no cycle)."""

    config: WallConfig
    rules: RuleSet
    stopping: threading.Event
    prefix: str

    def sleep(self, seconds: float) -> None:
        """Sleep cooperatively."""


def _stamp(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_mtime_ns, info.st_size


def reload_rules(wall: Wall, path: Path) -> bool:
    """Read the file again; swap in its rules, or keep the previous ones and say why."""
    try:
        config = load_config(path)
        rules = RuleSet.from_config(config.moderation)
        rules.warm_up()
    except ConfigError as exc:
        log.error("rules NOT reloaded, the previous rules stay in force: %s", exc)
        emit_rules_status({"ok": False, "error": str(exc)}, wall.prefix)
        return False
    except OSError as exc:  # e.g. a profanity list missing from a broken install
        log.error("rules NOT reloaded, the previous rules stay in force: %s", exc)
        emit_rules_status({"ok": False, "error": str(exc)}, wall.prefix)
        return False
    wall.rules = replace(rules, enrolled=wall.rules.enrolled)  # enrolments live in the store
    log.warning("rules reloaded from %s (mode %s, %d rules)", path, config.moderation.mode,
                len(rules.rules))
    emit_rules_status({"ok": True, "mode": config.moderation.mode}, wall.prefix)
    return True


def watch_rules(wall: Wall) -> None:
    """Poll the config file's time and size; reload the rules after each change."""
    path = wall.config.path
    if path is None:
        return
    last = _stamp(path)
    while not wall.stopping.is_set():
        wall.sleep(POLL_SECONDS)
        now = _stamp(path)
        if now is not None and now != last:
            last = now
            reload_rules(wall, path)
