"""Open a wall's store from the command line, creating its folder and tables."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from wall.config import WallConfig
from wall.store import Store


@contextmanager
def opened(config: WallConfig) -> Iterator[Store]:
    """Yield the wall's store, ready to use; close it afterwards."""
    if not config.server.database:
        config.server.instance_dir.mkdir(parents=True, exist_ok=True)
    store = Store(config.database_url)
    try:
        store.create_all()
        yield store
    finally:
        store.close()
