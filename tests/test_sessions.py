"""Moderator sessions: server-side, revocable, timed out, rate-limited, CSRF-checked."""

from __future__ import annotations

import base64
import json
import re
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
import socketio
from sqlalchemy import update

from tests.conftest import PASSWORD, WallServer, write_config
from wall.config import load_config
from wall.store.schema import moderator_sessions

PENDING = "/api/posts?status=pending"


def make_app(tmp_path: Path, moderators: str = "") -> Any:
    """Build an in-process app whose [moderators] section gets extra keys."""
    from wall import create_app

    path = write_config(tmp_path, mode="pre", async_mode="threading")
    text = path.read_text().replace('password_env = "TEST_WALL_PASSWORD"',
                                    'password_env = "TEST_WALL_PASSWORD"\n' + moderators)
    path.write_text(text)
    return create_app(load_config(path), {"TESTING": True})


@pytest.fixture
def app(tmp_path: Path) -> Any:
    application = make_app(tmp_path)
    yield application
    application.extensions["socialwall"].store.close()


def log_in(client: Any, password: str = PASSWORD, name: str = "Mo") -> Any:
    """Post the login form as a browser would: its page first, then the form and token."""
    page = client.get("/moderate")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "the login form carries no CSRF token"
    return client.post("/moderate/login", headers={"Origin": "http://localhost"},
                       data={"name": name, "password": password,
                             "csrf_token": token.group(1)})


def csrf_of(client: Any) -> str:
    """Read the moderator page's CSRF token."""
    match = re.search(r'data-csrf="([^"]+)"', client.get("/moderate").text)
    assert match
    return match.group(1)


def cookie_payload(value: str) -> bytes:
    """Return what a Flask session cookie holds, without its timestamp and signature.

    The whole cookie is no good to search for the name: its random signature held "Mo"
    once in CI.
    """
    compressed = value.startswith(".")
    data = base64.urlsafe_b64decode(value.lstrip(".").split(".")[0] + "==")
    return zlib.decompress(data) if compressed else data


def test_the_cookie_holds_only_a_random_id_and_logout_ends_the_session(app: Any) -> None:
    client = app.test_client()
    assert log_in(client).status_code == 302
    cookie = client.get_cookie("session")
    assert cookie is not None
    session = json.loads(cookie_payload(cookie.value))  # the random id and the form token
    assert set(session) <= {"_permanent", "csrf", "sid"} and "Mo" not in session.values()
    assert client.get(PENDING).status_code == 200
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)  # the cookie copied before logout
    assert thief.get(PENDING).status_code == 200
    client.post("/moderate/logout", data={"csrf_token": csrf_of(client)})
    assert thief.get(PENDING).status_code == 401
    assert "login__form" in thief.get("/moderate").text


def test_end_all_sessions_logs_out_every_device(app: Any) -> None:
    tablet, phone = app.test_client(), app.test_client()
    log_in(tablet)
    log_in(phone)
    reply = phone.post("/moderate/sessions/end-all", data={"csrf_token": csrf_of(phone)})
    assert reply.status_code == 302
    assert tablet.get(PENDING).status_code == 401
    assert phone.get(PENDING).status_code == 401


def test_end_all_needs_the_csrf_token(app: Any) -> None:
    client = app.test_client()
    log_in(client)
    assert client.post("/moderate/sessions/end-all", data={}).status_code == 403
    assert client.get(PENDING).status_code == 200


def test_a_password_change_ends_sessions_opened_with_the_old_one(app: Any) -> None:
    client = app.test_client()
    log_in(client)
    app.config["MODERATOR_PASSWORD"] = "a brand new password"  # as a restart with a new one
    assert client.get(PENDING).status_code == 401


@pytest.mark.parametrize(("column", "age"), [("seen_at", timedelta(minutes=61)),
                                             ("created_at", timedelta(hours=13))])
def test_idle_and_old_sessions_end(app: Any, column: str, age: timedelta) -> None:
    client = app.test_client()
    log_in(client)
    store = app.extensions["socialwall"].store
    with store.engine.begin() as conn:  # travel in time: the session was opened/used earlier
        rows = conn.execute(moderator_sessions.select()).all()
        [row] = rows
        conn.execute(update(moderator_sessions).values({column: getattr(row, column) - age}))
    assert client.get(PENDING).status_code == 401


