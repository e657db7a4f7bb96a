"""The attendee page: a short form (name, text, optional photo) reached from a QR code."""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque
from typing import Any

from flask import Blueprint, Flask, abort, current_app, render_template, request, session
from werkzeug.datastructures import FileStorage

from wall.i18n import labels, plural
from wall.i18n_reasons import translate_error
from wall.media.serve import media_root
from wall.runtime import get_wall
from wall.sources import SourceError
from wall.sources.attendees import AttendeesOptions, to_post
from wall.sources.webhook import clean_string
from wall.uploads import MAX_BYTES, UploadError, store_upload
from wall.web.screens import wall_context

log = logging.getLogger(__name__)
bp = Blueprint("attendees", __name__)

HOLD_REASON = "attendee post: a moderator decides"


class RateLimiter:
    """Posts per client in a sliding window.

    In memory, on purpose: the form is served by the process that renders it, the
    moderator queue is the real gate, and a restart forgiving a few clients is harmless.
    With several server processes each keeps its own count (at most N times the limit).
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: dict[str, deque[float]] = {}

    def allow(self, client: str, limit: int, window: float) -> bool:
        """Record a try; return False when the client already used its quota."""
        now = time.monotonic()
        with self.lock:
            if len(self.hits) > 10_000:  # forget idle clients so memory stays bounded
                self.hits = {k: v for k, v in self.hits.items() if v and v[-1] > now - window}
            seen = self.hits.setdefault(client, deque())
            while seen and seen[0] <= now - window:
                seen.popleft()
            if len(seen) >= limit:
                return False
            seen.append(now)
            return True


def client_address(options: AttendeesOptions) -> str:
    """Return the client's address, read from X-Forwarded-For behind `proxies` proxies."""
    if options.proxies:
        hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [h for h in hops if h]
        if len(hops) >= options.proxies:
            return hops[-options.proxies]  # the address our own first proxy saw
    return request.remote_addr or "unknown"


def _source() -> tuple[str, AttendeesOptions]:
    """Return the enabled attendees source, or answer 404."""
    for conf in get_wall().config.sources:
        if conf.type == "attendees" and conf.enabled and isinstance(conf.options,
                                                                     AttendeesOptions):
            return conf.name, conf.options
    abort(404, "no attendees source is configured: add [[sources]] type = \"attendees\"")


def _words() -> dict[str, str]:
    """Return the labels in the wall's language."""
    return labels(get_wall().config.wall.language)


def _render(options: AttendeesOptions, status: int = 200, **extra: Any) -> tuple[str, int]:
    token = session.get("attend") or secrets.token_urlsafe(16)
    session["attend"] = token
    words = labels(get_wall().config.wall.language)
    return render_template("attend.html", wall=wall_context(), labels=words, token=token,
                           options=options, form=request.form, version=get_wall().version,
                           **extra), status


@bp.get("/attend")
def form() -> tuple[str, int]:
    """Show the form."""
    return _render(_source()[1])


def _photo(file: FileStorage | None, options: AttendeesOptions) -> str | None:
    """Store the uploaded photo safely and return its URL path, or None."""
    if file is None or not file.filename or not options.photos:
        return None
    data = file.stream.read(MAX_BYTES + 1)
    return store_upload(data, media_root(current_app))


@bp.post("/attend")
def submit() -> tuple[str, int]:
    """Validate, store the photo, queue the post for moderators."""
    name, options = _source()
    sent = request.form.get("token", "")
    if not sent or not secrets.compare_digest(sent, session.get("attend", "")):
        return _render(options, 400, error=_words()["attend_expired"])
    limiter: RateLimiter = current_app.extensions["socialwall_attend_limiter"]
    client = client_address(options)
    if not limiter.allow(client, options.posts_per_client, options.per_minutes * 60):
        language = get_wall().config.wall.language
        message = plural(_words(), "attend_rate_limited", options.posts_per_client, language)
        return _render(options, 429, error=message.replace("{m}", str(options.per_minutes)))
    try:
        photo = _photo(request.files.get("photo"), options)
        # Control characters (a NUL breaks PostgreSQL text) are dropped, as the webhook does.
        post = to_post(clean_string(request.form.get("name", ""), "name"),
                       clean_string(request.form.get("text", ""), "text"), photo,
                       source=name, options=options)
    except (SourceError, UploadError) as exc:
        return _render(options, 400,
                       error=translate_error(str(exc), get_wall().config.wall.language))
    change = get_wall().pipeline.submit(post, hold=HOLD_REASON)
    log.info("attendee post %s from %s queued", change.post["id"], client)
    return _render(options, 201, sent=True)


def init_app(app: Flask) -> None:
    """Register the attendee page."""
    app.extensions["socialwall_attend_limiter"] = RateLimiter()
    app.register_blueprint(bp)
