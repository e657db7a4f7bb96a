"""The start-up banner: every page of the wall, at the addresses other machines use."""

from __future__ import annotations

from wall.addresses import bases
from wall.config import WallConfig


def page_list(config: WallConfig) -> list[tuple[str, str]]:
    """Return (label, path) of every page a person opens."""
    pages = [("Index", "/"), ("Feed", "/screen/feed"), ("Stats", "/screen/stats"),
             ("Highlights", "/screen/highlights"), ("Moderator", "/moderate")]
    if any(s.type == "attendees" and s.enabled for s in config.sources):
        pages.append(("Attendees", "/attend"))
    return pages


def pages(config: WallConfig, host: str, port: int) -> list[str]:
    """Return the banner's lines: where it listens, then each page at each address."""
    urls = bases(host, port)
    lines = [f"Listening on {urls[0]}"]
    if len(urls) > 1:
        lines.append(f"Other machines (TVs, tablets, phones) use {urls[-1]}")
    elif host not in ("0.0.0.0", "::", ""):
        lines.append(f'Only reachable at {urls[0]}: set [server] host = "0.0.0.0" (or '
                     "--host 0.0.0.0) for the TVs and tablets on the network")
    for label, path in page_list(config):
        lines.append(f"  {label + ':':12} " + "   ".join(base + path for base in urls))
    return lines
