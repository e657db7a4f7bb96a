"""Where the media worker runs: background tasks, and CPU-bound work off the event loop."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

Offload = Callable[..., Any]


def offloader(async_mode: str) -> Offload:
    """Return a function running CPU-bound work off the event loop (a real OS thread)."""
    if async_mode == "gevent":
        from gevent import get_hub

        return lambda fn, *args: get_hub().threadpool.apply(fn, args)
    if async_mode == "eventlet":
        from eventlet import tpool

        return tpool.execute  # type: ignore[no-any-return]
    return lambda fn, *args: fn(*args)


def start_thread(target: Callable[[], None]) -> None:
    """Start a daemon thread: a greenlet once gevent or eventlet has patched threading."""
    threading.Thread(target=target, name="media-worker", daemon=True).start()
