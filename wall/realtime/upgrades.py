"""A WebSocket upgrade abandoned half-way leaves the connection on long-polling, working.

python-engineio (4.15) marks a long-polling connection as "upgrading" when a client opens
the WebSocket of an upgrade, and from then on answers every poll with a NOOP, holding
the events back for the WebSocket. When that WebSocket closes before the upgrade ends
(the client gave up waiting for the probe's answer on a loaded machine, a proxy cut it),
the handler raises out of its wait and the mark stays: the connection is alive, its
polls come back at once with nothing, and no event or acknowledgement reaches it again
(a socket.io-client screen stays blank until its ping timeout; a Python client waits
forever). tests/test_transport_upgrade.py reproduces it on a real server.

The fix clears the mark when the upgrade's handler raises before the upgrade is done,
and answers as the handler itself does on the failures it expects. It wraps one private
method, Socket._websocket_handler: a python-engineio that renames it fails at import
here, loudly; one that fixes the bug makes this wrapper a no-op.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from engineio import socket as engineio_socket

log = logging.getLogger(__name__)
_MARK = "_socialwall_recovers_upgrades"


Handler = Callable[[Any, Any], Any]


def wrap_websocket_handler(mark: str, wrap: Callable[[Handler], Handler]) -> None:
    """Replace engineio's Socket._websocket_handler by wrap(original), once per mark."""
    cls: Any = engineio_socket.Socket
    if getattr(cls, mark, False):
        return
    original = cls._websocket_handler
    cls._websocket_handler = functools.wraps(original)(wrap(original))
    setattr(cls, mark, True)


def recover_abandoned_upgrades() -> None:
    """Patch engineio's Socket once so that an abandoned upgrade returns to long-polling."""

    def wrap(original: Handler) -> Handler:
        def handler(self: Any, ws: Any) -> Any:
            try:
                return original(self, ws)
            except Exception as exc:
                if not (self.upgrading and not self.upgraded):
                    raise  # not during an upgrade: engineio's own handling, as before
                # Answered like the upgrade failures engineio expects: no traceback, the
                # connection carries on with long-polling.
                log.info("%s: WebSocket upgrade abandoned (%s); staying on long-polling",
                         self.sid, type(exc).__name__)
                self.upgrading = False
                return []

        return handler

    wrap_websocket_handler(_MARK, wrap)
