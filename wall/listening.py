"""What a wall listens for: hashtags, keywords, the brand's mentions, and words it excludes.

Pure: no I/O. Keywords match whole words or phrases on text folded as the moderation
rules fold it (case, accents, look-alike letters); mentions match the network's own
mention metadata (facets, entities, tags) as well as @handles in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from wall.configreader import Reader
from wall.models import Post
from wall.moderation.normalize import fold, words

# Networks a scoped mention may name: today's sources and those issue 12 adds.
MENTION_NETWORKS = ("x", "mastodon", "bluesky", "rss", "webhook", "instagram", "facebook",
                    "threads", "google_reviews", "youtube")
_MENTION = re.compile(r"^(?:(?P<network>[a-z_]+):)?"
                      r"@(?P<handle>[\w.\-]{1,100}(?:@[\w.\-]{1,200})?)$")
_BLUESKY_DEFAULT = ".bsky.social"


@dataclass(frozen=True)
class Mention:
    """One account of the brand: a handle (folded, no @) and the network it is on, if scoped."""

    handle: str
    network: str | None = None

    @property
    def label(self) -> str:
        """Return the mention as written in config, e.g. "x:@velocia"."""
        return f"{self.network}:@{self.handle}" if self.network else f"@{self.handle}"

    def matches(self, network: str, handle: str) -> bool:
        """Tell whether a handle mentioned on a network is this account."""
        if self.network is not None:
            return network == self.network and handle == self.handle
        # "@velocia" on any network: the handle itself, a fediverse account's user part
        # ("velocia@any.instance"), or a Bluesky handle on the default domain.
        return handle in (self.handle, self.handle + _BLUESKY_DEFAULT) \
            or handle.split("@", 1)[0] == self.handle


def parse_mention(text: str) -> Mention:
    """Read "@velocia" or "x:@velocia"; raise ValueError saying what is wrong."""
    found = _MENTION.match(text.strip())
    if found is None:
        raise ValueError('must be "@handle" or "network:@handle", e.g. "@velocia", '
                         '"x:@velocia", "mastodon:@velocia@mastodon.social"')
    network = found.group("network")
    if network is not None and network not in MENTION_NETWORKS:
        raise ValueError(f'network "{network}" is not one of {", ".join(MENTION_NETWORKS)}')
    return Mention(fold(found.group("handle")).rstrip(".-"), network)


@dataclass(frozen=True)
class Listening:
    """The terms a source follows; an empty key means "inherit the wall's"."""

    hashtags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    mentions: tuple[Mention, ...] = ()
    exclude_keywords: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        """Tell whether nothing is followed (no hashtag, keyword or mention)."""
        return not (self.hashtags or self.keywords or self.mentions)

    def over(self, wall: Listening) -> Listening:
        """Return these terms with each key left empty taken from the wall's."""
        return Listening(self.hashtags or wall.hashtags, self.keywords or wall.keywords,
                         self.mentions or wall.mentions,
                         self.exclude_keywords or wall.exclude_keywords)

    def handles_on(self, network: str) -> tuple[str, ...]:
        """Return the brand's handles to look for on one network (scoped or not)."""
        return tuple(m.handle for m in self.mentions if m.network in (None, network))


def read_listening(r: Reader) -> Listening:
    """Read hashtags, keywords, mentions and exclude_keywords from a config table."""
    keywords = _phrases(r, "keywords")
    mentions: list[Mention] = []
    for i, text in enumerate(r.strings("mentions")):
        try:
            mentions.append(parse_mention(text))
        except ValueError as exc:
            r.problem(f"mentions[{i}]", f"{exc} (got {text!r})")
    return Listening(hashtags=tuple(t.lstrip("#") for t in r.strings("hashtags")),
                     keywords=keywords, mentions=tuple(mentions),
                     exclude_keywords=_phrases(r, "exclude_keywords"))


def _phrases(r: Reader, key: str) -> tuple[str, ...]:
    out = []
    for i, text in enumerate(r.strings(key)):
        if not words(text):
            r.problem(f"{key}[{i}]", f"must hold at least one letter or digit (got {text!r})")
        elif len(text) > 200:
            r.problem(f"{key}[{i}]", "must be at most 200 characters")
        else:
            out.append(text)
    return tuple(out)


@lru_cache(maxsize=256)
def _phrase(text: str) -> tuple[str, ...]:
    return tuple(words(text))


def _contains(haystack: list[str], phrase: tuple[str, ...]) -> bool:
    """Tell whether a phrase's words appear in a row in a list of words."""
    size = len(phrase)
    first = phrase[0]
    return any(word == first and tuple(haystack[i:i + size]) == phrase
               for i, word in enumerate(haystack))


def post_words(post: Post) -> list[str]:
    """Return the folded words keywords are matched on: the text and its content warning."""
    return words(f"{post.spoiler_text}\n{post.text}" if post.spoiler_text else post.text)


def excluded(post: Post, listening: Listening) -> str | None:
    """Return the excluded keyword a post carries, or None."""
    found = post_words(post)
    return next((k for k in listening.exclude_keywords if _contains(found, _phrase(k))), None)


def matches(post: Post, listening: Listening) -> tuple[str, ...]:
    """Return what a post matched, as written in config: "#tag", "keyword", "@handle"."""
    out: list[str] = []
    tags = {fold(t) for t in post.hashtags}
    out.extend(f"#{t}" for t in listening.hashtags if fold(t) in tags)
    if listening.keywords:
        found = post_words(post)
        out.extend(k for k in listening.keywords if _contains(found, _phrase(k)))
    if listening.mentions:
        handles = {fold(h).lstrip("@") for h in (*post.mentioned, *post.mentions)}
        out.extend(m.label for m in listening.mentions
                   if any(m.matches(post.network, h) for h in handles))
    return tuple(out)


def listen(post: Post, listening: Listening) -> tuple[Post | None, str]:
    """Keep a post that matches and carries no excluded keyword, with what it matched.

    Returns the post (its `matched` filled) or None with the reason it was dropped.
    With nothing followed (an empty Listening) every post not excluded is kept.
    """
    word = excluded(post, listening)
    if word is not None:
        return None, f'excluded keyword "{word}"'
    found = matches(post, listening)
    if not found and not listening.empty:
        return None, "no hashtag, keyword or mention of the wall"
    return replace(post, matched=found), ""
