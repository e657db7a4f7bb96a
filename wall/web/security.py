"""Security headers on every response, the brand theme stylesheet, HTTPS-only cookies."""

from __future__ import annotations

from functools import lru_cache

from flask import Blueprint, Flask, Request, Response, request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

from wall.runtime import get_wall

bp = Blueprint("security", __name__)

# Pages load only this server's files: no inline script or style, no third-party origin.
# Post images and avatars are re-encoded and served from /media, so img-src needs no
# network's CDN; data: covers the empty favicon of layout.html.
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; media-src 'self'; manifest-src 'self'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'; frame-src 'self'; "
    "require-trusted-types-for 'script'; trusted-types socialwall-sw"
)
_PERMISSIONS = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), encrypted-media=(), "
    "fullscreen=(self), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), "
    "screen-wake-lock=(self), serial=(), usb=(), xr-spatial-tracking=()"
)
HSTS = "max-age=31536000"


@lru_cache(maxsize=64)
def _defaults(host: str, screen: bool, secure: bool) -> tuple[tuple[str, str, str], ...]:
    """Return the security headers of a response as (lower-case name, name, value).

    The CSP names the WebSocket origin of Socket.IO: 'self' covers ws(s) to the same host
    in CSP3 browsers; older kiosks' engines need the scheme spelled out. The lobby
    screens may be framed by this server's own /screen/scenes (one TV cycling through
    them); every other page, the moderator's above all, is never framed.
    """
    framing = "'self'" if screen else "'none'"
    csp = f"{_CSP}; frame-ancestors {framing}; connect-src 'self' ws://{host} wss://{host}"
    headers = [("Content-Security-Policy", csp),
               ("X-Content-Type-Options", "nosniff"),
               ("X-Frame-Options", "SAMEORIGIN" if screen else "DENY"),
               ("Referrer-Policy", "no-referrer"),
               ("Permissions-Policy", _PERMISSIONS),
               ("Cross-Origin-Opener-Policy", "same-origin")]
    if secure:
        headers.append(("Strict-Transport-Security", HSTS))
    return tuple((name.lower(), name, value) for name, value in headers)


def add_headers(response: Response) -> Response:
    """Set the security headers, keeping any stricter CSP a view already chose."""
    headers = response.headers
    # One pass over the headers already set, not one case-insensitive scan per header
    # (seven Headers.setdefault calls were ~3 % of a webhook post's CPU).
    present = {name.lower() for name in headers.keys()}
    for lower, name, value in _defaults(request.host, request.path.startswith("/screen/"),
                                        request.is_secure):
        if lower not in present:
            headers.add(name, value)
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over HTTPS."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        """Open the session; a request without the cookie (API, screens) builds no signer."""
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app: Flask) -> bool:
        """Mark the cookie Secure when configured so or when this request is HTTPS."""
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


@bp.get("/theme.css")
def theme_css() -> Response:
    """Serve the brand colours and font as CSS variables (no inline style on any page).

    `?theme=light|dark` picks that theme's palette (screens, index); without it the flat
    [branding] colours apply (attendees' form, ambassadors' pages, moderator page).
    """
    branding = get_wall().config.branding
    theme = request.args.get("theme", "")
    colours = branding.palette(theme) if theme in ("light", "dark") else dict(branding.colours)
    # Colours and font are validated by wall.branding (hex colours, a plain font list),
    # so they cannot close the rule or open another.
    lines = [f"  --brand-{name}: {value};" for name, value in colours.items()]
    if branding.font:
        lines.append(f"  --brand-font: {branding.font};")
    # data-brand on <body> names the values a page uses; the page's CSS reads them there.
    body = "body[data-brand] {\n" + "\n".join(lines) + "\n}\n" if lines else ""
    response = Response(body, mimetype="text/css")
    response.cache_control.max_age = 60
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response and keep moderator sessions server-side."""
    # X-Forwarded-* are trusted only behind `[server] proxies` known proxies (ProxyFix is
    # set up in wall.serving); otherwise a client could claim HTTPS or another address.
    app.session_interface = SessionInterface()
    app.after_request(add_headers)
    app.register_blueprint(bp)
