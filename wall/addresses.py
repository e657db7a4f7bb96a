"""The addresses other machines (TVs, tablets, phones) use to reach this server."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit, urlunsplit

from wall.preflight import is_loopback

ANY = ("0.0.0.0", "::", "")


def lan_address() -> str | None:
    """Return this machine's address on its default route, or None when it has none."""
    # Connecting a UDP socket sends nothing; it only asks the kernel which local
    # address would be used, which is the one other machines on the LAN reach.
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET-1: never routed anywhere real
            address = str(probe.getsockname()[0])
    except OSError:
        return None
    return None if is_loopback(address) or address in ANY else address


def bases(host: str, port: int) -> list[str]:
    """Return the base URLs to print: this machine first, then the network address."""
    if host in ANY:
        out = [f"http://127.0.0.1:{port}"]
        lan = lan_address()
        if lan:
            out.append(f"http://{lan}:{port}")
        return out
    shown = f"[{host}]" if ":" in host else host
    return [f"http://{shown}:{port}"]


def phone_reachable(base_url: str) -> str:
    """Swap a loopback host in a base URL for this machine's network address, if it has one."""
    parts = urlsplit(base_url)
    host = parts.hostname or ""
    if not is_loopback(host):
        return base_url
    lan = lan_address()
    if lan is None:
        return base_url
    netloc = f"{lan}:{parts.port}" if parts.port else lan
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
