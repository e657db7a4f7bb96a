"""The WSGI servers: no Nagle delay on kept-alive connections, WebSocket compression by config."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, WallServer, write_config

# A tiny WSGI app served by wall.server.serve in a child process (gevent and eventlet
# must monkey-patch before anything else): it answers with TCP_NODELAY as read on the
# very socket the server accepted for this request.
PROBE = textwrap.dedent("""
    import json, socket, sys
    from wall.server import patch_for, serve
    mode = sys.argv[1]
    patch_for(mode)

    def accepted_socket(environ):
        if "werkzeug.socket" in environ:
            return environ["werkzeug.socket"]
        if "eventlet.input" in environ:
            return environ["eventlet.input"].get_socket()
        stream = environ["wsgi.input"]
        stream = getattr(stream, "rfile", stream)
        return stream.raw._sock

    def app(environ, start_response):
        sock = accepted_socket(environ)
        value = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        body = json.dumps({"nodelay": bool(value)}).encode()
        start_response("200 OK", [("Content-Type", "application/json"),
                                  ("Content-Length", str(len(body)))])
        return [body]

    serve(app, "127.0.0.1", 0, mode, lambda port: print("PORT", port, flush=True))
""")


@pytest.mark.parametrize("mode", ["gevent", "eventlet", "threading"])
def test_every_accepted_connection_sends_without_nagle_delay(mode: str) -> None:
    proc = subprocess.Popen([sys.executable, "-c", PROBE, mode], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert proc.stdout is not None
        line = ""
        for line in proc.stdout:
            if line.startswith("PORT "):
                break
        assert line.startswith("PORT "), f"server did not start: {line}"
        url = f"http://127.0.0.1:{int(line.split()[1])}/"
        with requests.Session() as http:  # kept alive: the same accepted socket twice
            answers = [http.get(url, timeout=10).json() for _ in range(2)]
        assert answers == [{"nodelay": True}, {"nodelay": True}]
    finally:
        proc.terminate()
        proc.wait(10)
        if proc.stdout:
            proc.stdout.close()


def _websocket_extensions(port: int) -> str:
    """Open a raw WebSocket handshake offering permessage-deflate; return what was accepted."""
    request = (f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
               f"Host: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
               "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = sock.recv(4096)
            if not chunk:
                break
            head += chunk
    lines = head.split(b"\r\n\r\n")[0].decode("latin-1").split("\r\n")
    assert " 101 " in lines[0], lines[0]
    return ", ".join(line.split(":", 1)[1].strip() for line in lines[1:]
                     if line.lower().startswith("sec-websocket-extensions:"))


@pytest.mark.parametrize("setting,expected", [("false", ""), ("true", "permessage-deflate")])
def test_websocket_compression_follows_the_config(tmp_path: Path, setting: str,
                                                  expected: str) -> None:
    path = write_config(tmp_path)
    path.write_text(path.read_text().replace("[server]\n", f"[server]\ncompression = {setting}\n"))
    server = WallServer(path)
    server.start()
    try:
        assert _websocket_extensions(server.port).startswith(expected)
        if not expected:
            assert _websocket_extensions(server.port) == ""
    finally:
        server.stop()


def test_compression_is_read_from_the_config(tmp_path: Path) -> None:
    from wall.config import load_config

    path = write_config(tmp_path)
    assert load_config(path).server.compression is False
    path.write_text(path.read_text().replace("[server]\n", "[server]\ncompression = true\n"))
    assert load_config(path).server.compression is True
