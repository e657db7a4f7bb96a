"""Blocking or CPU-heavy work run in a real OS thread, so the event loop keeps serving."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def off_loop(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking work (feed parsing, SQLite checkpoints) in a real thread, if need be."""
    if "gevent" in sys.modules:
        from gevent import monkey

        if monkey.is_module_patched("socket"):
            import gevent

            return gevent.get_hub().threadpool.apply(func, args, kwargs)  # type: ignore[no-any-return]
    if "eventlet" in sys.modules:
        from eventlet import patcher, tpool

        if patcher.is_monkey_patched("socket"):
            return tpool.execute(func, *args, **kwargs)  # type: ignore[no-any-return]
    return func(*args, **kwargs)  # threading mode: the caller already runs in its own thread
