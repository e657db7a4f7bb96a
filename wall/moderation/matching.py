"""Matchers the rules share: blocked word lists, author lists, links and domains."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import resources
from urllib.parse import urlsplit

from wall.models import NETWORKS, Post
from wall.moderation.normalize import fold, normalize_handle, variants, words

_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


class WordList:
    """Words and phrases matched whole, on folded text, leetspeak and stretched letters."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.singles: dict[str, str] = {}
        self.phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
        for entry in entries:
            tokens = tuple(words(entry))
            if len(tokens) == 1:
                self.singles.setdefault(tokens[0], entry.strip())
            elif tokens:
                self.phrases.setdefault(tokens[0], []).append((tokens, entry.strip()))
        self.keys = frozenset(self.singles) | frozenset(self.phrases)

    def __bool__(self) -> bool:
        return bool(self.keys)

    def _scan(self, tokens: tuple[str, ...]) -> str | None:
        # One set intersection in C finds candidates; the loop only runs on a hit.
        if self.keys.isdisjoint(tokens):
            return None
        for i, token in enumerate(tokens):
            hit = self.singles.get(token)
            if hit is not None:
                return hit
            for phrase, entry in self.phrases.get(token, ()):
                if tokens[i:i + len(phrase)] == phrase:
                    return entry
        return None

    def find(self, text: str) -> str | None:
        """Return the configured entry found in a text, or None."""
        if not text:
            return None
        for tokens in variants(text):
            found = self._scan(tokens)
            if found is not None:
                return found
        return None


def profanity_words(languages: Iterable[str]) -> list[str]:
    """Read the built-in profanity lists shipped in wall/moderation/data."""
    out: list[str] = []
    base = resources.files("wall.moderation") / "data"
    for code in languages:
        text = (base / f"profanity_{code}.txt").read_text(encoding="utf-8")
        out.extend(line.strip() for line in text.splitlines()
                   if line.strip() and not line.startswith("#"))
    return out


class AuthorList:
    """Authors named in config: "@handle", "network:@handle" or "network:id:123"."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.any_network: set[str] = set()
        self.scoped: set[tuple[str, str]] = set()
        self.ids: set[tuple[str, str]] = set()
        for entry in entries:
            network, _, rest = entry.partition(":")
            if rest and network.lower() in NETWORKS:
                if rest.startswith("id:"):
                    self.ids.add((network.lower(), rest[3:].strip()))
                else:
                    self.scoped.add((network.lower(), normalize_handle(rest)))
            else:
                self.any_network.add(normalize_handle(entry))

    def find(self, post: Post) -> str | None:
        """Return how the post's author is named in the list, or None."""
        return self.find_handle(post.network, post.handle, post.author_id)

    def find_handle(self, network: str, raw: str, author_id: str = "") -> str | None:
        """Return how an author (network, handle, id) is named in the list, or None."""
        if author_id and (network, author_id) in self.ids:
            return f"{network}:id:{author_id}"
        handle = normalize_handle(raw)
        if not handle:
            return None
        local = handle.split("@", 1)[0]
        for candidate in (handle, local):
            if candidate in self.any_network:
                return f"@{candidate}"
            if (network, candidate) in self.scoped:
                return f"{network}:@{candidate}"
        return None


def post_links(post: Post) -> list[str]:
    """Return the links in a post: those the network listed plus those in its text."""
    seen: dict[str, None] = dict.fromkeys(post.links)
    if "http" in post.text.lower():
        for match in _URL.finditer(post.text):
            seen.setdefault(match.group(0).rstrip(".,;:!?)"), None)
    return list(seen)


def link_host(url: str) -> str:
    """Return a link's host name, lower-case, without "www."."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    host = fold(host)
    return host[4:] if host.startswith("www.") else host


def domain_blocked(host: str, domains: Iterable[str]) -> str | None:
    """Return the blocked domain a host is or belongs to."""
    for domain in domains:
        if host == domain or host.endswith("." + domain):
            return domain
    return None
