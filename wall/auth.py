"""Moderator login: passwords from the environment, server-side sessions, CSRF tokens."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import threading
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import abort, current_app, jsonify, request, session

from wall import sessions
from wall.config import ModeratorAccount, WallConfig
from wall.store import Store

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def resolve_password(env_name: str) -> tuple[str, bool]:
    """Return the moderator password and whether it was generated because the variable is unset."""
    value = os.environ.get(env_name, "")
    if value:
        return value, False
    return secrets.token_urlsafe(9), True


def accounts_only(config: WallConfig, store: Store) -> bool:
    """Tell whether moderators log in with named accounts only (in the config or added
    with `socialwall moderator add`): then no shared password is needed or generated."""
    from wall import accounts_db

    return bool(config.moderators.accounts) or accounts_db.count(store) > 0


def secret_key(instance_dir: Path) -> str:
    """Return the session signing key: from SOCIALWALL_SECRET_KEY or a file kept in the instance."""
    value = os.environ.get("SOCIALWALL_SECRET_KEY")
    if value:
        return value
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    key = secrets.token_hex(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    return key


def check_password(given: str, expected: str) -> bool:
    """Compare passwords in constant time."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def log_in(name: str) -> None:
    """Start a server-side moderator session; the cookie gets only its random id."""
    session.clear()
    token, csrf = sessions.open_session(name, credential_fingerprint(name))
    session["sid"] = token
    session["csrf"] = csrf  # also on the page; the server compares with its own copy
    session.permanent = True


def log_out() -> None:
    """End the current session everywhere, its open sockets included."""
    token = session.get("sid")
    if isinstance(token, str):
        _ended(sessions.end_ids([sessions.session_id(token)], "logged out"))
    session.clear()


def end_all_sessions() -> int:
    """End every session opened with the current moderator's password; return how many."""
    current = sessions.current()
    if current is None:
        return 0
    ended = _ended(sessions.end_ids(sessions.ids_of_credential(current.credential),
                                    "all sessions ended"))
    session.clear()
    return len(ended)


def moderator() -> str | None:
    """Return the moderator of a live server-side session (HTTP or socket), if any."""
    current = sessions.current()
    if current is None:
        return None
    if not hmac.compare_digest(current.credential, credential_fingerprint(current.moderator)):
        _ended(sessions.end_ids([current.id], "password changed"))
        return None
    _track_socket(current.id)
    return current.moderator


# Moderator sockets of this process by Socket.IO sid -> (namespace, stored session id), so
# ending a session disconnects its sockets at once; a sweep catches sessions ended by
# another process (several servers behind a proxy) or timed out while the page stays open.
# Each wall of a folder has its own moderator namespace and sweeps only its own sockets.
_sockets: dict[str, tuple[str, str]] = {}
_sockets_lock = threading.Lock()
_sweeping: set[int] = set()
SWEEP_SECONDS = 10.0


def _moderators_ns() -> str:
    """Return the moderators' namespace of the current app's wall."""
    from wall.realtime.broadcast import moderators_ns

    return moderators_ns(getattr(current_app.extensions.get("socialwall"), "prefix", ""))


def _track_socket(session_row_id: str) -> None:
    """Remember which session a moderator socket belongs to (called in socket handlers)."""
    sid = getattr(request, "sid", None)
    namespace = getattr(request, "namespace", None)
    if not isinstance(sid, str) or namespace != _moderators_ns():
        return
    with _sockets_lock:
        _sockets[sid] = (namespace, session_row_id)
    _start_sweep()


def _ended(ids: list[str]) -> list[str]:
    """Disconnect this process's sockets of the ended sessions; return the ids."""
    from wall.realtime.broadcast import socketio

    gone = set(ids)
    with _sockets_lock:
        found = [(sid, ns) for sid, (ns, owner) in _sockets.items() if owner in gone]
        for sid, _ns in found:
            del _sockets[sid]
    for sid, namespace in found:
        try:
            socketio.server.disconnect(sid, namespace=namespace)
        except Exception:  # a socket closing by itself meanwhile is not an error here
            log.debug("socket %s was already gone", sid, exc_info=True)
    return ids


def _start_sweep() -> None:
    """Start this app's sweep of moderator sockets once."""
    from wall.realtime.broadcast import socketio

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with _sockets_lock:
        if id(app) in _sweeping:
            return
        _sweeping.add(id(app))
    socketio.start_background_task(_sweep_forever, app)


