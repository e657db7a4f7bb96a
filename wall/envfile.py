"""Read a wall's env file (SLUG.env beside SLUG.toml) into the environment."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dotenv import dotenv_values

log = logging.getLogger(__name__)


def env_path_for(config_path: Path) -> Path:
    """Return where a config's env file lives: same folder, same name, .env suffix."""
    return config_path.with_suffix(".env")


def load_env(path: Path) -> list[str]:
    """Set the variables of an env file that the environment does not set; return their names."""


    if not path.is_file():
        return []
    loaded = []
    for name, value in dotenv_values(path).items():
        if value is not None and not os.environ.get(name):
            os.environ[name] = value
            loaded.append(name)
    log.debug("loaded %s from %s", ", ".join(loaded) or "nothing", path)
    return loaded


def load_env_beside(config_path: Path) -> list[str]:
    """Load the env file beside a config, if there is one."""
    return load_env(env_path_for(config_path))
