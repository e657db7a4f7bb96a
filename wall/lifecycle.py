"""Stopping cleanly: SIGTERM (systemd, Docker, gunicorn) and SIGINT stop sources, flush, close."""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

SIGNALS = (signal.SIGTERM, signal.SIGINT)
SOURCES_GRACE = 5.0
BUSY = ("starting", "ok")  # a source that may be handing a post to the pipeline


def on_stop_signals(handler: Callable[[], None], async_mode: str) -> None:
    """Call handler() on SIGTERM or SIGINT, in a greenlet of its own under gevent."""
    for signum in SIGNALS:
        if async_mode == "gevent":
            import gevent

            # A plain signal handler would run inside gevent's hub, where blocking is forbidden.
            gevent.signal_handler(signum, handler)
        else:
            signal.signal(signum, lambda _signum, _frame: handler())


def interrupt_on_sigterm() -> None:
    """Make SIGTERM stop the process the way Ctrl+C does (KeyboardInterrupt)."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)


def interrupt_main_greenlet() -> None:
    """Under eventlet, make SIGTERM and SIGINT interrupt the server's greenlet, not any.

    Every greenlet runs in the main thread, so a plain KeyboardInterrupt is raised in
    whichever one runs when the signal comes: in the dispatcher's database read it was
    turned into another error by SQLAlchemy's cleanup, caught, and the server never
    stopped (a CI run's SIGTERM test waited 30 s). The interrupt is thrown into the
    greenlet that serves (the caller's), through eventlet's hub, as eventlet's own kill
    does.
    """
    import greenlet
    from eventlet import hubs

    main = greenlet.getcurrent()

    def interrupt(_signum: int, _frame: Any) -> None:
        if greenlet.getcurrent() is main:
            raise KeyboardInterrupt
        hubs.get_hub().schedule_call_global(0, main.throw, KeyboardInterrupt())

    for signum in SIGNALS:
        signal.signal(signum, interrupt)


def shutdown(app: Any, grace: float = SOURCES_GRACE) -> None:
    """Stop sources and background tasks, wait for them, then close the store."""
    from wall.realtime.broadcast import socketio
    from wall.runtime import get_wall

    if app.extensions.get("socialwall.closed"):
        return
    app.extensions["socialwall.closed"] = True
    wall = get_wall(app)
    wall.stop()
    deadline = time.monotonic() + grace
    # A source stops between two posts; the one it is committing finishes first.
    while any(r.health.state in BUSY for r in wall.runners) \
            and time.monotonic() < deadline:
        socketio.sleep(0.1)
    # The lead wires the engine's writer here at merge: flush its queue before closing.
    wall.store.close()
    log.info("stopped: sources ended, store closed")
