"""A broadcast is framed for the WebSocket once, not once per screen.

python-socketio encodes a broadcast once, but each screen's Engine.IO writer then hands
the text to simple-websocket (gevent and threading modes), which runs it through
wsproto: UTF-8 encoding, event dispatch and frame assembly, per screen. At 1,000 screens
that was about a tenth of the server's CPU while posts streamed, and it stretched the
time from a post's commit to the last screen (docs/benchmarks.md, stop 14).

Here the writer's socket wrapper sends a text message as a frame built once per
distinct message: RFC 6455's unmasked, unfragmented text frame, which is all a server
sends when no extension is negotiated (the server strips permessage-deflate from every
handshake: wall.server.without_websocket_compression). When anything is unusual (an
extension, a closing connection, bytes, a library that changed its attributes) the
message goes through simple-websocket as before.

It wraps one private method, engineio's Socket._websocket_handler (as
wall.realtime.upgrades does): a python-engineio that renames it fails at import, loudly.
Hand-written: neither simple-websocket nor wsproto can reuse a frame across connections.
"""

from __future__ import annotations

import functools
import struct
from typing import Any

from wall.realtime.upgrades import Handler, wrap_websocket_handler

_MARK = "_socialwall_frames_once"
MEMO_FROM = 64  # characters: shorter messages (pings, acks) are framed on the spot
_FIN_TEXT = 0x81  # FIN bit set, opcode 1 (text)


def text_frame(text: str) -> bytes:
    """Return a server-to-client WebSocket text frame (RFC 6455 section 5.2)."""
    payload = text.encode("utf-8")
    size = len(payload)
    if size < 126:
        return bytes((_FIN_TEXT, size)) + payload
    if size < 1 << 16:
        return struct.pack("!BBH", _FIN_TEXT, 126, size) + payload
    return struct.pack("!BBQ", _FIN_TEXT, 127, size) + payload


# The screens of a broadcast are written one after the other, so the last few frames
# are all it needs; the key is the encoded packet's text (a new string per screen,
# equal across them).
_memo_frame = functools.lru_cache(maxsize=16)(text_frame)


def _extensions(simple_ws: Any) -> Any:
    """Return the extensions wsproto negotiated, or None when they cannot be read."""
    connection = getattr(simple_ws.ws, "connection", None)
    proto = getattr(connection, "_proto", None)
    return getattr(proto, "extensions", None)


class FramedSocket:
    """engineio's WebSocket wrapper (SimpleWebSocketWSGI), sending frames built once."""

    def __init__(self, outer: Any) -> None:
        self._outer = outer
        self._inner = outer.ws  # simple_websocket.Server
        self._plain = _extensions(self._inner) == []

    def send(self, message: Any) -> Any:
        inner = self._inner
        if not (self._plain and isinstance(message, str) and inner.connected):
            return self._outer.send(message)
        frame = _memo_frame(message) if len(message) >= MEMO_FROM else text_frame(message)
        # One send is all a frame takes while the screen keeps up; the rest of a large
        # frame to a slow screen follows with sendall (gevent's sendall alone costs a
        # timeout and a getsockopt per call: 17 % of the server at 1,000 screens). An
        # OSError ends engineio's writer, as simple-websocket's own errors do.
        sent = inner.sock.send(frame)
        if sent < len(frame):
            inner.sock.sendall(memoryview(frame)[sent:])
        return None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._outer, name)


def send_frames_once() -> None:
    """Patch engineio's Socket once so that its WebSocket writer reuses frames."""

    def wrap(original: Handler) -> Handler:
        def handler(self: Any, ws: Any) -> Any:
            inner = getattr(ws, "ws", None)
            if inner is not None and hasattr(inner, "sock") and hasattr(inner, "connected"):
                ws = FramedSocket(ws)
            return original(self, ws)

        return handler

    wrap_websocket_handler(_MARK, wrap)
