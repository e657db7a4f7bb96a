"""deploy/nginx.conf in front of two server processes on PostgreSQL and Redis, for real."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio

from tests.conftest import TOKEN, WallServer, receive_event, write_config
from tests.pg import fresh_database
from tests.standins import wait_for

pytestmark = pytest.mark.slow
NGINX_CONF = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
REDIS = "redis://127.0.0.1:6379/0"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, f"deploy/nginx.conf no longer has {old!r}; update this test"
    return text.replace(old, new)


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    with fresh_database("socialwall_nginx") as url:
        yield url


@pytest.fixture
def servers(tmp_path: Path, pg_url: str) -> Iterator[tuple[WallServer, WallServer]]:
    """Two `socialwall run --no-sources` processes sharing PostgreSQL and Redis."""
    path = write_config(tmp_path, mode="post")
    path.write_text(path.read_text("utf-8").replace(
        "[server]\n", f'[server]\ndatabase = "{pg_url}"\nmessage_queue = "{REDIS}"\n'
        f'channel = "nginx-{uuid.uuid4().hex[:8]}"\nproxies = 1\n', 1), encoding="utf-8")
    a, b = WallServer(path, args=("--no-sources",)), WallServer(path, args=("--no-sources",))
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        b.stop()
        a.stop()


@pytest.fixture
def nginx(tmp_path: Path,
          servers: tuple[WallServer, WallServer]) -> Iterator[tuple[str, Path, str]]:
    """nginx with deploy/nginx.conf, ports, certificate and paths made local: (https, CA, http)."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        _unavailable("nginx is not installed (apt-get install nginx-light)")
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    http_port, https_port = _free_port(), _free_port()
    site = NGINX_CONF.read_text("utf-8")
    for old, new in (("127.0.0.1:8001", f"127.0.0.1:{servers[0].port}"),
                     ("127.0.0.1:8002", f"127.0.0.1:{servers[1].port}"),
                     ("listen 80;", f"listen 127.0.0.1:{http_port};"),
                     ("listen [::]:80;", ""), ("listen [::]:443 ssl http2;", ""),
                     ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
                     ("/etc/letsencrypt/live/wall.example.com/fullchain.pem", str(cert)),
                     ("/etc/letsencrypt/live/wall.example.com/privkey.pem", str(key))):
        site = _replace(site, old, new)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(f"  {kind}_temp_path {tmp_path}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "main.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\nevents {{}}\n"
        f"http {{\n  log_format upstream '$request $status upstream $upstream_addr "
        f"$upstream_status $request_time';\n  access_log {tmp_path}/access.log upstream;\n"
        f"{temp}\n"
        f"  include {tmp_path}/site.conf;\n}}\n", encoding="utf-8")
    command = [binary, "-p", str(tmp_path), "-c", str(tmp_path / "main.conf"), "-e",
               str(tmp_path / "error.log"), "-g", "daemon off;"]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    proc = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    url = f"https://127.0.0.1:{https_port}"
    try:
        wait_for(lambda: _listening(https_port), what="nginx")
        yield url, cert, f"http://127.0.0.1:{http_port}"
    finally:
        proc.terminate()
        proc.wait(10)


def _listening(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


def _screen(url: str, cert: Path, transports: list[str] | None) -> Any:
    http = requests.Session()
    http.verify = str(cert)
    http.trust_env = False  # REQUESTS_CA_BUNDLE in the environment would override verify
    client = socketio.SimpleClient(http_session=http)
    client.connect(url, transports=transports)
    try:
        client.call("join_screen", {"screen": "feed", "name": "lobby"}, timeout=10)
    except socketio.exceptions.TimeoutError:
        logs = "".join(f"--- nginx {name}:\n{(cert.parent / name).read_text('utf-8')}"
                       for name in ("error.log", "access.log"))
        raise AssertionError(f"no answer to join_screen through nginx ({transports}, "
                             f"transport {client.client.transport()})\n{logs}") from None
    return client


def _next_added(client: Any) -> dict[str, Any]:
    while True:
        name, payload = receive_event(client, timeout=15)
        if name == "post_added":
            return dict(payload)


def test_screens_through_nginx_get_posts_from_either_server(
        nginx: tuple[str, Path, str], servers: tuple[WallServer, WallServer]) -> None:
    url, cert, plain = nginx
    redirect = requests.get(f"{plain}/screen/feed", allow_redirects=False, timeout=10)
    assert redirect.status_code == 301
    assert redirect.headers["Location"].startswith("https://127.0.0.1")
    page = requests.get(f"{url}/screen/feed", verify=str(cert), timeout=10)
    assert page.status_code == 200 and 'data-screen="feed"' in page.text
    # Long-polling first, then the WebSocket upgrade: both through nginx.
    polling = _screen(url, cert, None)
    websocket = _screen(url, cert, ["websocket"])
    assert websocket.client.transport() == "websocket"
    reply = requests.post(f"{url}/api/ingest", json={"author": "Camille", "text": "via nginx"},
                          headers={"Authorization": f"Bearer {TOKEN}"}, verify=str(cert),
                          timeout=10)
    assert reply.status_code == 202, reply.text
    for client in (polling, websocket):
        assert _next_added(client)["post"]["text"] == "via nginx"
    for server in servers:  # a post entering at either process reaches both screens
        server.push({"author": "Noa", "text": f"direct to {server.port}"})
        for client in (polling, websocket):
            assert _next_added(client)["post"]["text"] == f"direct to {server.port}"
    assert polling.client.transport() in ("polling", "websocket")
    polling.disconnect()
    websocket.disconnect()