def test_a_browser_login_without_the_form_token_is_refused(app: Any) -> None:
    client = app.test_client()
    reply = client.post("/moderate/login", headers={"Origin": "http://evil.example"},
                        data={"password": PASSWORD})
    assert reply.status_code == 400 and "expired" in reply.text
    assert client.get(PENDING).status_code == 401


def test_wrong_passwords_are_limited_per_address_with_a_readable_wait(tmp_path: Path) -> None:
    app = make_app(tmp_path, "login_attempts = 3\nlogin_window_minutes = 10\n")
    client = app.test_client()
    for i in range(3):
        assert log_in(client, "wrong", name=f"guess{i}").status_code == 401
    refused = log_in(client, PASSWORD, name="guess9")  # the right one no longer works at once
    assert refused.status_code == 429
    assert "Try again in 10 minutes" in refused.text
    assert 0 < int(refused.headers["Retry-After"]) <= 600
    assert client.get(PENDING).status_code == 401


def test_flask_limiter_checks_only_the_login_before_a_request(app: Any) -> None:
    """Guard: wall.web.moderator replaces Flask-Limiter's check by name (a speed matter).

    If a Flask-Limiter release renames it, this fails instead of every request quietly
    paying for the check again; the login tests around it show the limits still apply.
    """
    hooks = app.before_request_funcs[None]
    assert [h.__name__ for h in hooks if h.__name__ == "login_only"] == ["login_only"]
    assert not any(getattr(h, "__name__", "") == "_check_request_limit" for h in hooks)


def test_wrong_passwords_are_limited_per_account_across_addresses(tmp_path: Path) -> None:
    app = make_app(tmp_path, "login_attempts = 2\n")
    for i in range(2):
        other = app.test_client()
        other.environ_base["REMOTE_ADDR"] = f"10.0.0.{i}"
        assert log_in(other, "wrong", name="Alice").status_code == 401
    last = app.test_client()
    last.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert log_in(last, PASSWORD, name="Alice").status_code == 429
    assert log_in(last, PASSWORD, name="Bob").status_code == 302


def moderator_socket(server: WallServer, http: requests.Session) -> Any:
    """Connect a moderator socket with the HTTP session's cookie and join the room."""
    client = socketio.SimpleClient()
    cookie = "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    client.connect(server.url, namespace="/moderator", transports=["websocket"],
                   headers={"Cookie": cookie})
    assert "pending" in client.call("join_moderators", {"since": None}, timeout=10)
    return client


def test_logout_disconnects_the_moderators_open_socket(wall_server: WallServer) -> None:
    http = wall_server.session()
    client = moderator_socket(wall_server, http)
    page = http.get(f"{wall_server.url}/moderate", timeout=10).text
    token = re.search(r'data-csrf="([^"]+)"', page)
    assert token
    http.post(f"{wall_server.url}/moderate/logout", data={"csrf_token": token.group(1)},
              timeout=10).raise_for_status()
    with pytest.raises(socketio.exceptions.DisconnectedError):
        while True:  # the server closes it; queue events must stop arriving
            client.receive(timeout=10)
    wall_server.push({"author": "After", "text": "queued after logout"})
    client.disconnect()


def _proxied_app(tmp_path: Path, hops: int) -> Any:
    from wall import create_app

    path = write_config(tmp_path, mode="pre", async_mode="threading")
    path.write_text(path.read_text().replace("[server]\n", f"[server]\nproxies = {hops}\n"))
    return create_app(load_config(path), {"TESTING": True})


def test_https_behind_a_trusted_proxy_gets_hsts_and_secure_cookies(tmp_path: Path) -> None:
    app = _proxied_app(tmp_path, 1)
    client = app.test_client()
    https = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    page = client.get("/moderate", headers=https)
    assert page.headers["Strict-Transport-Security"].startswith("max-age=")
    assert "Secure" in page.headers["Set-Cookie"]
    assert "Strict-Transport-Security" not in client.get("/moderate").headers


def test_forwarded_headers_are_ignored_without_proxies(tmp_path: Path) -> None:
    app = _proxied_app(tmp_path, 0)
    page = app.test_client().get("/moderate", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in page.headers
    assert "Secure" not in page.headers["Set-Cookie"]
