"""Moderator login: password from the environment, session cookie, CSRF token."""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import abort, current_app, jsonify, request, session

from wall.config import ModeratorAccount

log = logging.getLogger(__name__)

F = TypeVar("F", bound=Callable[..., Any])


def resolve_password(env_name: str) -> tuple[str, bool]:
    """Return the moderator password and whether it was generated because the variable is unset."""
    value = os.environ.get(env_name, "")
    if value:
        return value, False
    return secrets.token_urlsafe(9), True


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
    """Start a moderator session with a fresh CSRF token."""
    session.clear()
    session["moderator"] = name
    session["csrf"] = secrets.token_urlsafe(24)
    session.permanent = True


def moderator() -> str | None:
    """Return the logged-in moderator's name, if any."""
    name = session.get("moderator")
    return name if isinstance(name, str) else None


def csrf_token() -> str:
    """Return the session's CSRF token."""
    return str(session.get("csrf", ""))


def moderator_required(view: F) -> F:
    """Refuse a JSON call without a moderator session (401) or a valid CSRF header (403)."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if moderator() is None:
            return jsonify(error="log in as a moderator first (POST /moderate/login)"), 401
        if request.method not in ("GET", "HEAD"):
            sent = request.headers.get("X-CSRF-Token", "")
            if not sent or not hmac.compare_digest(sent, csrf_token()):
                return jsonify(error="missing or wrong X-CSRF-Token header"), 403
        return view(*args, **kwargs)

    return cast(F, wrapped)


def the_password() -> str:
    """Return the configured moderator password of the running app."""
    value = current_app.config.get("MODERATOR_PASSWORD")
    if not isinstance(value, str) or not value:
        abort(500)
    return value


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
