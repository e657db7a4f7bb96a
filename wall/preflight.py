"""What `check` and `run` verify beyond the syntax: secrets, addresses, colours, QR."""

from __future__ import annotations

import dataclasses
import ipaddress
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.util import find_spec

from wall.branding import luminance
from wall.config import WallConfig

LOOPBACK_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
MIN_CONTRAST = 4.5  # WCAG AA for body text; a lobby is read from across the room
# What each `*_env` key of a source holds, for the list of missing variables.
ENV_PURPOSE = {
    ("webhook", "token_env"): "the token senders put in `Authorization: Bearer` on "
                              "POST /api/ingest (without it the webhook answers 404)",
    ("x", "bearer_token_env"): "the X app's bearer token (developer.x.com, paid plan)",
    ("mastodon", "token_env"): "an access token of the first instance, to stream live",
    ("bluesky", "handle_env"): "the Bluesky handle used to backfill recent posts",
    ("bluesky", "app_password_env"): "a Bluesky app password (Settings → Privacy and "
                                     "security) to backfill recent posts",
    ("instagram", "token_env"): "a long-lived Instagram user token",
    ("facebook", "token_env"): "a Facebook Page access token",
    ("threads", "token_env"): "a Threads user token",
    ("youtube", "key_env"): "a YouTube Data API key",
    ("google_reviews", "client_id_env"): "the Google OAuth client id",
    ("google_reviews", "client_secret_env"): "the Google OAuth client secret",
    ("google_reviews", "refresh_token_env"): "a Google OAuth refresh token",
}


@dataclass(frozen=True)
class Variable:
    """An environment variable the config names: its name, purpose and whether run needs it."""

    name: str
    purpose: str
    required: bool


def variables(config: WallConfig) -> list[Variable]:
    """List every environment variable the config names, in config order."""
    mods = config.moderators
    out = [Variable(mods.password_env, "the shared moderator password (unset: one is "
                    "generated and printed at start, unless named accounts exist)", False)]
    for account in mods.accounts:
        out.append(Variable(account.password_hash_env, f'the password hash of moderator '
                            f'"{account.name}" (socialwall hash-password prints one)', True))
    for source in config.sources:
        if not source.enabled or not dataclasses.is_dataclass(source.options):
            continue
        for field in dataclasses.fields(source.options):
            name = getattr(source.options, field.name)
            if not field.name.endswith("_env") or not isinstance(name, str) or not name:
                continue
            purpose = ENV_PURPOSE.get((source.type, field.name), field.name[:-4].replace("_", " "))
            out.append(Variable(name, f"source {source.name}: {purpose}", True))
    return out


def missing_variables(config: WallConfig) -> list[Variable]:
    """Return the required variables that are unset or empty."""
    return [v for v in variables(config) if v.required and not os.environ.get(v.name)]


def host_problem(host: str) -> str | None:
    """Return why [server] host cannot be listened on, or None."""
    try:
        ipaddress.ip_address(host)
        return None
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) == 4 and sum(label.isdigit() for label in labels) >= 3:
        return (f'[server] host "{host}" looks like an IP address with a typo; write four '
                'numbers such as "127.0.0.1", or "0.0.0.0" for every network interface')
    if not re.fullmatch(r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
                        r"(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*", host):
        return (f'[server] host "{host}" is neither an IP address nor a host name; '
                'use "127.0.0.1" (this machine only) or "0.0.0.0" (every network interface)')
    return None


def is_loopback(host: str) -> bool:
    """Tell whether a host name or address only reaches this machine."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def qr_problem(config: WallConfig) -> str | None:
    """Return why phones scanning the call-to-action QR code would not reach it, or None."""
    url = config.wall.call_to_action_url
    if url.startswith("/") and is_loopback(config.server.host):
        return (f'[wall] call_to_action_url "{url}" is joined to the address the screen '
                f'uses, and [server] host "{config.server.host}" only answers this machine: '
                "phones scanning the QR code would open their own loopback address. Set "
                'host = "0.0.0.0" and open the screens with the machine\'s network address, '
                'or write the full address, e.g. "https://wall.example.com/attend"')
    match = re.match(r"https?://(\[[^\]]+\]|[^/:]+)", url)
    if match and is_loopback(match.group(1)):
        return (f'[wall] call_to_action_url "{url}" points at this machine only; phones '
                "cannot open it. Write an address phones reach (the machine's network "
                "address or a public name)")
    return None


def contrast(a: str, b: str) -> float:
    """Return the WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def contrast_problems(config: WallConfig) -> Iterator[str]:
    """Yield each [branding] text colour that is too faint on its card or page colour."""
    b = config.branding
    for key in ("surface", "background"):
        ground = getattr(b, key)
        if not b.text or not ground:
            continue
        ratio = contrast(b.text, ground)
        if ratio < MIN_CONTRAST:
            yield (f"[branding] text {b.text} on {key} {ground} has a contrast of "
                   f"{ratio:.1f}:1; screens need at least {MIN_CONTRAST}:1 to be read from "
                   "across a room: make one of them much lighter or darker")


def extras_problems(config: WallConfig) -> Iterator[str]:
    """Yield each enabled feature whose optional package is not installed."""
    if config.media.nsfw_enabled and find_spec("nudenet") is None:
        yield "[media] nsfw = true needs the nsfw extra: pip install 'socialwall[nsfw]'"
    if config.moderation.toxicity and find_spec("profanity_check") is None:
        yield "[moderation] toxicity = true needs the ml extra: pip install 'socialwall[ml]'"


def problems(config: WallConfig) -> list[str]:
    """Return everything that would keep `run` from working as configured."""
    found = [f"{v.name} is not set: {v.purpose}" for v in missing_variables(config)]
    host = host_problem(config.server.host)
    found += [host] if host else []
    found += list(contrast_problems(config))
    qr = qr_problem(config)
    found += [qr] if qr else []
    found += list(extras_problems(config))
    return found


def nobody_can_moderate(config: WallConfig) -> str | None:
    """Return why no one could log in to moderate this wall, or None."""
    from wall import accounts_db
    from wall.walldb import opened

    mods = config.moderators
    if not mods.accounts or os.environ.get(mods.password_env):
        return None  # a shared password is set, or one is generated and printed
    if any(os.environ.get(a.password_hash_env) for a in mods.accounts):
        return None
    with opened(config) as store:
        if accounts_db.count(store):
            return None
    unset = ", ".join(a.password_hash_env for a in mods.accounts)
    return (f"nobody could moderate this wall: none of {unset} is set and neither is "
            f"{mods.password_env}, so no password would open /moderate. Set them (in the "
            "env file beside the config, or the environment), or add an account with "
            "`socialwall moderator add NAME`.")