def _sweep_forever(app: Any) -> None:
    """Every few seconds, disconnect sockets whose session ended elsewhere or timed out."""
    from wall.realtime.broadcast import socketio

    while not app.extensions["socialwall"].stopping.is_set():
        socketio.sleep(SWEEP_SECONDS)
        try:
            with app.app_context():
                mine = _moderators_ns()
                with _sockets_lock:
                    tracked = {sid: owner for sid, (ns, owner) in _sockets.items() if ns == mine}
                closed = [sid for sid in tracked
                          if not socketio.server.manager.is_connected(sid, mine)]
                with _sockets_lock:
                    for sid in closed:
                        _sockets.pop(sid, None)
                owners = {owner for sid, owner in tracked.items() if sid not in closed}
                _ended([o for o in owners if sessions.lookup(o, touch=False) is None])
        except Exception:  # a database hiccup must not end the sweep for good
            log.exception("moderator session sweep failed; trying again")


def csrf_token() -> str:
    """Return the session's CSRF token (before login: the login form's)."""
    current = sessions.current()
    if current is not None:
        return current.csrf
    token = session.get("login_csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        session["login_csrf"] = token
    return token


def valid_csrf(sent: str) -> bool:
    """Tell whether a sent token matches the session's, in constant time."""
    expected = csrf_token()
    return bool(sent) and bool(expected) and hmac.compare_digest(sent, expected)


def valid_login_csrf(sent: str) -> bool:
    """Tell whether the login form's token matches the one its page was served with."""
    expected = session.get("login_csrf")
    return bool(sent) and isinstance(expected, str) and hmac.compare_digest(sent, expected)


def moderator_required(view: F) -> F:
    """Refuse a JSON call without a moderator session (401) or a valid CSRF header (403)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if moderator() is None:
            return jsonify(error="log in as a moderator first (POST /moderate/login)"), 401
        if request.method not in ("GET", "HEAD"):
            if not valid_csrf(request.headers.get("X-CSRF-Token", "")):
                return jsonify(error="missing or wrong X-CSRF-Token header"), 403
        return view(*args, **kwargs)

    return cast(F, wrapped)


def the_password() -> str:
    """Return the configured moderator password of the running app."""
    value = current_app.config.get("MODERATOR_PASSWORD")
    if not isinstance(value, str) or not value:
        abort(500)
    return value


def _account(name: str) -> ModeratorAccount | None:
    """Return the named account of that name, if the config has one."""
    wanted = name.strip().casefold()
    accounts: Sequence[ModeratorAccount] = current_app.config.get("MODERATOR_ACCOUNTS") or ()
    return next((a for a in accounts if a.name.casefold() == wanted), None)


def credential_fingerprint(name: str) -> str:
    """Fingerprint the password a moderator logs in with: it changes when the password does."""
    account = _account(name)
    if account is not None:
        secret = "account:" + os.environ.get(account.password_hash_env, "")
    else:
        secret = "shared:" + str(current_app.config.get("MODERATOR_PASSWORD") or "")
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(key, secret.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def account_login(accounts: Sequence[ModeratorAccount], name: str, password: str) -> str | None:
    """Return the account's name if the password matches its hash, else None."""
    from werkzeug.security import check_password_hash

    wanted = name.strip().casefold()
    for account in accounts:
        if account.name.casefold() != wanted:
            continue
        stored = os.environ.get(account.password_hash_env, "")
        if not stored:
            log.warning("moderator %s cannot log in: %s is unset (socialwall hash-password "
                        "prints a value)", account.name, account.password_hash_env)
            return None
        try:
            return account.name if check_password_hash(stored, password) else None
        except ValueError:
            log.warning("%s does not hold a password hash; run socialwall hash-password",
                        account.password_hash_env)
            return None
    return None


def verify_login(name: str, password: str) -> str | None:
    """Check a login against the named accounts, then the shared password; return the name."""
    accounts = current_app.config.get("MODERATOR_ACCOUNTS") or ()
    from wall import accounts_db  # accounts added with `socialwall moderator add`

    store = current_app.extensions["socialwall"].store
    if accounts_db.exists(store, name):
        return accounts_db.login(store, name, password)
    if any(a.name.casefold() == name.strip().casefold() for a in accounts):
        # An account's name only opens with its own password: the shared password
        # must not let anyone sign the audit trail as Alice.
        return account_login(accounts, name, password)
    shared = current_app.config.get("MODERATOR_PASSWORD")
    if isinstance(shared, str) and shared and check_password(password, shared):
        return name.strip()[:60] or "moderator"
    return None
