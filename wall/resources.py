"""Files shipped inside the package: templates, static files, the demo and example configs."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DEMO_CONFIG = "config/demo.toml"
EXAMPLE_CONFIG = "config/example.toml"


def shared(name: str = "") -> Path:
    """Return a path under the package's share/ folder (static/, templates/, config/)."""
    # share/ holds symlinks to the top-level folders in a checkout (so `pip install -e` sees
    # edits at once) and real folders in a wheel; importlib.resources finds both.
    resource = files("wall").joinpath("share", *[p for p in name.split("/") if p])
    if not isinstance(resource, Path):  # a zip import: Flask needs real folders
        raise RuntimeError("socialwall must be installed as files, not imported from a zip")
    return resource


def demo_config() -> Path:
    """Return the path of the embedded demo config."""
    return shared(DEMO_CONFIG)


def example_config() -> str:
    """Return the commented example config, every key documented."""
    return shared(EXAMPLE_CONFIG).read_text(encoding="utf-8")
