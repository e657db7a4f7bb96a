"""Handles an employee claims: "@name" on every network or "network:@name" on one."""

from __future__ import annotations

import re

from wall.models import NETWORKS
from wall.moderation import normalize_handle

# Letters, digits and the punctuation handles use (dots, dashes, underscores, an @ for
# Mastodon's user@server). Anything else is refused rather than stored and shown.
_HANDLE = re.compile(r"[\w.\-]{1,100}(@[\w.\-]{1,200})?")
ANY_NETWORK = ""


class HandleError(ValueError):
    """A claimed handle that cannot be matched; the message says why."""

    def __init__(self, message: str, raw: str = "") -> None:
        super().__init__(message)
        self.raw = raw


def clean_handle(raw: str) -> str:
    """Return a handle in the form the rules compare, or raise HandleError."""
    handle = normalize_handle(raw)
    if not handle:
        return ""
    if not _HANDLE.fullmatch(handle):
        shown = raw.strip()[:60]
        raise HandleError(f'"{shown}" is not a handle: use letters, digits, dots, dashes or '
                          "underscores, like @jane.doe", shown)
    return handle


def parse_claims(fields: dict[str, str]) -> list[tuple[str, str]]:
    """Return (network, handle) pairs from form fields handle_<network> and handle_any."""
    claims: list[tuple[str, str]] = []
    for key, raw in fields.items():
        if not key.startswith("handle_"):
            continue
        network = key.removeprefix("handle_")
        network = ANY_NETWORK if network == "any" else network
        if network and network not in NETWORKS:
            continue
        for part in raw.replace(",", " ").split():
            handle = clean_handle(part)
            if handle and (network, handle) not in claims:
                claims.append((network, handle))
    if len(claims) > 20:
        raise HandleError("at most 20 handles per person", "")
    return claims


def entry(network: str, handle: str) -> str:
    """Return the author-list entry a claim matches: "@name" or "network:@name"."""
    return f"{network}:@{handle}" if network else f"@{handle}"
